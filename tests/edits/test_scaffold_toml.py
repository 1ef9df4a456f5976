"""`edits/scaffold_toml`: the settings file of a repository without pyproject.toml (Node)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffolder.edits.scaffold_toml import complete, config_file
from scaffolder.errors import ConfigError, FileFormatError
from scaffolder.lint.config import load_config

USER = """\
# team settings
ignore = ["SCF003"]   # we use our own timeouts

[per-file-ignores]
"tests/**" = ["SCF001"]
"""


def test_new_file_is_read_by_lint_with_the_default(tmp_path: Path) -> None:
    path = tmp_path / "scaffold.toml"
    text, added = complete(None, path=path)
    assert added == ("min-timeout",)
    path.write_text(text, encoding="utf-8")
    assert load_config(tmp_path).min_timeout == 300
    assert text.startswith("# scaffold settings")


def test_existing_file_keeps_comments_values_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "scaffold.toml"
    text, added = complete(USER, path=path)
    assert added == ("min-timeout",)
    for line in USER.splitlines():
        assert line in text.splitlines()
    path.write_text(text, encoding="utf-8")
    settings = load_config(tmp_path)
    assert settings.min_timeout == 300
    assert "SCF003" in settings.ignore
    # the new key went to the top level, not into [per-file-ignores]
    assert text.index("min-timeout") < text.index("[per-file-ignores]")


@pytest.mark.parametrize(
    "text", ["min-timeout = 60\n", "[tool.scaffold]\nmin-timeout = 60  # mine\n"]
)
def test_user_value_is_never_changed(text: str) -> None:
    assert complete(text, path=Path("scaffold.toml")) == (text, ())


def test_tool_scaffold_table_is_completed_in_place() -> None:
    text, added = complete('[tool.scaffold]\nignore = ["SCF003"]\n', path=Path("scaffold.toml"))
    assert added == ("min-timeout",)
    assert text.splitlines()[:3] == ["[tool.scaffold]", 'ignore = ["SCF003"]', text.splitlines()[2]]
    assert text.splitlines()[2].startswith("min-timeout = 300")


def test_crlf_is_kept() -> None:
    text, _ = complete('ignore = ["SCF003"]\r\n', path=Path("scaffold.toml"))
    assert "\n" not in text.replace("\r\n", "")


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("min-timeout = -1\n", ConfigError, "min-timeout"),
        ("bogus = 1\n", ConfigError, "unknown key 'bogus'"),
        ("ignore = [\n", FileFormatError, "invalid TOML"),
    ],
)
def test_bad_file_is_refused_as_lint_would(text: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        complete(text, path=Path("scaffold.toml"))


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"package.json": "{}"}, "scaffold.toml"),  # Node only: create it
        ({"package.json": json.dumps({"scaffold": {"ignore": []}})}, None),  # the user's home
        ({"package.json": json.dumps({"scaffold": {}}), "scaffold.toml": ""}, "scaffold.toml"),
        ({"package.json": "{}", "pyproject.toml": ""}, None),  # [tool.scaffold] flow
        ({}, "scaffold.toml"),
    ],
)
def test_config_file(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    found = config_file(_write(tmp_path, files))
    assert found == (None if expected is None else tmp_path / expected)


def test_config_file_refuses_a_scaffold_key_that_is_not_an_object(tmp_path: Path) -> None:
    root = _write(tmp_path, {"package.json": json.dumps({"scaffold": "yes"})})
    with pytest.raises(ConfigError, match="must be an object"):
        config_file(root)
