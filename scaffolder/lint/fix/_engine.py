"""The fix loop behind `fix_source` (imports libcst): each round applies the allowed fixes
region by region, adds the runtime imports, re-lints; the result is re-parsed before it is
returned."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from pathlib import Path
from types import ModuleType

import libcst as cst

from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.engine import lint_source
from scaffolder.lint.fix import (
    MAX_ROUNDS,
    FileFix,
    scf001,
    scf002,
    scf003,
    scf004,
    scf005,
    scf006,
    scf100,
)
from scaffolder.lint.fix._context import FixContext, module_imports
from scaffolder.lint.fix._edit import (
    Replacement,
    add_imports_to_lines,
    add_imports_to_text,
    replace_nodes,
)
from scaffolder.lint.fix._regions import header_end, regions, split_lines
from scaffolder.lint.fix._runtime import Runtime, find_runtime
from scaffolder.lint.fix._source import decode, parses
from scaffolder.lint.fix._types import Fix, NoFix

Fixer = Callable[[FixContext, Diagnostic], "Fix | NoFix | None"]


def _fixer(module: ModuleType) -> tuple[str, Fixer]:
    return module.CODE, module.fix


#: rule code -> its fixer
FIXERS: dict[str, Fixer] = dict(
    map(_fixer, (scf001, scf002, scf003, scf004, scf005, scf006, scf100))
)


def fix_file(
    source: bytes,
    path: Path,
    settings: Settings,
    *,
    unsafe: bool,
    runtime: Runtime | str | None,
    only: Collection[Diagnostic] | None,
    diagnostics: list[Diagnostic],
) -> FileFix:
    """`fix_source` once the file has a fixable finding (see there)."""
    result = FileFix(path, source, source)
    decoded = decode(source)
    if decoded is None:
        result.remaining = diagnostics
        return result
    if runtime is None:
        runtime = find_runtime(path)
    text = decoded.text
    hints: dict[Diagnostic, str] = {}
    for _ in range(MAX_ROUNDS if only is None else 1):
        wanted = [d for d in diagnostics if d.code in FIXERS and (only is None or d in only)]
        try:
            new_text, chosen, hints = _fix_round(text, path, settings, runtime, wanted, unsafe)
            new_source = decoded.encode(new_text)
        except (cst.ParserSyntaxError, RecursionError):
            break  # newer syntax than libcst knows, or nested too deeply: leave the file alone
        except UnicodeEncodeError:
            break  # an import name the file's declared encoding cannot hold
        if not chosen or new_text == text or not parses(new_source, path):
            break  # (the parse check is defensive: a fixer bug must never break a file)
        text = new_text
        result.new = new_source
        result.applied.extend(chosen)
        hints = {}
        if len(chosen) == len(diagnostics):
            diagnostics = []  # all fixed (the fixes leave nothing to find: tests/lint/test_fix.py)
            break
        diagnostics = lint_source(new_source, path, settings)
    result.remaining = [_with_hint(d, hints.get(d)) for d in diagnostics]
    return result


def _fix_round(
    text: str,
    path: Path,
    settings: Settings,
    runtime: Runtime | str,
    wanted: list[Diagnostic],
    unsafe: bool,
) -> tuple[str, list[tuple[Diagnostic, Fix]], dict[Diagnostic, str]]:
    """One round: each region's fixes applied on its own lines, then the imports."""
    if not wanted:
        return text, [], {}
    lines = split_lines(text)
    tree = ast.parse(text)
    module_name = runtime.module if isinstance(runtime, Runtime) else ""
    head = header_end(tree, module_name, len(lines))
    found = regions(tree, len(lines), wanted)
    chosen: list[tuple[Diagnostic, Fix]] = []
    hints: dict[Diagnostic, str] = {}
    names: set[str] = set()
    modules: set[str] = set()
    imported = module_imports(tree)
    for region in reversed(found):
        offset = region.start - 1
        snippet = "".join(lines[offset : region.end])
        shifted = {
            d._replace(line=d.line - offset, end_line=(d.end_line or d.line) - offset): d
            for d in region.diagnostics
        }
        module = cst.parse_module(snippet)
        if module.code != snippet:
            # libcst does not give every text back as it read it (1.9 drops the first of two
            # indented comment lines that end a file): editing through it would lose code.
            hints.update(dict.fromkeys(region.diagnostics, _NOT_ROUND_TRIPPED))
            continue
        ctx = FixContext(module, path, settings, runtime, imported)
        picked, notes = _choose(ctx, list(shifted), unsafe=unsafe)
        hints.update({shifted[d]: note for d, note in notes.items()})
        if picked:
            chosen.extend((shifted[d], fix) for d, fix in picked)
            names.update(name for _, fix in picked for name in fix.imports)
            modules.update(module for _, fix in picked for module in fix.modules)
            lines[offset : region.end] = [_apply(ctx, picked)]
    if (names or modules) and all(region.start > head for region in found):
        # the header lines did not move
        add_imports_to_lines(lines, head, module_name, names, modules)
        new_text = "".join(lines)
    elif names or modules:
        new_text = add_imports_to_text("".join(lines), module_name, names, modules)
    else:
        new_text = "".join(lines)
    chosen.sort(key=lambda pair: pair[0])
    return new_text, chosen, hints


_NOT_ROUND_TRIPPED = (
    "no automatic fix: the syntax tree library scaffold edits with would not keep these lines "
    "exactly as written (comment lines at the end of the file); change the code by hand"
)


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
    return replace_nodes(ctx.module, replacements).code


def _with_hint(diagnostic: Diagnostic, hint: str | None) -> Diagnostic:
    return diagnostic._replace(fix_hint=hint) if hint else diagnostic
