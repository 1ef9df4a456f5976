"""`scaffold check [PATH]`: report drift from the installed template (read-only)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("check")
@click.argument(
    "path", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def command(path: Path) -> None:
    """Check that the repository is on the installed template version and that scaffold's
    managed content is intact. Writes nothing; for pre-commit (hook `scaffold-check`).

    Exit status: 0 current and intact, 1 drift (each problem listed), 2 error.
    """
    from scaffolder.check import run_check
    from scaffolder.errors import EXIT_FINDINGS, EXIT_OK

    report = run_check(path)
    for problem in report.problems:
        click.echo(problem)
    if report.ok:
        click.echo(f"scaffold check: up to date (template version {report.installed_version})")
    else:
        click.echo(
            f"scaffold check: {len(report.problems)} problem(s); `scaffold update` brings "
            "the repository to the installed template",
            err=True,
        )
    click.get_current_context().exit(EXIT_OK if report.ok else EXIT_FINDINGS)
