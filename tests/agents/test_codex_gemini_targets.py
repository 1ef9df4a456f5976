"""`--agents codex,gemini`: which files scaffold manages for them, and the GEMINI.md block.

Codex CLI reads AGENTS.md and gets `.codex/hooks.json`; Gemini CLI reads GEMINI.md (or what
`.gemini/settings.json` names in `context.fileName`) and gets `.gemini/settings.json`. The hook
files are written by init once the wiring lands (docs/agents.md); the GEMINI.md block goes
through the managed-block machinery every agent file uses, so it is tested end to end here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from scaffolder.agents import (
    AGENTS,
    CODEX_HOOKS,
    GEMINI_SETTINGS,
    HOOK_FILES,
    choose_targets,
    codex_hooks_with_hook,
    gemini_settings_with_hook,
    managed_block_files,
    managed_hook_files,
    parse_agents,
)
from scaffolder.edits import codex_hooks, gemini_settings
from scaffolder.edits.managed_block import find_block
from scaffolder.errors import FileFormatError, UsageError

from .test_agents_init import FLAT, answers, block_body, commit_all, init, make_repo, scaffold


def _targets(root: Path, agents: str | None, recorded: dict[str, Any] | None = None) -> Any:
    chosen = None if agents is None else parse_agents(agents)
    return choose_targets(root, chosen, recorded or {}, claude_md="CLAUDE.md")


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_parse_agents_accepts_codex_and_gemini() -> None:
    assert {"codex", "gemini"} <= set(AGENTS)
    assert parse_agents(" Codex , gemini,codex") == ("codex", "gemini")
    with pytest.raises(UsageError, match=r"unknown agent gemini-cli; choose from .*codex, gemini"):
        parse_agents("gemini-cli")


def test_explicit_codex_brings_agents_md_and_the_hook(tmp_path: Path) -> None:
    targets = _targets(tmp_path, "codex")
    assert (targets.codex_hook, targets.agents_md) == (True, "AGENTS.md")
    assert (targets.gemini_hook, targets.gemini_md, targets.claude) == (False, "", False)


def test_explicit_gemini_brings_gemini_md_and_the_hook(tmp_path: Path) -> None:
    targets = _targets(tmp_path, "claude,gemini")
    assert (targets.gemini_hook, targets.gemini_md, targets.agents_md) == (True, "GEMINI.md", "")
    assert targets.answers(claude_hook=True)["gemini_md"] == "GEMINI.md"
    # A hook is recorded only once init wrote it (the flag), never from the wish alone.
    assert targets.answers(claude_hook=True)["gemini_hook"] is False
    assert targets.answers(claude_hook=True, gemini_hook=True)["gemini_hook"] is True


@pytest.mark.parametrize(
    ("files", "codex", "gemini"),
    [
        ({}, False, False),
        ({".codex/config.toml": 'model = "o3"\n'}, True, False),
        ({".gemini/settings.json": "{}"}, False, True),
        ({"GEMINI.md": "# Project\n"}, False, True),
    ],
    ids=["neither", "codex-dir", "gemini-dir", "gemini-md"],
)
def test_without_agents_only_where_the_repository_uses_them(
    tmp_path: Path, files: dict[str, str], codex: bool, gemini: bool
) -> None:
    _write(tmp_path, files)
    targets = _targets(tmp_path, None)
    assert (targets.codex_hook, targets.gemini_hook) == (codex, gemini)
    assert bool(targets.agents_md) == codex
    assert targets.gemini_md == ("GEMINI.md" if gemini else "")


def test_an_earlier_run_keeps_its_files_managed(tmp_path: Path) -> None:
    recorded = {"codex_hook": True, "gemini_hook": True, "gemini_md": "GEMINI.md"}
    targets = _targets(tmp_path, None, recorded)
    assert (targets.codex_hook, targets.gemini_hook, targets.gemini_md) == (
        True,
        True,
        "GEMINI.md",
    )


@pytest.mark.parametrize(
    ("settings", "gemini_md", "agents_md", "note"),
    [
        ('{"context": {"fileName": ["GEMINI.md", "AGENTS.md"]}}', "GEMINI.md", "", None),
        (
            '{\n  // what every agent reads\n  "context": {"fileName": "AGENTS.md"}\n}',
            "",
            "AGENTS.md",
            "Gemini CLI reads AGENTS.md here (`context.fileName` in .gemini/settings.json): "
            "its block serves Gemini",
        ),
        (
            '{"context": {"fileName": ["CONTEXT.md"]}}',
            "",
            "",
            "Gemini CLI rule skipped: it reads CONTEXT.md here (`context.fileName` in "
            ".gemini/settings.json); add GEMINI.md or AGENTS.md to it, then run `scaffold init` "
            "again",
        ),
        ('{"context": ', "GEMINI.md", "", None),  # unreadable: editing it reports the error
    ],
    ids=["both", "agents-md", "neither", "broken"],
)
def test_gemini_rule_follows_context_file_name(
    tmp_path: Path, settings: str, gemini_md: str, agents_md: str, note: str | None
) -> None:
    _write(tmp_path, {GEMINI_SETTINGS: settings})
    targets = _targets(tmp_path, "claude,gemini")
    assert (targets.gemini_md, targets.agents_md) == (gemini_md, agents_md)
    assert targets.notes == ((note,) if note else ())


def test_gemini_md_linked_to_agents_md_gets_no_second_block(tmp_path: Path) -> None:
    _write(tmp_path, {"AGENTS.md": "# Agents\n"})
    (tmp_path / "GEMINI.md").symlink_to("AGENTS.md")
    targets = _targets(tmp_path, "codex,gemini")
    assert (targets.agents_md, targets.gemini_md) == ("AGENTS.md", "")
    assert targets.notes == (
        "GEMINI.md and AGENTS.md are the same file: its one managed block serves every agent",
    )


def test_managed_block_files_include_gemini_md() -> None:
    recorded = {"claude_md": "CLAUDE.md", "agents_md": "AGENTS.md", "gemini_md": "GEMINI.md"}
    assert managed_block_files(recorded) == ["CLAUDE.md", "AGENTS.md", "GEMINI.md"]


# --- the (path, old, new) helpers the init/update wiring uses --------------------------------


def test_hook_files_are_created_then_left_alone(tmp_path: Path) -> None:
    for helper, rel, has in (
        (codex_hooks_with_hook, CODEX_HOOKS, codex_hooks.has_codex_hook),
        (gemini_settings_with_hook, GEMINI_SETTINGS, gemini_settings.has_gemini_hook),
    ):
        target, old, new = helper(tmp_path)
        assert (target, old) == (tmp_path / rel, None)
        assert has(new.decode())
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(new)
        assert helper(tmp_path) == (target, new, new)


def test_a_linked_gemini_settings_file_is_edited_where_it_points(tmp_path: Path) -> None:
    _write(tmp_path, {"config/gemini.json": '{\r\n  "ui": {"theme": "Dracula"}\r\n}\r\n'})
    (tmp_path / ".gemini").mkdir()
    (tmp_path / GEMINI_SETTINGS).symlink_to("../config/gemini.json")
    target, old, new = gemini_settings_with_hook(tmp_path)
    assert target == (tmp_path / "config" / "gemini.json").resolve()
    assert old is not None
    assert new.startswith(b'{\r\n  "ui": {"theme": "Dracula"},\r\n  "hooks"')
    assert json.loads(new)["hooks"]["AfterTool"] == [gemini_settings.hook_group()]


def test_a_broken_codex_hook_file_is_an_error_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, {CODEX_HOOKS: '{"hooks": {"PostToolUse": {}}}'})
    with pytest.raises(FileFormatError, match=r'^\.codex/hooks\.json: "hooks\.PostToolUse" must'):
        codex_hooks_with_hook(tmp_path)


# --- GEMINI.md through init, check and update ------------------------------------------------


def test_init_gives_gemini_its_rule_in_gemini_md(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "GEMINI.md": "# Gemini\n\nUse uv.\n"})
    result = init(root, "--agents", "claude,gemini")
    assert result.exit_code == 0, result.output
    text = (root / "GEMINI.md").read_text()
    assert text.startswith("# Gemini\n\nUse uv.\n")
    assert block_body(text) == block_body((root / "CLAUDE.md").read_text())
    recorded = answers(root)
    assert (recorded["gemini_md"], recorded["agents_md"]) == ("GEMINI.md", "")
    commit_all(root)
    assert scaffold("check", str(root)).exit_code == 0
    (root / "GEMINI.md").write_text("# Gemini\n\nUse uv.\n")  # the block removed
    commit_all(root)
    check = scaffold("check", str(root))
    assert check.exit_code == 1
    assert "GEMINI.md" in check.output
    assert scaffold("update", str(root)).exit_code == 1  # a removed block: the user's call
    updated = scaffold("update", "--force", str(root))
    assert updated.exit_code == 0, updated.output
    assert find_block((root / "GEMINI.md").read_text()) is not None


def test_init_without_codex_or_gemini_records_nothing_new(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    assert init(root).exit_code == 0
    text = (root / ".scaffold-answers.yml").read_text()
    assert "gemini_md" not in text
    assert "codex_hook" not in text


@pytest.mark.parametrize("hook", HOOK_FILES, ids=lambda hook: hook.answer)
def test_each_hook_file_kind_is_written_checked_and_restored(tmp_path: Path, hook: Any) -> None:
    """The loop the init/update/check wiring runs over `managed_hook_files(answers)`."""
    target, old, new = hook.with_hook(tmp_path)
    assert (target, old) == (tmp_path / hook.path, None)
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(new)
    assert hook.drift(new.decode(), path=hook.path) is None
    assert hook.with_hook(tmp_path) == (target, new, new)  # nothing to do
    # The user's own settings without our entry: drift, and update splices it back in.
    target.write_text('{\n  "hooks": {}\n}\n')
    assert hook.drift(target.read_text(), path=hook.path) == (
        f"the {hook.agent} hook `scaffold lint --claude-hook` is missing"
    )
    _, old, new = hook.with_hook(tmp_path)
    assert old == b'{\n  "hooks": {}\n}\n'
    assert hook.drift(new.decode(), path=hook.path) is None
    target.write_text('{"hooks": []}')
    with pytest.raises(FileFormatError, match=f"^{re.escape(hook.path)}: "):
        hook.drift(target.read_text(), path=hook.path)


def test_managed_hook_files_follow_the_answers() -> None:
    recorded = {"claude_hook": False, "codex_hook": True, "gemini_hook": True}
    assert [hook.answer for hook in managed_hook_files(recorded)] == ["codex_hook", "gemini_hook"]
    assert (
        managed_hook_files({"claude_hook": True, "gemini_hook": "yes"})[0].answer == "claude_hook"
    )
    assert len(managed_hook_files({"claude_hook": True, "gemini_hook": "yes"})) == 1


# --- the hook files through init, check and update ---------------------------------------------


def test_init_check_and_update_manage_the_codex_and_gemini_hook_files(tmp_path: Path) -> None:
    codex_before = '{"hooks": {"PostToolUse": [{"matcher": "Bash", "hooks": []}]}}\n'
    gemini_before = '{\n  // the team\'s theme\n  "ui": {"theme": "Dracula"}\n}\n'
    root = make_repo(tmp_path, {**FLAT, CODEX_HOOKS: codex_before, GEMINI_SETTINGS: gemini_before})
    result = init(root, "--agents", "claude,codex,gemini")
    assert result.exit_code == 0, result.output
    # exactly the edit functions' output: the user's bytes kept, scaffold's entry added
    assert (root / CODEX_HOOKS).read_text() == codex_hooks.current_codex_hook(codex_before)
    gemini_after = (root / GEMINI_SETTINGS).read_text()
    assert gemini_after == gemini_settings.current_gemini_hook(gemini_before)
    recorded = answers(root)
    assert (recorded["codex_hook"], recorded["gemini_hook"]) == (True, True)
    assert "trusted project" in result.output
    commit_all(root)
    assert scaffold("check", str(root)).exit_code == 0

    (root / CODEX_HOOKS).write_text(codex_before)  # the user (or a merge) dropped the entry
    commit_all(root)
    check = scaffold("check", str(root))
    assert check.exit_code == 1
    assert f"{CODEX_HOOKS}: the Codex CLI hook `scaffold lint --claude-hook` is gone" in (
        check.output
    )
    assert GEMINI_SETTINGS not in check.output
    update = scaffold("update", str(root))
    assert update.exit_code == 0, update.output
    assert f"restored  {CODEX_HOOKS}" in update.output
    assert (root / CODEX_HOOKS).read_text() == codex_hooks.current_codex_hook(codex_before)
    assert (root / GEMINI_SETTINGS).read_text() == gemini_after

    # leaving codex out of --agents stops managing its file (and never deletes anything)
    commit_all(root)
    assert init(root, "--agents", "claude,gemini").exit_code == 0
    assert answers(root)["codex_hook"] is False
    (root / CODEX_HOOKS).write_text(codex_before)
    commit_all(root)
    assert scaffold("check", str(root)).exit_code == 0
