"""The scaffold-lint and scaffold-check hooks in `.pre-commit-config.yaml` (answer
`pre_commit`). The config is the user's (`scaffolder.edits.pre_commit` edits it as text):
init adds the hooks it lacks and brings an earlier release's scaffold-lint entry to today's;
update does the latter only (a hook the user removed stays removed); check reports an earlier
release's entry (a missing config or hook is the user's choice, not drift).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


def _node(answers: Mapping[str, Any]) -> bool:
    """The repository has TypeScript/JavaScript code: the lint hook must see those files."""
    return bool(answers.get("node_runtime"))


def plan(context: InitContext) -> list[Step]:
    from scaffolder.edits.pre_commit import add_hooks, current_hooks

    if not context.pre_commit:
        return []
    target = shared_file(context.root, PRE_COMMIT_CONFIG)  # a link stays a link
    file = read_text(target)
    node = _node(context.answers)
    edit = add_hooks(file.text, path=target, node=node)
    text = current_hooks(edit.text, path=target, node=node)
    detail = "hooks " + ", ".join(edit.added) if edit.added else "hooks present"
    if text != edit.text:
        detail += "; scaffold-lint " + "; ".join(_what_changed(edit.text, target, node=node))
    return [planned(PRE_COMMIT_CONFIG, file.change(text), detail)]


def update(context: UpdateContext) -> list[Step]:
    from scaffolder.edits.pre_commit import current_hooks

    if not context.recorded.answers.get("pre_commit"):
        return []
    path = context.root / PRE_COMMIT_CONFIG
    node = _node(context.recorded.answers)
    try:
        file = read_text(path)
        if file.data is None:
            return []
        text = current_hooks(file.text, path=path, node=node)
        changed = _what_changed(file.text, path, node=node, update=True)
    except FileFormatError as exc:
        return [Step(Outcome(PRE_COMMIT_CONFIG, "conflict", exc.message))]
    if text == file.text:
        return []
    detail = "scaffold-lint hook " + "; ".join(changed)
    return [Step(Outcome(PRE_COMMIT_CONFIG, "updated", detail), file.change(text))]


def _what_changed(text: str, path: Path, *, node: bool, update: bool = False) -> list[str]:
    """What `current_hooks` brings up to date in `text`, for the summaries."""
    from scaffolder.edits.pre_commit import LINT_ENTRY, python_only_lint_hook, stale_lint_entry

    changed = []
    if stale_lint_entry(text, path=path) is not None:
        changed.append(f"entry now `{LINT_ENTRY}`" if update else "entry updated (--force-exclude)")
    if node and python_only_lint_hook(text, path=path):
        changed.append("now also lints TypeScript/JavaScript files")
    return changed


def check(context: CheckContext) -> list[str]:
    from scaffolder.edits.pre_commit import LINT_ENTRY, python_only_lint_hook, stale_lint_entry

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
    problems = []
    if stale is not None:
        problems.append(
            f"{PRE_COMMIT_CONFIG}: the scaffold-lint hook runs `{stale}`, which lints files "
            f"`exclude` excludes; run `scaffold update` to make it `{LINT_ENTRY}`"
        )
    if _node(context.recorded.answers) and python_only_lint_hook(
        text, path=Path(PRE_COMMIT_CONFIG)
    ):
        problems.append(
            f"{PRE_COMMIT_CONFIG}: the scaffold-lint hook only sees Python files; run "
            "`scaffold update` to have it lint TypeScript/JavaScript files too"
        )
    return problems


KIND = Kind("pre-commit hooks", answers=("pre_commit",), plan=plan, update=update, check=check)
