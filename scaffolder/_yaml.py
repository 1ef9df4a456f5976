"""YAML of the repository's files (answers file, pre-commit config): errors name file and place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scaffolder.errors import FileFormatError


def parse_yaml(text: str, path: Path) -> Any:
    """`text` parsed safely; `FileFormatError` naming `path`, line and column when invalid."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FileFormatError(
            path,
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            line=mark.line + 1 if mark else None,
            col=mark.column + 1 if mark else None,
        ) from None
