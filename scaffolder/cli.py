"""The `scaffold` command line: a thin click layer.

Each subcommand lives in its own module under `scaffolder.commands` (a module `name.py`
exposing `command`) and is imported only when it runs, so `scaffold lint` in a pre-commit hook
never pays for copier or anthropic. A command parses its options, calls one `run_*` function and
ends with `ctx.exit(code)`; `main` is the one error boundary.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

import click

import scaffolder
from scaffolder import commands
from scaffolder.errors import EXIT_ERROR, ScaffoldError


class _LazyGroup(click.Group):
    """Discovers `scaffolder.commands.*` modules and imports only the one invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # A directory listing, not pkgutil: this runs on every command, the Claude Code hook
        # and pre-commit included, and pkgutil's imports cost more than the listing.
        (folder,) = commands.__path__
        return sorted(
            name.removesuffix(".py")
            for name in os.listdir(folder)
            if name.endswith(".py") and not name.startswith("_")
        )

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name.startswith("_") or cmd_name not in self.list_commands(ctx):
            return None
        module = importlib.import_module(f"scaffolder.commands.{cmd_name}")
        command: click.Command = module.command
        return command


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`--version`, as click's `version_option` prints it; the version is looked up only when
    asked for (`version_option` wants it when the command is defined, on every run)."""
    if value and not ctx.resilient_parsing:
        from scaffolder import __version__

        click.echo(f"scaffold, version {__version__}")
        ctx.exit()


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
def cli() -> None:
    """Harden a repository against interrupted Anthropic API streams.

    Long Claude responses are streamed, and streams break: idle proxies, Wi-Fi drops,
    overloaded servers. scaffold vendors a recovery module into your repository, keeps it
    current, and lints for streaming calls that lack recovery.
    """


# click 8.2 raises this for a group run without a command; click 8.1 prints the help and exits.
_NO_ARGS_IS_HELP: type[click.ClickException] | tuple[()] = getattr(
    click.exceptions, "NoArgsIsHelpError", ()
)


def _one_line(exc: click.ClickException) -> str:
    message = " ".join(exc.format_message().split())
    ctx = exc.ctx if isinstance(exc, click.UsageError) else None
    if ctx is None:
        return message
    return f"{message.rstrip('.')}; see `{ctx.command_path} --help`"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 1 findings/drift/conflicts, 2 errors."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="scaffold", standalone_mode=False)
    except ScaffoldError as exc:
        exc.show()
        return exc.exit_code
    except _NO_ARGS_IS_HELP as exc:  # bare `scaffold` (click >= 8.2): the help, not an error line
        exc.show()
        return exc.exit_code
    except click.ClickException as exc:
        # click's own usage errors (bad flag, choice, type, missing path) get the same one line
        # as ours instead of click's usage block, and the same exit code 2.
        click.echo(f"scaffold: error: {_one_line(exc)}", err=True)
        return EXIT_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("scaffold: aborted", err=True)
        return 130
    except Exception as exc:
        import traceback

        traceback.print_exc()
        click.echo(
            f"scaffold: internal error: {exc!r}. This is a bug in scaffold "
            f"{scaffolder.__version__}; please report it with the traceback above.",
            err=True,
        )
        return EXIT_ERROR
    return result if isinstance(result, int) else 0
