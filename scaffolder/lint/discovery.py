"""Which files `scaffold lint PATHS` checks.

Inside a git work tree a directory is listed by `git ls-files -co --exclude-standard` (tracked
plus untracked-but-not-ignored files: `.gitignore` is respected exactly as git does); outside
one (or with `respect-gitignore = false`) it is walked. Either way directories named in
`DEFAULT_EXCLUDES` and paths matching the `exclude` globs are skipped. Files named explicitly
are always checked, unless `force_exclude` (what the pre-commit hook passes) says the
excludes apply to them too.

Paths stay strings here: on a tree of ten thousand files, `pathlib` objects would cost more
than the whole warm (cached) run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from scaffolder.config import DEFAULT_EXCLUDES, Settings
from scaffolder.lint._globs import matches

PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")
_DEFAULT_EXCLUDES = frozenset(DEFAULT_EXCLUDES)


def discover(
    paths: Sequence[Path], settings: Settings, *, force_exclude: bool = False
) -> list[str]:
    """The files to lint, as paths to display (relative when the argument was relative)."""
    seen: set[str] = set()
    found: list[str] = []
    for root in paths:
        if root.is_dir():
            candidates: Iterator[str] = _list_directory(root, settings)
        elif force_exclude and is_excluded(root, settings):
            continue
        else:
            candidates = iter((str(root),))
        for path in candidates:
            if path not in seen:
                seen.add(path)
                found.append(path)
    return found


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether an explicitly named file is excluded (`--force-exclude`, the Claude hook).

    Only the part of the path below the project root counts: a project that itself lives in
    a directory called `build` is not excluded.
    """
    relative = _project_relative(str(path), settings)
    if any(part in _DEFAULT_EXCLUDES for part in relative.split("/")[:-1]):
        return True
    return any(matches(pattern, relative) for pattern in settings.exclude)


def _list_directory(root: Path, settings: Settings) -> Iterator[str]:
    prefix = "" if str(root) == "." else os.path.join(str(root), "")
    listed = _git_ls_files(root) if settings.respect_gitignore else None
    if listed is None:
        yield from _walk(str(root), prefix, settings)
        return
    for relative in listed:
        if not relative.endswith(PYTHON_SUFFIXES):
            continue
        if any(part in _DEFAULT_EXCLUDES for part in relative.split("/")[:-1]):
            continue
        path = prefix + relative
        if settings.exclude and _matches_exclude(path, settings):
            continue
        if os.path.isfile(path):  # a tracked file deleted in the work tree is listed too
            yield path


def _git_ls_files(root: Path) -> list[str] | None:
    """Paths relative to `root`, or None when `root` is not in a git work tree."""
    resolved = root.resolve()
    if not any((d / ".git").exists() for d in (resolved, *resolved.parents)):
        return None
    import subprocess  # only here: a one-file run should not pay for it

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


def _walk(root: str, prefix: str, settings: Settings) -> list[str]:
    # The hot loop of a warm run over a large tree: kept free of per-file function calls.
    excludes = settings.exclude
    skip = _DEFAULT_EXCLUDES
    found: list[str] = []
    stack = [(root, prefix)]
    while stack:
        directory, shown = stack.pop()
        try:
            scanner = os.scandir(directory)
        except OSError:
            continue
        with scanner:
            for entry in scanner:
                name = entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                if is_dir:
                    if name in skip or (excludes and _matches_exclude(shown + name, settings)):
                        continue
                    stack.append((entry.path, shown + name + "/"))
                elif name.endswith(PYTHON_SUFFIXES):
                    # FIFOs, devices and links to them are no source files: opening a FIFO
                    # blocks, a link to /dev/zero never ends (d_type: no extra syscall).
                    try:
                        if not entry.is_file():
                            continue
                    except OSError:
                        continue
                    if excludes and _matches_exclude(shown + name, settings):
                        continue
                    found.append(shown + name)
    return found


def _matches_exclude(path: str, settings: Settings) -> bool:
    if not settings.exclude:
        return False
    relative = _project_relative(path, settings)
    return any(matches(pattern, relative) for pattern in settings.exclude)


def _project_relative(path: str, settings: Settings) -> str:
    """`path` relative to the project root (posix), else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(settings.project_root).as_posix()
    except ValueError:
        return absolute.as_posix()
