"""What a fixer proposes: a `Fix` (an edit of the libcst tree) or a `NoFix` (why not, and what to
do by hand)."""

from __future__ import annotations

from dataclasses import dataclass

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
