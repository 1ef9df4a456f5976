"""Render the copier template. The ONLY module that imports copier.

scaffold never lets copier write into the user's repository (copier leaves partial output on
conflicts and wants to own whole files, see docs/development.md): we render into a scratch
directory and return the files as text, and the callers decide where each one goes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffolder._resources import template_root
from scaffolder.answers import ANSWERS_FILE
from scaffolder.errors import RenderError

# What the template renders (keys of `render_files`' result); `placed_files` says where each
# goes. MEMORY_BLOCK is the body of the managed block in CLAUDE.md / AGENTS.md / Copilot's file.
RUNTIME = "claude_stream.py"  # placed at the answer `module_path`
# The Node runtime in the variant the answer `node_runtime` names (at most one is rendered),
# placed at the answer `node_module_path`.
NODE_RUNTIMES = ("claudeStream.ts", "claudeStream.mjs", "claudeStream.cjs")
RULES = ".claude/rules/claude-streaming.md"
ANSWERS = ANSWERS_FILE
MEMORY_BLOCK = "_fragments/memory-block.md"
CURSOR_FRAGMENT = "_fragments/cursor-rule.mdc"  # placed at the answer `cursor_rule`, if any


def render_files(answers: Mapping[str, Any], *, template: Path | None = None) -> dict[str, str]:
    """Render `template` (default: the bundled one) with `answers`.

    Returns `{relative posix path: text}` for every rendered file, answers file included.
    """
    import copier

    src = template if template is not None else template_root()
    with tempfile.TemporaryDirectory(prefix="scaffold-render-") as scratch:
        try:
            copier.run_copy(
                str(src),
                scratch,
                data=dict(answers),
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=False,
                skip_tasks=True,
                vcs_ref="HEAD" if (src / ".git").exists() else None,
            )
        except Exception as exc:  # copier raises many unrelated types; all mean the same here
            raise RenderError(f"could not render the template at {src}: {exc}") from exc
        root = Path(scratch)
        return {
            path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }


def placed_files(rendered: Mapping[str, str], answers: Mapping[str, Any]) -> dict[str, str]:
    """The whole files scaffold owns in the repository for one rendering: {repo path: text}.

    Every rendered file goes to its own path, except the runtime (to the answer `module_path`;
    not placed when the answer `python_runtime` is false),
    the Node runtime, if any (to the answer `node_module_path`),
    the answers file (written with the digests of these files) and the fragments (the managed
    block's body; the Cursor rule, placed at the answer `cursor_rule` when the repository uses
    Cursor). `scaffold init` creates these files and `scaffold update` merges them.

    The Claude Code rule goes with Claude Code: it is placed when the answers manage CLAUDE.md
    or the Claude Code hook, so `--agents` without `claude` writes nothing under `.claude/`.
    """
    claude = bool(answers.get("claude_md")) or bool(answers.get("claude_hook"))
    placed = {}
    # first: the file that matters most, first in init's summary; not in a Node-only repository
    if RUNTIME in rendered and answers.get("python_runtime", True) is not False:
        placed[str(answers.get("module_path") or RUNTIME)] = rendered[RUNTIME]
    for name in NODE_RUNTIMES:
        if name in rendered:
            placed[str(answers.get("node_module_path") or name)] = rendered[name]
    for name, text in rendered.items():
        if name in (RUNTIME, ANSWERS, *NODE_RUNTIMES) or name.startswith("_fragments/"):
            continue
        if name == RULES and not claude:
            continue
        placed[name] = text
    cursor_rule = str(answers.get("cursor_rule") or "")
    if cursor_rule and CURSOR_FRAGMENT in rendered:
        placed[cursor_rule] = rendered[CURSOR_FRAGMENT]
    return placed
