"""SCF100: the unused codes go from a `# noqa: ...` directive (safe, like ruff's RUF100).

`# noqa: SCF003, SCF001` -> `# noqa: SCF003` when only SCF001 is unused; a directive left
without codes goes with the whitespace before it, and the rest of its comment stays
(`# type: ignore  # noqa: SCF001` -> `# type: ignore`); a comment that was only the
directive goes, and on a line of its own the line goes with it. Removing a code no rule
reports on that line changes no finding and no behaviour.
"""

from __future__ import annotations

import re

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import FixContext
from scaffolder.lint.fix._types import Fix, NoFix
from scaffolder.lint.rules.scf100 import NOQA, unused_codes

CODE = "SCF100"


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    unused = set(unused_codes(diagnostic.message))
    comment = _comment_at(ctx, diagnostic.line, diagnostic.col - 1)
    if comment is None or not unused:
        return None
    offset = diagnostic.col - 1 - ctx.positions[comment].start.column
    match = NOQA.match(comment.value, offset)
    if match is None or match.group("codes") is None:
        return None
    listed = re.split(r"[\s,]+", match.group("codes"))
    kept = [code for code in listed if code.upper() not in unused]
    if kept == listed:
        return None
    title = f"remove the unused {', '.join(sorted(unused))} from the `noqa` directive"
    if kept:
        directive = comment.value[match.start() : match.start("codes")] + ", ".join(kept)
        text = comment.value[: match.start()] + directive + comment.value[match.end() :]
        return Fix(CODE, target=comment, replacement=comment.with_changes(value=text), title=title)
    before = comment.value[: match.start()].rstrip()
    after = comment.value[match.end() :].strip()
    if before or after:
        text = f"{before}  {_as_comment(after)}" if before and after else before or after
        return Fix(
            CODE,
            target=comment,
            replacement=comment.with_changes(value=_as_comment(text)),
            title=title,
        )
    parent = ctx.parent(comment)
    if isinstance(parent, cst.TrailingWhitespace):
        bare = parent.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
        return Fix(CODE, target=parent, replacement=bare, title=title)
    if isinstance(parent, cst.EmptyLine):
        return Fix(CODE, target=parent, replacement=cst.RemovalSentinel.REMOVE, title=title)
    return None


def _comment_at(ctx: FixContext, line: int, column: int) -> cst.Comment | None:
    """The comment on `line` that spans the 0-based `column`."""
    for node, where in ctx.positions.items():
        if (
            isinstance(node, cst.Comment)
            and where.start.line == line
            and where.start.column <= column < where.end.column
        ):
            return node
    return None


def _as_comment(text: str) -> str:
    """`text` as a comment: what followed the directive may have been its reason (`# noqa:
    SCF001 legacy code` -> `# legacy code`)."""
    return text if text.startswith("#") else f"# {text}"
