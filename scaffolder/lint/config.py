"""`[tool.scaffold]` from `pyproject.toml` (or `scaffold.toml`, or package.json's `"scaffold"`),
read into a frozen `Settings`.

Discovery follows ruff: the nearest directory (walking up from the linted path) with settings
wins (one directory's precedence, and reading the files: `scaffolder.lint._config_sources`);
`--config FILE` overrides discovery. Without one, the defaults apply and the project root is
the directory of the nearest `pyproject.toml`, else of the nearest `package.json` (or the start
directory). Every value is validated here, so a typo fails fast with the key and value named
(exit 2) instead of silently linting with the wrong rules.

This module is on the `scaffold lint` path: standard library only (`scaffolder._toml`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffolder._toml import loads
from scaffolder.errors import ConfigError
from scaffolder.lint._config_sources import (
    PACKAGE_JSON,
    config_table,
    directory_config,
    scaffold_table_of,
    section,
)

if TYPE_CHECKING:
    from scaffolder.lint.sdk_version import SdkVersion

DEFAULT_MIN_TIMEOUT = 300.0
CACHE_DIR_NAME = ".scaffold_cache"

#: Directories never walked into (their basenames), like ruff's default `exclude`.
DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    CACHE_DIR_NAME,
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",  # bytecode only; skipping it is a third of a warm walk over site-packages
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    # Node frameworks' build output: bundles of the project's own code (and the SDK's)
    ".next",
    ".nuxt",
    ".output",
    ".svelte-kit",
    ".turbo",
    ".vercel",
    "site-packages",
    "venv",
)

# key in [tool.scaffold] -> Settings field
_LIST_KEYS = {
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "recovery-functions": "recovery_functions",
    "retry-decorators": "retry_decorators",
}
_CODE_LIST_KEYS = ("select", "extend-select", "ignore")
KNOWN_KEYS = frozenset(
    {
        *_LIST_KEYS,
        "min-timeout",
        "per-file-ignores",
        "extend-per-file-ignores",
        "cache-dir",
        "respect-gitignore",
        "anthropic-version",
    }
)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Validated lint settings. Paths are absolute; tuples keep it hashable and picklable."""

    project_root: Path
    config_path: Path | None = None
    min_timeout: float = DEFAULT_MIN_TIMEOUT
    select: tuple[str, ...] = ("SCF",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    recovery_functions: tuple[str, ...] = ()
    retry_decorators: tuple[str, ...] = ()
    cache_dir: Path | None = None
    respect_gitignore: bool = True
    #: `anthropic-version`: pins the SDK version the rules assume (else it is detected).
    anthropic_version: str | None = None

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or self.project_root / CACHE_DIR_NAME

    @property
    def excludes(self) -> tuple[str, ...]:
        """`exclude` plus `extend-exclude`."""
        return self.exclude + self.extend_exclude

    @functools.cached_property
    def sdk(self) -> SdkVersion:
        """The httpx generation of the project's anthropic SDK (read once per settings)."""
        from scaffolder.lint.sdk_version import detect

        return detect(self.project_root, self.anthropic_version)

    def analysis_key(self) -> str:
        """The settings that change what the rules find (selection is applied after the cache)."""
        return repr(
            (
                self.min_timeout,
                sorted(self.recovery_functions),
                sorted(self.retry_decorators),
                self.sdk.httpx,
            )
        )


def load_config(start: Path, *, config_file: Path | None = None) -> Settings:
    """Settings for linting `start` (a file or directory); `config_file` skips discovery."""
    if config_file is not None:
        config_file = config_file.resolve()
        table = config_table(config_file, required=True)
        return settings_from_table(table or {}, root=config_file.parent, source=config_file)
    start = start.resolve()
    directory = start if start.is_dir() else start.parent

    first_pyproject: Path | None = None
    first_package_json: Path | None = None
    for candidate_dir in (directory, *directory.parents):
        found = directory_config(candidate_dir)
        if found is not None:
            source, table = found
            return settings_from_table(table, root=candidate_dir, source=source)
        if first_pyproject is None and (candidate_dir / "pyproject.toml").is_file():
            first_pyproject = candidate_dir / "pyproject.toml"
        if first_package_json is None and (candidate_dir / PACKAGE_JSON).is_file():
            first_package_json = candidate_dir / PACKAGE_JSON
    # Without settings the project root is the nearest Python project, else the nearest Node one.
    marker = first_pyproject or first_package_json
    return Settings(project_root=marker.parent if marker else directory)


def settings_from_table(table: Mapping[str, Any], *, root: Path, source: Path | None) -> Settings:
    """Validate a `[tool.scaffold]` table (already parsed) into `Settings`."""
    where = "[tool.scaffold]" if source is None else section(source)
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        known = ", ".join(sorted(KNOWN_KEYS))
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known keys: {known})")
    values: dict[str, Any] = {}
    for key, field in _LIST_KEYS.items():
        if key in table:
            values[field] = _string_list(table[key], f"{where} {key}")
    for key in _CODE_LIST_KEYS:
        for selector in table.get(key, ()):
            check_selector(selector, f"{where} {key}")
    if "min-timeout" in table:
        value = table["min-timeout"]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value <= 0
        ):
            raise ConfigError(
                f"{where} min-timeout: expected a positive number of seconds, got {value!r}"
            )
        values["min_timeout"] = float(value)
    pairs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    for key in ("per-file-ignores", "extend-per-file-ignores"):
        if key in table:
            pairs += _per_file_ignores(table[key], where, key)
    if pairs:
        values["per_file_ignores"] = pairs
    if "anthropic-version" in table:
        value = table["anthropic-version"]
        if not isinstance(value, str) or not value[:1].isdigit():
            raise ConfigError(
                f'{where} anthropic-version: expected a version such as "0.49" or "2.16", '
                f"got {value!r}"
            )
        values["anthropic_version"] = value
    if "respect-gitignore" in table:
        value = table["respect-gitignore"]
        if not isinstance(value, bool):
            raise ConfigError(f"{where} respect-gitignore: expected true or false, got {value!r}")
        values["respect_gitignore"] = value
    if "cache-dir" in table:
        value = table["cache-dir"]
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where} cache-dir: expected a path, got {value!r}")
        # Anyone can commit this file: the cache goes below the project, never `~` or `/tmp`
        # (`--cache-dir` and SCAFFOLD_CACHE_DIR are the user's own choice and may go anywhere).
        cache_dir = (root / Path(value).expanduser()).resolve()
        if root.resolve() not in cache_dir.parents:
            raise ConfigError(
                f"{where} cache-dir: {value!r} is not a directory inside the project {root} "
                "(use --cache-dir or SCAFFOLD_CACHE_DIR for a cache elsewhere)"
            )
        values["cache_dir"] = cache_dir
    return Settings(project_root=root, config_path=source, **values)


def check_selector(selector: object, where: str) -> str:
    """Raise `ConfigError` unless `selector` is `ALL` or a prefix of a known rule code."""
    from scaffolder.lint.codes import ALL_CODES

    if isinstance(selector, str) and (
        selector == "ALL" or (bool(selector) and any(c.startswith(selector) for c in ALL_CODES))
    ):
        return selector
    raise ConfigError(
        f"{where}: unknown rule code {selector!r} (known: {', '.join(ALL_CODES)}, or a prefix)"
    )


def _per_file_ignores(
    value: object, where: str, name: str = "per-file-ignores"
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} {name}: expected a table of glob = [codes], got {value!r}")
    result = []
    for pattern, codes in value.items():
        key = f"{where} {name}.{pattern!r}"
        code_list = _string_list(codes, key)
        for code in code_list:
            check_selector(code, key)
        result.append((str(pattern), code_list))
    return tuple(result)


def _string_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def validate(path: Path) -> None:
    """Raise the `ConfigError` `scaffold lint` would raise for the settings in `path` (any of
    `CONFIG_FILES`); nothing when it has none."""
    table = config_table(path)
    if table is not None:
        settings_from_table(table, root=path.parent, source=path)


def validate_pyproject(text: str, *, path: Path) -> None:
    """Raise the ConfigError `scaffold lint` would raise for the `[tool.scaffold]` table of a
    pyproject.toml's `text` (`scaffold init` refuses to write next to an invalid one)."""
    try:
        document = loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    table = scaffold_table_of(document, path)
    if table is not None:
        settings_from_table(table, root=path.parent, source=path)
