"""Which findings a run reports: `select`/`extend-select`/`ignore` and `per-file-ignores`.

Applied after the cache (which stores every rule's findings), so changing the selection
never invalidates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from scaffolder.lint._globs import matches
from scaffolder.lint.codes import OPT_IN_CODES
from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic


def select(diagnostics: Iterable[Diagnostic], path: Path, settings: Settings) -> list[Diagnostic]:
    """Keep the diagnostics the settings select for `path` (select/ignore/per-file-ignores)."""
    ignored = per_file_ignores(path, settings)
    return sorted(
        d
        for d in diagnostics
        if is_selected(d.code, settings) and not any(d.code.startswith(c) for c in ignored)
    )


def is_selected(code: str, settings: Settings) -> bool:
    """ruff's precedence: the most specific matching selector wins; `ignore` wins a tie.
    An opt-in code (SCF100) needs a selector more specific than `SCF` (or `ALL`)."""
    selectors: Iterable[str] = (*settings.select, *settings.extend_select)
    if code in OPT_IN_CODES:
        selectors = [s for s in selectors if s == "ALL" or len(s) > len("SCF")]
    chosen = _longest_match(code, selectors)
    if chosen < 0:
        return False
    return _longest_match(code, settings.ignore) < chosen


def _longest_match(code: str, selectors: Iterable[str]) -> int:
    best = -1
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


def per_file_ignores(path: Path, settings: Settings) -> list[str]:
    if not settings.per_file_ignores:
        return []
    try:
        relative = path.resolve().relative_to(settings.project_root).as_posix()
    except ValueError:
        relative = path.as_posix()
    codes: list[str] = []
    for pattern, pattern_codes in settings.per_file_ignores:
        if matches(pattern, relative):
            codes.extend("" if c == "ALL" else c for c in pattern_codes)
    return codes
