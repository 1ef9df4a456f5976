"""SCF003: a literal read timeout below `min-timeout` is raised to `min-timeout` (safe).

Only a number written at the finding (`timeout=60`, `httpx.Timeout(30.0, connect=5.0)`,
`Timeout(60, read=30)`) is rewritten; a timeout from a variable or a transport is left to the
user, with a hint.
"""

from __future__ import annotations

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import FixContext, keyword
from scaffolder.lint.fix._types import Fix, NoFix

CODE = "SCF003"
_NUMBER = (cst.Integer, cst.Float)


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    node = ctx.expression_at(diagnostic)
    if node is None:
        return None
    literal = _read_literal(node)
    if literal is None:
        return NoFix(
            CODE,
            f"the read timeout is not a number written here: set it to at least "
            f"{ctx.settings.min_timeout:g} s where it is defined",
        )
    minimum = ctx.settings.min_timeout
    if isinstance(literal, cst.Integer) and float(minimum).is_integer():
        text = str(int(minimum))
    else:
        text = repr(float(minimum))
    return Fix(
        CODE,
        target=literal,
        replacement=literal.with_changes(value=text),
        title=f"raise the read timeout to min-timeout ({text} s)",
    )


def _read_literal(node: cst.BaseExpression) -> cst.Integer | cst.Float | None:
    if isinstance(node, _NUMBER):
        return node
    if isinstance(node, cst.Call):  # httpx.Timeout(...) / anthropic.Timeout(...)
        read = keyword(node, "read") or keyword(node, "timeout")
        if read is None:
            positional = [a for a in node.args if a.keyword is None and not a.star]
            read = positional[0] if positional else None
        if read is not None and isinstance(read.value, _NUMBER):
            return read.value
    return None
