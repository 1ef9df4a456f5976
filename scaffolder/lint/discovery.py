"""Which files `scaffold lint PATHS` checks.

Inside a git work tree a directory is listed by `git ls-files -co --exclude-standard` (tracked
plus untracked-but-not-ignored files: `.gitignore` is respected exactly as git does); outside
one (or with `respect-gitignore = false`) it is walked. Either way directories named in
`DEFAULT_EXCLUDES` and paths matching the `exclude` globs are skipped. Files named explicitly
are always checked, unless `force_exclude` (what the pre-commit hook passes) says the
excludes apply to them too.

Files of languages scaffold does not lint (yet) are never silently passed: `discover_files`
also collects them (`OTHER_SOURCE_SUFFIXES`), so the run can say how many of them mention an
Anthropic SDK and a file named on the command line gets a note instead of a parse error.
Supporting a language means moving its suffixes from one set to the other.

Paths stay strings here: on a tree of ten thousand files, `pathlib` objects would cost more
than the whole warm (cached) run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from scaffolder.lint._globs import matches
from scaffolder.lint.codes import LINTED_SUFFIXES, OTHER_SOURCE_SUFFIXES
from scaffolder.lint.config import DEFAULT_EXCLUDES, Settings

_DEFAULT_EXCLUDES = frozenset(DEFAULT_EXCLUDES)
_LISTED_SUFFIXES = LINTED_SUFFIXES + OTHER_SOURCE_SUFFIXES


class Discovered(NamedTuple):
    linted: list[str]  # the files to lint, as paths to display
    others: list[str]  # files of OTHER_SOURCE_SUFFIXES found in the directories
    named_others: list[str]  # files of OTHER_SOURCE_SUFFIXES named explicitly


def discover(
    paths: Sequence[Path], settings: Settings, *, force_exclude: bool = False
) -> list[str]:
    """The files to lint, as paths to display (relative when the argument was relative)."""
    return discover_files(paths, settings, force_exclude=force_exclude).linted


def discover_files(
    paths: Sequence[Path], settings: Settings, *, force_exclude: bool = False
) -> Discovered:
    """The files to lint, and the files of other languages that were not linted."""
    seen: set[str] = set()
    found = Discovered([], [], [])
    for root in paths:
        if root.is_dir():
            for path in _list_directory(root, settings):
                if path not in seen:
                    seen.add(path)
                    linted = path.endswith(LINTED_SUFFIXES)
                    (found.linted if linted else found.others).append(path)
            continue
        path = str(root)
        if path in seen or (force_exclude and is_excluded(root, settings)):
            continue
        seen.add(path)
        named_other = root.name.endswith(OTHER_SOURCE_SUFFIXES)
        (found.named_others if named_other else found.linted).append(path)
    return found


def mentions_anthropic(path: str) -> bool:
    """Whether a file of another language mentions an Anthropic SDK (`@anthropic-ai/sdk`,
    `anthropic-sdk-go`, `com.anthropic`, `Anthropic.SDK`...): a byte search, no parsing."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return False
    return b"anthropic" in data or b"Anthropic" in data


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether an explicitly named file is excluded (`--force-exclude`, the Claude hook).

    Only the part of the path below the project root counts: a project that itself lives in
    a directory called `build` is not excluded.
    """
    relative = _project_relative(str(path), settings)
    if any(part in _DEFAULT_EXCLUDES for part in relative.split("/")[:-1]):
        return True
    return any(matches(pattern, relative) for pattern in settings.excludes)


def _list_directory(root: Path, settings: Settings) -> Iterator[str]:
    prefix = "" if str(root) == "." else os.path.join(str(root), "")
    listed = _git_ls_files(root) if settings.respect_gitignore else None
    if listed is None:
        yield from _walk(str(root), prefix, settings)
        return
    for relative in listed:
        if not relative.endswith(_LISTED_SUFFIXES):
            continue
        if any(part in _DEFAULT_EXCLUDES for part in relative.split("/")[:-1]):
            continue
        path = prefix + relative
        if settings.excludes and _matches_exclude(path, settings):
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
    excludes = settings.excludes
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
                elif name.endswith(_LISTED_SUFFIXES):
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
    if not settings.excludes:
        return False
    relative = _project_relative(path, settings)
    return any(matches(pattern, relative) for pattern in settings.excludes)


def _project_relative(path: str, settings: Settings) -> str:
    """`path` relative to the project root (posix), else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(settings.project_root).as_posix()
    except ValueError:
        return absolute.as_posix()
