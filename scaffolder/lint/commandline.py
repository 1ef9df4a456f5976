"""What `scaffold lint` does between parsing its options and printing: settings, run, format."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NamedTuple

from scaffolder.config import Settings, check_selector, load_config
from scaffolder.errors import ConfigError, UsageError
from scaffolder.lint.diagnostics import LintReport
from scaffolder.lint.formatters import format_report
from scaffolder.lint.runner import run_lint


class LintOptions(NamedTuple):
    paths: tuple[Path, ...] = ()
    select: str | None = None
    extend_select: str | None = None
    ignore: str | None = None
    output_format: str = "text"
    output_file: Path | None = None
    exit_zero: bool = False
    statistics: bool = False
    use_cache: bool = True
    cache_dir: Path | None = None
    stdin: bytes | None = None
    stdin_filename: Path | None = None
    force_exclude: bool = False
    respect_gitignore: bool | None = None
    config_file: Path | None = None
    fix: bool = False  # --fix (also set by --fix-only)
    unsafe_fixes: bool = False
    diff: bool = False
    fix_only: bool = False
    show_fixes: bool = False


class LintOutcome(NamedTuple):
    report: LintReport
    output: str
    exit_code: int
    warnings: tuple[str, ...] = ()  # lines for stderr, whatever the output format
    messages: str = ""  # for stderr: what --fix fixed (or --diff would)


def run_lint_command(options: LintOptions) -> LintOutcome:
    paths = [p for p in options.paths if str(p) != "-"]
    if options.stdin is not None:
        name = options.stdin_filename or Path("-")
        paths = [name]
    elif not paths:
        paths = [Path(".")]
    for path in paths if options.stdin is None else ():
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
    settings = resolve_settings(options, start=paths[0] if options.stdin is None else Path("."))
    report = run_lint(
        paths,
        settings=settings,
        use_cache=options.use_cache,
        force_exclude=options.force_exclude,
        stdin=options.stdin,
    )
    if options.fix or options.fix_only or options.diff:
        return _fix(report, settings, options)
    output = format_report(report, options.output_format, statistics=options.statistics)
    exit_code = 0 if options.exit_zero else report.exit_code
    return LintOutcome(report, output, exit_code, unchecked_warnings(report))


def unchecked_warnings(report: LintReport) -> tuple[str, ...]:
    """What the run did not check, so that "All checks passed!" never covers it."""
    from scaffolder.lint.codes import LINTED_SUFFIXES
    from scaffolder.lint.formatters import display_path

    linted = ", ".join(LINTED_SUFFIXES)
    lines = [
        f"scaffold: note: {display_path(Path(path))}: not checked: scaffold lint checks "
        f"Python files ({linted}) only, so far"
        for path in report.named_unchecked
    ]
    if report.unchecked:
        lines.append(f"scaffold: warning: {describe_unchecked(report.unchecked)}")
    if not report.files_checked and not report.named_unchecked:
        lines.append("scaffold: warning: No Python files found under the given path(s)")
    return tuple(lines)


def describe_unchecked(paths: tuple[str, ...]) -> str:
    """`3 files (.js: 1, .ts: 2) mention an Anthropic SDK ...` for lint's and doctor's output."""
    from collections import Counter

    suffixes = Counter(Path(path).suffix for path in paths)
    kinds = ", ".join(f"{suffix}: {n}" for suffix, n in sorted(suffixes.items()))
    if len(paths) == 1:
        return (
            f"1 file ({kinds}) mentions an Anthropic SDK and was not checked: it is in a "
            "language scaffold lint does not check yet (it checks Python)"
        )
    return (
        f"{len(paths)} files ({kinds}) mention an Anthropic SDK and were not checked: they "
        "are in languages scaffold lint does not check yet (it checks Python)"
    )


def _fix(report: LintReport, settings: Settings, options: LintOptions) -> LintOutcome:
    if options.stdin is not None:
        raise UsageError("--fix, --fix-only and --diff work on files, not on stdin")
    # libcst is imported here only: a plain `scaffold lint` never pays for it.
    from scaffolder.lint.fix._command import fix_summary, run_fixes

    run = run_fixes(report, settings, unsafe=options.unsafe_fixes, write=not options.diff)
    summary = fix_summary(run, show_fixes=options.show_fixes, written=not options.diff)
    if options.diff:  # ruff's --diff: the diff on stdout, 1 when something would change
        return LintOutcome(run.report, run.diff(), 1 if run.files else 0, messages=summary)
    if options.fix_only:
        return LintOutcome(run.report, "", 0, messages=summary)
    output = format_report(run.report, options.output_format, statistics=options.statistics)
    exit_code = 0 if options.exit_zero else run.report.exit_code
    return LintOutcome(
        run.report, output, exit_code, unchecked_warnings(run.report), messages=summary
    )


def resolve_settings(options: LintOptions, *, start: Path) -> Settings:
    """The configuration for `start`, with the command-line selection applied on top."""
    if options.stdin is not None and options.stdin_filename is not None:
        start = options.stdin_filename
    # The nearest existing directory: a file linted from stdin may not be saved yet.
    start = next((p for p in (start, *start.parents) if p.exists()), Path("."))
    settings = load_config(start, config_file=options.config_file)
    if options.select is not None:
        settings = dataclasses.replace(settings, select=_codes(options.select, "--select"))
    if options.extend_select is not None:
        extra = _codes(options.extend_select, "--extend-select")
        settings = dataclasses.replace(settings, extend_select=settings.extend_select + extra)
    if options.cache_dir is not None:
        settings = dataclasses.replace(settings, cache_dir=options.cache_dir.resolve())
    if options.respect_gitignore is not None:
        settings = dataclasses.replace(settings, respect_gitignore=options.respect_gitignore)
    if options.ignore is not None:
        ignore = settings.ignore + _codes(options.ignore, "--ignore")
        settings = dataclasses.replace(settings, ignore=ignore)
    return settings


def _codes(value: str, option: str) -> tuple[str, ...]:
    codes = tuple(c.strip() for c in value.split(",") if c.strip())
    for code in codes:
        try:
            check_selector(code, option)
        except ConfigError as exc:
            raise UsageError(exc.message) from None
    return codes
