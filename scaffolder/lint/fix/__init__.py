"""`scaffold lint --fix`: rewrite findings onto the recovery runtime, keeping everything else.

One fixer module per rule code (`FIXERS`); each turns a finding into a `Fix` (an edit of the
file's libcst tree, safe or unsafe like ruff's) or a `NoFix` (why not, what to do by hand).
`fix_source` applies the allowed fixes, re-lints and repeats until nothing changes, and
re-parses the result before returning it: a fixed file is never broken, and the text around
the edits (formatting, comments, line endings, encoding) is kept byte for byte.

This package imports libcst; only `--fix`, `--diff` and the Claude Code hook (when it has a
finding to explain) import it, never a plain `scaffold lint`.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import libcst as cst

from scaffolder.config import Settings
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.engine import lint_source
from scaffolder.lint.fix import scf001, scf002, scf003, scf004, scf005
from scaffolder.lint.fix._context import FixContext
from scaffolder.lint.fix._edit import Replacement, add_imports, replace_nodes
from scaffolder.lint.fix._runtime import Runtime, find_runtime
from scaffolder.lint.fix._source import decode
from scaffolder.lint.fix._types import Fix, NoFix

__all__ = ["FIXERS", "FileFix", "Fix", "NoFix", "fix_source"]

Fixer = Callable[[FixContext, Diagnostic], "Fix | NoFix | None"]


def _fixer(module: ModuleType) -> tuple[str, Fixer]:
    return module.CODE, module.fix


#: rule code -> its fixer
FIXERS: dict[str, Fixer] = dict(map(_fixer, (scf001, scf002, scf003, scf004, scf005)))

#: A fix can uncover another (or two fixes overlap); a few rounds settle any file.
MAX_ROUNDS = 4


@dataclass
class FileFix:
    """The outcome for one file: its new bytes, the fixes applied, the findings left."""

    path: Path
    old: bytes
    new: bytes
    applied: list[tuple[Diagnostic, Fix]] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new != self.old


def fix_source(
    source: bytes,
    path: Path,
    settings: Settings,
    *,
    unsafe: bool = False,
    runtime: Runtime | str | None = None,
    only: Collection[Diagnostic] | None = None,
) -> FileFix:
    """Fix one file's bytes. `runtime` defaults to the one the repository's answers name.

    With `only`, fix just those findings (one round: the positions of the others would move).

    `remaining` are the findings after fixing; a finding that has no automatic fix carries the
    reason as its `fix_hint`, one with only an unsafe fix says so.
    """
    result = FileFix(path, source, source)
    decoded = decode(source)
    diagnostics = lint_source(source, path, settings)
    if decoded is None or not any(d.code in FIXERS for d in diagnostics):
        result.remaining = diagnostics
        return result
    if runtime is None:
        runtime = find_runtime(path)
    text = decoded.text
    for _ in range(MAX_ROUNDS if only is None else 1):
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError:
            break  # newer syntax than libcst knows: leave the file alone
        ctx = FixContext(module, path, settings, runtime)
        wanted = diagnostics if only is None else [d for d in diagnostics if d in only]
        chosen, hints = _choose(ctx, wanted, unsafe=unsafe)
        if not chosen:
            result.remaining = [_with_hint(d, hints.get(d)) for d in diagnostics]
            break
        new_text = _apply(ctx, chosen)
        new_source = decoded.encode(new_text)
        if new_text == text or not _parses(new_source, path):
            result.remaining = [_with_hint(d, hints.get(d)) for d in diagnostics]
            break  # defensive: a fixer bug must never leave a broken file behind
        text = new_text
        result.new = new_source
        result.applied.extend(chosen)
        diagnostics = lint_source(new_source, path, settings)
        result.remaining = diagnostics
    return result


def _choose(
    ctx: FixContext, diagnostics: list[Diagnostic], *, unsafe: bool
) -> tuple[list[tuple[Diagnostic, Fix]], dict[Diagnostic, str]]:
    """The fixes to apply this round (no two touching the same code) and hints for the rest."""
    chosen: list[tuple[Diagnostic, Fix]] = []
    hints: dict[Diagnostic, str] = {}
    for diagnostic in diagnostics:
        fixer = FIXERS.get(diagnostic.code)
        proposal = fixer(ctx, diagnostic) if fixer is not None else None
        if isinstance(proposal, NoFix):
            hints[diagnostic] = f"no automatic fix: {proposal.reason}"
        elif isinstance(proposal, Fix):
            if proposal.unsafe and not unsafe:
                hints[diagnostic] = (
                    f"unsafe fix available with `--fix --unsafe-fixes`: {proposal.title}"
                )
            elif not any(
                _overlap(ctx, mine, theirs)
                for _, taken in chosen
                for mine in (proposal.target, *proposal.removals)
                for theirs in (taken.target, *taken.removals)
            ):
                chosen.append((diagnostic, proposal))
    return chosen, hints


def _overlap(ctx: FixContext, a: cst.CSTNode, b: cst.CSTNode) -> bool:
    return ctx.contains(a, b) or ctx.contains(b, a) or _intersect(ctx, a, b)


def _intersect(ctx: FixContext, a: cst.CSTNode, b: cst.CSTNode) -> bool:
    x, y = ctx.positions[a], ctx.positions[b]
    return (x.start.line, x.start.column) < (y.end.line, y.end.column) and (
        y.start.line,
        y.start.column,
    ) < (x.end.line, x.end.column)


def _apply(ctx: FixContext, chosen: list[tuple[Diagnostic, Fix]]) -> str:
    replacements: dict[cst.CSTNode, Replacement] = {}
    for _, fix in chosen:
        replacements[fix.target] = fix.replacement
        replacements.update(dict.fromkeys(fix.removals, cst.RemovalSentinel.REMOVE))
    module = replace_nodes(ctx.module, replacements)
    names = {name for _, fix in chosen for name in fix.imports}
    if names:
        assert isinstance(ctx.runtime, Runtime)  # fixers that import check for it
        module = add_imports(module, ctx.runtime.module, names)
    return module.code


def _parses(source: bytes, path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _with_hint(diagnostic: Diagnostic, hint: str | None) -> Diagnostic:
    return diagnostic._replace(fix_hint=hint) if hint else diagnostic
