"""Two real template versions in a temporary directory, without a release.

`make_versions` snapshots the real template as "released" version N (the merge base of repos
that `scaffold init` renders today) and makes version N+1 from a copy of it, with lines added
near the top, in the middle and at the end of the runtime module and the Claude Code rule, and
a new line in the CLAUDE.md block. It returns where those lines went, so tests can put user
edits in the same places (conflicts) or far from them (clean merges).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from scaffolder.templates import TemplateStore, template_version

RUNTIME_SRC = "files/claude_stream.py.jinja"
RULES_SRC = "files/.claude/rules/claude-streaming.md.jinja"
BLOCK_SRC = "files/_fragments/memory-block.md.jinja"
BLOCK_LINE = "V2: new guidance in the managed block."


@dataclass(frozen=True)
class Anchors:
    """Lines of one template file (as rendered: they contain no Jinja) around the v2 edits."""

    changed_after: tuple[str, str, str]  # v2 inserts a line after each (top, middle, end)
    added: tuple[str, str, str]  # the lines v2 inserts
    quiet: str  # a line far from every v2 change: a user edit after it merges cleanly


@dataclass(frozen=True)
class Versions:
    store: TemplateStore
    old: int
    new: int
    runtime: Anchors
    rules: Anchors


def _plain_lines(lines: list[str], text: str) -> list[int]:
    """Indices of lines a rendering leaves untouched and that occur once in the file (outside
    every `{% if %}` block: those are rendered for some answers only)."""
    start = 0
    if lines and lines[0].strip() == "---":  # skip YAML front matter
        start = next(i for i in range(1, len(lines)) if lines[i].strip() == "---") + 1
    plain = []
    depth = 0
    for i in range(start, len(lines)):
        line = lines[i]
        depth += len(_IF.findall(line)) - len(_ENDIF.findall(line))
        if (
            depth == 0
            and line.strip()
            and not any(c in line for c in "{}%")
            and any(c.isalpha() for c in line)
            and text.count(line) == 1
        ):
            plain.append(i)
    return plain


_IF = re.compile(r"\{%-?\s*if\b")
_ENDIF = re.compile(r"\{%-?\s*endif\b")


def _edit(path: Path, prefix: str) -> Anchors:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    plain = _plain_lines(lines, text)
    assert len(plain) >= 8, f"{path} is too short to edit in several places"
    targets = (plain[0], plain[len(plain) // 2], plain[-1])
    # the first plain line at least 4 lines from every v2 edit (git's merge context is 3)
    quiet = next((i for i in plain if all(abs(i - t) >= 4 for t in targets)), None)
    assert quiet is not None, "no line far enough from the v2 edits"
    added = tuple(f"{prefix}V2 change {n}\n" for n in ("top", "middle", "end"))
    for index, line in sorted(zip(targets, added, strict=True), reverse=True):
        if not lines[index].endswith("\n"):
            lines[index] += "\n"
        lines.insert(index + 1, line)
    path.write_text("".join(lines), encoding="utf-8")
    original = text.splitlines(keepends=True)
    top, middle, end = (original[i] for i in targets)
    return Anchors((top, middle, end), (added[0], added[1], added[2]), original[quiet])


def make_versions(base: Path) -> Versions:
    """Copies of today's template under `base`: released version N and a new version N+1."""
    installed = TemplateStore.installed()
    store = TemplateStore(current=base / "template", history=base / "history")
    shutil.copytree(installed.current, store.current)
    return release_and_bump(store)


def release_and_bump(store: TemplateStore) -> Versions:
    """Record `store`'s current template as released, then edit it into the next version."""
    old = template_version(store.current)
    store.record_release()
    new = old + 1
    copier_yml = store.current / "copier.yml"
    text = copier_yml.read_text(encoding="utf-8")
    copier_yml.write_text(text.replace(f"default: {old}\n", f"default: {new}\n", 1))
    assert template_version(store.current) == new
    runtime = _edit(store.current / RUNTIME_SRC, "# ")
    rules = _edit(store.current / RULES_SRC, "")
    block = store.current / BLOCK_SRC
    block_text = block.read_text(encoding="utf-8")
    block.write_text(block_text.rstrip("\n") + "\n" + BLOCK_LINE + "\n", encoding="utf-8")
    return Versions(store, old, new, runtime, rules)


def insert_after(path: Path, anchor: str, line: str) -> None:
    """A user edit: `line` inserted after the line `anchor` of the file at `path`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, anchor
    path.write_text(text.replace(anchor, anchor + line), encoding="utf-8")
