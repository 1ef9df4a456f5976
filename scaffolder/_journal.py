"""One scaffold run at a time per repository, and every interrupted run undone before the next.

`repo_session` (a decorator for the commands that read or write managed files) takes a lock in
the repository's git directory, so two runs cannot interleave ("another scaffold is running"),
and first finishes whatever an earlier run left behind: a run killed (SIGKILL, power loss) in
the middle of `_fs.apply_changes` leaves its journal, `scaffold-journal.json` in the git
directory. The journal is written *before* the first file is touched and names every target,
its temporary file, the hard link that keeps its original, the digests of the old and new
bytes, and the directories the run creates. Recovery reads it and

- before the commit mark: rolls back (each target that holds the new bytes gets its original
  back, created files and directories go) - the repository is as it was before that run;
- after the commit mark: every file is already new; only the leftovers are removed.

Either way the temporary files and the journal go, so `check`/`init`/`update` never see
scaffold's own half-written state as a user's edit. The lock is `flock` on a file that stays in
the git directory (deleting a lock file races with the next run taking it); the kernel drops it
when the process dies, so a killed run never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from scaffolder.errors import RepoError

JOURNAL_NAME = "scaffold-journal.json"
LOCK_NAME = "scaffold.lock"
#: Signals that end a run the way Ctrl-C or a closing terminal do; held back while files move.
_DEFERRED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_F = TypeVar("_F", bound=Callable[..., Any])
#: The repository root of the session this thread is in (apply_changes journals there).
_session_root: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "scaffold_session_root", default=None
)


def digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def state_dir(root: Path) -> Path:
    """Where the journal and the lock live: the git directory (never shown as a change)."""
    dot_git = root / ".git"
    if dot_git.is_file():  # a linked worktree or submodule: `gitdir: <path>`
        try:
            text = dot_git.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return root
        for line in text.splitlines():
            if line.startswith("gitdir:"):
                gitdir = Path(line.partition(":")[2].strip())
                gitdir = gitdir if gitdir.is_absolute() else root / gitdir
                return gitdir if gitdir.is_dir() else root
    return dot_git if dot_git.is_dir() else root


def repo_session(*, lock: bool) -> Callable[[_F], _F]:
    """Run the decorated command (first argument: a path in the repository) after recovering
    an interrupted run; `lock` also holds the repository's lock for the whole command."""

    def decorate(function: _F) -> _F:
        @functools.wraps(function)
        def run(path: Path, *args: Any, **kwargs: Any) -> Any:
            from scaffolder.repo import find_repo_root

            if _session_root.get() is not None:  # nested (doctor runs check): already held
                return function(path, *args, **kwargs)
            if not lock and not _journal_above(Path(path)):
                return function(path, *args, **kwargs)  # read-only and nothing to recover
            root = find_repo_root(path)
            with _locked(root):
                recover(root)
                token = _session_root.set(root)
                try:
                    return function(path, *args, **kwargs)
                finally:
                    _session_root.reset(token)

        return run  # type: ignore[return-value]

    return decorate


def _journal_above(path: Path) -> bool:
    """Whether the git directory of the work tree around `path` holds a journal; no `git`
    process (`scaffold check` runs on every commit and must stay cheap)."""
    here = path.resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return (state_dir(directory) / JOURNAL_NAME).exists()
    return False


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    path = state_dir(root) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise RepoError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            _lock_fd(fd)
        except OSError:
            raise RepoError(
                f"another scaffold is running in {root} (it holds {path}); wait for it to "
                "finish, then run this command again"
            ) from None
        yield
    finally:
        os.close(fd)  # releases the lock


if sys.platform == "win32":  # pragma: no cover - CI runs POSIX

    def _lock_fd(fd: int) -> None:
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:

    def _lock_fd(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


# --- the journal ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One file of a run: `path` gets `temp`'s bytes; `original` keeps its old inode."""

    path: Path
    temp: Path
    original: Path | None  # None: the run creates `path`
    old: str | None  # sha256 of the bytes before (None: no file)
    new: str  # sha256 of the bytes after


class Journal:
    """The plan of one `apply_changes`, persisted (when `file` is set) before any file moves."""

    def __init__(
        self, file: Path | None, root: Path | None, entries: list[Entry], dirs: list[Path]
    ) -> None:
        self.file = file
        self.root = root
        self.entries = entries
        self.dirs = dirs  # created by the run, outermost first

    def write(self, state: str) -> None:
        if self.file is None or self.root is None:
            return
        root = self.root

        def rel(path: Path | None) -> str | None:
            return None if path is None else path.relative_to(root).as_posix()

        data = {
            "state": state,
            "entries": [
                {
                    "path": rel(e.path),
                    "temp": rel(e.temp),
                    "original": rel(e.original),
                    "old": e.old,
                    "new": e.new,
                }
                for e in self.entries
            ],
            "dirs": [rel(d) for d in self.dirs],
        }
        tmp = self.file.with_name(self.file.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.file)

    @classmethod
    def read(cls, root: Path, file: Path) -> tuple[Journal, str]:
        data = json.loads(file.read_text(encoding="utf-8"))

        def place(rel: object) -> Path:
            pure = PurePosixPath(str(rel))
            if not isinstance(rel, str) or pure.is_absolute() or ".." in pure.parts:
                raise ValueError(f"journal path {rel!r} is not inside the repository")
            return root / pure

        entries = [
            Entry(
                path=place(e["path"]),
                temp=place(e["temp"]),
                original=None if e["original"] is None else place(e["original"]),
                old=e["old"],
                new=e["new"],
            )
            for e in data["entries"]
        ]
        return cls(file, root, entries, [place(d) for d in data["dirs"]]), str(data["state"])

    def roll_back(self) -> None:
        """Put every target back as it was; idempotent, so a recovery can itself be killed."""
        for entry in reversed(self.entries):
            current = _digest_of(entry.path)
            if entry.old is None:
                if current == entry.new:
                    entry.path.unlink(missing_ok=True)
            elif current != entry.old and entry.original is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.replace(entry.original, entry.path)
        self.clean_up()
        for directory in reversed(self.dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()
        self.remove()

    def clean_up(self) -> None:
        """Remove the temporary files and the kept originals."""
        for entry in self.entries:
            for leftover in (entry.temp, entry.original):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        leftover.unlink(missing_ok=True)

    def remove(self) -> None:
        if self.file is not None:
            for path in (self.file, self.file.with_name(self.file.name + ".tmp")):
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)


def _digest_of(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return None


def journal_for(entries: list[Entry], dirs: list[Path]) -> Journal:
    """A journal for this run: persisted in the session's repository, else in memory only."""
    root = _session_root.get()
    file = None if root is None else state_dir(root) / JOURNAL_NAME
    return Journal(file, root, entries, dirs)


def recover(root: Path) -> None:
    """Finish (after its commit mark) or undo (before it) a run that was interrupted."""
    file = state_dir(root) / JOURNAL_NAME
    half_written = file.with_name(file.name + ".tmp")
    if not file.exists():
        # Killed while writing the journal itself: no file had been touched yet.
        half_written.unlink(missing_ok=True)
        return
    try:
        journal, state = Journal.read(root, file)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RepoError(
            f"{file} records an interrupted scaffold run but cannot be read ({exc}); check the "
            "files it names with `git status`, then delete it"
        ) from None
    if state == "committed":
        journal.clean_up()
        journal.remove()
    else:
        journal.roll_back()


# --- signals ----------------------------------------------------------------------------------


class DeferredSignals:
    """Holds back SIGINT/SIGTERM/SIGHUP while files move; `apply_changes` polls `received`
    between steps and rolls back itself, then `redeliver` ends the process as the signal would
    have."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> DeferredSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in _DEFERRED_SIGNALS:
                previous = signal.getsignal(signum)
                if previous is not None:  # None: installed outside Python, leave it be
                    self._previous[signum] = signal.signal(signum, self._note)
        return self

    def _note(self, signum: int, frame: object) -> None:
        self.received = self.received or signum

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def redeliver(self) -> None:
        """Raise the deferred signal now that its handlers are back (Ctrl-C: KeyboardInterrupt)."""
        if self.received is not None:
            os.kill(os.getpid(), self.received)
