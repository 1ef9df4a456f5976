"""Where scaffold's lint settings live in one directory: `scaffold.toml`, `pyproject.toml`
`[tool.scaffold]`, or the `"scaffold"` key of `package.json`.

What it does: `directory_config(directory)` returns the file and its settings table for one
directory, or None; `config_table(path)` reads the table of one such file (validating the
table is `scaffolder.lint.config`'s job).

Why: a Node repository has no pyproject.toml. The same keys (the names of `[tool.scaffold]`)
go at the top level of a `scaffold.toml` or in a `"scaffold"` object of `package.json`.

Precedence in one directory (as ruff's `.ruff.toml` > `ruff.toml` > `pyproject.toml`): the
dedicated `scaffold.toml` wins over `pyproject.toml` `[tool.scaffold]`, which wins over
`package.json` `"scaffold"`. The winner is used alone: nothing is merged, so a directory with
two of them is governed by the first (`scaffold lint --show-settings` names it). Across
directories the closest configured directory wins (see `scaffolder.lint.config.load_config`).

Example:
    >>> directory_config(Path("web"))  # web/package.json has {"scaffold": {"ignore": ["SCF003"]}}
    (PosixPath('web/package.json'), {'ignore': ['SCF003']})

Standard library only: this is on the `scaffold lint` startup path.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from scaffolder._toml import loads
from scaffolder.errors import ConfigError

SCAFFOLD_TOML = "scaffold.toml"
PYPROJECT = "pyproject.toml"
PACKAGE_JSON = "package.json"
#: One directory's config files, the winner first.
CONFIG_FILES = (SCAFFOLD_TOML, PYPROJECT, PACKAGE_JSON)
#: No real config file is this large: `--config /dev/zero` must not exhaust memory.
MAX_CONFIG_BYTES = 1 << 24


def section(path: Path) -> str:
    """How error messages name the settings inside `path`."""
    if path.name == PACKAGE_JSON:
        return f'{path}: "scaffold"'
    if path.name == PYPROJECT:
        return f"{path}: [tool.scaffold]"
    return str(path)


def config_table(path: Path, *, required: bool = False) -> dict[str, Any] | None:
    """The settings table of `path` (by its name: package.json, pyproject.toml, else a file
    with the keys at the top level), None when it has none or (not `required`) is unreadable."""
    if path.name != PACKAGE_JSON:
        return _toml_table(path, required=required or path.name == SCAFFOLD_TOML)
    data = _read_config(path, required=required)
    # cheap: most package.json files lack it
    if data is None or (not required and b'"scaffold"' not in data):
        return None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        detail = exc if isinstance(exc, ValueError) else "nested too deeply"
        raise ConfigError(f"{path}: invalid JSON: {detail}") from None
    table = document.get("scaffold") if isinstance(document, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f'{path}: "scaffold" must be an object, got {table!r}')
    return table


def directory_config(directory: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config file governing `directory` itself (not its parents) and its table."""
    for name in CONFIG_FILES:
        path = directory / name
        if path.is_file():
            table = config_table(path)
            if table is not None:
                return path, table
    return None


def scaffold_table_of(document: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """The `[tool.scaffold]` table of a parsed TOML `document` (read from `path`), or None."""
    tool = document.get("tool")
    table = tool.get("scaffold") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.scaffold] must be a table")
    return table


def _toml_table(path: Path, *, required: bool) -> dict[str, Any] | None:
    """The `[tool.scaffold]` table of `path` (or, for a non-pyproject file, the whole file)."""
    data = _read_config(path, required=required)
    # cheap: most pyproject.toml files lack it
    if data is None or (not required and b"scaffold" not in data):
        return None
    try:
        document = loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    table = scaffold_table_of(document, path)
    if table is None and required and path.name != PYPROJECT:
        return document  # a dedicated file (scaffold.toml) holds the keys at the top level
    return table


def _read_config(path: Path, *, required: bool) -> bytes | None:
    """The bytes of `path`; None when it cannot be read, unless `required` (then an error)."""
    try:
        return _read_config_bytes(path)
    except OSError as exc:
        if required:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
        return None


def _read_config_bytes(path: Path) -> bytes:
    # Non-blocking open: opening a FIFO would otherwise wait for a writer forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise OSError(0, f"larger than {MAX_CONFIG_BYTES} bytes")
    return data
