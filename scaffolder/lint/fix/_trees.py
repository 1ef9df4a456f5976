"""The `ast` trees of the files `scaffold lint --fix` is about to fix, kept from linting them.

What it does: while `keeping()` is on, the lint engine hands over (`remember`) the text and
tree of each file it parses in this process that has a finding with a fix; the text-edit
fixes (`_text.py`) take (`take`) the tree back when the file's text is still the same.
Why: parsing a large module costs as much as fixing it; the lint has just done it. Only the
trees of up to `BUDGET` characters of source are kept (a tree takes ~100x its text), oldest
dropped first; a file linted in a worker process (many candidates) is parsed again.
Example: `with keeping(): report = run_lint(...); run_fixes(report, ...)`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUDGET = 2_000_000  # characters

_kept: dict[Path, tuple[str, ast.Module]] | None = None


@contextmanager
def keeping() -> Iterator[None]:
    global _kept
    _kept = {}
    try:
        yield
    finally:
        _kept = None


def active() -> bool:
    """Whether `keeping()` is on (a plain `scaffold lint` never hands trees over)."""
    return _kept is not None


def remember(path: Path, text: str, tree: ast.Module) -> None:
    if _kept is None or len(text) > BUDGET:
        return
    _kept.pop(path, None)
    _kept[path] = (text, tree)
    total = sum(len(kept) for kept, _ in _kept.values())
    while total > BUDGET:
        oldest = next(iter(_kept))
        total -= len(_kept.pop(oldest)[0])


def take(path: Path, text: str) -> ast.Module | None:
    """The tree the lint parsed from exactly `text`, or None."""
    kept = _kept.pop(path, None) if _kept is not None else None
    return kept[1] if kept is not None and kept[0] == text else None
