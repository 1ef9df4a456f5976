"""Where scaffold's lint settings live in one directory: `scaffold.toml`, `pyproject.toml`
`[tool.scaffold]`, or the `"scaffold"` key of `package.json`.

What it does: `directory_config(directory)` returns the file and its settings table for one
directory, or None; `config_table(path)` reads the table of one such file; `validate(path)`
raises the ConfigError `scaffold lint` would raise for it (init refuses to write beside one).

Why: a Node repository has no pyproject.toml. The same keys (the names of `[tool.scaffold]`)
go at the top level of a `scaffold.toml` or in a `"scaffold"` object of `package.json`.

Precedence in one directory (as ruff's `.ruff.toml` > `ruff.toml` > `pyproject.toml`): the
dedicated `scaffold.toml` wins over `pyproject.toml` `[tool.scaffold]`, which wins over
`package.json` `"scaffold"`. The winner is used alone: nothing is merged, so a directory with
two of them is governed by the first (`scaffold lint --show-settings` names it). Across
directories the closest configured directory wins (see `scaffolder.config.load_config`).

Example:
    >>> directory_config(Path("web"))  # web/package.json has {"scaffold": {"ignore": ["SCF003"]}}
    (PosixPath('web/package.json'), {'ignore': ['SCF003']})

Standard library only: this is on the `scaffold lint` startup path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scaffolder.errors import ConfigError

SCAFFOLD_TOML = "scaffold.toml"
PYPROJECT = "pyproject.toml"
PACKAGE_JSON = "package.json"
#: One directory's config files, the winner first.
CONFIG_FILES = (SCAFFOLD_TOML, PYPROJECT, PACKAGE_JSON)


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
        from scaffolder.config import _read_table

        return _read_table(path, required=required or path.name == SCAFFOLD_TOML)
    from scaffolder.config import _read_config_bytes

    try:
        data = _read_config_bytes(path)
    except OSError as exc:
        if required:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
        return None
    if not required and b'"scaffold"' not in data:  # cheap: most package.json files lack it
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


def validate(path: Path) -> None:
    """Raise the `ConfigError` `scaffold lint` would raise for the settings in `path` (any of
    `CONFIG_FILES`); nothing when it has none."""
    from scaffolder.config import settings_from_table

    table = config_table(path)
    if table is not None:
        settings_from_table(table, root=path.parent, source=path)
