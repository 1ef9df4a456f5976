"""Add scaffold's AfterTool hook to Gemini CLI's project settings, `.gemini/settings.json`.

What it does: keeps one matcher group in `.gemini/settings.json`,

    {"hooks": {"AfterTool": [{"matcher": "^(write_file|replace)$",
        "hooks": [{"type": "command", "name": "scaffold-lint",
                   "command": "scaffold lint --claude-hook", "timeout": 60000}]}]}}

so that Gemini CLI runs `scaffold lint --claude-hook` after each file write or edit and hands
the findings (stderr of exit code 2) to the model. Everything else in the settings file - other
settings, other hooks, comments, key order, formatting - is kept byte for byte
(`scaffolder.edits._hook_json`, the policy of `.claude/settings.json`).

Why this shape (google-gemini/gemini-cli, docs/agents.md cites the files):
- The workspace settings are `.gemini/settings.json`, read as JSON with comments
  (`packages/cli/src/config/settings.ts`: `JSON.parse(stripJsonComments(content))`); hooks are
  `hooks.<event>` lists of `{matcher, hooks: [{type, command, name, timeout}]}`, `timeout` in
  milliseconds (`packages/cli/src/config/settingsSchema.ts`, `HookDefinitionArray`).
- The file tools are `write_file` and `replace` (`packages/core/src/tools/definitions/
  base-declarations.ts`); a tool matcher is an unanchored regular expression
  (`packages/core/src/hooks/hookPlanner.ts`), so it is anchored here: MCP tools whose names
  merely contain `write_file` do not start the hook.
- Project hooks run only in a trusted folder; a project hook Gemini has not seen before (its
  key is `name:command`) is announced with a warning once, then runs
  (`packages/core/src/hooks/hookRegistry.ts`, `trustedHooks.ts`). `name` is what
  `/hooks disable scaffold-lint` takes.

Gemini reads `GEMINI.md` for instructions, not AGENTS.md, unless the settings' `context.fileName`
says otherwise: `context_file_names` reads it (scaffolder.agents decides where the rule goes).
"""

from __future__ import annotations

from typing import Any

from scaffolder.edits import _hook_json
from scaffolder.edits._hook_json import HOOK_COMMAND, HookEntry

__all__ = [
    "DEFAULT_CONTEXT_FILE",
    "HOOK_COMMAND",
    "HOOK_EVENT",
    "HOOK_MATCHER",
    "HOOK_NAME",
    "SETTINGS_PATH",
    "add_gemini_hook",
    "context_file_names",
    "current_gemini_hook",
    "gemini_hook_drift",
    "has_gemini_hook",
    "hook_group",
]

SETTINGS_PATH = ".gemini/settings.json"
HOOK_EVENT = "AfterTool"
HOOK_MATCHER = "^(write_file|replace)$"
HOOK_NAME = "scaffold-lint"
HOOK_TIMEOUT_MS = 60_000
DEFAULT_CONTEXT_FILE = "GEMINI.md"  # packages/core/src/tools/memoryTool.ts

ENTRY = HookEntry(
    path=SETTINGS_PATH,
    event=HOOK_EVENT,
    matcher=HOOK_MATCHER,
    handler={
        "type": "command",
        "name": HOOK_NAME,
        "command": HOOK_COMMAND,
        "timeout": HOOK_TIMEOUT_MS,
    },
    comments=True,
    agent="Gemini CLI",
)


def _entry(path: str) -> HookEntry:
    return ENTRY if path == ENTRY.path else _hook_json.replace_path(ENTRY, path)


def hook_group() -> dict[str, Any]:
    """The matcher group scaffold adds under `hooks.AfterTool`."""
    return ENTRY.group()


def has_gemini_hook(text: str, *, path: str = SETTINGS_PATH) -> bool:
    """Whether the settings already run `scaffold lint --claude-hook` after tool calls."""
    return _hook_json.has_hook(text, _entry(path))


def add_gemini_hook(text: str | None, *, path: str = SETTINGS_PATH) -> str:
    """Return `text` with scaffold's AfterTool group added; unchanged when it is there.

    `text` None (or blank) means the file does not exist yet: a new document is returned.
    Raises `FileFormatError` (with line and column) for text that is not a JSON object (comments
    allowed) or whose `hooks` / `hooks.AfterTool` have a shape Gemini CLI rejects.
    """
    return _hook_json.add_hook(text, _entry(path))


def current_gemini_hook(text: str | None, *, path: str = SETTINGS_PATH) -> str:
    """`add_gemini_hook`, with a value an earlier scaffold wrote brought up to date (none yet)."""
    return _hook_json.current_hook(text, _entry(path))


def gemini_hook_drift(text: str, *, path: str = SETTINGS_PATH) -> str | None:
    """Why the settings lack scaffold's current hook (one clause for `scaffold check`), or None."""
    return _hook_json.hook_drift(text, _entry(path))


def context_file_names(text: str, *, path: str = SETTINGS_PATH) -> tuple[str, ...] | None:
    """The instruction files the settings' `context.fileName` names, or None when it is unset
    (Gemini then reads GEMINI.md). A value of the wrong type counts as unset, as in Gemini."""
    data = _hook_json.load_object(text, _entry(path))
    context = data.get("context")
    names = context.get("fileName") if isinstance(context, dict) else None
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not names:
        return None
    return tuple(name for name in names if isinstance(name, str))
