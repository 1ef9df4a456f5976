"""TOML parsing, in one place: plain data for readers, a tomlkit document for editors.

What it does: `loads(text)` parses into plain dicts and lists (`ValueError` on bad TOML);
`parse_document(text, path)` parses into a tomlkit document, which keeps the user's formatting
and comments for an edit, and raises `FileFormatError` naming file, line and column;
`check_shapes(doc, path)` refuses a pyproject.toml whose tables scaffold reads or edits have
the wrong type.

Why: the lint settings, the dependency readers, project detection and the pyproject edits all
parse TOML; repo.py, a reader, must not import it from an editor module.

Example:
    >>> loads('[tool.scaffold]\\nmin-timeout = 300\\n')
    {'tool': {'scaffold': {'min-timeout': 300}}}

`loads` is on the `scaffold lint` path: standard library only (`tomllib`; tomlkit on Python
3.10, which has no `tomllib`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffolder.errors import FileFormatError


def loads(text: str) -> dict[str, Any]:
    """`text` as plain data; `ValueError` (tomllib's message) when it is not TOML."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    import tomlkit  # a runtime dependency already; only Python 3.10 needs it here

    try:
        return tomlkit.parse(text).unwrap()
    except tomlkit.exceptions.ParseError as exc:
        raise ValueError(str(exc)) from exc


def parse_document(text: str, path: Path) -> Any:
    """`text` as a tomlkit document; `FileFormatError` naming file, line and column."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        detail = re.sub(r" at line \d+ col \d+$", "", str(exc))
        raise FileFormatError(path, f"invalid TOML: {detail}", line=exc.line, col=exc.col) from None


def check_shapes(doc: Any, path: Path) -> None:
    """`FileFormatError` for a value of the wrong type where scaffold looks (a committed
    `tool = "x"` or `dependencies = "anthropic"` must not crash an edit)."""
    tables = ("tool", "tool.scaffold", "tool.poetry", "tool.poetry.dependencies", "project")
    for dotted in tables:
        value = lookup(doc, dotted)
        if value is not None and not isinstance(value, Mapping):
            raise FileFormatError(path, f"`{dotted}` must be a table, not {type(value).__name__}")
    for dotted in ("project.dependencies", "project.dynamic"):
        value = lookup(doc, dotted)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(item, str) for item in value)
        ):
            raise FileFormatError(path, f"`{dotted}` must be an array of strings")


def lookup(doc: Any, dotted: str) -> Any:
    """`doc["a"]["b"]` for `"a.b"`; None where a key is missing or a value is not a table."""
    value = doc
    for key in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value
