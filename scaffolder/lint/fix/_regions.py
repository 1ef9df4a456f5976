"""Which lines of a file a round of fixes has to parse with libcst.

libcst is slow on large files (parsing plus position and parent metadata cost seconds on a
few thousand lines), and a file with one finding is mostly code the fix never looks at. So a
finding inside a top-level `def` or `class` is fixed on the lines of that statement alone (its
names live in that scope); only a finding in module-level code, whose stream may be used
anywhere further down, needs the whole module. The import is added on the file's header
lines (docstring and leading imports): `header_end`.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Sequence
from typing import NamedTuple

from scaffolder.lint.diagnostics import Diagnostic

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
#: Fixers that look no further than the statement of the finding.
_LOCAL_CODES = frozenset({"SCF003", "SCF005", "SCF006", "SCF100"})


class Region(NamedTuple):
    start: int  # 1-based first line
    end: int  # 1-based last line (inclusive)
    diagnostics: list[Diagnostic]


def split_lines(text: str) -> list[str]:
    """The lines of `text` with their endings, numbered as the parser numbers them."""
    return _LINE.findall(text)


def regions(tree: ast.Module, line_count: int, diagnostics: Sequence[Diagnostic]) -> list[Region]:
    """The line ranges to fix, each with its findings; one range for the whole file when a
    finding needs the module's scope."""
    body = tree.body
    starts = [first_line(statement) for statement in body]
    found: dict[int, Region] = {}
    for diagnostic in diagnostics:
        index = bisect.bisect_right(starts, diagnostic.line) - 1
        statement = body[index] if index >= 0 else None
        if statement is None or (statement.end_lineno or 0) < diagnostic.line:
            return [Region(1, line_count, list(diagnostics))]
        scoped = isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if (not scoped and diagnostic.code not in _LOCAL_CODES) or shares_a_line(body, index):
            return [Region(1, line_count, list(diagnostics))]
        region = found.setdefault(
            index, Region(starts[index], statement.end_lineno or diagnostic.line, [])
        )
        region.diagnostics.append(diagnostic)
    return sorted(found.values())


def shares_a_line(body: list[ast.stmt], index: int) -> bool:
    """Whether statement `index` shares a line with its neighbour (`a = f(\n  x); b = g()`):
    its lines alone are not a module then."""
    first, last = first_line(body[index]), body[index].end_lineno or body[index].lineno
    before = index > 0 and (body[index - 1].end_lineno or 0) >= first
    after = index + 1 < len(body) and first_line(body[index + 1]) <= last
    return before or after


def first_line(statement: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(statement, "decorator_list", [])
    return min([statement.lineno, *(d.lineno for d in decorators)])


def header_end(tree: ast.Module, module_name: str, line_count: int) -> int:
    """The last line of the file's header: its docstring and leading imports, and an existing
    `from module_name import ...` (or the comment lines above the first statement)."""
    end = 0
    for index, statement in enumerate(tree.body):
        docstring = (
            index == 0
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        )
        if not (docstring or isinstance(statement, (ast.Import, ast.ImportFrom))):
            break
        end = statement.end_lineno or statement.lineno
    for statement in tree.body:
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.level == 0
            and statement.module == module_name
        ):
            end = max(end, statement.end_lineno or statement.lineno)
    if end == 0:  # no docstring or import first: keep the comments above the first statement
        end = first_line(tree.body[0]) - 1 if tree.body else line_count
    return end


def newline_of(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"
