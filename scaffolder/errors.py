"""The error hierarchy.

Every *expected* failure (bad input, a file we refuse to touch, an unreachable host) is a
`ScaffoldError`. The CLI boundary turns one into a single line on stderr and its `exit_code`;
no traceback reaches the user. Exit codes follow ruff: 0 clean, 1 findings / drift / conflicts,
2 usage, configuration or internal error.
"""

from __future__ import annotations

from pathlib import Path

import click

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class ScaffoldError(click.ClickException):
    """Base class of every expected failure; shown as one line, exit code 2."""

    exit_code = EXIT_ERROR

    def format_message(self) -> str:
        return self.message

    def show(self, file: object = None) -> None:
        from scaffolder._redact import redact_text  # messages quote URLs and proxy variables

        click.echo(f"scaffold: error: {redact_text(self.format_message())}", err=True)


class UsageError(ScaffoldError):
    """A command-line value that cannot be used (beyond what click validates itself)."""


class ConfigError(ScaffoldError):
    """`[tool.scaffold]` (or `--config`) holds a value scaffold cannot use."""


class RepoError(ScaffoldError):
    """The target is not a usable repository: no git root, a path outside it, a dirty tree."""


class FileFormatError(ScaffoldError):
    """A file scaffold must edit cannot be parsed or decoded; names the file and position."""

    def __init__(
        self, path: Path | str, detail: str, *, line: int | None = None, col: int | None = None
    ) -> None:
        where = str(path)
        if line is not None:
            where += f":{line}"
            if col is not None:
                where += f":{col}"
        super().__init__(f"{where}: {detail}")
        self.path = Path(path)
        self.line = line
        self.col = col


class ConflictError(ScaffoldError):
    """A file in the way that scaffold does not manage, or a merge that needs the user. Exit 1."""

    exit_code = EXIT_FINDINGS


class RenderError(ScaffoldError):
    """The template could not be rendered (a broken installation, not a user mistake)."""


class NetworkError(ScaffoldError):
    """The API host could not be reached, or refused us (verify / doctor). Exit 1."""

    exit_code = EXIT_FINDINGS
