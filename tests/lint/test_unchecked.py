"""Files `scaffold lint` cannot check are never silently passed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scaffolder.cli import main

GO_STREAM = (
    "package main\n\n"
    'import "github.com/anthropics/anthropic-sdk-go"\n\n'
    "func main() { client := anthropic.NewClient(); _ = client }\n"
)
TS_STREAM = (
    'import Anthropic from "@anthropic-ai/sdk";\n'
    "const client = new Anthropic();\n"
    'const stream = client.messages.stream({ model: "m", max_tokens: 9, messages: [] });\n'
)
PY_STREAM = (
    "import anthropic\n\nclient = anthropic.Anthropic()\n"
    "with client.messages.stream(model='m', max_tokens=9, messages=[]) as s:\n"
    "    print(s.get_final_text())\n"
)


@pytest.fixture
def go_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Go project that streams from Claude, and a Go file that does not."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.go").write_text(GO_STREAM)
    (tmp_path / "src" / "util.go").write_text(
        "package main\n\nfunc add(a, b int) int { return a + b }\n"
    )
    (tmp_path / "node_modules" / "anthropic").mkdir(parents=True)
    (tmp_path / "node_modules" / "anthropic" / "client.go").write_text("// anthropic\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    code = main(["lint", "--no-cache", *args])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def test_a_tree_without_python_says_so_and_counts_sdk_files_not_checked(
    go_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = lint(capsys)
    assert code == 0
    assert out == "All checks passed!\n"
    assert err == [
        "scaffold: warning: 1 file (.go: 1) mentions an Anthropic SDK and was not checked: it is "
        "in a language scaffold lint does not check yet (it checks Python, TypeScript and "
        "JavaScript)",
        "scaffold: warning: No Python, TypeScript or JavaScript files found under the given "
        "path(s)",
    ]


def test_a_file_of_another_language_named_explicitly_gets_a_note_not_scf900(
    go_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = lint(capsys, "src/main.go")
    assert code == 0
    assert "SCF900" not in out
    assert err == [
        "scaffold: note: src/main.go: not checked: scaffold lint checks Python, TypeScript and "
        "JavaScript files (.py, .pyi, .pyw, .ts, .mts, .cts, .tsx, .js, .jsx, .mjs, .cjs) "
        "only, so far"
    ]


def test_python_findings_and_the_count_of_unchecked_files_together(
    go_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (go_repo / "app.py").write_text(PY_STREAM)
    (go_repo / "src" / "Chat.java").write_text("import com.anthropic.client.AnthropicClient;\n")
    code, out, err = lint(capsys, "--format", "json")
    assert code == 1
    assert [d["code"] for d in json.loads(out)] == ["SCF001"]  # stdout stays valid JSON
    assert err == [
        "scaffold: warning: 2 files (.go: 1, .java: 1) mention an Anthropic SDK and were not "
        "checked: they are in languages scaffold lint does not check yet (it checks Python, "
        "TypeScript and JavaScript)"
    ]


def test_typescript_is_checked_not_counted(
    go_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (go_repo / "src" / "index.ts").write_text(TS_STREAM)
    code, out, err = lint(capsys, "src/index.ts")
    assert code == 1
    assert "src/index.ts:3:" in out
    assert "SCF001" in out
    assert err == []


def test_a_script_without_a_suffix_named_explicitly_is_still_python(
    go_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pre-commit passes `#!/usr/bin/env python` scripts to the hook by their shebang.
    (go_repo / "chat").write_text("#!/usr/bin/env python3\n" + PY_STREAM)
    code, out, err = lint(capsys, "chat")
    assert code == 1
    assert "chat:5:6: SCF001" in out
    assert err == []
