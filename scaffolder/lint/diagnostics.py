"""What a lint run produces: one `Diagnostic` per finding, a `LintReport` per run.

NamedTuples rather than dataclasses: they are created in a fraction of the import time, and
`scaffold lint` starts on every commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

Row = tuple[str, str, int, int, int, int, "str | None"]


class Diagnostic(NamedTuple):
    """One finding. `line`/`col` are 1-based; `col` counts characters, not bytes.

    Ordered by path, then position (tuple order).
    """

    path: Path
    line: int
    col: int
    code: str
    message: str
    end_line: int = 0
    end_col: int = 0
    fix_hint: str | None = None

    def as_row(self) -> Row:
        """A plain tuple without the path, for the cache."""
        return (
            self.code,
            self.message,
            self.line,
            self.col,
            self.end_line,
            self.end_col,
            self.fix_hint,
        )

    @classmethod
    def from_row(cls, path: Path, row: Row) -> Diagnostic:
        code, message, line, col, end_line, end_col, fix_hint = row
        return cls(path, line, col, code, message, end_line, end_col, fix_hint)


class LintReport(NamedTuple):
    """The result of `run_lint`: diagnostics sorted by path and position."""

    diagnostics: tuple[Diagnostic, ...]
    files_checked: int
    files_from_cache: int = 0
    # Not linted: files of other languages found that mention an Anthropic SDK, and files of
    # other languages named on the command line (see discovery.OTHER_SOURCE_SUFFIXES).
    unchecked: tuple[str, ...] = ()
    named_unchecked: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return 1 if self.diagnostics else 0
