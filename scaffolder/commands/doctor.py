"""`scaffold doctor`: what on this machine, network and repo decides whether streams survive."""

from __future__ import annotations

from pathlib import Path

import click

from scaffolder._api import BASE_URL_HELP

_COLORS = {"pass": "green", "warn": "yellow", "fail": "red", "skip": "blue"}


@click.command(
    "doctor",
    epilog="""\b
Examples:
  scaffold doctor                     # environment and repository checks
  scaffold doctor --network           # plus DNS/TCP/TLS timings and a long stream
  scaffold doctor --network --base-url http://127.0.0.1:8080   # a gateway or the fake API
  scaffold doctor --messages chat.json   # what an interrupted stream broke in a saved chat
""",
)
@click.argument("path", required=False, default=".", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--network",
    is_flag=True,
    help="Also time DNS, TCP and TLS to the API host and stream a long answer "
    "(needs ANTHROPIC_API_KEY for the real API).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help=BASE_URL_HELP,
)
@click.option(
    "--python",
    "python",
    metavar="EXE",
    help="Interpreter whose packages to check (default: the active virtualenv, else scaffold's; "
    "a .venv in the repository is never run unless named here).",
)
@click.option(
    "--messages",
    metavar="FILE.json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Instead: check a saved conversation (a messages list, or a request with 'model') "
    "for what an interrupted stream left the API would reject, and print the repairs.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def command(
    path: Path,
    network: bool,
    base_url: str | None,
    python: str | None,
    messages: Path | None,
    as_json: bool,
) -> None:
    """Check Python, the SDK, proxies, timeouts, the runtime, CLAUDE.md and pre-commit.

    Prints a pass/warn/fail table; exits 0 when nothing fails, 1 otherwise. With
    ``--messages``, prints what `repair_messages` changes instead (exit 1 if anything).
    """
    import json

    if messages is not None:
        _messages_report(messages, as_json=as_json)
        return
    from scaffolder.doctor import run_doctor

    report = run_doctor(path, network=network, base_url=base_url, python=python)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        width = max(len(check.name) for check in report.checks)
        for check in report.checks:
            label = click.style(f"{check.status.upper():<4}", fg=_COLORS[check.status], bold=True)
            click.echo(f"{label}  {check.name:<{width}}  {check.detail}")
        counts = {
            status: sum(c.status == status for c in report.checks)
            for status in ("fail", "warn", "pass", "skip")
        }
        warnings = "warning" if counts["warn"] == 1 else "warnings"
        click.echo(
            f"\n{counts['fail']} failed, {counts['warn']} {warnings}, "
            f"{counts['pass']} passed, {counts['skip']} skipped"
        )
    click.get_current_context().exit(0 if report.ok else 1)


def _messages_report(path: Path, *, as_json: bool) -> None:
    import json

    from scaffolder.doctor import repair_saved_messages

    repaired, changes = repair_saved_messages(path)
    if as_json:
        click.echo(json.dumps({"changes": changes, "messages": repaired}, indent=2))
    elif changes:
        for change in changes:
            click.echo(f"REPAIR  {change}")
        click.echo(
            f"\n{len(changes)} repairs; repair_messages() in claude_stream.py applies them "
            "(--json prints the repaired list)"
        )
    else:
        click.echo(f"{path}: nothing an interruption broke; the API accepts it as it is")
    click.get_current_context().exit(1 if changes else 0)
