"""`scaffold.toml`: where `scaffold init` puts the settings of a repository without a pyproject.

What it does: `complete(text, path=...)` adds the `DEFAULT_SETTINGS` keys (the ones
`edits/pyproject` adds to `[tool.scaffold]`) that a `scaffold.toml` lacks, or writes a new one
when `text` is None; comments, formatting and the user's values are kept, and the result is
validated like `scaffold lint` reads it. `config_file(root)` says which file init should
create or complete, if any.

Why: a Node repository has no pyproject.toml, and scaffold never edits package.json (its
formatting belongs to npm and the user). A `"scaffold"` object in package.json is the user's
choice of home for the settings: init then leaves the configuration alone.

Example:
    >>> complete(None, path=Path("scaffold.toml"))
    ('# scaffold settings: ...\\nmin-timeout = 300 # seconds; ...\\n', ('min-timeout',))
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from scaffolder._toml import parse_document
from scaffolder.edits.pyproject import DEFAULT_SETTINGS, _add_missing, _dumps
from scaffolder.errors import FileFormatError
from scaffolder.lint._config_sources import PACKAGE_JSON, PYPROJECT, SCAFFOLD_TOML, config_table

HEADER = "scaffold settings (docs/lint.md, Configuration); scaffold init adds missing keys only"


def complete(
    text: str | None, *, path: Path, settings: Mapping[str, tuple[Any, str]] = DEFAULT_SETTINGS
) -> tuple[str, tuple[str, ...]]:
    """(new text, keys added) for the scaffold.toml at `path`; `text` None: the file is new.

    The keys live at the top level, or in `[tool.scaffold]` when the file has that table (the
    reader takes it first). Raises `FileFormatError` for TOML that does not parse and
    `ConfigError` for a value `scaffold lint` would refuse (the user's file is not touched).
    """
    import tomlkit

    from scaffolder.lint.config import settings_from_table

    original = "" if text is None else text
    doc = parse_document(original, path)
    tool = doc.get("tool")
    table: Any = tool.get("scaffold") if isinstance(tool, Mapping) else None
    if table is None:
        table = doc
    if not isinstance(table, Mapping):
        raise FileFormatError(path, "`tool.scaffold` must be a table")
    if text is None:
        doc.add(tomlkit.comment(HEADER))
    added = _add_missing(table, settings)
    settings_from_table(cast(Any, table).unwrap(), root=path.parent, source=path)
    if not added and text is not None:
        return text, ()
    return _dumps(doc, original), added


def config_file(root: Path) -> Path | None:
    """The settings file `scaffold init` should create or complete at `root`, None for none.

    - `scaffold.toml` exists -> it (it wins over every other source).
    - `pyproject.toml` exists -> None: the Python flow (`edits/pyproject`) owns `[tool.scaffold]`.
    - `package.json` has a `"scaffold"` object -> None: the user keeps the settings there.
    - otherwise -> `scaffold.toml`, to be created.
    Raises `ConfigError` for a package.json whose `"scaffold"` is unreadable or not an object.
    """
    toml = root / SCAFFOLD_TOML
    if toml.is_file():
        return toml
    if (root / PYPROJECT).is_file():
        return None
    package = root / PACKAGE_JSON
    if package.is_file() and config_table(package) is not None:
        return None
    return toml
