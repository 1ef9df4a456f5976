"""`scaffold lint --claude-hook` fed Codex CLI's and Gemini CLI's after-tool events.

The payloads follow each CLI's documented shape (docs/agents.md cites the sources): Gemini's
`AfterTool` with `write_file` / `replace`, Codex's `PostToolUse` with `apply_patch` and the raw
patch in `tool_input.command`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scaffolder.lint._agent_events import restate

from .conftest import Replay
from .test_claude_hook import run_hook

BARE = (
    "import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef essay(prompt: str) -> str:\n"
    "    with client.messages.stream(model='m', max_tokens=8000, messages=[]) as stream:\n"
    "        return stream.get_final_text()\n"
)
CLEAN = (
    "import anthropic\n\nfrom chat_app.claude_stream import recovering_stream\n\n"
    "client = anthropic.Anthropic()\n\n\ndef essay(prompt: str) -> str:\n"
    "    with recovering_stream(client, model='m', max_tokens=8000, messages=[]) as stream:\n"
    "        return stream.get_final_text()\n"
)


def gemini(project: Path, tool: str, tool_input: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "session_id": "9c1f0d5e",
            "transcript_path": "/home/dev/.gemini/tmp/chat-app/chats/session.json",
            "cwd": str(project),
            "hook_event_name": "AfterTool",
            "timestamp": "2026-12-03T08:00:00.000Z",
            "tool_name": tool,
            "tool_input": tool_input,
            "tool_response": {"llmContent": "Successfully modified file.", "returnDisplay": ""},
        }
    ).encode()


def codex(project: Path, patch: str) -> bytes:
    return json.dumps(
        {
            "session_id": "019a-codex",
            "turn_id": "1",
            "transcript_path": None,
            "cwd": str(project),
            "hook_event_name": "PostToolUse",
            "model": "gpt-5-codex",
            "permission_mode": "default",
            "tool_name": "apply_patch",
            "tool_input": {"command": patch},
            "tool_response": "Success. Updated the following files:\nM chat_app/essay.py\n",
            "tool_use_id": "call_1",
        }
    ).encode()


@pytest.fixture
def hook(
    replay: Replay, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Any:
    monkeypatch.delenv("CLAUDE_PROJECT_DIR")
    return lambda stdin: run_hook(stdin, capsys, monkeypatch)


def test_gemini_write_file_with_a_bare_stream_blocks(replay: Replay, hook: Any) -> None:
    path = replay.project / "chat_app" / "essay.py"
    path.write_text(BARE)
    code, out, err = hook(
        gemini(replay.project, "write_file", {"file_path": str(path), "content": BARE})
    )
    assert (code, out) == (2, "")
    assert "chat_app/essay.py:7:10: SCF001" in err
    assert "from chat_app.claude_stream import recovering_stream" in err


def test_gemini_replace_that_protects_the_call_passes_silently(replay: Replay, hook: Any) -> None:
    path = replay.project / "chat_app" / "essay.py"
    path.write_text(CLEAN)
    event = gemini(
        replay.project, "replace", {"file_path": str(path), "old_string": BARE, "new_string": CLEAN}
    )
    assert hook(event) == (0, "", "")


def test_gemini_replace_elsewhere_does_not_block_on_an_old_finding(
    replay: Replay, hook: Any
) -> None:
    path = replay.project / "chat_app" / "essay.py"
    path.write_text(BARE + "\n\nVERSION = 2\n")
    event = gemini(
        replay.project,
        "replace",
        {"file_path": str(path), "old_string": "VERSION = 1\n", "new_string": "VERSION = 2\n"},
    )
    assert hook(event) == (0, "", "")


def test_gemini_other_tools_are_ignored(replay: Replay, hook: Any) -> None:
    event = gemini(replay.project, "run_shell_command", {"command": "ls"})
    assert hook(event) == (0, "", "")


PATCH = """\
*** Begin Patch
*** Add File: chat_app/summarize.py
+import anthropic
+
+client = anthropic.Anthropic()
+with client.messages.stream(model="m", max_tokens=9, messages=[]) as s:
+    print(s.get_final_text())
*** Update File: chat_app/essay.py
@@ def essay(prompt: str) -> str:
     with client.messages.stream(model='m', max_tokens=8000, messages=[]) as stream:
-        return stream.get_final_text()
+        return stream.get_final_text().strip()
*** Delete File: chat_app/old.py
*** End Patch
"""


def test_codex_patch_lints_each_file_it_adds_or_updates(replay: Replay, hook: Any) -> None:
    (replay.project / "chat_app" / "summarize.py").write_text(
        "".join(line[1:] + "\n" for line in PATCH.splitlines()[2:7])
    )
    # essay.py already had its bare stream; the patch only changed the line after it.
    (replay.project / "chat_app" / "essay.py").write_text(
        BARE.replace("get_final_text()", "get_final_text().strip()")
    )
    code, out, err = hook(codex(replay.project, PATCH))
    assert (code, out) == (2, "")
    assert "this edit added 1 problem to chat_app/summarize.py" in err
    assert "chat_app/summarize.py:4:6: SCF001" in err
    # essay.py's finding predates the patch (the hunk is undone to see the file before it).
    assert "essay.py" not in err


def test_codex_patch_that_fixes_a_call_passes_silently(replay: Replay, hook: Any) -> None:
    (replay.project / "chat_app" / "essay.py").write_text(CLEAN)
    patch = (
        "*** Begin Patch\n*** Update File: chat_app/essay.py\n@@\n import anthropic\n"
        "+\n+from chat_app.claude_stream import recovering_stream\n \n"
        " client = anthropic.Anthropic()\n"
        "@@ def essay(prompt: str) -> str:\n"
        "-    with client.messages.stream(model='m', max_tokens=8000, messages=[]) as stream:\n"
        "+    with recovering_stream(client, model='m', max_tokens=8000, messages=[]) as stream:\n"
        "*** End Patch\n"
    )
    assert hook(codex(replay.project, patch)) == (0, "", "")


def test_a_moved_file_is_linted_at_its_new_path() -> None:
    patch = (
        "*** Begin Patch\n*** Update File: a.py\n*** Move to: b.py\n@@\n-x = 1\n+x = 2\n"
        "*** End Patch\n"
    )
    (event,) = restate({"hook_event_name": "PostToolUse", "tool_name": "apply_patch",
                        "tool_input": {"command": ["apply_patch", patch]}})  # fmt: skip
    assert event["tool_name"] == "MultiEdit"
    assert event["tool_input"] == {
        "file_path": "b.py",
        "edits": [{"old_string": "x = 1\n", "new_string": "x = 2\n"}],
    }
