"""scaffold's managed block in the files coding agents read: CLAUDE.md, AGENTS.md, GEMINI.md
and Copilot's instructions (`agents.managed_block_files`; links followed, one block per file).

The block is delimited by `<!-- scaffold:begin/end -->` markers that carry the template version
and a hash of the body, so an edited block is told from an outdated one without rendering
(`scaffolder.edits.managed_block`). Everything outside the markers is the user's.
- init adds the block, or updates an unedited one; an edited block is kept (a note says so);
- update replaces an unedited block; an edited, removed or missing one is a conflict unless
  `--force`;
- check reports a missing, removed, edited or (when the answers file is current) outdated block.
"""

from __future__ import annotations

from pathlib import Path

from scaffolder.agents import block_targets, managed_block_files
from scaffolder.artifacts._base import (
    Action,
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
from scaffolder.errors import FileFormatError
from scaffolder.render import MEMORY_BLOCK

_INIT_DETAILS = {
    "added": "managed block added",
    "updated": "managed block updated",
    "unchanged": "managed block",
    "edited": "managed block (edited by you, kept)",
}


def plan(context: InitContext) -> list[Step]:
    from scaffolder.edits.claude_md import edit_memory_file
    from scaffolder.edits.managed_block import MalformedBlockError

    body = context.rendered[MEMORY_BLOCK]
    steps = []
    for target, rel in block_targets(context.root, context.answers).items():
        if not context.claude_md and rel == context.answers["claude_md"]:
            continue
        file = read_text(target)
        try:
            edit = edit_memory_file(file.text, body, version=context.version)
        except MalformedBlockError as exc:
            raise FileFormatError(target, str(exc)) from None
        if edit.status == "edited":
            context.notes.append(
                f"{rel}: you edited scaffold's managed block; it was left as it is "
                "(`scaffold update` merges template changes into it)"
            )
        steps.append(planned(rel, file.change(edit.text), _INIT_DETAILS[edit.status]))
    return steps


def update(context: UpdateContext) -> list[Step]:
    body = context.theirs.get(MEMORY_BLOCK, "")
    if not body:
        return []
    targets = block_targets(context.root, context.recorded.answers)
    return [
        _update_block(target, rel, body, context.to_version, context.force)
        for target, rel in targets.items()
    ]


def _update_block(target: Path, rel: str, body: str, version: int, force: bool) -> Step:
    from scaffolder.edits.managed_block import MalformedBlockError, find_block, upsert_block

    try:
        file = read_text(target)
    except FileFormatError as exc:
        return Step(Outcome(rel, "conflict", f"{exc.message}; managed block left as it is"))
    if file.data is None and not force:
        return Step(Outcome(rel, "conflict", "missing; `--force` creates it with the block"))
    try:
        block = find_block(file.text)
    except MalformedBlockError as exc:
        return Step(Outcome(rel, "conflict", str(exc)))
    if block is None and not force:
        detail = "managed block removed; left as it is (`--force` adds it back)"
        return Step(Outcome(rel, "conflict", detail))
    if block is not None and block.edited and not force:
        detail = (
            "you edited scaffold's managed block; left as it is (move your text outside the "
            f"markers, or `--force` replaces the block with template v{version}'s)"
        )
        return Step(Outcome(rel, "conflict", detail))
    new_text = upsert_block(file.text, body, version=version)
    if new_text == file.text:
        return Step()
    action: Action = "restored" if block is None else "updated"
    detail = "managed block" + (" (your edits replaced: --force)" if block and block.edited else "")
    return Step(Outcome(rel, action, detail), file.change(new_text))


def check(context: CheckContext) -> list[str]:
    # An outdated block only needs its own line when the answers file looks current.
    version = context.recorded.template_version if context.current else None
    problems = []
    for rel in managed_block_files(context.recorded.answers):
        problems.extend(_check_block(context, rel, version))
    return problems


def _check_block(context: CheckContext, rel: str, version: int | None) -> list[str]:
    from scaffolder.edits.managed_block import MalformedBlockError, find_block

    missing = "missing (it carried scaffold's managed block); run `scaffold update`"
    text, problems = check_text(context.root, rel, missing=missing)
    if text is None:
        return problems
    try:
        block = find_block(text)
    except MalformedBlockError as exc:
        return [f"{rel}: {exc}"]
    if block is None:
        return [f"{rel}: scaffold's managed block is missing; run `scaffold update --force`"]
    if block.edited:
        return [
            f"{rel}: scaffold's managed block was edited; put your own guidance outside the "
            "<!-- scaffold:begin/end --> markers (`scaffold update --force` restores the block)"
        ]
    if version is not None and block.version != version:
        return [
            f"{rel}: managed block is from template version {block.version}, the answers file "
            f"records {version}; run `scaffold update`"
        ]
    return []


def _block_files(context: UpdateContext) -> list[str]:
    return managed_block_files(context.recorded.answers)


KIND = Kind(
    "memory blocks",
    answers=("claude_md", "agents_md", "gemini_md", "copilot_md"),
    plan=plan,
    update=update,
    check=check,
    update_paths=_block_files,
)
