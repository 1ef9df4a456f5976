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
        earlier = _earlier(hook, path, old)
        if old == new:
            detail = f"{hook.agent} hook present"
        elif earlier is not None:
            detail = f"{hook.agent} hook {earlier[0]} updated"
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
        earlier = _earlier(hook, path, old)
        if earlier is not None:
            field, _, now = earlier
            outcome = Outcome(hook.path, "updated", f"{hook.agent} hook {field} now `{now}`")
        else:
            outcome = Outcome(hook.path, "restored", f"{hook.agent} hook `{hook.entry.command}`")
        steps.append(Step(outcome, Change(path, old, new)))
    return steps


def _earlier(hook: HookFile, path: Path, old: bytes | None) -> tuple[str, str, str] | None:
    """`_hook_json.earlier_value` of the file's bytes `old` (None: no file)."""
    from scaffolder.edits.encoding import decode

    return None if old is None else _hook_json.earlier_value(decode(old, path).text, hook.entry)


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
            earlier = _hook_json.earlier_value(text, entry)
            if earlier is None:
                return []
            field, old, now = earlier
            return [
                f"{hook.path}: the {hook.agent} hook's {field} `{old}` is an earlier "
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
