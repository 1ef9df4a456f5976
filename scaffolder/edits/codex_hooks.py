"""Add scaffold's PostToolUse hook to Codex CLI's project hook file, `.codex/hooks.json`.

What it does: keeps one matcher group in `.codex/hooks.json`,

    {"hooks": {"PostToolUse": [{"matcher": "apply_patch",
        "hooks": [{"type": "command", "command": "scaffold lint --claude-hook", "timeout": 60}]}]}}

so that Codex runs `scaffold lint --claude-hook` after every file edit and hands the findings
(stderr of exit code 2) to the model. The edit keeps every byte of the user's file outside it
(`scaffolder.edits._hook_json`, the policy of `.claude/settings.json`).

Why this shape (openai/codex, docs/agents.md cites the files):
- Codex loads `hooks.json` next to each active config layer; the project layer is the
  repository's `.codex/` folder (`codex-rs/hooks/src/engine/discovery.rs`). The file is
  `{"hooks": {<event>: [matcher groups]}}` (`codex-rs/config/src/hook_config.rs`, `HooksFile`);
  `timeout` is in seconds (default 600).
- Every file edit is one `apply_patch` tool call. Its PostToolUse event carries the canonical
  tool name `apply_patch`; `Edit` and `Write` are only matcher aliases, and only in recent
  releases (`HookToolName::apply_patch`), so the matcher names the tool itself. A matcher of
  letters, digits, `_` and `|` is an exact match (`codex-rs/hooks/src/events/common.rs`).
- Codex runs a project's hooks only in a trusted project, and a non-managed hook only after the
  user reviewed and trusted it in `/hooks`: trust is recorded per hook position and per hash of
  its definition, so a changed matcher, command or timeout needs trusting again. Our group is
  appended last, so the user's hooks keep their positions; nothing here ever changes the
  group once written except an earlier scaffold's exact value (none so far).

Example: `add_codex_hook(None)` is the document above; `add_codex_hook(text)` of a file whose
PostToolUse list already runs `.venv/bin/scaffold lint --claude-hook` is `text` unchanged.
"""

from __future__ import annotations

from typing import Any

from scaffolder.edits import _hook_json
from scaffolder.edits._hook_json import HOOK_COMMAND, HookEntry

__all__ = [
    "HOOKS_PATH",
    "HOOK_COMMAND",
    "HOOK_EVENT",
    "HOOK_MATCHER",
    "HOOK_TIMEOUT",
    "add_codex_hook",
    "codex_hook_drift",
    "current_codex_hook",
    "has_codex_hook",
    "hook_group",
]

HOOKS_PATH = ".codex/hooks.json"
HOOK_EVENT = "PostToolUse"
HOOK_MATCHER = "apply_patch"
HOOK_TIMEOUT = 60  # seconds (Codex: 600 by default); linting the patched files takes about one

ENTRY = HookEntry(
    path=HOOKS_PATH,
    event=HOOK_EVENT,
    matcher=HOOK_MATCHER,
    handler={"type": "command", "command": HOOK_COMMAND, "timeout": HOOK_TIMEOUT},
    agent="Codex CLI",
)


def _entry(path: str) -> HookEntry:
    return ENTRY if path == ENTRY.path else _hook_json.replace_path(ENTRY, path)


def hook_group() -> dict[str, Any]:
    """The matcher group scaffold adds under `hooks.PostToolUse`."""
    return ENTRY.group()


def has_codex_hook(text: str, *, path: str = HOOKS_PATH) -> bool:
    """Whether the hook file already runs `scaffold lint --claude-hook` after tool calls."""
    return _hook_json.has_hook(text, _entry(path))


def add_codex_hook(text: str | None, *, path: str = HOOKS_PATH) -> str:
    """Return `text` with scaffold's PostToolUse group added; unchanged when it is there.

    `text` None (or blank) means the file does not exist yet: a new document is returned.
    Raises `FileFormatError` (with line and column) for text that is not a JSON object or whose
    `hooks` / `hooks.PostToolUse` have a shape Codex rejects.
    """
    return _hook_json.add_hook(text, _entry(path))


def current_codex_hook(text: str | None, *, path: str = HOOKS_PATH) -> str:
    """`add_codex_hook`, with a value an earlier scaffold wrote brought up to date (none yet:
    Codex asks the user to trust a changed hook again, so scaffold changes it only when it must)."""
    return _hook_json.current_hook(text, _entry(path))


def codex_hook_drift(text: str, *, path: str = HOOKS_PATH) -> str | None:
    """Why the file lacks scaffold's current hook (one clause for `scaffold check`), or None."""
    return _hook_json.hook_drift(text, _entry(path))
