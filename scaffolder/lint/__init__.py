"""`scaffold lint`: find Anthropic streaming calls that lack recovery.

Public API (used by `scaffold lint`, `scaffold doctor` and the Claude Code hook):
`lint_source(source, path, settings)` for one file's bytes, `run_lint(paths, settings=...)`
for files and directories, `Diagnostic` and `LintReport`. Nothing here imports copier,
anthropic or libcst: this runs in pre-commit on every commit. The names are loaded on first
use, so that a run whose files are all cached or prefiltered never imports the rule engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scaffolder.lint.diagnostics import Diagnostic, LintReport
    from scaffolder.lint.engine import lint_source
    from scaffolder.lint.runner import run_lint

__all__ = ["Diagnostic", "LintReport", "lint_source", "run_lint"]

_HOMES = {
    "Diagnostic": "scaffolder.lint.diagnostics",
    "LintReport": "scaffolder.lint.diagnostics",
    "lint_source": "scaffolder.lint.engine",
    "run_lint": "scaffolder.lint.runner",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'scaffolder.lint' has no attribute {name!r}")
