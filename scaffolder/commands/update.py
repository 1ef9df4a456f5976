"""`scaffold update [PATH]`: merge the installed template version into the repository."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("update")
@click.argument(
    "path", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Print the diff of every change; write nothing.")
@click.option(
    "--allow-dirty", is_flag=True, help="Update even if managed files have uncommitted changes."
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a managed block you edited or removed (CLAUDE.md, AGENTS.md, Copilot's) "
    "with the template's.",
)
def command(path: Path, dry_run: bool, allow_dirty: bool, force: bool) -> None:
    """Bring scaffold's files to the installed template version, keeping your edits.

    Three-way merge of every managed file (base: the recorded template version; ours: the
    repository; theirs: the installed version). Conflicts are written with git-style
    markers and listed. Exit status: 0 updated (or nothing to do), 1 conflicts, 2 error.
    """
    from scaffolder.errors import EXIT_FINDINGS, EXIT_OK
    from scaffolder.update import run_update

    report = run_update(path, dry_run=dry_run, allow_dirty=allow_dirty, force=force)
    if dry_run and report.diff:
        click.echo(report.diff, nl=False)
    versions = (
        f"template version {report.to_version}"
        if report.from_version == report.to_version
        else f"template version {report.from_version} -> {report.to_version}"
    )
    click.echo(f"scaffold update: {versions}")
    for outcome in report.outcomes:
        detail = f": {outcome.detail}" if outcome.detail else ""
        click.echo(f"  {outcome.action:<9} {outcome.path}{detail}")
    if not report.changes:
        click.echo("nothing to change")
    elif dry_run:
        click.echo(f"dry run: {len(report.changes)} file(s) would change; nothing written")
    if report.conflicts:
        click.echo(
            f"{len(report.conflicts)} conflict(s): resolve them, commit, and run "
            "`scaffold update` again to record the result (`scaffold check` reports them "
            "until then)",
            err=True,
        )
    click.get_current_context().exit(EXIT_OK if report.ok else EXIT_FINDINGS)
