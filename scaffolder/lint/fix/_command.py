"""`scaffold lint --fix / --diff`: fix every file with a fixable finding, then write the
changes all at once (atomically) or show them as a unified diff."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NamedTuple

from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic, LintReport
from scaffolder.lint.fix import FileFix, fix_source, fixable


class FixRun(NamedTuple):
    report: LintReport  # the findings left after fixing
    files: list[FileFix]  # the files that changed (or would)

    @property
    def fixed(self) -> int:
        return sum(len(f.applied) for f in self.files)

    def diff(self) -> str:
        """`git diff`-style, with the paths as the findings show them (relative to the cwd)."""
        from scaffolder._fs import Change, unified_diff
        from scaffolder.lint.formatters import display_path

        shown = [Change(Path(display_path(f.path)), f.old, f.new) for f in self.files]
        return unified_diff(shown, root=None)


def run_fixes(report: LintReport, settings: Settings, *, unsafe: bool, write: bool) -> FixRun:
    """Fix the files of `report` that have fixable findings; write them when `write`."""
    by_path: dict[Path, list[Diagnostic]] = {}
    for diagnostic in report.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    remaining: list[Diagnostic] = []
    files: list[FileFix] = []
    for path, diagnostics in by_path.items():
        if not fixable(path, diagnostics):
            remaining.extend(diagnostics)
            continue
        result = fix_source(
            path.read_bytes(), path, settings, unsafe=unsafe, diagnostics=diagnostics
        )
        remaining.extend(result.remaining)
        if result.changed:
            files.append(result)
    if write and files:
        from scaffolder._fs import Change, apply_changes  # the atomic writer, when there is work

        apply_changes([Change(f.path, f.old, f.new) for f in files])
    remaining.sort()
    return FixRun(
        LintReport(tuple(remaining), report.files_checked, report.files_from_cache), files
    )


def fix_summary(run: FixRun, *, show_fixes: bool, written: bool) -> str:
    """`Fixed N errors:` and, with `show_fixes`, what was fixed per file (ruff's layout)."""
    from scaffolder.lint.formatters import display_path
    from scaffolder.lint.rules import RULES

    if not run.fixed:
        return ""
    verb = "Fixed" if written else "Would fix"
    plural = "s" if run.fixed != 1 else ""
    lines = [f"{verb} {run.fixed} error{plural}{':' if show_fixes else '.'}"]
    if show_fixes:
        for file in run.files:
            lines.append(f"- {display_path(file.path)}:")
            counts = Counter(d.code for d, _ in file.applied)
            for code, count in sorted(counts.items()):
                lines.append(f"    {count} x {code} ({RULES[code].name})")
    return "\n".join(lines) + "\n"
