"""Add scaffold's PostToolUse hook to Claude Code's `.claude/settings.json`.

settings.json is the user's file: permissions, env, other hooks, their key order and their
formatting must survive. The edit is a textual insertion that keeps every byte outside it
(`scaffolder.edits._hook_json`, shared with the Codex CLI and Gemini CLI hook files).
"""

from __future__ import annotations

from typing import Any

from scaffolder.edits import _hook_json
from scaffolder.edits._hook_json import HOOK_COMMAND, HookEntry

__all__ = [
    "HOOK_COMMAND",
    "HOOK_EVENT",
    "HOOK_MATCHER",
    "SETTINGS_PATH",
    "add_claude_hook",
    "claude_hook_drift",
    "current_claude_hook",
    "has_claude_hook",
    "hook_group",
    "stale_matcher",
]

SETTINGS_PATH = ".claude/settings.json"
HOOK_EVENT = "PostToolUse"
# Current Claude Code edits files with Edit and Write only (no MultiEdit tool); the hook still
# accepts MultiEdit events from older releases (scaffolder.lint.claude_hook.EDIT_TOOLS).
HOOK_MATCHER = "Edit|Write"

ENTRY = HookEntry(
    path=SETTINGS_PATH,
    event=HOOK_EVENT,
    matcher=HOOK_MATCHER,
    handler={"type": "command", "command": HOOK_COMMAND},
    # Matchers earlier scaffold releases wrote; `current_claude_hook` brings them to HOOK_MATCHER.
    earlier_matchers=("Edit|MultiEdit|Write",),
    agent="Claude Code",
)


def _entry(path: str) -> HookEntry:
    return ENTRY if path == ENTRY.path else _hook_json.replace_path(ENTRY, path)


def hook_group() -> dict[str, Any]:
    """The matcher group scaffold adds under `hooks.PostToolUse`."""
    return ENTRY.group()


def has_claude_hook(text: str, *, path: str = SETTINGS_PATH) -> bool:
    """Whether the settings document already runs `scaffold lint --claude-hook` after edits."""
    return _hook_json.has_hook(text, _entry(path))


def add_claude_hook(text: str | None, *, path: str = SETTINGS_PATH) -> str:
    """Return `text` with scaffold's PostToolUse hook added; unchanged when it is already there.

    `text` None (or blank) means the file does not exist yet: a new document is returned.
    Raises `FileFormatError` (with line and column) when the text is not a JSON object, or when
    `hooks` / `hooks.PostToolUse` have a shape Claude Code itself would reject.
    """
    return _hook_json.add_hook(text, _entry(path))


def stale_matcher(text: str, *, path: str = SETTINGS_PATH) -> str | None:
    """The matcher of scaffold's hook group when an earlier scaffold wrote it, else None."""
    return _hook_json.stale_values(text, _entry(path)).get("matcher")


def current_claude_hook(text: str | None, *, path: str = SETTINGS_PATH) -> str:
    """`add_claude_hook`, and an earlier release's matcher of scaffold's group brought to
    HOOK_MATCHER (only that string is replaced; a matcher the user chose is theirs)."""
    return _hook_json.current_hook(text, _entry(path))


def claude_hook_drift(text: str, *, path: str = SETTINGS_PATH) -> str | None:
    """Why the settings lack scaffold's current hook (one clause for `scaffold check`), or None."""
    return _hook_json.hook_drift(text, _entry(path))
