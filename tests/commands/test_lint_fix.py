"""`scaffold lint --fix / --diff / --unsafe-fixes / --fix-only / --show-fixes` through the CLI."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffolder.cli import cli

ANSWERS = (
    "_src_path: scaffolder\ntemplate_version: 1\ntimeout: 600\n"
    "module_path: app/claude_stream.py\nmodule_import: app.claude_stream\n"
)
SOURCE = textwrap.dedent(
    """\
    import anthropic

    client = anthropic.Anthropic(timeout=60)
    plain = anthropic.Anthropic()


    def ask(msgs):
        with client.messages.stream(model="m", max_tokens=1, messages=msgs) as stream:
            return stream.get_final_text()


    def summarize(msgs):
        return plain.messages.create(model="m", max_tokens=64000, messages=msgs).content
    """
)
FIXED = textwrap.dedent(
    """\
    import anthropic
    from app.claude_stream import recovering_stream

    client = anthropic.Anthropic(timeout=300)
    plain = anthropic.Anthropic()


    def ask(msgs):
        with recovering_stream(client, model="m", max_tokens=1, messages=msgs) as stream:
            return stream.get_final_text()


    def summarize(msgs):
        return plain.messages.create(model="m", max_tokens=64000, messages=msgs).content
    """
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project that `scaffold init` set up: answers file and vendored module."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "claude_stream.py").write_text("# vendored\n", encoding="utf-8")
    (tmp_path / ".scaffold-answers.yml").write_text(ANSWERS, encoding="utf-8")
    (tmp_path / "app" / "main.py").write_text(SOURCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["lint", "--no-cache", *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def main_py(project: Path) -> str:
    return (project / "app" / "main.py").read_text(encoding="utf-8")


def test_fix_applies_safe_fixes_and_reports_what_is_left(project: Path) -> None:
    code, out, err = lint("--fix", ".")
    assert main_py(project) == FIXED
    assert code == 1  # SCF005's fix is unsafe: the finding stays
    assert "SCF005" in out
    assert "SCF001" not in out
    assert "SCF003" not in out
    assert "unsafe fix available with `--fix --unsafe-fixes`" in out
    assert err == "Fixed 2 errors.\n"


def test_a_second_fix_changes_nothing(project: Path) -> None:
    lint("--fix", ".")
    target = project / "app" / "main.py"
    before = target.stat().st_mtime_ns
    code, _, err = lint("--fix", ".")
    assert (main_py(project), target.stat().st_mtime_ns, err) == (FIXED, before, "")
    assert code == 1


def test_unsafe_fixes_fix_everything_and_exit_0(project: Path) -> None:
    code, out, _ = lint("--fix", "--unsafe-fixes", ".")
    assert code == 0
    assert "All checks passed!" in out
    assert (
        'return recovering_stream(plain, model="m", max_tokens=64000, messages=msgs)'
        ".get_final_message().content" in main_py(project)
    )


def test_diff_prints_the_changes_writes_nothing_and_exits_1(project: Path) -> None:
    code, out, err = lint("--diff", ".")
    assert code == 1
    assert main_py(project) == SOURCE
    assert out.startswith("--- a/app/main.py\n+++ b/app/main.py\n")
    assert (
        "-client = anthropic.Anthropic(timeout=60)\n+client = anthropic.Anthropic(timeout=300)\n"
        in out
    )
    assert "+from app.claude_stream import recovering_stream\n" in out
    assert err == "Would fix 2 errors.\n"


def test_diff_exits_0_when_nothing_would_change(project: Path) -> None:
    (project / "app" / "main.py").write_text(FIXED, encoding="utf-8")
    code, out, _ = lint("--diff", ".")
    assert (code, out) == (0, "")


def test_fix_only_fixes_reports_nothing_and_exits_0(project: Path) -> None:
    code, out, _ = lint("--fix-only", ".")
    assert (code, out) == (0, "")
    assert main_py(project) == FIXED


def test_show_fixes_lists_the_fixes_per_file(project: Path) -> None:
    _, _, err = lint("--fix", "--show-fixes", ".")
    assert err == (
        "Fixed 2 errors:\n"
        "- app/main.py:\n"
        "    1 x SCF001 (unprotected-stream)\n"
        "    1 x SCF003 (short-read-timeout)\n"
    )


def test_without_the_runtime_the_stream_is_not_rewritten_and_the_help_says_init(
    project: Path,
) -> None:
    (project / ".scaffold-answers.yml").unlink()
    code, out, _ = lint("--fix", "--unsafe-fixes", ".")
    assert code == 1
    text = main_py(project)
    assert "client.messages.stream(" in text
    assert "claude_stream" not in text
    assert "timeout=300" in text  # SCF003 needs no runtime
    assert out.count("run `scaffold init`") == 2  # SCF001 and SCF005


def test_a_missing_vendored_module_counts_as_no_runtime(project: Path) -> None:
    (project / "app" / "claude_stream.py").unlink()
    _, out, _ = lint("--fix", ".")
    assert "app/claude_stream.py named in .scaffold-answers.yml is missing" in out
    assert "client.messages.stream(" in main_py(project)


def test_fix_keeps_crlf_and_a_bom(project: Path) -> None:
    source = b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode()
    (project / "app" / "main.py").write_bytes(source)
    lint("--fix", ".")
    assert (project / "app" / "main.py").read_bytes() == b"\xef\xbb\xbf" + FIXED.replace(
        "\n", "\r\n"
    ).encode()


def test_fix_refuses_stdin(project: Path) -> None:
    code, _, err = lint("--fix", "-", stdin=SOURCE)
    assert code == 2
    assert err.startswith("scaffold: error: --fix")


def test_findings_of_other_files_are_still_reported(project: Path) -> None:
    (project / "app" / "other.py").write_text(
        "import anthropic\nanthropic.Anthropic().beta.messages.stream(model='m')\n",
        encoding="utf-8",
    )
    code, out, _ = lint("--fix", ".")
    assert code == 1
    assert "app/other.py:2:1: SCF001" in out


def test_diff_names_files_relative_to_the_working_directory(project: Path) -> None:
    code, out, _ = lint("--diff", str(project / "app" / "main.py"))
    assert code == 1
    assert out.startswith("--- a/app/main.py\n+++ b/app/main.py\n")


def test_typescript_findings_are_reported_and_their_file_left_alone(project: Path) -> None:
    """TS/JS findings have no fixes: `--fix` reports them (it used to crash parsing the file
    as Python)."""
    source = (
        'import Anthropic from "@anthropic-ai/sdk";\n'
        "const client = new Anthropic({ timeout: 1000 });\n"
        'const s = client.messages.stream({ model: "m", max_tokens: 1, messages: [] });\n'
    )
    (project / "app" / "chat.ts").write_text(source, encoding="utf-8")
    code, out, err = lint("--fix", "--unsafe-fixes", ".")
    assert code == 1, err
    assert "app/chat.ts:2:" in out
    assert "app/chat.ts:3:" in out
    assert (project / "app" / "chat.ts").read_text(encoding="utf-8") == source
    assert main_py(project) != SOURCE  # the Python file next to it was fixed


def fix_in_a_fresh_process(project: Path) -> tuple[bool, int]:
    """`scaffold lint --fix` in a new interpreter: (whether it imported libcst, exit code)."""
    code = (
        "import sys\n"
        "from scaffolder.cli import main\n"
        "rc = main(['lint', '--no-cache', '--fix', '.'])\n"
        "print('LIBCST', 'libcst' in sys.modules, rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False
    )
    last = proc.stdout.splitlines()[-1] if proc.stdout else ""
    assert last.startswith("LIBCST "), proc.stdout + proc.stderr
    _, imported, rc = last.split()
    return imported == "True", int(rc)


def test_fix_on_a_tree_without_fixable_findings_never_imports_libcst(project: Path) -> None:
    """`scaffold lint --fix` as a pre-commit hook on clean code costs what a plain lint costs."""
    clean = "import anthropic\n\nclient = anthropic.Anthropic(timeout=600)\n"
    (project / "app" / "main.py").write_text(clean, encoding="utf-8")
    assert fix_in_a_fresh_process(project) == (False, 0)
    # ... and imports it once there is something to fix
    (project / "app" / "main.py").write_text(SOURCE, encoding="utf-8")
    assert fix_in_a_fresh_process(project) == (True, 1)


def test_fixing_only_stream_and_timeout_findings_never_imports_libcst(project: Path) -> None:
    """SCF001 in its safe forms and SCF003 on a literal are text edits (the common fixes on a
    large tree: bench/fix_bench.py); libcst is imported only for a fix that needs its tree."""
    ask_only = SOURCE.split("\n\n\ndef summarize")[0] + "\n"
    (project / "app" / "main.py").write_text(ask_only, encoding="utf-8")
    assert fix_in_a_fresh_process(project) == (False, 0)
    assert main_py(project) == FIXED.split("\n\n\ndef summarize")[0] + "\n"
    # the same file with an SCF005 finding (a tree rewrite) is fixed by the libcst engine
    (project / "app" / "main.py").write_text(SOURCE, encoding="utf-8")
    assert fix_in_a_fresh_process(project) == (True, 1)
    assert main_py(project) == FIXED
