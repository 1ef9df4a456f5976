"""`scaffold rules [CODE]`: explain the lint rules."""

from __future__ import annotations

import click


@click.command()
@click.argument("code", required=False)
def command(code: str | None) -> None:
    """Explain a lint rule (What it does / Why is this bad / Example / Use instead).

    Without CODE, list every rule with a one-line summary.
    """
    from scaffolder.lint.rules import explain_rule

    click.echo(explain_rule(code), nl=False)
    click.get_current_context().exit(0)
