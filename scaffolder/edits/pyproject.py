"""Edits of pyproject.toml through tomlkit, which keeps the user's formatting and comments."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from scaffolder._toml import check_shapes, parse_document

# What `scaffold init` writes into [tool.scaffold] when a key is missing (see DESIGN.md; the
# other keys' defaults need no spelling out). Existing values are never changed.
DEFAULT_SETTINGS: Mapping[str, tuple[Any, str]] = {
    "min-timeout": (300, "seconds; shorter client/request timeouts are SCF003"),
}
# The oldest SDK the vendored runtime supports.
ANTHROPIC_REQUIREMENT = "anthropic>=0.40"

DependencyStatus = Literal["present", "added", "dynamic", "not-pep621"]


@dataclass(frozen=True)
class PyprojectEdit:
    text: str
    added_settings: tuple[str, ...]  # keys added to [tool.scaffold]
    dependency: DependencyStatus  # what happened to `anthropic` in [project].dependencies


def requirement_name(requirement: str) -> str:
    """The normalised name of a PEP 508 requirement (`Anthropic[vertex]>=1` -> anthropic)."""
    match = re.match(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)", requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else ""


def edit_pyproject(
    text: str,
    *,
    path: Path,
    settings: Mapping[str, tuple[Any, str]] = DEFAULT_SETTINGS,
    requirement: str = ANTHROPIC_REQUIREMENT,
) -> PyprojectEdit:
    """Add missing `[tool.scaffold]` keys and, if missing, `anthropic` to the dependencies."""
    doc = parse_document(text, path)
    check_shapes(doc, path)
    added = _add_missing(_settings_table(doc), settings)
    dependency = _ensure_dependency(doc, requirement)
    if not added and dependency != "added":
        return PyprojectEdit(text, (), dependency)
    return PyprojectEdit(_dumps(doc, text), added, dependency)


def complete_settings(
    text: str, *, path: Path, settings: Mapping[str, tuple[Any, str]] = DEFAULT_SETTINGS
) -> tuple[str, tuple[str, ...]]:
    """(new text, keys added): the `settings` keys an existing `[tool.scaffold]` lacks.

    For `scaffold update`: user values are kept, and a file without the table is left alone
    (the user removed it, or never wanted it).
    """
    doc = parse_document(text, path)
    check_shapes(doc, path)
    table = doc.get("tool", {}).get("scaffold")
    added = _add_missing(table, settings) if table is not None else ()
    return (_dumps(doc, text) if added else text), added


def _dumps(doc: Any, original: str) -> str:
    import tomlkit

    new = tomlkit.dumps(doc)
    if "\r\n" in original and "\n" not in original.replace("\r\n", ""):
        new = new.replace("\r\n", "\n").replace("\n", "\r\n")  # tomlkit writes LF for new lines
    return new


def _settings_table(doc: Any) -> Any:
    """`[tool.scaffold]`, created when missing."""
    import tomlkit

    tool = doc.get("tool")
    if tool is None:
        # A super table renders only `[tool.scaffold]`, not an empty `[tool]` header.
        tool = tomlkit.table(is_super_table=True)
        doc.add("tool", tool)
    table = tool.get("scaffold")
    if table is None:
        table = tomlkit.table()
        tool.add("scaffold", table)
    return table


def _add_missing(table: Any, settings: Mapping[str, tuple[Any, str]]) -> tuple[str, ...]:
    import tomlkit

    added = []
    for key, (value, comment) in settings.items():
        if key not in table:
            table.add(key, tomlkit.item(value).comment(comment))
            added.append(key)
    return tuple(added)


def _ensure_dependency(doc: Any, requirement: str) -> DependencyStatus:
    name = requirement_name(requirement)
    project = doc.get("project")
    if project is None:
        poetry = doc.get("tool", {}).get("poetry", {}).get("dependencies", {})
        declared = {requirement_name(str(key)) for key in poetry}
        return "present" if name in declared else "not-pep621"
    dependencies = project.get("dependencies")
    if dependencies is None:
        if "dependencies" in project.get("dynamic", []):
            return "dynamic"
        project.add("dependencies", [requirement])
        return "added"
    if any(requirement_name(str(item)) == name for item in dependencies):
        return "present"
    dependencies.append(requirement)
    return "added"
