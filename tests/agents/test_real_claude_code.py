"""The hook `scaffold init` writes, run by the real Claude Code against the fake Messages API.

`claude -p` (headless) talks to `scaffolder.testing.FakeAnthropic`, whose `ScriptedModel`
plays the model: turn 1 Writes a module with a bare `client.messages.stream(...)`, turn 2 Edits
it into a protected call, turn 3 says it is done. Claude Code runs the PostToolUse hooks of the
repository for real: the one `scaffold init` put in `.claude/settings.json`, and a recorder in
`.claude/settings.local.json` that keeps each payload. The fake's request log shows what
Claude Code sent back to the model after each tool.

Set SCAFFOLDER_RECORD_PAYLOADS=1 to rewrite payloads/claude-code-*.json from this run (after
bumping CLAUDE_CODE_VERSION, say).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scaffolder import __version__
from scaffolder.testing import FakeAnthropic, ScriptedModel, Turn
from tests.init.repos import FLAT, make_repo
from tests.uvx_shim import install_uvx_shim, requested

from .claude_code import ProxyTrap, offline_env
from .conftest import PAYLOADS, RECORDED_PROJECT

pytestmark = pytest.mark.slow

MODULE = "chat_app/summarize.py"
PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / "claude-scaffold"
BARE = """\
import anthropic

client = anthropic.Anthropic()


def summarize(text: str) -> str:
    with client.messages.stream(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": text}],
    ) as stream:
        return stream.get_final_text()
"""
CLEAN = BARE.replace(
    "import anthropic\n",
    "import anthropic\n\nfrom chat_app.claude_stream import recovering_stream\n",
).replace("    with client.messages.stream(\n", "    with recovering_stream(\n        client,\n")

# Keeps each hook payload as a file (the recorder is a hook command of its own, next to ours).
RECORDER = """\
import pathlib, sys, time
directory = pathlib.Path(sys.argv[1])
directory.mkdir(exist_ok=True)
(directory / f"{time.time_ns()}.json").write_bytes(sys.stdin.buffer.read())
"""


@pytest.fixture
def api() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        yield fake


def scaffold_bin() -> str:
    return str(Path(sys.executable).parent)


def recorded_payloads(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]


def user_turn(request_body: dict[str, Any]) -> str:
    """The text of a request's last user message: tool results and what came with them."""
    content = request_body["messages"][-1]["content"]
    if isinstance(content, str):
        return content
    parts = []
    for block in content:
        inner = block.get("content", block.get("text", ""))
        if isinstance(inner, list):  # a tool_result made of blocks
            inner = "".join(str(b.get("text", "")) for b in inner)
        parts.append(str(inner))
    return "\n".join(parts)


def as_fixture(payload: dict[str, Any], project: Path, home: Path) -> dict[str, Any]:
    """A recorded payload moved to the fixtures' project path (see conftest.Replay)."""
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    text = text.replace(str(project), RECORDED_PROJECT).replace(str(home), "/home/dev")
    moved: dict[str, Any] = json.loads(text)
    # Claude Code names the transcript after the project directory, dashes for slashes.
    moved["transcript_path"] = (
        f"/home/dev/.claude/projects/-home-dev-chat-app/{moved['session_id']}.jsonl"
    )
    return moved


def shape(value: Any) -> Any:
    """The keys of a payload, recursively (the values vary from run to run)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__


@dataclass
class Session:
    """One headless Claude Code run: its process, environment and any escaped traffic."""

    run: subprocess.CompletedProcess[str]
    env: dict[str, str]
    escaped: list[str]


def scaffolded_project(tmp_path: Path) -> Path:
    """A git repository `scaffold init --agents claude` has set up (settings.json hook too)."""
    project = make_repo(tmp_path / "chat-app", FLAT)
    init = subprocess.run(
        [str(Path(scaffold_bin(), "scaffold")), "init", "--yes", "--agents", "claude", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    return project


def run_claude(
    claude: Path, api: FakeAnthropic, project: Path, *args: str, path: list[str]
) -> Session:
    """`claude -p` in `project`, offline, with the executables in `path` first on PATH."""
    home = project.parent / "home"
    home.mkdir(exist_ok=True)
    with ProxyTrap() as trap:
        env = offline_env(
            base_url=api.base_url,
            home=home,
            proxy=trap.url,
            path=os.pathsep.join([*path, os.environ.get("PATH", "")]),
        )
        run = subprocess.run(
            [str(claude), "-p", "Add a summarizer.", "--output-format", "json",
             "--permission-mode", "acceptEdits", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )  # fmt: skip
    return Session(run, env, trap.seen)


def test_claude_code_runs_the_hook_feeds_findings_back_and_stays_quiet_on_a_clean_edit(
    claude: Path, api: FakeAnthropic, tmp_path: Path
) -> None:
    project = scaffolded_project(tmp_path)
    home = tmp_path / "home"
    log_dir = tmp_path / "hook-payloads"
    script = tmp_path / "record_payload.py"
    script.write_text(RECORDER)
    command = shlex.join([sys.executable, str(script), str(log_dir)])
    recorder = {"type": "command", "command": command}
    (project / ".claude" / "settings.local.json").write_text(
        json.dumps({"hooks": {"PostToolUse": [{"matcher": "Edit|Write", "hooks": [recorder]}]}})
    )
    target = project / MODULE
    api.responder = ScriptedModel(
        Turn.tool("Write", "I'll add the summarizer.", file_path=str(target), content=BARE),
        Turn.tool("Edit", file_path=str(target), old_string=BARE, new_string=CLEAN),
        Turn.say("Done: summarize() streams with recovery."),
    )

    session = run_claude(claude, api, project, path=[scaffold_bin()])
    run, env = session.run, session.env
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["is_error"] is False
    assert result["result"] == "Done: summarize() streams with recovery."
    assert target.read_text() == CLEAN
    assert session.escaped == [], "Claude Code tried to reach a host other than the fake API"
    assert api.errors == []

    # Three turns of the loop, each carrying the whole conversation so far.
    loop = [r.json for r in api.message_requests if r.json.get("tools")]
    assert len(loop) == 3
    after_write, after_edit = user_turn(loop[1]), user_turn(loop[2])
    # The Write's findings reached the model in its next request, the fix hint with the
    # project's own import line included.
    assert "SCF001" in after_write
    assert f"{MODULE}:7:" in after_write
    assert "from chat_app.claude_stream import recovering_stream" in after_write
    # The clean Edit passed silently: the tool's result and nothing else (a hook that prints
    # or fails adds a text block after it).
    assert [b["type"] for b in loop[2]["messages"][-1]["content"]] == ["tool_result"]
    assert "scaffold" not in after_edit

    # The hook ran on the real payloads: one Write and one Edit, in order.
    write, edit = recorded_payloads(log_dir)
    assert (write["tool_name"], edit["tool_name"]) == ("Write", "Edit")
    assert write["hook_event_name"] == edit["hook_event_name"] == "PostToolUse"
    assert write["tool_input"]["file_path"] == str(target)
    assert write["tool_response"]["type"] == "create"
    assert edit["tool_response"]["originalFile"] == BARE
    for payload in (write, edit):
        # The same payload through the same command, the file as the tool left it: the
        # verdict the model saw.
        target.write_text(CLEAN if payload is edit else payload["tool_input"]["content"])
        hook = subprocess.run(
            ["scaffold", "lint", "--claude-hook"],
            input=json.dumps(payload),
            cwd=project,
            env={**env, "CLAUDE_PROJECT_DIR": str(project)},
            capture_output=True,
            text=True,
            check=False,
        )
        if payload is write:
            assert (hook.returncode, hook.stdout) == (2, "")
            assert hook.stderr.strip() in after_write
        else:
            assert (hook.returncode, hook.stdout, hook.stderr) == (0, "", "")

    for name, payload in (("claude-code-write", write), ("claude-code-edit", edit)):
        fixture = PAYLOADS / f"{name}.json"
        recorded = as_fixture(payload, project, home)
        if os.environ.get("SCAFFOLDER_RECORD_PAYLOADS") == "1":
            fixture.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n")
        # The unit tests replay these fixtures: they must have the shape Claude Code sends.
        assert shape(json.loads(fixture.read_text())) == shape(recorded), name


def test_the_plugin_hook_runs_under_claude_code_and_its_skill_is_offered(
    claude: Path, api: FakeAnthropic, tmp_path: Path
) -> None:
    project = scaffolded_project(tmp_path)
    (project / ".claude" / "settings.json").unlink()  # the plugin, not the per-repo settings
    shims = install_uvx_shim(tmp_path / "shims")
    target = project / MODULE
    api.responder = ScriptedModel(
        Turn.tool("Write", file_path=str(target), content=BARE),
        Turn.say("Done."),
    )

    session = run_claude(claude, api, project, "--plugin-dir", str(PLUGIN), path=[str(shims)])

    assert session.run.returncode == 0, session.run.stdout + session.run.stderr
    assert session.escaped == []
    loop = [r.json for r in api.message_requests if r.json.get("tools")]
    assert len(loop) == 2
    assert "SCF001" in user_turn(loop[1])
    assert requested(shims) == [f"claude-scaffold=={__version__}"]
    # The skill is listed to the model under the plugin's namespace.
    assert "claude-scaffold:stream-recovery" in json.dumps(loop[0])
