"""What every managed file kind shares: the result vocabulary, the command contexts, and the
one way to read a text file scaffold edits.

A kind (`Kind`) is three functions over one context each: `plan` (what `scaffold init` does),
`update` (what `scaffold update` does) and `check` (what `scaffold check` reports). `plan`
and `update` return `Step`s (an `Outcome` to report and a `Change` to write, either may be
absent); `check` returns problems, one human line each, path first. Nothing here writes: the
commands hand every change to `scaffolder._fs.apply_changes` at the end (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from scaffolder._fs import Change, read_bytes

if TYPE_CHECKING:
    from scaffolder._recorded import Recorded
    from scaffolder.edits.encoding import Decoded

Action = Literal[
    # scaffold init
    "created",  # a file that was not there
    "changed",  # a file of the user's (or an unedited one of scaffold's) edited
    "unchanged",  # already as init would leave it
    # scaffold update
    "updated",  # unedited by the user: now the new template's content
    "merged",  # user edits and template changes combined cleanly
    "kept",  # user edits kept; the template did not change this file
    "restored",  # a managed file (or entry) the user deleted, put back
    "conflict",  # needs the user: markers written, or left alone (see detail)
    "unmanaged",  # dropped from the template: the file is the user's from now on
]


@dataclass(frozen=True)
class Outcome:
    """What a command did (or would do) to one file, for its summary."""

    path: str  # posix, relative to the repository root
    action: Action
    detail: str = ""


@dataclass(frozen=True)
class Step:
    """One file's part of a run: the outcome to report, the change to write (None: none)."""

    outcome: Outcome | None = None
    change: Change | None = None


def planned(rel: str, change: Change, detail: str) -> Step:
    """An init step: every file init looks at is reported, unchanged ones too."""
    if change.is_noop:
        action: Action = "unchanged"
    else:
        action = "created" if change.is_creation else "changed"
    return Step(Outcome(rel, action, detail), change)


@dataclass(frozen=True)
class Collision:
    """A whole file init would own that is already there and that scaffold did not write (or
    that was edited since): refused, or replaced with a backup under `--force`."""

    rel: str
    path: Path
    old: bytes
    new: bytes
    detail: str


@dataclass
class InitContext:
    root: Path
    answers: Mapping[str, Any]  # settled: what the answers file will record
    rendered: Mapping[str, str]  # the template rendered with `answers`
    version: int  # the template version rendered
    recorded_digests: Mapping[str, str]  # of the whole files an earlier run wrote
    force: bool
    claude_md: bool  # this run may edit the CLAUDE.md file (not --no-claude-md)
    pre_commit: bool  # this run adds the pre-commit hooks (not --no-pre-commit)
    notes: list[str] = field(default_factory=list)
    collisions: list[Collision] = field(default_factory=list)


@dataclass
class UpdateContext:
    root: Path
    recorded: Recorded
    base: Mapping[str, str]  # the recorded template version rendered with the recorded answers
    theirs: Mapping[str, str]  # the installed template rendered with the same answers
    from_version: int
    to_version: int
    force: bool
    # whole file -> the digest `scaffold check` should expect (the answers file records it)
    digests: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckContext:
    root: Path
    recorded: Recorded
    installed_version: int

    @property
    def current(self) -> bool:
        return self.recorded.template_version == self.installed_version


def _nothing(_context: Any) -> list[Any]:
    return []


@dataclass(frozen=True)
class Kind:
    """One kind of file scaffold manages, and which answers keys say where (or whether)."""

    name: str
    answers: tuple[str, ...]
    plan: Callable[[InitContext], list[Step]]
    update: Callable[[UpdateContext], list[Step]]
    check: Callable[[CheckContext], list[str]] = _nothing
    # The files `scaffold update` refuses to touch with uncommitted changes, besides the ones
    # it changes.
    update_paths: Callable[[UpdateContext], list[str]] = _nothing


@dataclass(frozen=True)
class TextFile:
    """A text file scaffold edits, as read: `change(text)` stores new text the same way
    (encoding and BOM kept; `scaffolder.edits.encoding`)."""

    path: Path
    data: bytes | None  # None: the file does not exist
    decoded: Decoded

    @property
    def text(self) -> str:
        return self.decoded.text

    def change(self, text: str) -> Change:
        return Change(self.path, self.data, self.decoded.encode(text))


def read_text(path: Path, *, name: Path | None = None) -> TextFile:
    """Read and decode `path` (errors name `name`, default `path`): FileFormatError for text
    scaffold cannot edit, RepoError for a file it cannot read."""
    from scaffolder.edits.encoding import decode

    data = read_bytes(path)
    return TextFile(path, data, decode(data, name or path))


def check_text(root: Path, rel: str, *, missing: str) -> tuple[str | None, list[str]]:
    """For `scaffold check`, which reports instead of stopping: (text, []) decoded as init and
    update decode it, or (None, [the problem]) when `rel` is missing or unreadable."""
    from scaffolder.edits.encoding import decode
    from scaffolder.errors import FileFormatError

    try:
        return decode((root / rel).read_bytes(), Path(rel)).text, []
    except FileNotFoundError:
        return None, [f"{rel}: {missing}"]
    except OSError as exc:
        return None, [f"{rel}: cannot be read ({exc.strerror or exc})"]
    except FileFormatError as exc:
        return None, [exc.format_message()]
