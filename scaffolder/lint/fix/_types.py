"""What a fixer proposes: a `Fix` (an edit of the libcst tree), a `TextFix` (edits of the
text) or a `NoFix` (why not, and what to do by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the text-edit fixes (_text.py) use `NoFix` without libcst
    import libcst as cst


@dataclass(frozen=True)
class Fix:
    """Replace `target` (a node of the parsed file) by `replacement` (or remove it).

    `imports` are names of the vendored recovery module the replacement uses, `modules` the
    modules it uses by their name (`import anthropic`, added unless the file has it); `unsafe`
    fixes may change what the code does (applied only with `--unsafe-fixes`), like ruff's.
    """

    code: str
    target: cst.CSTNode
    replacement: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement]
    title: str
    unsafe: bool = False
    imports: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    removals: tuple[cst.CSTNode, ...] = ()  # statements the replacement takes over


@dataclass(frozen=True)
class NoFix:
    """No automatic fix for this finding; `reason` says why and what to change by hand."""

    code: str
    reason: str


class TextEdit(NamedTuple):
    """Replace the characters `start:end` of the file's text by `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TextFix:
    """A safe fix as edits of the file's text, found from the `ast` tree alone (ruff's model):
    the fixes `_text.py` makes without libcst. `target` is the character range the fix owns
    (the libcst fixers' `target` node), `imports` as for `Fix`."""

    code: str
    title: str
    target: tuple[int, int]
    edits: tuple[TextEdit, ...]
    imports: tuple[str, ...] = ()
