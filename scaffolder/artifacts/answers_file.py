"""`.scaffold-answers.yml`: the record of every other kind. It holds the answers (where the
files went, which agents are managed), the template version, and the sha256 of every whole
file scaffold wrote (`scaffolder._recorded`), so `update` and `check` manage exactly what init
set up. It is written last (it records the others' results) and read first.
"""

from __future__ import annotations

from collections.abc import Iterable

from scaffolder import render
from scaffolder._fs import Change, keep_line_endings, read_bytes
from scaffolder._recorded import file_digest, with_digests
from scaffolder.answers import ANSWERS_FILE
from scaffolder.artifacts._base import CheckContext, InitContext, Step, UpdateContext, planned
from scaffolder.repo import check_inside

# The answers that are about the record itself, not about one kind of file.
ANSWERS = ("template_version", "template_src")


def plan(context: InitContext, steps: Iterable[Step], owned: Iterable[str]) -> Step:
    """The rendered answers plus the digest of every whole file this init leaves."""
    wanted = set(owned)
    digests = {}
    for step in steps:
        change = step.change
        if change is not None:
            rel = change.path.relative_to(context.root).as_posix()
            if rel in wanted:
                digests[rel] = file_digest(change.new)
    target = check_inside(context.root, ANSWERS_FILE)
    old = read_bytes(target)
    rendered = context.rendered[render.ANSWERS]
    new = keep_line_endings(old, with_digests(rendered, digests).encode("utf-8"))
    return planned(ANSWERS_FILE, Change(target, old, new), "answers for update/check")


def update(context: UpdateContext) -> Step:
    """The installed template's answers, with the digests the other kinds left."""
    path = context.root / ANSWERS_FILE
    old = read_bytes(path)
    new = with_digests(context.theirs[ANSWERS_FILE], context.digests).encode("utf-8")
    return Step(change=Change(path, old, keep_line_endings(old, new)))


def check(context: CheckContext) -> list[str]:
    recorded, installed = context.recorded.template_version, context.installed_version
    if recorded < installed:
        return [
            f"{ANSWERS_FILE}: rendered from template version {recorded}, "
            f"scaffold {_scaffold_version()} carries version {installed}; run `scaffold update`"
        ]
    if recorded > installed:
        return [
            f"{ANSWERS_FILE}: rendered from template version {recorded}, newer than the "
            f"{installed} of scaffold {_scaffold_version()}; upgrade scaffold "
            "(`uv tool upgrade claude-scaffold` or `pipx upgrade claude-scaffold`)"
        ]
    return []


def _scaffold_version() -> str:
    from scaffolder import __version__

    return __version__
