"""The hook entry that runs `scaffold lint --claude-hook` after every edit a coding agent
makes: in Claude Code's `.claude/settings.json`, Codex CLI's `.codex/hooks.json` and Gemini
CLI's `.gemini/settings.json` (`agents.HOOK_FILES`; answers `claude_hook`, `codex_hook`,
`gemini_hook`).

These files are the user's: scaffold splices its one entry in and keeps every other byte
(`scaffolder.edits._hook_json`). init adds the entry (or brings an earlier release's matcher
or command to today's), update puts it back when it went missing, check reports a missing or
outdated entry.
"""

from __future__ import annotations

from pathlib import Path

from scaffolder._fs import Change
from scaffolder.agents import HookFile, managed_hook_files
from scaffolder.artifacts._base import (
    CheckContext,
    InitContext,
    Kind,
    Outcome,
    Step,
    UpdateContext,
    check_text,
    planned,
)
from scaffolder.edits import _hook_json
from scaffolder.errors import FileFormatError


def plan(context: InitContext) -> list[Step]:
    steps = []
    for hook in managed_hook_files(context.answers):
        path, old, new = hook.with_hook(context.root)
        stale = _stale(hook, path, old)
        if old == new:
            detail = f"{hook.agent} hook present"
        elif stale is not None:
            detail = f"{hook.agent} hook {stale} updated"
        else:
            detail = f"{hook.agent} hook `{hook.entry.command}` added"
        steps.append(planned(hook.path, Change(path, old, new), detail))
    return steps


def update(context: UpdateContext) -> list[Step]:
    steps = []
    for hook in managed_hook_files(context.recorded.answers):
        try:
            path, old, new = hook.with_hook(context.root)
        except FileFormatError as exc:
            steps.append(Step(Outcome(hook.path, "conflict", f"{exc.message}; left as it is")))
            continue
        if old == new:
            continue
        stale = _stale(hook, path, old)
        if stale is not None:
            now = hook.entry.matcher if stale == "matcher" else hook.entry.command
            outcome = Outcome(hook.path, "updated", f"{hook.agent} hook {stale} now `{now}`")
        else:
            outcome = Outcome(hook.path, "restored", f"{hook.agent} hook `{hook.entry.command}`")
        steps.append(Step(outcome, Change(path, old, new)))
    return steps


def _stale(hook: HookFile, path: Path, old: bytes | None) -> str | None:
    """Which value of scaffold's entry in `old` an earlier release wrote ("matcher" or
    "command"), else None (no file, no entry of scaffold's, or a current one)."""
    from scaffolder.edits.encoding import decode

    if old is None:
        return None
    text = decode(old, path).text
    if not _hook_json.has_hook(text, hook.entry):
        return None
    stale = _hook_json.stale_values(text, hook.entry)
    return "matcher" if "matcher" in stale else "command" if "command" in stale else None


def check(context: CheckContext) -> list[str]:
    problems = []
    for hook in managed_hook_files(context.recorded.answers):
        problems.extend(_check_hook(context, hook))
    return problems


def _check_hook(context: CheckContext, hook: HookFile) -> list[str]:
    entry = hook.entry
    missing = f"missing (it held the {hook.agent} hook); run `scaffold update`"
    text, problems = check_text(context.root, hook.path, missing=missing)
    if text is None:
        return problems
    try:
        if _hook_json.has_hook(text, entry):
            stale = _hook_json.stale_values(text, entry)
            if not stale:
                return []
            what = "matcher" if "matcher" in stale else "command"
            now = entry.matcher if what == "matcher" else entry.command
            return [
                f"{hook.path}: the {hook.agent} hook's {what} `{stale[what]}` is an earlier "
                f"scaffold's; run `scaffold update` to make it `{now}`"
            ]
    except FileFormatError as exc:
        return [exc.format_message()]
    return [
        f"{hook.path}: the {hook.agent} hook `{entry.command}` is gone; run `scaffold update` "
        f"to add it back (or {hook.opt_out} to stop managing it)"
    ]


KIND = Kind(
    "agent hooks",
    answers=("claude_hook", "codex_hook", "gemini_hook"),
    plan=plan,
    update=update,
    check=check,
)
