"""Lint settings from scaffold.toml and package.json's "scaffold" (Node repositories), and the
precedence between them and pyproject.toml's [tool.scaffold], over real directories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffolder.errors import ConfigError
from scaffolder.lint.config import load_config

PYPROJECT = '[tool.scaffold]\nselect = ["SCF001"]\n'
SCAFFOLD_TOML = 'select = ["SCF002"]\n'
PACKAGE_JSON = json.dumps({"name": "web", "scaffold": {"select": ["SCF003"]}})


@pytest.mark.parametrize(
    ("files", "source", "select"),
    [
        ({"scaffold.toml": SCAFFOLD_TOML}, "scaffold.toml", ("SCF002",)),
        ({"package.json": PACKAGE_JSON}, "package.json", ("SCF003",)),
        # one directory: scaffold.toml > pyproject [tool.scaffold] > package.json "scaffold"
        (
            {
                "scaffold.toml": SCAFFOLD_TOML,
                "pyproject.toml": PYPROJECT,
                "package.json": PACKAGE_JSON,
            },
            "scaffold.toml",
            ("SCF002",),
        ),
        (
            {"pyproject.toml": PYPROJECT, "package.json": PACKAGE_JSON},
            "pyproject.toml",
            ("SCF001",),
        ),
        # files without settings do not count
        (
            {"pyproject.toml": "[project]\nname = 'x'\n", "package.json": PACKAGE_JSON},
            "package.json",
            ("SCF003",),
        ),
        (
            {"package.json": '{"name": "x"}', "pyproject.toml": PYPROJECT},
            "pyproject.toml",
            ("SCF001",),
        ),
        # the closest directory wins over a parent's settings
        (
            {"pyproject.toml": PYPROJECT, "web/package.json": PACKAGE_JSON},
            "web/package.json",
            ("SCF003",),
        ),
        (
            {"scaffold.toml": SCAFFOLD_TOML, "web/package.json": '{"name": "x"}'},
            "scaffold.toml",
            ("SCF002",),
        ),
    ],
)
def test_which_file_governs(
    tmp_path: Path, files: dict[str, str], source: str, select: tuple[str, ...]
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "web").mkdir(exist_ok=True)
    settings = load_config(tmp_path / "web")
    assert settings.config_path == (tmp_path / source).resolve()
    assert settings.project_root == (tmp_path / source).resolve().parent
    assert settings.select == select


def test_without_settings_the_root_is_the_nearest_pyproject_else_package_json(
    tmp_path: Path,
) -> None:
    (tmp_path / "package.json").write_text("{}", encoding="utf-8")
    (tmp_path / "src").mkdir()
    assert load_config(tmp_path / "src").project_root == tmp_path.resolve()
    (tmp_path / "src" / "pyproject.toml").write_text("", encoding="utf-8")
    assert load_config(tmp_path / "src").project_root == (tmp_path / "src").resolve()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "package.json",
            '{"scaffold": {"min-timeout": -1}}',
            'package.json: "scaffold" min-timeout',
        ),
        (
            "package.json",
            '{"scaffold": {"selct": []}}',
            "package.json: \"scaffold\": unknown key 'selct'",
        ),
        ("package.json", '{"scaffold": ["SCF001"]}', 'package.json: "scaffold" must be an object'),
        ("package.json", '{"scaffold": {,}', "package.json: invalid JSON"),
        ("package.json", '{"scaffold": ' * 100_000, "package.json: invalid JSON"),
        ("scaffold.toml", "ignore = 3\n", "scaffold.toml ignore: expected a list of strings"),
        ("scaffold.toml", "select = [\n", "scaffold.toml: invalid TOML"),
        ("scaffold.toml", 'select = ["XYZ"]\n', "scaffold.toml select: unknown rule code 'XYZ'"),
    ],
)
def test_errors_are_one_line_naming_file_and_key(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    line = raised.value.format_message()
    assert message in line
    assert "\n" not in line


def test_config_option_reads_package_json(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text("{}", encoding="utf-8")
    (tmp_path / "package.json").write_text(PACKAGE_JSON, encoding="utf-8")
    settings = load_config(tmp_path, config_file=tmp_path / "package.json")
    assert settings.select == ("SCF003",)


def test_a_nested_package_json_governs_its_typescript_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad_ts = (
        'import Anthropic from "@anthropic-ai/sdk";\n'
        "const client = new Anthropic();\n"
        'client.messages.stream({ model: "m", max_tokens: 1, messages: [] });\n'
    )
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "chat.ts").write_text(bad_ts, encoding="utf-8")
    (tmp_path / "api.ts").write_text(bad_ts, encoding="utf-8")
    ignoring = json.dumps({"scaffold": {"ignore": ["SCF001"]}})
    (tmp_path / "web" / "package.json").write_text(ignoring, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "scaffolder", "lint", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "api.ts:3:1: SCF001" in proc.stdout, proc.stdout + proc.stderr
    assert "chat.ts" not in proc.stdout


@pytest.mark.parametrize("name", ["package.json", "scaffold.toml", "pyproject.toml"])
def test_validate_raises_what_lint_would(tmp_path: Path, name: str) -> None:
    from scaffolder.lint.config import validate

    bad = {
        "package.json": '{"scaffold": {"select": ["NOPE"]}}',
        "scaffold.toml": 'select = ["NOPE"]\n',
        "pyproject.toml": '[tool.scaffold]\nselect = ["NOPE"]\n',
    }[name]
    path = tmp_path / name
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown rule code 'NOPE'"):
        validate(path)
    path.write_text(bad.replace("NOPE", "SCF001"), encoding="utf-8")
    validate(path)
    path.write_text("{}" if name == "package.json" else "", encoding="utf-8")
    validate(path)
