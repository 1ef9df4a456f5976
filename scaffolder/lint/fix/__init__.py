"""`scaffold lint --fix`: rewrite findings onto the recovery runtime, keeping everything else.

One fixer module per rule code (`_engine.FIXERS`); each turns a finding into a `Fix` (an edit
of the file's libcst tree, safe or unsafe like ruff's) or a `NoFix` (why not, what to do by
hand). `fix_source` applies the allowed fixes, re-lints and repeats until nothing changes, and
re-parses the result before returning it: a fixed file is never broken, and the text around
the edits (formatting, comments, line endings, encoding) is kept byte for byte.

This module is cheap to import, and libcst (about 0.2-0.4 s of imports, more than a plain
`scaffold lint` of a large tree) is loaded only for a fix that needs its tree: the common
fixes (SCF001 in its safe forms, SCF003 on a literal, SCF100) are text edits from the `ast`
tree (`_text.py`, ruff's model), and the libcst engine fixes only the files they cannot.
So `scaffold lint --fix` on a clean tree (a pre-commit hook) costs what a plain
`scaffold lint` costs, and with a few such findings little more.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.lint import typescript
from scaffolder.lint.diagnostics import Diagnostic

if TYPE_CHECKING:
    from scaffolder.lint.config import Settings
    from scaffolder.lint.fix._runtime import Runtime
    from scaffolder.lint.fix._types import Fix, TextFix

__all__ = ["FIXABLE_CODES", "MAX_ROUNDS", "FileFix", "fix_source", "fixable"]

#: A fix can uncover another (or two fixes overlap); a few rounds settle any file.
MAX_ROUNDS = 4

if TYPE_CHECKING:
    #: The codes that have a fixer: the rules with a `FIX_AVAILABILITY` (tests/lint/test_fix.py
    #: checks this against `_engine.FIXERS`). Read from the registry on first use.
    FIXABLE_CODES: frozenset[str]


def __getattr__(name: str) -> frozenset[str]:
    if name == "FIXABLE_CODES":
        return _fixable_codes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _fixable_codes() -> frozenset[str]:
    from scaffolder.lint.rules import RULES  # the rule modules: only once a file has findings

    return frozenset(code for code, rule in RULES.items() if rule.fix_availability)


@dataclass
class FileFix:
    """The outcome for one file: its new bytes, the fixes applied, the findings left."""

    path: Path
    old: bytes
    new: bytes
    applied: list[tuple[Diagnostic, Fix | TextFix]] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new != self.old


def fixable(path: Path, diagnostics: Collection[Diagnostic]) -> bool:
    """Whether `fix_source` could change the file: a Python file with a finding that has a
    fixer (TypeScript/JavaScript findings have no fixes yet)."""
    if typescript.handles(str(path)):
        return False
    return any(d.code in _fixable_codes() for d in diagnostics)


def fix_source(
    source: bytes,
    path: Path,
    settings: Settings,
    *,
    unsafe: bool = False,
    runtime: Runtime | str | None = None,
    only: Collection[Diagnostic] | None = None,
    diagnostics: list[Diagnostic] | None = None,
) -> FileFix:
    """Fix one file's bytes. `runtime` defaults to the one the repository's answers name.

    With `only`, fix just those findings (one round: the positions of the others would move).
    `diagnostics` are the file's findings when the caller has them already.

    `remaining` are the findings after fixing; a finding that has no automatic fix carries the
    reason as its `fix_hint`, one with only an unsafe fix says so.
    """
    if diagnostics is None:
        from scaffolder.lint.engine import lint_source

        diagnostics = lint_source(source, path, settings)
    if not fixable(path, diagnostics):
        return FileFix(path, source, source, remaining=diagnostics)
    from scaffolder.lint.fix._text import fix_text

    fixed = fix_text(
        source,
        path,
        settings,
        runtime=runtime,
        only=only,
        diagnostics=diagnostics,
        fixable=_fixable_codes(),
    )
    if fixed is not None:
        return fixed
    from scaffolder.lint.fix._engine import fix_file  # libcst

    return fix_file(
        source, path, settings, unsafe=unsafe, runtime=runtime, only=only, diagnostics=diagnostics
    )
