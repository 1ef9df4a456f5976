"""scaffolder: harden existing repositories against interrupted Anthropic API streams.

`__version__` is the installed distribution's version (its metadata, written from
`[project].version` in pyproject.toml, the one place it is set); looked up on first use, so
importing scaffolder costs nothing for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

DISTRIBUTION = "claude-scaffold"

if TYPE_CHECKING:
    __version__: str


def __getattr__(name: str) -> str:
    if name == "__version__":
        globals()["__version__"] = version = _version()
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _version() -> str:
    from scaffolder._dist import installed_version

    installed = installed_version(DISTRIBUTION)
    if installed is not None:
        return installed
    # Not installed: running from a source tree (PYTHONPATH=.), whose pyproject.toml says.
    from pathlib import Path

    from scaffolder._toml import loads

    try:
        pyproject = loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    except (OSError, ValueError, ImportError):  # ImportError: Python 3.10 without tomlkit
        return "0+unknown"
    project = pyproject.get("project")
    if isinstance(project, dict) and project.get("name") == DISTRIBUTION:
        return str(project.get("version", "0+unknown"))
    return "0+unknown"
