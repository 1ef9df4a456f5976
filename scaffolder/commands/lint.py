"""`scaffold lint`: find Anthropic streaming calls that lack recovery."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scaffolder.lint.formatters import FORMATS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--select",
    "select",
    metavar="CODES",
    help="Comma-separated codes or prefixes to check (replaces `select`).",
)
@click.option("--extend-select", metavar="CODES", help="Codes or prefixes to check in addition.")
@click.option("--ignore", metavar="CODES", help="Codes or prefixes to skip (added to `ignore`).")
@click.option(
    "--output-format",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    envvar="SCAFFOLD_OUTPUT_FORMAT",
    help="Output format (`--format` is an alias).",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the output to a file.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per code instead.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--stdin-filename",
    metavar="PATH",
    type=click.Path(path_type=Path),
    help="Read the source from stdin and report it under this name (or pass `-` as path).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SCAFFOLD_CACHE_DIR",
    help="Where to keep the cache [default: .scaffold_cache at the project root].",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply `exclude` to files named explicitly too (pre-commit passes file names).",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="List files with git (honouring .gitignore) inside a work tree [default: on].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read settings from this file instead of the nearest pyproject.toml.",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes, then report what is left.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply fixes that may change behaviour (with --fix, --fix-only or --diff).",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print the fixes as a unified diff instead of writing them; exit 1 if there are any.",
)
@click.option("--fix-only", is_flag=True, help="Apply fixes and report nothing else; exit 0.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied (on stderr).")
@click.option(
    "--extend-exclude",
    metavar="PATTERNS",
    multiple=True,
    help="Comma-separated globs to exclude in addition to `exclude`/`extend-exclude`.",
)
@click.option(
    "--per-file-ignores",
    metavar="PATTERN:CODE",
    multiple=True,
    help="Comma-separated `glob:code` pairs; replaces `per-file-ignores` from the config.",
)
@click.option(
    "--extend-per-file-ignores",
    metavar="PATTERN:CODE",
    multiple=True,
    help="Comma-separated `glob:code` pairs added to `per-file-ignores`.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--show-files", is_flag=True, help="List the files that would be checked; exit.")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings; exit.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only (no summary line).")
@click.option(
    "-s", "--silent", is_flag=True, help="Print nothing; the exit status tells the result."
)
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add `# noqa: CODE` to every line with a finding (idempotent; keeps comments).",
)
@click.option(
    "--claude-hook",
    is_flag=True,
    help="Run as Claude Code's PostToolUse hook: read the hook event on stdin, lint the edited "
    "file, exit 2 with new findings and their fix on stderr (docs/agents.md).",
)
def command(
    paths: tuple[Path, ...],
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    output_format: str,
    output_file: Path | None,
    exit_zero: bool,
    statistics: bool,
    no_cache: bool,
    cache_dir: Path | None,
    stdin_filename: Path | None,
    force_exclude: bool,
    respect_gitignore: bool | None,
    config_file: Path | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    fix_only: bool,
    show_fixes: bool,
    extend_exclude: tuple[str, ...],
    per_file_ignores: tuple[str, ...],
    extend_per_file_ignores: tuple[str, ...],
    isolated: bool,
    show_files: bool,
    show_settings: bool,
    quiet: bool,
    silent: bool,
    add_noqa: bool,
    claude_hook: bool,
) -> None:
    """Find Anthropic streaming calls that lack recovery (`scaffold rules` lists the rules).

    PATHS are files or directories (default: the current directory). Inside a git work tree
    `.gitignore` is respected. `--fix` rewrites findings onto the vendored recovery runtime
    (docs/lint.md). Settings come from `[tool.scaffold]` in each file's nearest
    pyproject.toml. Exit status: 0 clean, 1 findings, 2 usage or configuration error.
    """
    if claude_hook:
        _claude_hook(paths, config_file)
    from scaffolder.lint.commandline import LintOptions, run_lint_command
    from scaffolder.lint.formatters import write_output

    stdin: bytes | None = None
    if stdin_filename is not None or Path("-") in paths:
        stdin = _stdin_bytes()
    options = LintOptions(
        paths=paths,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        output_format=output_format,
        output_file=output_file,
        exit_zero=exit_zero,
        statistics=statistics,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        stdin=stdin,
        stdin_filename=stdin_filename,
        force_exclude=force_exclude,
        respect_gitignore=respect_gitignore,
        config_file=config_file,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        fix_only=fix_only,
        show_fixes=show_fixes,
        extend_exclude=extend_exclude,
        per_file_ignores=per_file_ignores or None,
        extend_per_file_ignores=extend_per_file_ignores,
        isolated=isolated,
        show_files=show_files,
        show_settings=show_settings,
        quiet=quiet,
        silent=silent,
        add_noqa=add_noqa,
    )
    outcome = run_lint_command(options)
    for line in outcome.warnings:
        click.echo(line, err=True)
    write_output(outcome.output, output_file)
    if outcome.messages:
        click.echo(outcome.messages, err=True, nl=False)
    click.get_current_context().exit(outcome.exit_code)


def _claude_hook(paths: tuple[Path, ...], config_file: Path | None) -> None:
    from scaffolder.errors import UsageError
    from scaffolder.lint.claude_hook import run_claude_hook

    if paths:
        raise UsageError(
            "--claude-hook lints the file named in the hook event on stdin; give no PATHS"
        )
    event = _stdin_bytes()
    result = run_claude_hook(event, config_file=config_file)
    click.echo(result.message, err=True, nl=False)
    click.get_current_context().exit(result.exit_code)


def _stdin_bytes() -> bytes:
    # Bytes, so a source's own encoding (BOM, coding declaration) is honoured.
    return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
