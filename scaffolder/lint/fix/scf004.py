"""placeholder"""

from __future__ import annotations


from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import FixContext
from scaffolder.lint.fix._types import Fix, NoFix

CODE = "SCF004"


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    return None
