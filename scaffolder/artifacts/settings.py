"""The settings `scaffold lint` reads: `[tool.scaffold]` in pyproject.toml (and the anthropic
dependency there), or, in a Node-only repository, `scaffold.toml` (package.json is never
edited; a `"scaffold"` object in it is the user's home for the settings and is left alone).
The rest of each file is the user's, comments and formatting included (tomlkit).

init adds the keys the table lacks (and `anthropic>=0.40` to a static `[project].dependencies`);
update adds keys this scaffolder writes that the table lacks (a value the user set is never
changed); check has nothing to report (the settings are the user's). A file that is a link is
edited where it points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scaffolder.artifacts._base import (
    InitContext,
    Kind,
    Outcome,
    Step,
    UpdateContext,
    planned,
    read_text,
)
from scaffolder.lint._config_sources import PACKAGE_JSON, PYPROJECT, SCAFFOLD_TOML
from scaffolder.repo import shared_file


def plan(context: InitContext) -> list[Step]:
    from scaffolder.edits.pyproject import ANTHROPIC_REQUIREMENT, edit_pyproject

    target = shared_file(context.root, PYPROJECT)
    file = read_text(target)
    if file.data is None and context.answers.get("python_runtime") is False:
        return _plan_scaffold_toml(context)
    if file.data is None:
        context.notes.append(
            "no pyproject.toml: `scaffold lint` uses its defaults, and you need "
            f"`{ANTHROPIC_REQUIREMENT}` in your dependencies"
        )
        return []
    edit = edit_pyproject(file.text, path=target)
    _validate_settings(edit.text, target)
    parts = []
    if edit.added_settings:
        parts.append("[tool.scaffold] " + ", ".join(edit.added_settings))
    parts.append(
        {
            "added": f"added {ANTHROPIC_REQUIREMENT} to [project].dependencies",
            "present": (
                "anthropic declared (see the warning below)"
                if dependency_problems(context.root)
                else "anthropic already a dependency"
            ),
            "dynamic": "dependencies are dynamic: anthropic not added",
            "not-pep621": "no [project] table: anthropic not added",
        }[edit.dependency]
    )
    if edit.dependency in ("dynamic", "not-pep621"):
        context.notes.append(
            f"pyproject.toml: make sure `{ANTHROPIC_REQUIREMENT}` is among your dependencies "
            "(scaffold only edits a static [project].dependencies list)"
        )
    return [planned(PYPROJECT, file.change(edit.text), "; ".join(parts))]


def _plan_scaffold_toml(context: InitContext) -> list[Step]:
    from scaffolder.edits.scaffold_toml import complete, config_file

    path = config_file(context.root)
    if path is None:
        context.notes.append(
            f'{PACKAGE_JSON}: its "scaffold" object holds the settings; scaffold leaves it alone'
        )
        return []
    file = read_text(shared_file(context.root, SCAFFOLD_TOML))
    text, added = complete(file.text if file.data is not None else None, path=file.path)
    detail = "scaffold settings " + (", ".join(added) if added else "present")
    return [planned(SCAFFOLD_TOML, file.change(text), detail)]


def update(context: UpdateContext) -> list[Step]:
    from scaffolder.edits.pyproject import complete_settings
    from scaffolder.edits.scaffold_toml import complete

    # Edited through a link inside the repository (the link stays a link); one leading out of
    # it is refused, as init refuses it.
    file = read_text(shared_file(context.root, PYPROJECT))
    rel = PYPROJECT
    if file.data is not None:
        text, added = complete_settings(file.text, path=file.path)
    elif context.recorded.answers.get("python_runtime") is False:
        file, rel = read_text(shared_file(context.root, SCAFFOLD_TOML)), SCAFFOLD_TOML
        if file.data is None:  # settings moved to package.json, or none wanted: the user's call
            return []
        text, added = complete(file.text, path=file.path)
    else:
        return []
    if not added:
        return []
    return [Step(Outcome(rel, "updated", f"added {', '.join(added)}"), file.change(text))]


def dependency_problems(root: Path) -> list[Any]:
    """What `scaffold doctor`'s dependency row reports: declared or locked anthropic versions
    the vendored runtime cannot run on (`scaffolder._deps`)."""
    from scaffolder._deps import declarations, problems

    return problems(declarations(root))


def _validate_settings(text: str, path: Path) -> None:
    """The `[tool.scaffold]` table init leaves must be one `scaffold lint` accepts."""
    from scaffolder.errors import ConfigError
    from scaffolder.lint.config import validate_pyproject

    try:
        validate_pyproject(text, path=path)
    except ConfigError as exc:
        raise ConfigError(
            f"{exc.message}; fix it, then run `scaffold init` again (nothing was written)"
        ) from None


KIND = Kind("lint settings", answers=(), plan=plan, update=update)
