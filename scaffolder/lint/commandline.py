"""What `scaffold lint` does between parsing its options and printing: settings, run, format."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path
from typing import NamedTuple

from scaffolder.errors import ConfigError, UsageError
from scaffolder.lint._config_sources import config_table, directory_config
from scaffolder.lint.config import Settings, check_selector, load_config
from scaffolder.lint.config import settings_from_table as _settings_from_table
from scaffolder.lint.diagnostics import LintReport
from scaffolder.lint.formatters import display_path, format_report
from scaffolder.lint.runner import list_files, run_lint


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
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[str, ...] | None = None  # `PATTERN:CODE` items; replaces config's
    extend_per_file_ignores: tuple[str, ...] = ()
    isolated: bool = False
    show_files: bool = False
    show_settings: bool = False
    quiet: bool = False
    silent: bool = False
    add_noqa: bool = False


class LintOutcome(NamedTuple):
    report: LintReport
    output: str
    exit_code: int
    warnings: tuple[str, ...] = ()  # lines for stderr, whatever the output format
    #: Printed on stderr after the output: what --fix fixed (or --diff would), or
    #: "Added 3 noqa directives.".
    messages: str = ""


def run_lint_command(options: LintOptions) -> LintOutcome:
    if options.isolated and options.config_file is not None:
        raise UsageError("--isolated ignores every configuration file; do not also give --config")
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
    empty = LintReport((), 0)
    if options.show_settings:
        return LintOutcome(empty, show_settings(settings), 0)
    nested = None
    if options.stdin is None and options.config_file is None and not options.isolated:
        nested = NestedSettings(options, settings)
    if options.show_files:
        groups = list_files(
            paths, settings, force_exclude=options.force_exclude, settings_for=nested
        )
        shown = sorted(display_path(Path(f)) for _, files in groups for f in files)
        return LintOutcome(empty, "".join(f"{f}\n" for f in shown), 0)
    fixing = options.fix or options.fix_only or options.diff
    with _keeping_trees() if fixing else contextlib.nullcontext():
        report = run_lint(
            paths,
            settings=settings,
            use_cache=options.use_cache,
            force_exclude=options.force_exclude,
            stdin=options.stdin,
            settings_for=nested,
        )
        if options.add_noqa:
            return _add_noqa(options, report)
        if fixing:
            return _fix(report, settings, options)
    return _outcome(report, options)


def _keeping_trees() -> contextlib.AbstractContextManager[None]:
    """The lint keeps the trees of the files with a fixable finding, for the fixes."""
    from scaffolder.lint.fix._trees import keeping

    return keeping()


def _outcome(report: LintReport, options: LintOptions, *, messages: str = "") -> LintOutcome:
    """The findings of `report` in the chosen format, with the exit code and stderr lines."""
    exit_code = 0 if options.exit_zero else report.exit_code
    if options.silent:
        return LintOutcome(report, "", exit_code)
    output = format_report(
        report, options.output_format, statistics=options.statistics, quiet=options.quiet
    )
    return LintOutcome(report, output, exit_code, unchecked_warnings(report), messages)


def unchecked_warnings(report: LintReport) -> tuple[str, ...]:
    """What the run did not check, so that "All checks passed!" never covers it."""
    from scaffolder.lint.codes import LINTED_LANGUAGES, LINTED_SUFFIXES
    from scaffolder.lint.formatters import display_path

    linted = ", ".join(LINTED_SUFFIXES)
    lines = [
        f"scaffold: note: {display_path(Path(path))}: not checked: scaffold lint checks "
        f"{LINTED_LANGUAGES} files ({linted}) only, so far"
        for path in report.named_unchecked
    ]
    if report.unchecked:
        lines.append(f"scaffold: warning: {describe_unchecked(report.unchecked)}")
    if not report.files_checked and not report.named_unchecked:
        lines.append(
            "scaffold: warning: No Python, TypeScript or JavaScript files found under the "
            "given path(s)"
        )
    return tuple(lines)


def describe_unchecked(paths: tuple[str, ...]) -> str:
    """`3 files (.go: 1, .rb: 2) mention an Anthropic SDK ...` for lint's and doctor's output."""
    from collections import Counter

    from scaffolder.lint.codes import LINTED_LANGUAGES

    suffixes = Counter(Path(path).suffix for path in paths)
    kinds = ", ".join(f"{suffix}: {n}" for suffix, n in sorted(suffixes.items()))
    if len(paths) == 1:
        return (
            f"1 file ({kinds}) mentions an Anthropic SDK and was not checked: it is in a "
            f"language scaffold lint does not check yet (it checks {LINTED_LANGUAGES})"
        )
    return (
        f"{len(paths)} files ({kinds}) mention an Anthropic SDK and were not checked: they "
        f"are in languages scaffold lint does not check yet (it checks {LINTED_LANGUAGES})"
    )


def _fix(report: LintReport, settings: Settings, options: LintOptions) -> LintOutcome:
    if options.stdin is not None:
        raise UsageError("--fix, --fix-only and --diff work on files, not on stdin")
    # libcst is imported only once a file has a fixable finding (scaffolder.lint.fix).
    from scaffolder.lint.fix._command import fix_summary, run_fixes

    run = run_fixes(report, settings, unsafe=options.unsafe_fixes, write=not options.diff)
    summary = fix_summary(run, show_fixes=options.show_fixes, written=not options.diff)
    if options.diff:  # ruff's --diff: the diff on stdout, 1 when something would change
        return LintOutcome(run.report, run.diff(), 1 if run.files else 0, messages=summary)
    if options.fix_only:
        return LintOutcome(run.report, "", 0, messages="" if options.silent else summary)
    return _outcome(run.report, options, messages=summary)


def _add_noqa(options: LintOptions, report: LintReport) -> LintOutcome:
    if options.stdin is not None:
        raise UsageError("--add-noqa edits files; it cannot be used with stdin")
    from scaffolder.lint.add_noqa import add_noqa_to_files

    added = add_noqa_to_files(report.diagnostics)
    message = f"Added {added} noqa directive{'s' if added != 1 else ''}.\n"
    return LintOutcome(report, "", 0, messages="" if options.silent else message)


def resolve_settings(options: LintOptions, *, start: Path) -> Settings:
    """The configuration for `start`, with the command-line options applied on top."""
    if options.stdin is not None and options.stdin_filename is not None:
        start = options.stdin_filename
    # The nearest existing directory: a file linted from stdin may not be saved yet.
    start = next((p for p in (start, *start.parents) if p.exists()), Path("."))
    if options.isolated:
        settings = Settings(project_root=Path.cwd())
    else:
        settings = load_config(start, config_file=options.config_file)
    return apply_options(settings, options)


def apply_options(settings: Settings, options: LintOptions) -> Settings:
    """Command-line options over a configuration. As in ruff, `--select` starts the selection
    afresh: the configuration's `ignore` and `extend-select` no longer apply."""
    replace = dataclasses.replace
    if options.select is not None:
        selected = _codes(options.select, "--select")
        settings = replace(settings, select=selected, extend_select=(), ignore=())
    if options.extend_select is not None:
        extra = _codes(options.extend_select, "--extend-select")
        settings = replace(settings, extend_select=settings.extend_select + extra)
    if options.ignore is not None:
        settings = replace(settings, ignore=settings.ignore + _codes(options.ignore, "--ignore"))
    if options.cache_dir is not None:
        settings = replace(settings, cache_dir=options.cache_dir.resolve())
    if options.respect_gitignore is not None:
        settings = replace(settings, respect_gitignore=options.respect_gitignore)
    if options.extend_exclude:
        patterns = tuple(p for value in options.extend_exclude for p in _split(value))
        settings = replace(settings, extend_exclude=settings.extend_exclude + patterns)
    if options.per_file_ignores is not None:
        pairs = _pairs(options.per_file_ignores, "--per-file-ignores")
        settings = replace(settings, per_file_ignores=pairs)
    if options.extend_per_file_ignores:
        pairs = _pairs(options.extend_per_file_ignores, "--extend-per-file-ignores")
        settings = replace(settings, per_file_ignores=settings.per_file_ignores + pairs)
    return settings


class NestedSettings:
    """Directory -> the settings of its nearest config file (`pyproject.toml` with
    `[tool.scaffold]`, `scaffold.toml`, package.json with `"scaffold"`) (with
    the command-line options applied), so a subproject's configuration governs its files.

    The search stops at the top of the run: the working directory or the project root of the
    first path, whichever holds the other. Files outside it (a virtualenv named on the command
    line) keep the settings of the run, as does a directory without a configuration of its own.
    """

    def __init__(self, options: LintOptions, root: Settings) -> None:
        self._options = options
        self._root = root
        project, cwd = str(root.project_root), os.getcwd()
        self._top = cwd if _is_below(project, cwd) else project
        self._by_directory: dict[str, Settings] = {}  # as discovered (often relative)
        self._config_of: dict[str, Path | None] = {}
        self._settings: dict[Path, Settings] = {}

    def __call__(self, directory: str) -> Settings:
        settings = self._by_directory.get(directory)
        if settings is None:
            settings = self._resolve(os.path.abspath(directory))
            self._by_directory[directory] = settings
        return settings

    def _resolve(self, directory: str) -> Settings:
        if not _is_below(directory, self._top):
            return self._root
        config = self._nearest_config(directory)
        if config is None or config == self._root.config_path:
            return self._root
        if config not in self._settings:
            table = config_table(config) or {}
            own = _settings_from_table(table, root=config.parent, source=config)
            self._settings[config] = apply_options(own, self._options)
        return self._settings[config]

    def _nearest_config(self, directory: str) -> Path | None:
        chain: list[str] = []
        found: Path | None = None
        current = directory
        while True:
            if current in self._config_of:
                found = self._config_of[current]
                break
            chain.append(current)
            root_config = self._root.config_path
            if root_config is not None and str(root_config.parent) == current:
                found = root_config
                break
            own = directory_config(Path(current))
            if own is not None:
                found = own[0]
                break
            parent = os.path.dirname(current)
            if current == self._top or parent == current:
                break
            current = parent
        for visited in chain:
            self._config_of[visited] = found
        return found


def _is_below(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def show_settings(settings: Settings) -> str:
    """`--show-settings`: the resolved configuration, one `key = value` per line."""
    rows = [
        ("config", settings.config_path or "(none: defaults)"),
        ("project-root", settings.project_root),
        ("select", list(settings.select)),
        ("extend-select", list(settings.extend_select)),
        ("ignore", list(settings.ignore)),
        ("exclude", list(settings.exclude)),
        ("extend-exclude", list(settings.extend_exclude)),
        ("per-file-ignores", {p: list(c) for p, c in settings.per_file_ignores}),
        ("min-timeout", settings.min_timeout),
        ("recovery-functions", list(settings.recovery_functions)),
        ("retry-decorators", list(settings.retry_decorators)),
        ("respect-gitignore", settings.respect_gitignore),
        ("cache-dir", settings.resolved_cache_dir),
        ("anthropic-version", settings.anthropic_version),
        ("sdk-transport", f"{settings.sdk.httpx} ({settings.sdk.source})"),
    ]
    width = max(len(key) for key, _ in rows)
    return "".join(f"{key:<{width}} = {_show(value)}\n" for key, value in rows)


def _show(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, (str, Path)):
        return str(value)
    return repr(value)


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _pairs(values: tuple[str, ...], option: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`PATTERN:CODE[,PATTERN:CODE...]` (a code without a pattern belongs to the one before)."""
    pairs: list[tuple[str, list[str]]] = []
    for item in (i for value in values for i in _split(value)):
        pattern, colon, code = item.rpartition(":")
        if colon and pattern:
            pairs.append((pattern, []))
        elif not pairs:
            raise UsageError(
                f"{option}: expected PATTERN:CODE (e.g. 'tests/**:SCF001'), got {item!r}"
            )
        pairs[-1][1].extend(_codes(code, option))
    return tuple((pattern, tuple(codes)) for pattern, codes in pairs)


def _codes(value: str, option: str) -> tuple[str, ...]:
    codes = tuple(_split(value))
    for code in codes:
        try:
            check_selector(code, option)
        except ConfigError as exc:
            raise UsageError(exc.message) from None
    return codes
