"""Which files `scaffold lint PATHS` checks.

Inside a git work tree a directory is listed by `git ls-files -co --exclude-standard` (tracked
plus untracked-but-not-ignored files: `.gitignore` is respected exactly as git does); outside
one it is walked. Either way directories named in `DEFAULT_EXCLUDES` and paths matching the
`exclude` globs are skipped. Files named explicitly are always checked, unless
`force_exclude` (what the pre-commit hook passes) says the excludes apply to them too.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from scaffolder.config import DEFAULT_EXCLUDES, Settings
from scaffolder.lint._globs import matches

PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")
_DEFAULT_EXCLUDES = frozenset(DEFAULT_EXCLUDES)


def discover(
    paths: Sequence[Path], settings: Settings, *, force_exclude: bool = False
) -> list[Path]:
    seen: set[Path] = set()
    found: list[Path] = []
    for root in paths:
        if root.is_dir():
            candidates: Iterator[Path] = _list_directory(root, settings)
        elif force_exclude and _excluded(root, settings, check_parts=True):
            continue
        else:
            candidates = iter((root,))
        for path in candidates:
            if path not in seen:
                seen.add(path)
                found.append(path)
    return found


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether `--force-exclude` drops this explicitly named file."""
    return _excluded(path, settings, check_parts=True)


def _list_directory(root: Path, settings: Settings) -> Iterator[Path]:
    listed = _git_ls_files(root)
    if listed is None:
        yield from _walk(root, settings)
        return
    for relative in listed:
        if not relative.endswith(PYTHON_SUFFIXES):
            continue
        parts = relative.split("/")
        if any(part in _DEFAULT_EXCLUDES for part in parts[:-1]):
            continue
        path = root / relative
        if settings.exclude and _excluded(path, settings, check_parts=False):
            continue
        if path.is_file():  # a tracked file deleted in the work tree is listed too
            yield path


def _git_ls_files(root: Path) -> list[str] | None:
    """Paths relative to `root`, or None when `root` is not in a git work tree."""
    if not any((d / ".git").exists() for d in (root.resolve(), *root.resolve().parents)):
        return None
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "-co", "--exclude-standard", "--", "."],
            capture_output=True,
            check=False,
        )
    except OSError:  # no git executable: walk instead
        return None
    if proc.returncode != 0:
        return None
    return [p for p in os.fsdecode(proc.stdout).split("\0") if p]


def _walk(root: Path, settings: Settings) -> Iterator[Path]:
    stack = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in sorted(entries, key=lambda e: e.name, reverse=True):
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            path = Path(entry.path)
            if is_dir:
                if entry.name in _DEFAULT_EXCLUDES or entry.is_symlink():
                    continue
                if settings.exclude and _excluded(path, settings, check_parts=False):
                    continue
                stack.append(entry.path)
            elif entry.name.endswith(PYTHON_SUFFIXES):
                if settings.exclude and _excluded(path, settings, check_parts=False):
                    continue
                yield path


def _excluded(path: Path, settings: Settings, *, check_parts: bool) -> bool:
    if check_parts and any(part in _DEFAULT_EXCLUDES for part in path.parts[:-1]):
        return True
    if not settings.exclude:
        return False
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(settings.project_root).as_posix()
    except ValueError:
        relative = absolute.as_posix()
    return any(matches(pattern, relative) for pattern in settings.exclude)
