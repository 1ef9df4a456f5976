"""All-or-nothing writes of several files.

Every command that edits the user's repository first computes the complete list of `Change`s,
then hands it to `apply_changes`, which

1. checks that each file still holds what the change was computed from (`old`),
2. writes every new content to a temporary file next to its target (so a full disk or an
   unwritable directory fails here, before any target is touched),
3. moves each temporary file over its target with `os.replace` (atomic on POSIX and Windows),
4. if any step fails, puts back every file it already replaced (the original inode, kept as a
   hard link: same bytes, mode and mtime), removes files and directories it created, and
   re-raises: the repository is left exactly as it was;
5. journals the plan before step 2 when run inside a `_journal.repo_session`, so that even a
   run killed outright is rolled back by the next scaffold command (see `scaffolder._journal`).

A `Change` whose `new` equals `old` is a no-op and never touches the file (its mtime stays).

`write_atomic` is the same temp-file-and-`os.replace` step for one file outside the user's
tracked files (the lint cache, `scaffold lint --output-file`), without the journal. This module
is cheap to import (the journal, difflib and shutil load when used): the lint cache writes
through it at the end of every `scaffold lint`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.errors import RepoError

if TYPE_CHECKING:
    from scaffolder import _journal


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


# Line endings. scaffold renders LF; a checkout with git's `core.autocrlf` has CRLF, which is
# no edit of the user's: the same text in either is the same file.


def lf(text: str) -> str:
    """`text` with CRLF line endings read as LF."""
    return text.replace("\r\n", "\n")


def with_line_endings_of(model: str, text: str) -> str:
    """`text` (LF) in the line endings of `model`: CRLF when `model` has any."""
    return text.replace("\n", "\r\n") if "\r\n" in model else text


def keep_line_endings(old: bytes | None, new: bytes) -> bytes:
    """`old` when it holds the text of `new` in other line endings, else `new`."""
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
    import difflib

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
    Inside a `_journal.repo_session` the plan is journaled first, so a run killed at any step
    is rolled back by the next scaffold command; SIGINT/SIGTERM/SIGHUP arriving while files
    move roll this run back before they take effect.
    """
    from scaffolder import _journal

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
    if not todo:
        return todo
    token = _token()
    entries = [
        _journal.Entry(
            path=change.path,
            temp=change.path.with_name(f".{change.path.name}.{token}.scaffold-tmp"),
            original=None
            if change.old is None
            else change.path.with_name(f".{change.path.name}.{token}.scaffold-orig"),
            old=_journal.digest(change.old),
            new=_journal.digest(change.new) or "",
        )
        for change in todo
    ]
    dirs = _missing_parents([change.path.parent for change in todo])
    journal = _journal.journal_for(entries, dirs)
    current = todo[0].path
    todo_written = False
    with _journal.DeferredSignals() as signals:
        try:
            journal.write("applying")  # before anything in the work tree is touched
            for directory in dirs:
                current = directory
                directory.mkdir()
            for change, entry in zip(todo, entries, strict=True):
                current = change.path
                _write_temp(entry.temp, change.new, like=change.path)
                if entry.original is not None:
                    _keep_original(change.path, entry.original)
                _stop_if_signalled(signals)
            for entry in entries:
                current = entry.path
                os.replace(entry.temp, entry.path)
                _stop_if_signalled(signals)
            journal.write("committed")  # from here on, recovery completes instead
        except OSError as exc:
            journal.roll_back()
            raise RepoError(
                f"cannot write {current}: {exc.strerror or exc}; nothing was changed"
            ) from exc
        except _Interrupted:
            journal.roll_back()
        except BaseException:
            journal.roll_back()
            raise
        else:
            journal.clean_up()
            journal.remove()
            todo_written = True
    signals.redeliver()  # Ctrl-C raises KeyboardInterrupt here; SIGTERM/SIGHUP end the process
    if not todo_written:  # a signal that did not end the process: still no partial success
        raise KeyboardInterrupt
    return todo


class _Interrupted(BaseException):
    """A deferred signal arrived: roll back, then let it take effect."""


def _stop_if_signalled(signals: _journal.DeferredSignals) -> None:
    if signals.received is not None:
        raise _Interrupted


def _keep_original(path: Path, keep: Path) -> None:
    """A hard link to `path`'s current inode, so a rollback restores it exactly (bytes, mode,
    mtime); a copy with its metadata where the file system has no hard links."""
    try:
        os.link(path, keep)
    except OSError:
        import shutil

        shutil.copy2(path, keep)


def _missing_parents(directories: Iterable[Path]) -> list[Path]:
    """The directories (and parents) that do not exist yet, outermost first, each once."""
    missing: list[Path] = []
    for directory in directories:
        chain: list[Path] = []
        for candidate in [directory, *directory.parents]:
            if candidate.exists() or candidate in missing:
                break
            chain.append(candidate)
        missing.extend(reversed(chain))
    return missing


def write_atomic(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Replace `path` with `data` in one step: a temporary file beside it, then `os.replace`,
    so a reader sees the old bytes or the new, never a part. An existing file's permissions are
    kept; the temporary file is removed when anything fails (the error propagates).
    `fsync=False` skips flushing to disk, for a file that is cheap to lose (a cache)."""
    temp = path.with_name(f".{path.name}.{_token()}.scaffold-tmp")
    try:
        _write_temp(temp, data, like=path, fsync=fsync)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _token() -> str:
    """8 random hex digits that keep concurrent runs' temporary files apart (what
    `secrets.token_hex(4)` returns, without importing `secrets`)."""
    return os.urandom(4).hex()


def _write_temp(temp: Path, data: bytes, *, like: Path, fsync: bool = True) -> None:
    """Write `data` to the new file `temp`, with the permissions `like` has (or, when `like`
    does not exist, the usual umask-based mode instead of 0600)."""
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        if fsync:
            handle.flush()
            os.fsync(handle.fileno())
    # Keep an existing file's permissions (an executable script stays executable).
    if like.exists():
        os.chmod(temp, stat.S_IMODE(like.stat().st_mode))
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
