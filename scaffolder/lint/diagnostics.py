"""What a lint run produces: one `Diagnostic` per finding, a `LintReport` per run."""

from __future__ import annotations

import dataclasses
from pathlib import Path


@dataclasses.dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. `line`/`col` are 1-based; `col` counts characters, not bytes."""

    path: Path
    line: int
    col: int
    code: str
    message: str
    end_line: int = 0
    end_col: int = 0
    fix_hint: str | None = dataclasses.field(default=None, compare=False)

    def as_row(self) -> tuple[str, str, int, int, int, int, str | None]:
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
    def from_row(
        cls, path: Path, row: tuple[str, str, int, int, int, int, str | None]
    ) -> Diagnostic:
        code, message, line, col, end_line, end_col, fix_hint = row
        return cls(path, line, col, code, message, end_line, end_col, fix_hint)


@dataclasses.dataclass(frozen=True)
class LintReport:
    """The result of `run_lint`: diagnostics sorted by path and position."""

    diagnostics: tuple[Diagnostic, ...]
    files_checked: int
    files_from_cache: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.diagnostics else 0
