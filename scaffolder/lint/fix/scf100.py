"""SCF100: the unused codes go from a `# noqa: ...` directive (safe, like ruff's RUF100).

`# noqa: SCF003, SCF001` -> `# noqa: SCF003` when only SCF001 is unused; a directive left
without codes goes with the whitespace before it, and the rest of its comment stays
(`# type: ignore  # noqa: SCF001` -> `# type: ignore`); a comment that was only the
directive goes, and on a line of its own the line goes with it. Removing a code no rule
reports on that line changes no finding and no behaviour.
"""

from __future__ import annotations

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import FixContext
from scaffolder.lint.fix._types import Fix, NoFix
from scaffolder.lint.rules.scf100 import unused_codes, without_unused

CODE = "SCF100"


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    unused = set(unused_codes(diagnostic.message))
    comment = _comment_at(ctx, diagnostic.line, diagnostic.col - 1)
    if comment is None or not unused:
        return None
    offset = diagnostic.col - 1 - ctx.positions[comment].start.column
    edit = without_unused(comment.value, offset, unused)
    if edit is None:
        return None
    title, text = edit
    if text is not None:
        return Fix(CODE, target=comment, replacement=comment.with_changes(value=text), title=title)
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
