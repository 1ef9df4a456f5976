"""The managed block in a Claude Code memory file (CLAUDE.md, .claude/CLAUDE.md, AGENTS.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scaffolder.edits.managed_block import find_block, upsert_block

BlockStatus = Literal["added", "updated", "unchanged", "edited"]


@dataclass(frozen=True)
class MemoryEdit:
    text: str
    status: BlockStatus


def edit_memory_file(text: str, body: str, *, version: int) -> MemoryEdit:
    """Put scaffold's block (`body`, template `version`) into the memory file `text`.

    A block the user edited (its hash no longer matches) is left exactly as it is: merging it
    is `scaffold update`'s job, and init never clobbers. Raises `MalformedBlockError`.
    """
    found = find_block(text)
    if found is not None and found.edited:
        return MemoryEdit(text, "edited")
    new = upsert_block(text, body, version=version)
    if new == text:
        return MemoryEdit(text, "unchanged")
    return MemoryEdit(new, "added" if found is None else "updated")
