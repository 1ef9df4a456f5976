"""`scaffold verify`: prove that a long stream survives on this machine and network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from scaffolder._api import BASE_URL_HELP

if TYPE_CHECKING:
    from scaffolder.verify import VerifyReport

from scaffolder._redact import redact_text
from scaffolder.verify import DEFAULT_MAX_TOKENS, DEFAULT_MODEL, DEFAULT_PROMPT


@click.command(
    "verify",
    epilog="""\b
Examples:
  scaffold verify                        # a real stream (needs ANTHROPIC_API_KEY)
  scaffold verify --simulate all         # offline, every fault, no key needed
  scaffold verify --simulate drop,stall  # offline, the faults you name
""",
)
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Model to stream from.")
@click.option(
    "--max-tokens",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_TOKENS,
    show_default=True,
    help="Output token budget of the test answer.",
)
@click.option("--prompt", default=DEFAULT_PROMPT, help="Prompt of the test answer.")
@click.option(
    "--base-url",
    metavar="URL",
    help=BASE_URL_HELP,
)
@click.option(
    "--simulate",
    metavar="FAULTS",
    help="Run offline against the bundled fake API with these faults, comma-separated "
    "(drop, reset, stall, overloaded, eof, truncated_line, invalid_json, "
    "before_message_start, 529, ...) or `all`. No key or network needed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.argument("path", required=False, default=".", type=click.Path(exists=True, path_type=Path))
def command(
    model: str,
    max_tokens: int,
    prompt: str,
    base_url: str | None,
    simulate: str | None,
    as_json: bool,
    path: Path,
) -> None:
    """Stream a long answer through the recovery runtime and report how it went.

    Uses the repository's vendored claude_stream.py when PATH (default: .) has one, else the
    runtime from the bundled template. Exit 0 when the whole answer arrived, 1 when the stream
    failed (one line saying why), 2 on usage errors such as a missing ANTHROPIC_API_KEY.
    """
    import contextlib
    import json
    import sys

    from scaffolder._progress import Progress
    from scaffolder.errors import NetworkError
    from scaffolder.verify import parse_faults, run_verify

    faults = parse_faults(simulate) if simulate is not None else None
    err = sys.stderr
    # --json keeps both streams clean for machines: no progress at all.
    progress = None if as_json else Progress(err, animate=err.isatty())
    with contextlib.ExitStack() as stack:

        def start() -> None:
            if progress is not None:
                what = f"faults {', '.join(faults)}" if faults is not None else model
                click.echo(f"scaffold verify: streaming ({what}) ...", err=True)
                stack.enter_context(progress)

        report = run_verify(
            path=path,
            model=model,
            max_tokens=max_tokens,
            prompt=prompt,
            base_url=base_url,
            simulate=faults,
            on_start=start,
            on_text=progress.update if progress is not None else None,
            on_event=(lambda line: progress.note(f"  {line}")) if progress is not None else None,
        )

    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
        click.get_current_context().exit(0 if report.ok else 1)
    if not report.ok:
        raise NetworkError(report.error or "the stream failed")
    click.echo(f"Received {report.chars:,} chars successfully")
    rows = [
        ("runtime", report.runtime + (" (vendored)" if report.vendored else "")),
        ("route", redact_text(f"{report.base_url}, {report.route}")),
        ("reconnects", str(report.reconnects)),
        ("time to first token", _seconds(report.time_to_first_token)),
        ("longest gap", _seconds(report.longest_gap)),
        ("elapsed", _seconds(report.elapsed)),
        ("output rate", _rate(report)),
        ("stop_reason", str(report.stop_reason)),
        ("usage", _usage(report.usage)),
    ]
    if report.mode == "simulate":
        rows.insert(2, ("faults injected", ", ".join(report.faults) or "none"))
        rows.insert(3, ("text", f"identical to the server's {report.expected_chars:,} chars"))
    for name, value in rows:
        click.echo(f"  {name:<20} {value}")
    click.get_current_context().exit(0)


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def _usage(usage: dict[str, int]) -> str:
    if not usage:
        return "n/a"
    return (
        ", ".join(
            f"{name.removesuffix('_tokens').replace('_', ' ')} {n:,}" for name, n in usage.items()
        )
        + " tokens"
    )


def _rate(report: VerifyReport) -> str:
    tokens = report.usage.get("output_tokens")
    streaming = report.elapsed - (report.time_to_first_token or 0.0)
    if not tokens or streaming <= 0:
        return "n/a"
    return f"{tokens / streaming:,.0f} tokens/s"
