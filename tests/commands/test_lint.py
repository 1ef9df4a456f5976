"""`scaffold lint` end to end through the real CLI: formats, selection, config, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffolder.cli import cli

BAD = textwrap.dedent(
    """\
    import anthropic

    client = anthropic.Anthropic(timeout=60)
    with client.messages.stream(model="m", max_tokens=1, messages=[]) as stream:
        print(stream.get_final_text())
    """
)
GOOD = textwrap.dedent(
    """\
    import anthropic
    from app.claude_stream import recovering_stream

    client = anthropic.Anthropic()
    with recovering_stream(client, model="m", max_tokens=1, messages=[]) as stream:
        print(stream.get_final_text())
    """
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory (no git) with a pyproject.toml, as the working directory."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["lint", *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_findings_are_printed_ruff_style_with_a_fix_hint_and_exit_1(project: Path) -> None:
    (project / "app" / "bad.py").write_text(BAD, encoding="utf-8")
    code, out, _ = lint()
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "app/bad.py:3:38: SCF003 " + lines[0].split(" SCF003 ", 1)[1]
    assert re.match(r"^app/bad\.py:4:6: SCF001 ", lines[2])
    assert "recovering_stream" in lines[3]
    assert "Found 2 errors." in out


def test_a_clean_tree_exits_0(project: Path) -> None:
    (project / "app" / "good.py").write_text(GOOD, encoding="utf-8")
    code, out, _ = lint(".")
    assert (code, out.strip()) == (0, "All checks passed!")


def test_exit_zero_keeps_the_output(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    code, out, _ = lint("--exit-zero", "bad.py")
    assert code == 0
    assert "SCF001" in out


def test_json_format(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    code, out, _ = lint("--format", "json", "bad.py")
    items = json.loads(out)
    assert code == 1
    assert [(i["code"], i["filename"], i["location"]["row"]) for i in items] == [
        ("SCF003", "bad.py", 3),
        ("SCF001", "bad.py", 4),
    ]
    assert items[1]["fix_hint"].startswith("use `recovering_stream")


def test_github_format_is_workflow_annotations(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--format", "github", "bad.py")
    lines = out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(
        r"::error file=bad\.py,line=4,col=6,endLine=4,endColumn=\d+,title=SCF001::SCF001 .+",
        lines[1],
    )


def test_output_file(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    code, out, _ = lint("--format", "json", "--output-file", "out/report.json", "bad.py")
    assert (code, out) == (1, "")
    assert len(json.loads((project / "out" / "report.json").read_text())) == 2


def test_statistics(project: Path) -> None:
    (project / "a.py").write_text(BAD, encoding="utf-8")
    (project / "b.py").write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--statistics", "a.py", "b.py")
    assert out.splitlines()[0].split("\t")[:2] == ["2", "SCF001"]


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["--select", "SCF003"], {"SCF003"}),
        (["--select", "SCF00"], {"SCF001", "SCF003"}),
        (["--ignore", "SCF001"], {"SCF003"}),
        (["--select", "SCF001", "--ignore", "SCF"], {"SCF001"}),  # the more specific wins
        (["--select", "SCF003", "--extend-select", "SCF001"], {"SCF001", "SCF003"}),
    ],
)
def test_selection_options(project: Path, args: list[str], codes: set[str]) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    _, out, _ = lint(*args, "--format", "json", "bad.py")
    assert {item["code"] for item in json.loads(out)} == codes


def test_unknown_code_on_the_command_line_is_a_usage_error(project: Path) -> None:
    code, _, err = lint("--select", "SCF999", ".")
    assert code == 2
    assert "--select" in err
    assert "SCF999" in err


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('select = ["SCF999"]', ["select", "SCF999"]),
        ('ignore = ["E501"]', ["ignore", "E501"]),
        ('per-file-ignores = { "tests/**" = ["XYZ1"] }', ["per-file-ignores", "XYZ1"]),
        ("min-timeout = -5", ["min-timeout", "-5"]),
        ('min-timeout = "300"', ["min-timeout", "300"]),
        ("unknown-key = 1", ["unknown-key"]),
        ('select = "SCF001"', ["select", "SCF001"]),
    ],
)
def test_bad_config_exits_2_naming_key_and_value(
    project: Path, toml: str, named: list[str]
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.scaffold]\n{toml}\n", encoding="utf-8")
    code, out, err = lint(".")
    assert code == 2
    assert out == ""
    assert err.startswith("scaffold: error: ")
    for word in named:
        assert word in err


def test_invalid_toml_is_a_config_error(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.scaffold\n", encoding="utf-8")
    code, _, err = lint(".")
    assert code == 2
    assert "pyproject.toml" in err


def test_config_from_pyproject_applies(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [tool.scaffold]
            min-timeout = 30
            per-file-ignores = { "tests/**" = ["SCF001"] }
            exclude = ["generated"]
            """
        ),
        encoding="utf-8",
    )
    for folder in ("tests", "generated", "app"):
        (project / folder).mkdir(exist_ok=True)
        (project / folder / "x.py").write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--format", "json", ".")
    found = sorted((item["filename"], item["code"]) for item in json.loads(out))
    # timeout=60 is above min-timeout 30; tests/ ignores SCF001; generated/ is excluded.
    assert found == [("app/x.py", "SCF001")]


def test_config_option_points_at_another_file(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    (project / "lint.toml").write_text('select = ["SCF003"]\n', encoding="utf-8")
    _, out, _ = lint("--config", "lint.toml", "--format", "json", "bad.py")
    assert {item["code"] for item in json.loads(out)} == {"SCF003"}


def test_nearest_pyproject_with_a_scaffold_table_wins(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.scaffold]\nselect = ["SCF003"]\n')
    nested = project / "sub"
    nested.mkdir()
    (nested / "pyproject.toml").write_text('[project]\nname = "sub"\n')  # no [tool.scaffold]
    (nested / "bad.py").write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--format", "json", "sub")
    assert {item["code"] for item in json.loads(out)} == {"SCF003"}


def test_stdin_with_a_filename(project: Path) -> None:
    code, out, _ = lint("--stdin-filename", "app/streaming.py", stdin=BAD)
    assert code == 1
    assert out.startswith("app/streaming.py:3:38: SCF003")


def test_stdin_dash(project: Path) -> None:
    code, out, _ = lint("-", "--format", "json", stdin=BAD)
    assert code == 1
    assert {item["filename"] for item in json.loads(out)} == {"-"}


def test_stdin_filename_respects_per_file_ignores(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.scaffold]\nper-file-ignores = { "tests/*.py" = ["SCF"] }\n', encoding="utf-8"
    )
    code, _, _ = lint("--stdin-filename", "tests/test_x.py", stdin=BAD)
    assert code == 0


def test_stdin_filename_of_a_new_file_uses_its_directory_config(project: Path) -> None:
    # An editor linting an unsaved file of a sub-project: that sub-project's settings apply.
    (project / "service").mkdir()
    (project / "service" / "pyproject.toml").write_text(
        '[tool.scaffold]\nignore = ["SCF001", "SCF003"]\n', encoding="utf-8"
    )
    assert lint("--stdin-filename", "service/new_module.py", stdin=BAD)[0] == 0
    assert lint("--stdin-filename", "new_module.py", stdin=BAD)[0] == 1


def test_missing_path_is_a_usage_error(project: Path) -> None:
    code, _, err = lint("no/such/dir")
    assert code == 2
    assert "no/such/dir" in err


def test_a_file_that_does_not_parse_is_reported_and_the_run_goes_on(project: Path) -> None:
    (project / "a_broken.py").write_text("import anthropic\ndef f(:\n", encoding="utf-8")
    (project / "b_bad.py").write_text(BAD, encoding="utf-8")
    code, out, _ = lint("--format", "json", ".")
    found = sorted((item["filename"], item["code"]) for item in json.loads(out))
    assert code == 1
    assert found == [("a_broken.py", "SCF900"), ("b_bad.py", "SCF001"), ("b_bad.py", "SCF003")]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_gitignore_is_respected_in_a_git_repository(project: Path) -> None:
    git(project, "init", "-q")
    (project / ".gitignore").write_text("ignored_dir/\nignored.py\n", encoding="utf-8")
    for name in ("ignored_dir/x.py", "ignored.py", "app/untracked.py", ".venv/lib/x.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--format", "json", "--select", "SCF001")
    assert {item["filename"] for item in json.loads(out)} == {"app/untracked.py"}


def test_default_excludes_apply_outside_git(project: Path) -> None:
    for name in ("node_modules/x.py", ".venv/x.py", "build/x.py", "app/x.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--format", "json", "--select", "SCF001")
    assert {item["filename"] for item in json.loads(out)} == {"app/x.py"}


def test_force_exclude_applies_excludes_to_named_files(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.scaffold]\nexclude = ["vendor"]\n')
    (project / "vendor").mkdir()
    (project / "vendor" / "x.py").write_text(BAD, encoding="utf-8")
    assert lint("vendor/x.py")[0] == 1
    assert lint("--force-exclude", "vendor/x.py")[0] == 0


def test_force_exclude_looks_below_the_project_root_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A project that itself lives in a directory called `build` is not excluded.
    root = tmp_path / "build" / "proj"
    (root / "app" / "gen").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.scaffold]\nexclude = ["app/gen/*.py"]\n')
    (root / "app" / "x.py").write_text(BAD, encoding="utf-8")
    (root / "app" / "gen" / "x.py").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert lint("--force-exclude", str(root / "app" / "x.py"))[0] == 1
    assert lint("--force-exclude", "build/proj/app/x.py")[0] == 1
    assert lint("--force-exclude", str(root / "app" / "gen" / "x.py"))[0] == 0


def test_cache_directory_is_tagged_and_reused(project: Path) -> None:
    bad = project / "app" / "bad.py"
    bad.write_text(GOOD, encoding="utf-8")
    assert lint(".")[0] == 0
    cache = project / ".scaffold_cache"
    assert (
        (cache / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert lint(".")[0] == 0
    # A changed file is analysed again, even with the same size and mtime resolution.
    bad.write_text(BAD, encoding="utf-8")
    os.utime(bad, ns=(1, 1))
    assert lint(".")[0] == 1


def test_cache_keeps_findings_and_selection_applies_after_it(project: Path) -> None:
    (project / "app" / "bad.py").write_text(BAD, encoding="utf-8")
    assert lint(".")[0] == 1
    assert lint(".")[0] == 1  # from the cache
    _, out, _ = lint("--select", "SCF003", "--format", "json", ".")
    assert {item["code"] for item in json.loads(out)} == {"SCF003"}


def test_no_cache_writes_nothing(project: Path) -> None:
    (project / "app" / "bad.py").write_text(BAD, encoding="utf-8")
    assert lint("--no-cache", ".")[0] == 1
    assert not (project / ".scaffold_cache").exists()


def test_lint_imports_no_heavy_module(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    (project / "good.py").write_text(GOOD, encoding="utf-8")
    code = (
        "import sys\n"
        "from scaffolder.cli import main\n"
        "rc = main(['lint', '--no-cache', '--format', 'sarif', '.'])\n"
        "heavy = ['copier', 'anthropic', 'libcst', 'httpx', 'httpx2', 'jinja2', 'yaml']\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules], rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False
    )
    assert proc.stdout.splitlines()[-1] == "HEAVY [] 1", proc.stderr


def test_rules_lists_every_rule() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0
    for code in ("SCF001", "SCF002", "SCF003", "SCF004", "SCF005", "SCF900", "SCF901"):
        assert code in result.stdout


def test_rules_explains_one_rule() -> None:
    result = CliRunner().invoke(cli, ["rules", "scf004"])
    assert result.exit_code == 0
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in result.stdout


def test_rules_unknown_code_exits_2() -> None:
    result = CliRunner().invoke(cli, ["rules", "SCF123"])
    assert result.exit_code == 2
    assert "SCF123" in result.stderr


def test_a_cached_run_does_not_load_the_rule_engine(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    code = (
        "import sys\n"
        "from scaffolder.cli import main\n"
        "rc = main(['lint', 'bad.py'])\n"
        "print('ENGINE', 'scaffolder.lint.engine' in sys.modules, rc)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False
        ).stdout.splitlines()[-1]
        for _ in range(2)
    ]
    assert runs == ["ENGINE True 1", "ENGINE False 1"]


def test_sarif_from_the_cli_is_valid(project: Path) -> None:
    import jsonschema

    schema_file = Path(__file__).parents[1] / "lint" / "sarif-schema-2.1.0.json"
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    _, out, _ = lint("--format", "sarif", "bad.py")
    document = json.loads(out)
    jsonschema.Draft4Validator(json.loads(schema_file.read_text("utf-8"))).validate(document)
    assert [r["ruleId"] for r in document["runs"][0]["results"]] == ["SCF003", "SCF001"]


def test_an_unwritable_cache_is_not_an_error(project: Path) -> None:
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    (project / "not-a-dir").write_text("", encoding="utf-8")
    code, out, err = lint("--cache-dir", "not-a-dir/cache", "bad.py")
    assert (code, err) == (1, "")
    assert "SCF001" in out
