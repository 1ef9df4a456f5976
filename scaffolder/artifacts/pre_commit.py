"""The scaffold-lint and scaffold-check hooks in `.pre-commit-config.yaml` (answer
`pre_commit`). The config is the user's (`scaffolder.edits.pre_commit` edits it as text):
init adds the hooks it lacks and brings an earlier release's scaffold-lint entry to today's;
update does the latter only (a hook the user removed stays removed); check reports an earlier
release's entry (a missing config or hook is the user's choice, not drift).
"""

from __future__ import annotations

from pathlib import Path

from scaffolder.artifacts._base import (
    CheckContext,
    InitContext,
    Kind,
    Outcome,
    Step,
    UpdateContext,
    check_text,
    planned,
    read_text,
)
from scaffolder.edits.pre_commit import PRE_COMMIT_CONFIG
from scaffolder.errors import FileFormatError
from scaffolder.repo import shared_file


def plan(context: InitContext) -> list[Step]:
    from scaffolder.edits.pre_commit import add_hooks, current_hooks

    if not context.pre_commit:
        return []
    target = shared_file(context.root, PRE_COMMIT_CONFIG)  # a link stays a link
    file = read_text(target)
    edit = add_hooks(file.text, path=target)
    text = current_hooks(edit.text, path=target)
    detail = "hooks " + ", ".join(edit.added) if edit.added else "hooks present"
    if text != edit.text:
        detail += "; scaffold-lint entry updated (--force-exclude)"
    return [planned(PRE_COMMIT_CONFIG, file.change(text), detail)]


def update(context: UpdateContext) -> list[Step]:
    from scaffolder.edits.pre_commit import LINT_ENTRY, current_hooks

    if not context.recorded.answers.get("pre_commit"):
        return []
    path = context.root / PRE_COMMIT_CONFIG
    try:
        file = read_text(path)
        if file.data is None:
            return []
        text = current_hooks(file.text, path=path)
    except FileFormatError as exc:
        return [Step(Outcome(PRE_COMMIT_CONFIG, "conflict", exc.message))]
    if text == file.text:
        return []
    detail = f"scaffold-lint hook entry now `{LINT_ENTRY}`"
    return [Step(Outcome(PRE_COMMIT_CONFIG, "updated", detail), file.change(text))]


def check(context: CheckContext) -> list[str]:
    from scaffolder.edits.pre_commit import LINT_ENTRY, stale_lint_entry

    if not context.recorded.answers.get("pre_commit"):
        return []
    if not (context.root / PRE_COMMIT_CONFIG).exists():
        return []
    text, problems = check_text(context.root, PRE_COMMIT_CONFIG, missing="")
    if text is None:
        return problems
    try:
        stale = stale_lint_entry(text, path=Path(PRE_COMMIT_CONFIG))
    except FileFormatError as exc:
        return [exc.format_message()]
    if stale is None:
        return []
    return [
        f"{PRE_COMMIT_CONFIG}: the scaffold-lint hook runs `{stale}`, which lints files "
        f"`exclude` excludes; run `scaffold update` to make it `{LINT_ENTRY}`"
    ]


KIND = Kind("pre-commit hooks", answers=("pre_commit",), plan=plan, update=update, check=check)
