"""All-or-nothing writes of several files.

Every command that edits the user's repository first computes the complete list of `Change`s,
then hands it to `apply_changes`, which

1. checks that each file still holds what the change was computed from (`old`),
2. writes every new content to a temporary file next to its target (so a full disk or an
   unwritable directory fails here, before any target is touched),
3. moves each temporary file over its target with `os.replace` (atomic on POSIX and Windows),
4. if any step fails, puts back every file it already replaced (the original inode, kept as a
   hard link: same bytes, mode and mtime), removes files and directories it created, and
   re-raises: the repository is left exactly as it was.

A `Change` whose `new` equals `old` is a no-op and never touches the file (its mtime stays).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scaffolder.errors import RepoError


@dataclass(frozen=True)
class Change:
    """Replace the bytes `old` of `path` with `new`; `old is None` means "create `path`"."""

    path: Path
    old: bytes | None
    new: bytes

    @property
    def is_noop(self) -> bool:
        return self.old == self.new

    @property
    def is_creation(self) -> bool:
        return self.old is None


def keep_line_endings(old: bytes | None, new: bytes) -> bytes:
    """`old` when it holds the text of `new` with CRLF line endings, else `new`.

    scaffold renders LF; a checkout with git's `core.autocrlf` has CRLF. Same text: no change.
    """
    if old is not None and old.replace(b"\r\n", b"\n") == new.replace(b"\r\n", b"\n"):
        return old
    return new


def read_bytes(path: Path) -> bytes | None:
    """The bytes of `path`, or None when it does not exist."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        # A parent that is a file: nothing is there yet (writing it will fail and say so).
        return None
    except IsADirectoryError:
        raise RepoError(f"{path} is a directory where scaffold needs a file") from None
    except OSError as exc:
        raise RepoError(f"cannot read {path}: {exc.strerror or exc}") from exc


def pending(changes: Iterable[Change]) -> list[Change]:
    """The changes that actually change something."""
    return [change for change in changes if not change.is_noop]


def unified_diff(changes: Iterable[Change], *, root: Path | None = None) -> str:
    """A `git diff`-style unified diff of the changes (paths relative to `root` when given)."""
    out: list[str] = []
    for change in pending(changes):
        name = change.path.relative_to(root).as_posix() if root else change.path.as_posix()
        old = _text_lines(change.old or b"")
        new = _text_lines(change.new)
        before = "/dev/null" if change.old is None else f"a/{name}"
        out.extend(difflib.unified_diff(old, new, before, f"b/{name}"))
    return "".join(out)


def _text_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    # Show a missing final newline the way git does, so the diff stays line-oriented.
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def apply_changes(changes: Sequence[Change]) -> list[Change]:
    """Write every change atomically, or none of them. Returns the changes that were written.

    Raises `RepoError` (nothing changed) when a file moved under us or cannot be written.
    """
    todo = pending(changes)
    paths = [change.path.resolve() for change in todo]
    if len(set(paths)) != len(paths):
        # Two edits of one file computed from the same old bytes: the first would be lost.
        raise ValueError(f"apply_changes got several changes for one file: {paths}")
    for change in todo:
        if read_bytes(change.path) != change.old:
            raise RepoError(
                f"{change.path} changed while scaffold was working; nothing was written, run again"
            )
    created_dirs: list[Path] = []
    temps: list[tuple[Change, Path]] = []
    originals: dict[Path, Path] = {}  # target -> a second link to its original inode
    replaced: list[Change] = []
    current = todo[0].path if todo else None
    try:
        for change in todo:
            current = change.path
            created_dirs.extend(_make_parents(change.path.parent))
            temps.append((change, _write_temp(change)))
            if change.old is not None:
                originals[change.path] = _keep_original(change.path)
        for change, temp in temps:
            current = change.path
            os.replace(temp, change.path)
            replaced.append(change)
    except OSError as exc:
        _rollback(replaced, temps, originals, created_dirs)
        raise RepoError(
            f"cannot write {current}: {exc.strerror or exc}; nothing was changed"
        ) from exc
    except BaseException:
        _rollback(replaced, temps, originals, created_dirs)
        raise
    for keep in originals.values():
        with contextlib.suppress(OSError):
            keep.unlink()
    return todo


def _keep_original(path: Path) -> Path:
    """A hard link to `path`'s current inode, so a rollback restores it exactly (bytes, mode,
    mtime); a copy with its metadata where the file system has no hard links."""
    keep = path.with_name(f".{path.name}.{os.getpid()}.scaffold-orig")
    keep.unlink(missing_ok=True)
    try:
        os.link(path, keep)
    except OSError:
        shutil.copy2(path, keep)
    return keep


def _make_parents(directory: Path) -> list[Path]:
    """Create `directory` and missing parents; return the ones created, outermost first."""
    missing: list[Path] = []
    for candidate in [directory, *directory.parents]:
        if candidate.exists():
            break
        missing.append(candidate)
    created: list[Path] = []
    for candidate in reversed(missing):
        candidate.mkdir()
        created.append(candidate)
    return created


def _write_temp(change: Change) -> Path:
    fd, name = tempfile.mkstemp(
        dir=change.path.parent, prefix=f".{change.path.name}.", suffix=".scaffold-tmp"
    )
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(change.new)
            handle.flush()
            os.fsync(handle.fileno())
        # Keep an existing file's permissions (an executable script stays executable);
        # new files get the usual umask-based mode instead of mkstemp's 0600.
        if change.path.exists():
            os.chmod(temp, stat.S_IMODE(change.path.stat().st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _rollback(
    replaced: list[Change],
    temps: list[tuple[Change, Path]],
    originals: dict[Path, Path],
    created_dirs: list[Path],
) -> None:
    # Best effort by design: we are already handling a failure, and each step is independent.
    for change in reversed(replaced):
        with contextlib.suppress(OSError):
            if change.old is None:
                change.path.unlink(missing_ok=True)
            else:
                os.replace(originals.pop(change.path), change.path)
    for keep in originals.values():
        with contextlib.suppress(OSError):
            keep.unlink()
    for _, temp in temps:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    for directory in reversed(created_dirs):
        with contextlib.suppress(OSError):
            directory.rmdir()
