"""The hook configuration scaffold writes for Codex CLI and Gemini CLI, run as each CLI runs it.

For each CLI: the config file is written by scaffold's edit function into a git project (next
to a hook of the user's), the handlers are selected from it by the CLI's own matcher rules
(cited below), and the selected command runs as a real subprocess through the shell with the
CLI's event on stdin, in the CLI's working directory and environment. The CLI's contract:
exit 2 with the findings on stderr feeds them to the model; exit 0 and silence lets it go on.

Matcher rules (docs/agents.md cites the sources):
- Codex CLI (`codex-rs/hooks/src/events/common.rs`): "" or "*" match everything; a matcher of
  letters, digits, `_` and `|` is a list of exact names, compared with the tool name and its
  aliases (`apply_patch` has `Write` and `Edit`); anything else is a regular expression.
- Gemini CLI (`packages/core/src/hooks/hookPlanner.ts`): "" or "*" match everything; else
  `new RegExp(matcher).test(toolName)`, an unanchored search.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scaffolder.edits import codex_hooks, gemini_settings

from .conftest import Replay
from .test_other_agents import BARE, CLEAN, PATCH, codex, gemini

CODEX_ALIASES = {"apply_patch": ["Write", "Edit"]}
USER_HOOK = {"type": "command", "command": "echo user-hook-ran >&2; exit 2"}


def codex_selects(matcher: str | None, tool: str) -> bool:
    if matcher is None or matcher in ("", "*"):
        return True
    names = [tool, *CODEX_ALIASES.get(tool, [])]
    if re.fullmatch(r"[A-Za-z0-9_|]+", matcher):
        return any(candidate in matcher.split("|") for candidate in names)
    return any(re.search(matcher, name) for name in names)


def gemini_selects(matcher: str | None, tool: str) -> bool:
    if matcher is None or matcher.strip() in ("", "*"):
        return True
    return re.search(matcher.strip(), tool) is not None


def commands(config: dict[str, Any], event: str, tool: str, *, cli: str) -> list[str]:
    selects = codex_selects if cli == "codex" else gemini_selects
    return [
        handler["command"]
        for group in config["hooks"].get(event, [])
        if selects(group.get("matcher"), tool)
        for handler in group["hooks"]
        if handler.get("type") == "command"
    ]


def scaffold_path() -> str:
    """PATH with this environment's `scaffold` first, as an installed scaffold would be."""
    bin_dir = str(Path(sys.executable).parent)
    assert shutil.which("scaffold", path=bin_dir), "the scaffold console script is installed"
    return bin_dir + os.pathsep + os.environ.get("PATH", "")


def run(command: str, stdin: bytes, project: Path, env: dict[str, str]) -> tuple[int, str, str]:
    proc = subprocess.run(
        ["/bin/sh", "-c", command],
        input=stdin,
        capture_output=True,
        cwd=project,
        env=env,
        check=False,
        timeout=120,
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE_", "GEMINI_"))}
    return {**env, "PATH": scaffold_path()}


# --- Codex CLI ------------------------------------------------------------------------------


@pytest.fixture
def codex_config(replay: Replay) -> dict[str, Any]:
    """`.codex/hooks.json` as scaffold writes it into a project that had a hook of its own."""
    path = replay.project / codex_hooks.HOOKS_PATH
    path.parent.mkdir()
    path.write_text(
        json.dumps({"hooks": {"PostToolUse": [{"matcher": "Bash", "hooks": [USER_HOOK]}]}})
    )
    path.write_text(codex_hooks.add_codex_hook(path.read_text()))
    config: dict[str, Any] = json.loads(path.read_text())
    # Codex's HooksFile: only `hooks` at the top; command handlers carry `timeout` in seconds.
    assert list(config) == ["hooks"]
    ours = config["hooks"]["PostToolUse"][-1]["hooks"][0]
    assert set(ours) <= {"type", "command", "commandWindows", "timeout", "async", "statusMessage"}
    assert isinstance(ours["timeout"], int)
    return config


def codex_env() -> dict[str, str]:
    # Codex runs hooks in the session's cwd; it sets no CLAUDE_PROJECT_DIR.
    return base_env()


def test_codex_patch_with_a_bare_stream_is_fed_back_to_the_model(
    replay: Replay, codex_config: dict[str, Any]
) -> None:
    (replay.project / "chat_app" / "summarize.py").write_text(
        "".join(line[1:] + "\n" for line in PATCH.splitlines()[2:7])
    )
    (replay.project / "chat_app" / "essay.py").write_text(
        BARE.replace("get_final_text()", "get_final_text().strip()")
    )
    (command,) = commands(codex_config, "PostToolUse", "apply_patch", cli="codex")
    code, out, err = run(command, codex(replay.project, PATCH), replay.project, codex_env())
    assert (code, out) == (2, "")
    assert err.startswith("scaffold lint: this edit added 1 problem to chat_app/summarize.py")
    assert "chat_app/summarize.py:4:6: SCF001" in err


def test_codex_clean_patch_passes_silently(replay: Replay, codex_config: dict[str, Any]) -> None:
    (replay.project / "chat_app" / "essay.py").write_text(CLEAN)
    patch = (
        "*** Begin Patch\n*** Update File: chat_app/essay.py\n@@ def essay(prompt: str) -> str:\n"
        "-    with client.messages.stream(model='m', max_tokens=8000, messages=[]) as stream:\n"
        "+    with recovering_stream(client, model='m', max_tokens=8000, messages=[]) as stream:\n"
        "*** End Patch\n"
    )
    (command,) = commands(codex_config, "PostToolUse", "apply_patch", cli="codex")
    assert run(command, codex(replay.project, patch), replay.project, codex_env()) == (
        0,
        "",
        "",
    )


def test_codex_runs_our_hook_only_for_patches(codex_config: dict[str, Any]) -> None:
    assert commands(codex_config, "PostToolUse", "Bash", cli="codex") == [USER_HOOK["command"]]
    assert commands(codex_config, "PostToolUse", "mcp__fs__write_file", cli="codex") == []
    assert commands(codex_config, "PreToolUse", "apply_patch", cli="codex") == []


# --- Gemini CLI -----------------------------------------------------------------------------


@pytest.fixture
def gemini_config(replay: Replay) -> dict[str, Any]:
    """`.gemini/settings.json` as scaffold writes it into settings with a comment and a hook."""
    path = replay.project / gemini_settings.SETTINGS_PATH
    path.parent.mkdir()
    group = {"matcher": "run_shell_command", "hooks": [USER_HOOK]}
    path.write_text(
        '{\n  // the team\'s settings\n  "hooks": {"AfterTool": [' + json.dumps(group) + "]}\n}\n"
    )
    path.write_text(gemini_settings.add_gemini_hook(path.read_text()))
    text = path.read_text()
    assert "// the team's settings" in text
    config: dict[str, Any] = json.loads(re.sub(r"//[^\n]*", "", text))
    ours = config["hooks"]["AfterTool"][-1]["hooks"][0]
    # settingsSchema.ts HookDefinitionArray: these fields only; timeout in milliseconds.
    assert set(ours) <= {"type", "command", "name", "description", "timeout"}
    assert ours["timeout"] >= 1000
    return config


def gemini_env(project: Path) -> dict[str, str]:
    # packages/core/src/hooks/hookRunner.ts: cwd and these variables are the session's cwd.
    cwd = str(project)
    return {**base_env(), "GEMINI_PROJECT_DIR": cwd, "GEMINI_CWD": cwd, "CLAUDE_PROJECT_DIR": cwd}


def test_gemini_write_file_with_a_bare_stream_is_fed_back_to_the_model(
    replay: Replay, gemini_config: dict[str, Any]
) -> None:
    path = replay.project / "chat_app" / "essay.py"
    path.write_text(BARE)
    event = gemini(replay.project, "write_file", {"file_path": str(path), "content": BARE})
    (command,) = commands(gemini_config, "AfterTool", "write_file", cli="gemini")
    code, out, err = run(command, event, replay.project, gemini_env(replay.project))
    assert (code, out) == (2, "")
    assert err.startswith("scaffold lint: this edit added 1 problem to chat_app/essay.py")
    assert "chat_app/essay.py:7:10: SCF001" in err


def test_gemini_clean_replace_passes_silently(
    replay: Replay, gemini_config: dict[str, Any]
) -> None:
    path = replay.project / "chat_app" / "essay.py"
    path.write_text(CLEAN)
    tool_input = {"file_path": str(path), "old_string": BARE, "new_string": CLEAN}
    (command,) = commands(gemini_config, "AfterTool", "replace", cli="gemini")
    event = gemini(replay.project, "replace", tool_input)
    assert run(command, event, replay.project, gemini_env(replay.project)) == (0, "", "")


def test_gemini_runs_our_hook_only_for_its_file_tools(gemini_config: dict[str, Any]) -> None:
    user = [USER_HOOK["command"]]
    assert commands(gemini_config, "AfterTool", "run_shell_command", cli="gemini") == user
    # Anchored: an MCP tool whose name contains write_file does not start scaffold.
    assert commands(gemini_config, "AfterTool", "mcp_fs_write_file", cli="gemini") == []
    assert commands(gemini_config, "AfterTool", "replace_all", cli="gemini") == []
    assert commands(gemini_config, "BeforeTool", "write_file", cli="gemini") == []
