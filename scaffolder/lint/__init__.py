"""`scaffold lint`: find Anthropic streaming calls that lack recovery.

Public API (used by `scaffold lint`, `scaffold doctor` and the Claude Code hook):
`lint_source(source, path, settings)` for one file's bytes, `run_lint(paths, settings=...)`
for files and directories, `Diagnostic` and `LintReport`. Nothing here imports copier,
anthropic or libcst: this runs in pre-commit on every commit.
"""

from __future__ import annotations

from scaffolder.lint.diagnostics import Diagnostic, LintReport
from scaffolder.lint.engine import lint_source
from scaffolder.lint.runner import run_lint

__all__ = ["Diagnostic", "LintReport", "lint_source", "run_lint"]
