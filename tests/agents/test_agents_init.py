"""`scaffold init` / `check` / `update` for coding agents: the hook entry and the rule files.

Real CLI, real git repositories, real copier rendering.
"""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from scaffolder.cli import cli
from scaffolder.edits.claude_settings import HOOK_COMMAND, hook_group
from scaffolder.edits.managed_block import find_block
from scaffolder.templates import TemplateStore
from tests.init.repos import EXAMPLE_APP, FLAT, git, make_repo, snapshot

SETTINGS = ".claude/settings.json"
CURSOR = ".cursor/rules/claude-streaming.mdc"
COPILOT = ".github/copilot-instructions.md"

TEMPLATE_VERSION = TemplateStore.installed().current_version


def scaffold(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def init(root: Path, *args: str) -> Result:
    return scaffold("init", "--yes", *args, str(root))


def answers(root: Path) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    return loaded


def commit_all(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "scaffold init")


def block_body(text: str) -> str:
    block = find_block(text)
    assert block is not None
    return block.body


def test_default_init_adds_the_hook_and_only_the_agent_files_in_use(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    result = init(root)
    assert result.exit_code == 0, result.output
    settings = json.loads((root / SETTINGS).read_text())
    assert settings == {"hooks": {"PostToolUse": [hook_group()]}}
    assert f"created  {SETTINGS}" in result.output
    for absent in ("AGENTS.md", CURSOR, COPILOT):
        assert not (root / absent).exists()
    recorded = answers(root)
    assert recorded["claude_hook"] is True
    assert (recorded["agents_md"], recorded["cursor_rule"], recorded["copilot_md"]) == ("", "", "")


def test_every_agent_gets_the_same_rule_text(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path,
        {**FLAT, "AGENTS.md": "# Agents\n", ".cursor/rules/style.mdc": "x", COPILOT: "# Copilot\n"},
    )
    result = init(root)
    assert result.exit_code == 0, result.output
    body = block_body((root / "CLAUDE.md").read_text())
    assert "from chat_app.claude_stream import make_client, recovering_stream" in body
    assert block_body((root / "AGENTS.md").read_text()) == body
    assert block_body((root / COPILOT).read_text()) == body
    cursor = (root / CURSOR).read_text()
    front, rule = cursor.split("---\n", 2)[1:]
    assert "globs: chat_app/**/*.py\n" in front
    assert "alwaysApply: false\n" in front
    assert rule == body
    recorded = answers(root)
    assert (recorded["agents_md"], recorded["cursor_rule"], recorded["copilot_md"]) == (
        "AGENTS.md",
        CURSOR,
        COPILOT,
    )
    assert CURSOR in recorded["managed_files"]  # type: ignore[operator]

    commit_all(root)
    before = snapshot(root)
    again = init(root)
    assert again.exit_code == 0
    assert "nothing to do" in again.output
    assert snapshot(root) == before
    assert scaffold("check", str(root)).exit_code == 0


def test_agents_option_is_taken_as_asked(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    result = init(root, "--agents", "agents-md,cursor,copilot")
    assert result.exit_code == 0, result.output
    # No Claude: no CLAUDE.md block, no hook, nothing under .claude/; AGENTS.md is created.
    assert not (root / "CLAUDE.md").exists()
    assert not (root / ".claude").exists()
    assert find_block((root / "AGENTS.md").read_text()) is not None
    # Cursor and Copilot are not used in this repository: nothing written, and a note says so.
    assert not (root / ".cursor").exists()
    assert not (root / ".github").exists()
    assert "note: Cursor rule skipped" in result.output
    assert "note: Copilot instructions skipped" in result.output
    assert answers(root)["claude_hook"] is False
    # update and check agree: nothing missing, nothing to add.
    commit_all(root)
    assert scaffold("check", str(root)).exit_code == 0
    updated = scaffold("update", str(root))
    assert updated.exit_code == 0
    assert "nothing to change" in updated.output
    assert not (root / ".claude").exists()


def test_unknown_agent_is_a_usage_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    result = init(root, "--agents", "claude,windsurf")
    assert result.exit_code == 2
    assert "unknown agent windsurf" in result.output
    assert not (root / ".scaffold-answers.yml").exists()


def test_no_claude_hook_leaves_settings_alone(tmp_path: Path) -> None:
    original = '{\n  "model": "opus"\n}\n'
    root = make_repo(tmp_path, {**FLAT, SETTINGS: original})
    assert init(root, "--no-claude-hook").exit_code == 0
    assert (root / SETTINGS).read_text() == original
    assert answers(root)["claude_hook"] is False
    assert scaffold("check", str(root)).exit_code == 0  # not managed, so not drift


def test_existing_settings_are_merged_keeping_every_byte(tmp_path: Path) -> None:
    original = (
        codecs.BOM_UTF8
        + (
            '{\r\n\t"permissions": {"allow": ["Bash(pytest:*)"], "deny": []},\r\n'
            '\t"env": {"GRÜSSE": "ça va"},\r\n'
            '\t"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]}\r\n'
            "}\r\n"
        ).encode()
    )
    root = make_repo(tmp_path, {**FLAT, SETTINGS: original})
    result = init(root)
    assert result.exit_code == 0, result.output
    assert f"changed  {SETTINGS}" in result.output
    data = (root / SETTINGS).read_bytes()
    head = original[: original.index(b'"command": "say done"}]}')]
    assert data.startswith(head)
    # The one-line `hooks` object stays on one line, in the file's spacing.
    assert data.endswith(b'"command": "scaffold lint --claude-hook"}]}]}\r\n}\r\n')
    merged = json.loads(data.decode("utf-8-sig"))
    assert list(merged) == ["permissions", "env", "hooks"]
    assert list(merged["hooks"]) == ["Stop", "PostToolUse"]
    assert merged["hooks"]["PostToolUse"][0]["hooks"][0]["command"] == HOOK_COMMAND


def test_invalid_settings_json_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, SETTINGS: '{\n  "model": "opus",\n}\n'})
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 2
    assert f"scaffold: error: {SETTINGS}:3:1: not valid JSON" in result.output
    assert snapshot(root) == before


def test_agents_md_linked_to_claude_md_gets_one_block(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "CLAUDE.md": "# Memory\n"})
    (root / "AGENTS.md").symlink_to("CLAUDE.md")
    result = init(root, "--agents", "claude,agents-md")
    assert result.exit_code == 0, result.output
    assert (root / "AGENTS.md").is_symlink()
    assert (root / "CLAUDE.md").read_text().count("scaffold:begin") == 1
    assert "note: AGENTS.md and CLAUDE.md are the same file" in result.output


def test_copilot_instructions_linked_to_claude_md_get_one_block(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "CLAUDE.md": "# Memory\n"})
    (root / ".github").mkdir()
    (root / COPILOT).symlink_to("../CLAUDE.md")
    result = init(root)
    assert result.exit_code == 0, result.output
    assert (root / COPILOT).is_symlink()
    assert (root / "CLAUDE.md").read_text().count("scaffold:begin") == 1
    assert init(root).output.startswith("scaffold init: nothing to do")
    assert scaffold("check", str(root)).exit_code == 0


# --- AGENTS.md is kept like CLAUDE.md -------------------------------------------------------


def test_agents_md_with_bom_crlf_and_non_ascii_keeps_every_byte(tmp_path: Path) -> None:
    original = (
        codecs.BOM_UTF8 + "# Agents — Überblick\r\n\r\nNe touchez pas: ça marche.\r\n".encode()
    )
    root = make_repo(tmp_path, {**FLAT, "AGENTS.md": original})
    assert init(root).exit_code == 0
    data = (root / "AGENTS.md").read_bytes()
    assert data.startswith(original)
    tail = data[len(original) :].decode("utf-8")
    assert "\n" not in tail.replace("\r\n", "")
    assert tail.startswith(f"\r\n<!-- scaffold:begin v{TEMPLATE_VERSION} sha256:")
    assert tail.endswith("<!-- scaffold:end -->\r\n")


def test_agents_md_without_final_newline_and_utf16(tmp_path: Path) -> None:
    original = "# Agents\n\nNo final newline — ok".encode("utf-16")
    root = make_repo(tmp_path, {**FLAT, "AGENTS.md": original})
    assert init(root).exit_code == 0
    data = (root / "AGENTS.md").read_bytes()
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = data.decode("utf-16")
    assert text.startswith(
        f"# Agents\n\nNo final newline — ok\n\n<!-- scaffold:begin v{TEMPLATE_VERSION} "
    )


def test_an_edited_agents_md_block_is_kept_by_init(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "AGENTS.md": "# Agents\n"})
    assert init(root).exit_code == 0
    path = root / "AGENTS.md"
    edited = path.read_text().replace("Stream every", "Please stream every")
    path.write_text(edited)
    result = init(root)
    assert result.exit_code == 0
    assert path.read_text() == edited
    assert "AGENTS.md: you edited scaffold's managed block" in result.output


# --- check and update manage them like the other managed content ----------------------------


def test_check_reports_and_update_restores_a_removed_hook(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "AGENTS.md": "# Agents\n"})
    assert init(root).exit_code == 0
    commit_all(root)
    settings = root / SETTINGS
    settings.write_text('{\n  "model": "opus"\n}\n')
    commit_all(root)

    check = scaffold("check", str(root))
    assert check.exit_code == 1
    assert f"{SETTINGS}: the Claude Code hook `{HOOK_COMMAND}` is gone" in check.output

    update = scaffold("update", str(root))
    assert update.exit_code == 0, update.output
    assert json.loads(settings.read_text()) == {
        "model": "opus",
        "hooks": {"PostToolUse": [hook_group()]},
    }
    assert scaffold("check", str(root)).exit_code == 0


def test_check_reports_an_edited_agents_md_block_and_update_force_restores_it(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path, {**FLAT, "AGENTS.md": "# Agents\n"})
    assert init(root).exit_code == 0
    pristine = (root / "AGENTS.md").read_text()
    (root / "AGENTS.md").write_text(pristine.replace("never a bare", "avoid a bare"))
    commit_all(root)

    check = scaffold("check", str(root))
    assert check.exit_code == 1
    assert "AGENTS.md: scaffold's managed block was edited" in check.output
    assert "CLAUDE.md" not in check.output

    assert scaffold("update", str(root)).exit_code == 1  # a conflict without --force
    assert scaffold("update", "--force", str(root)).exit_code == 0
    assert (root / "AGENTS.md").read_text() == pristine


def test_update_keeps_managing_the_cursor_rule(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, ".cursor/rules/style.mdc": "x"})
    assert init(root).exit_code == 0
    (root / CURSOR).unlink()
    commit_all(root)
    assert f"{CURSOR}: managed file is missing" in scaffold("check", str(root)).output
    update = scaffold("update", str(root))
    assert update.exit_code == 0, update.output
    assert (root / CURSOR).is_file()
    assert CURSOR in answers(root)["managed_files"]  # type: ignore[operator]
    assert scaffold("check", str(root)).exit_code == 0


@pytest.mark.parametrize("agents", ["claude", "claude,agents-md"])
def test_check_is_clean_right_after_init(tmp_path: Path, agents: str) -> None:
    root = make_repo(tmp_path, FLAT)
    assert init(root, "--agents", agents).exit_code == 0
    check = scaffold("check", str(root))
    assert check.exit_code == 0, check.output


def test_the_hook_in_a_repository_set_up_by_init(tmp_path: Path) -> None:
    """The quick-start app after `scaffold init`: the agent adds a summary function."""
    root = tmp_path / "chat-app"
    shutil.copytree(EXAMPLE_APP, root)
    git(root, "init", "-q")
    assert init(root).exit_code == 0
    command = json.loads((root / SETTINGS).read_text())["hooks"]["PostToolUse"][0]["hooks"][0]
    assert command["command"] == HOOK_COMMAND

    essay = root / "chat_app" / "essay.py"
    original = essay.read_text()
    old = '    return "".join(parts)\n'
    new = old + (
        "\n\ndef summarize(text: str) -> str:\n"
        "    with client.messages.stream(\n"
        '        model="claude-sonnet-4-5", max_tokens=4096,\n'
        '        messages=[{"role": "user", "content": text}],\n'
        "    ) as stream:\n"
        "        return stream.get_final_text()\n"
    )
    essay.write_text(original.replace(old, new))
    event = {
        "session_id": "s",
        "cwd": str(root),
        "hook_event_name": "PostToolUse",
        "tool_name": "Edit",
        "tool_input": {"file_path": str(essay), "old_string": old, "new_string": new},
        "tool_response": {"filePath": str(essay), "originalFile": original},
    }
    script = Path(sys.executable).with_name("scaffold")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "scaffolder"]
    proc = subprocess.run(
        [*argv, *HOOK_COMMAND.split()[1:]],  # exactly the settings.json command
        input=json.dumps(event).encode(),
        capture_output=True,
        cwd=root,
        check=False,
    )
    stderr = proc.stderr.decode()
    assert proc.returncode == 2, stderr
    line = original.replace(old, new).splitlines().index("    with client.messages.stream(", 12)
    assert f"chat_app/essay.py:{line + 1}:10: SCF001 " in stderr
    assert "    from chat_app.claude_stream import recovering_stream\n" in stderr
    # ... and the exact edit (docs/agents.md shows this text).
    assert (
        f"Replace line {line + 1} of chat_app/essay.py:\n```python\n"
        "    with client.messages.stream(\n```\nwith:\n```python\n"
        "    with recovering_stream(\n        client,\n```\n"
    ) in stderr
    # The example's own bare stream and 60 s timeout were there before: reported, not blamed.
    assert stderr.count(": SCF") == 1
    assert "(2 older findings in this file predate this edit" in stderr


def test_symlinked_settings_stay_a_link(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "config/claude.json": '{"model": "opus"}\n'})
    (root / ".claude").mkdir()
    (root / SETTINGS).symlink_to("../config/claude.json")
    assert init(root).exit_code == 0
    assert (root / SETTINGS).is_symlink()
    merged = json.loads((root / "config/claude.json").read_text())
    assert merged["hooks"]["PostToolUse"] == [hook_group()]


def test_init_names_the_plugin_as_the_alternative_to_per_repo_settings(tmp_path: Path) -> None:
    from scaffolder.agents import PLUGIN_ID, PLUGIN_MARKETPLACE

    with_hook = init(make_repo(tmp_path / "a", FLAT))
    assert "Instead of per-repo settings, each developer can install the plugin:" in (
        with_hook.output
    )
    assert f"  /plugin marketplace add {PLUGIN_MARKETPLACE}\n" in with_hook.output
    assert f"  /plugin install {PLUGIN_ID}\n" in with_hook.output

    without_hook = init(make_repo(tmp_path / "b", FLAT), "--no-claude-hook")
    assert "To have Claude Code lint each file it edits, install the plugin:" in (
        without_hook.output
    )
    assert f"  /plugin install {PLUGIN_ID}\n" in without_hook.output

    other_agent = init(make_repo(tmp_path / "c", FLAT), "--agents", "agents-md")
    assert other_agent.exit_code == 0, other_agent.output
    assert "/plugin" not in other_agent.output
