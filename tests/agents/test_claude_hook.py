"""`scaffold lint --claude-hook`, driven through the real CLI with Claude Code hook events."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffolder.cli import main
from scaffolder.lint.claude_hook import _Event, _text_before_edit

from .conftest import Replay

BARE = "client.messages.stream("
PROTECTED = "recovering_stream(\n        client,"


def run_hook(
    stdin: bytes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """`scaffold lint --claude-hook` through `scaffolder.cli.main`, `stdin` on standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(["lint", "--claude-hook"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def scaffold_executable() -> list[str]:
    script = Path(sys.executable).with_name("scaffold")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scaffolder"]


# --- one recorded event per tool ------------------------------------------------------------

EXPECTED = {
    # event -> (edited file, {code: text on the line the finding points at})
    "edit": ("chat_app/essay.py", {"SCF001": "with client.messages.stream("}),
    "write": ("chat_app/translate.py", {"SCF001": "with client.messages.stream("}),
    # Recorded from the real Claude Code by tests/agents/test_real_claude_code.py.
    "claude-code-write": ("chat_app/summarize.py", {"SCF001": "with client.messages.stream("}),
    "multiedit": (
        "chat_app/essay.py",
        {
            "SCF002": "response = quick.messages.create(",
            "SCF003": "anthropic.Anthropic(timeout=30)",
        },
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_event_blocks_with_findings_and_the_fix(
    name: str, replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rel, findings = EXPECTED[name]
    code, out, err = run_hook(replay.apply(replay.event(name)), capsys, monkeypatch)

    assert (code, out) == (2, "")
    for rule, needle in findings.items():
        assert f"{rel}:{replay.line_of(rel, needle)}:" in err
        assert f" {rule} " in err
    # The fix names the function to call and the project's real import path.
    imports = "make_client, recovering_stream, stream_with_recovery"
    wanted = imports if name == "multiedit" else "recovering_stream"
    assert f"    from chat_app.claude_stream import {wanted}\n" in err
    assert "(chat_app/claude_stream.py)" in err
    assert "predate this edit" not in err  # the file was clean before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_event_through_the_installed_command(name: str, replay: Replay) -> None:
    stdin = replay.apply(replay.event(name))
    proc = subprocess.run(
        [*scaffold_executable(), "lint", "--claude-hook"],
        input=stdin,
        capture_output=True,
        cwd=replay.project,
        env={**os.environ, "CLAUDE_PROJECT_DIR": str(replay.project)},
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == b""
    rel, findings = EXPECTED[name]
    stderr = proc.stderr.decode("utf-8")
    assert all(f" {rule} " in stderr for rule in findings)
    assert stderr.startswith("scaffold lint: this edit added ")
    assert f"{rel}:" in stderr


def test_recorded_clean_edit_from_claude_code_passes_silently(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real Claude Code's Edit that turns the bare stream into a protected one."""
    event = replay.event("claude-code-edit")
    assert BARE in event["tool_response"]["originalFile"]
    assert (run_hook(replay.apply(event), capsys, monkeypatch)) == (0, "", "")
    assert PROTECTED in (replay.project / "chat_app" / "summarize.py").read_text()


@pytest.mark.parametrize("name", ["edit", "multiedit"])
def test_without_tool_response_the_edit_is_undone_from_tool_input(
    name: str, replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Older Claude Code releases send no original file; the edits themselves are enough."""
    event = replay.event(name)
    stdin = replay.apply(event)
    # Make the file already hold an unrelated bare stream: it must count as old, not new.
    essay = replay.project / "chat_app" / "essay.py"
    essay.write_text(
        essay.read_text(encoding="utf-8")
        + "\n\ndef legacy():\n    with client.messages.stream(model='m', max_tokens=9, "
        "messages=[]) as s:\n        return s.get_final_text()\n",
        encoding="utf-8",
    )
    stripped = json.loads(stdin)
    del stripped["tool_response"]
    code, _, err = run_hook(json.dumps(stripped).encode(), capsys, monkeypatch)
    assert code == 2
    assert f"essay.py:{replay.line_of('chat_app/essay.py', 'def legacy') + 1}:" not in err
    assert "1 older finding in this file predates this edit" in err


# --- the loop: blocked, fixed, quiet ---------------------------------------------------------


def test_the_agent_fixes_the_call_and_the_next_edit_passes(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, _ = run_hook(replay.apply(replay.event("edit")), capsys, monkeypatch)
    assert code == 2
    fix = replay.edit(
        "chat_app/essay.py",
        '    with client.messages.stream(\n        model="claude-sonnet-4-5",\n'
        "        max_tokens=4096,",
        '    with recovering_stream(\n        client,\n        model="claude-sonnet-4-5",\n'
        "        max_tokens=4096,",
    )
    assert run_hook(fix, capsys, monkeypatch) == (0, "", "")


def test_the_fix_for_an_async_stream_is_the_async_api(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "import anthropic\n\naclient = anthropic.AsyncAnthropic()\n\n\n"
        "async def essay(msgs):\n"
        "    async with aclient.messages.stream(model='m', max_tokens=9, messages=msgs) as s:\n"
        "        return await s.get_final_text()\n"
    )
    rel = "chat_app/essay_async.py"
    event = replay.event("write")
    event["tool_input"] = {"file_path": str(replay.project / rel), "content": source}
    event["tool_response"] = {"type": "create", "filePath": str(replay.project / rel)}
    code, _, err = run_hook(replay.apply(event), capsys, monkeypatch)
    assert code == 2
    assert "fix: use `async with async_recovering_stream(client, **params)`" in err
    assert "    from chat_app.claude_stream import async_recovering_stream\n" in err


def test_edits_near_old_findings_do_not_block(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that already had a bare stream: the agent's unrelated edit is not held up."""
    legacy = replay.project / "chat_app" / "legacy.py"
    for with_response in (True, False):
        legacy.write_text(
            "import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef ask(q):\n"
            "    with client.messages.stream(model='m', max_tokens=99, messages=[q]) as s:\n"
            "        return s.get_final_text()\n",
            encoding="utf-8",
        )
        stdin = replay.edit(
            "chat_app/legacy.py", "def ask(q):", "def ask(q: str):", with_response=with_response
        )
        assert run_hook(stdin, capsys, monkeypatch) == (0, "", "")


# --- silent when out of scope ----------------------------------------------------------------


def test_out_of_scope_files_and_tools_are_silent(
    replay: Replay,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bare = (
        "import anthropic\n"
        "anthropic.Anthropic().messages.stream(model='m', max_tokens=1, messages=[])\n"
    )
    outside = tmp_path / "elsewhere.py"
    outside.write_text(bare, encoding="utf-8")
    (replay.project / "scripts").mkdir()
    for rel in ("notes.md", "scripts/try_it.py"):
        (replay.project / rel).write_text(bare, encoding="utf-8")

    for target in (replay.project / "notes.md", replay.project / "scripts/try_it.py", outside):
        event = replay.event("write")
        event["tool_input"] = {"file_path": str(target), "content": bare}
        event["tool_response"] = {"type": "create", "filePath": str(target), "content": bare}
        assert run_hook(json.dumps(event).encode(), capsys, monkeypatch) == (0, "", ""), target

    bash = replay.event("edit", tool_name="Bash", tool_input={"command": "ls"}, tool_response={})
    assert run_hook(json.dumps(bash).encode(), capsys, monkeypatch) == (0, "", "")


def test_relative_file_path_is_resolved_against_the_session_cwd(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = replay.event("write")
    replay.apply(event)
    event["tool_input"]["file_path"] = "chat_app/translate.py"
    monkeypatch.chdir("/")
    code, _, err = run_hook(json.dumps(event).encode(), capsys, monkeypatch)
    assert code == 2
    assert "chat_app/translate.py:" in err


# --- never blocks on its own errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("stdin", "says"),
    [
        (b"", "not JSON"),
        (b"{'tool_name': 'Edit'", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"hook_event_name": "PreToolUse", "tool_name": "Edit"}', "PostToolUse"),
        (b'{"tool_name": "Edit", "tool_input": {}}', "file_path"),
    ],
)
def test_unusable_input_warns_and_lets_the_agent_go_on(
    stdin: bytes,
    says: str,
    replay: Replay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run_hook(stdin, capsys, monkeypatch)
    assert (code, out) == (0, "")
    assert err.startswith("scaffold: warning: ")
    assert says in err


def test_broken_config_warns_and_exits_zero(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (replay.project / "pyproject.toml").write_text(
        '[tool.scaffold]\nmin-timeout = "soon"\n', encoding="utf-8"
    )
    code, out, err = run_hook(replay.apply(replay.event("edit")), capsys, monkeypatch)
    assert (code, out) == (0, "")
    assert err.startswith("scaffold: warning: ")
    assert "min-timeout" in err
    assert "did not check this edit" in err


def test_without_scaffold_init_the_fix_says_to_run_it(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (replay.project / ".scaffold-answers.yml").unlink()
    code, _, err = run_hook(replay.apply(replay.event("write")), capsys, monkeypatch)
    assert code == 2
    assert "run `scaffold init`" in err


def test_paths_and_claude_hook_together_are_a_usage_error(replay: Replay) -> None:
    assert main(["lint", "--claude-hook", "chat_app"]) == 2


def _heavy_modules_after_hook(stdin: bytes) -> str:
    probe = (
        "import sys\n"
        "from scaffolder.cli import main\n"
        "code = main(['lint', '--claude-hook'])\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = sorted(loaded & {'copier', 'anthropic', 'libcst', 'yaml'})\n"
        "print(code, heavy, file=sys.stdout)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], input=stdin, capture_output=True, check=False
    )
    return proc.stdout.decode().strip() or proc.stderr.decode()


def test_hook_path_imports_no_copier_anthropic_libcst_or_yaml(replay: Replay) -> None:
    """A passing edit (most edits) loads nothing heavy."""
    replay.apply(replay.event("edit"))
    fix = replay.edit(
        "chat_app/essay.py",
        '    with client.messages.stream(\n        model="claude-sonnet-4-5",\n',
        '    with recovering_stream(\n        client,\n        model="claude-sonnet-4-5",\n',
    )
    assert _heavy_modules_after_hook(fix) == "0 []"


def test_a_blocking_hook_computes_the_exact_stream_fix_without_libcst(replay: Replay) -> None:
    """The exact fix for an unprotected `with client.messages.stream(...)` is a text edit
    (scaffolder/lint/fix/_text.py): blocking loads nothing heavy either."""
    assert _heavy_modules_after_hook(replay.apply(replay.event("edit"))) == "2 []"


def test_the_feedback_holds_the_exact_replacement_lines(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_hook(replay.apply(replay.event("edit")), capsys, monkeypatch)
    assert code == 2
    essay = replay.project / "chat_app" / "essay.py"
    line = replay.line_of("chat_app/essay.py", BARE)
    old = essay.read_text(encoding="utf-8").splitlines()[line - 1]
    assert f"Replace line {line} of chat_app/essay.py:\n```python\n{old}\n```\nwith:\n" in err
    assert "```python\n    with recovering_stream(\n        client,\n" in err
    # Applying exactly that block (the file already imports the function) fixes the call.
    fixed = replay.edit(
        "chat_app/essay.py", old + "\n", "    with recovering_stream(\n        client,\n"
    )
    assert run_hook(fixed, capsys, monkeypatch) == (0, "", "")


def test_the_exact_replacement_adds_the_missing_import(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_hook(replay.apply(replay.event("write")), capsys, monkeypatch)
    assert code == 2
    assert (
        "After line 5 of chat_app/translate.py, insert:\n"
        "```python\nfrom chat_app.claude_stream import recovering_stream\n```\n"
    ) in err


@pytest.mark.parametrize(
    "line",
    [
        "module_import: chat_app.claude_stream",
        "module_import: 'chat_app.claude_stream'  # quoted by hand",
        'module_import: "chat_app.claude_stream"',
        "module_import: >-\n  chat_app.claude_stream",  # YAML the line reader leaves to PyYAML
    ],
)
def test_the_import_path_is_read_from_the_answers_file(
    line: str,
    replay: Replay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = replay.project / ".scaffold-answers.yml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(text.replace("module_import: chat_app.claude_stream", line))
    _, _, err = run_hook(replay.apply(replay.event("write")), capsys, monkeypatch)
    assert "    from chat_app.claude_stream import recovering_stream\n" in err


@pytest.mark.parametrize("with_response", [True, False])
def test_old_findings_that_move_down_stay_old(
    with_response: bool,
    replay: Replay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    legacy = replay.project / "chat_app" / "legacy.py"
    legacy.write_text(
        "import anthropic\n\x0c\nclient = anthropic.Anthropic(timeout=30)\n\n\ndef ask(q):\n"
        "    with client.messages.stream(model='m', max_tokens=99, messages=[q]) as s:\n"
        "        return s.get_final_text()\n",
        encoding="utf-8",
    )
    stdin = replay.edit(
        "chat_app/legacy.py",
        "import anthropic\n",
        "import logging\n\nimport anthropic\n\nlog = logging.getLogger(__name__)\n",
        with_response=with_response,
    )
    assert run_hook(stdin, capsys, monkeypatch) == (0, "", "")


@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    spans=st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 8), st.text(max_size=8)), max_size=3
    ),
)
def test_undoing_an_edit_from_tool_input_gives_the_original_or_nothing(
    text: str, spans: list[tuple[int, int, str]]
) -> None:
    """Without `originalFile`, swapping each new_string back must never invent a wrong text."""
    edits, current = [], text
    for start, length, replacement in spans:
        start = min(start, len(current))
        old = current[start : start + length]
        if not old or current.count(old) != 1:
            continue  # Claude Code's Edit refuses an old_string that is absent or ambiguous
        edits.append({"old_string": old, "new_string": replacement})
        current = current.replace(old, replacement, 1)
    event = _Event("MultiEdit", Path("f.py"), Path("."), {"edits": edits}, {})
    before = _text_before_edit(event, current.encode("utf-8"))
    assert before in (text, None)
    if not edits:
        assert before == text


# --- TypeScript and JavaScript edits -----------------------------------------------------------

TS_BARE = (
    'import Anthropic from "@anthropic-ai/sdk";\n'
    "const client = new Anthropic();\n"
    "export const answer = () =>\n"
    '  client.messages.stream({ model: "m", max_tokens: 1, messages: [] });\n'
)


@pytest.mark.parametrize("name", ["app/chat.ts", "app/route.js", "app/page.tsx"])
def test_a_typescript_edit_is_linted_too(
    name: str, replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = replay.project / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(TS_BARE, encoding="utf-8")
    event = replay.event("write")
    event["tool_input"] = {"file_path": str(target), "content": TS_BARE}
    event["tool_response"] = {"type": "create", "filePath": str(target), "content": TS_BARE}
    code, out, err = run_hook(json.dumps(event).encode(), capsys, monkeypatch)
    assert (code, out) == (2, "")
    assert f"{name}:4:3: SCF001 " in err
    assert "import { recoveringStream } from it" in err
    assert "`// noqa: <code>`" in err

    fixed = TS_BARE.replace("// noqa", "").rstrip("\n") + " // noqa: SCF001\n"
    target.write_text(fixed, encoding="utf-8")
    event["tool_input"] = {"file_path": str(target), "content": fixed}
    event["tool_response"] = {"type": "update", "filePath": str(target), "content": fixed}
    assert run_hook(json.dumps(event).encode(), capsys, monkeypatch) == (0, "", "")


JS_CLEAN = (
    '{load}\nconst client = new Anthropic();\nasync function answer() {{\n  return "later";\n}}\n'
)
JS_LOADS = {
    ".mjs": 'import Anthropic from "@anthropic-ai/sdk";',
    ".cjs": 'const Anthropic = require("@anthropic-ai/sdk");',
    ".ts": 'import Anthropic from "@anthropic-ai/sdk";',
}


@pytest.mark.parametrize("suffix", sorted(JS_LOADS))
def test_a_recorded_claude_code_edit_of_a_node_file_is_linted(
    suffix: str,
    replay: Replay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The recorded Claude Code Edit payload, moved to a .mjs/.cjs/.ts file: a new bare
    stream blocks with the finding and the fix; an edit elsewhere in the file then passes."""
    name = f"app/chat{suffix}"
    before = JS_CLEAN.format(load=JS_LOADS[suffix])
    old = '  return "later";\n'
    new = '  return client.messages.stream({ model: "m", max_tokens: 1, messages: [] });\n'
    target = str(replay.project / name)
    event = replay.event("claude-code-edit")
    event["tool_input"] = {
        "file_path": target,
        "old_string": old,
        "new_string": new,
        "replace_all": False,
    }
    event["tool_response"] = {
        **event["tool_response"],
        "filePath": target,
        "oldString": old,
        "newString": new,
        "originalFile": before,
        "structuredPatch": [],
    }
    code, out, err = run_hook(replay.apply(event), capsys, monkeypatch)
    assert (code, out) == (2, "")
    assert f"{name}:4:10: SCF001 " in err
    assert "recoveringStream" in err

    # the next edit touches other lines: the call it did not write does not block it
    after = before.replace(old, new)
    event["tool_input"] = {
        **event["tool_input"],
        "old_string": "async",
        "new_string": "export async",
    }
    event["tool_response"] = {
        **event["tool_response"],
        "oldString": "async",
        "newString": "export async",
        "originalFile": after,
    }
    if suffix == ".cjs":  # `export` is not CommonJS: rename the function instead
        event["tool_input"].update(old_string="answer()", new_string="reply()")
        event["tool_response"].update(oldString="answer()", newString="reply()")
    assert run_hook(replay.apply(event), capsys, monkeypatch) == (0, "", "")
