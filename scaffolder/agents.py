"""Coding agents: where the prevention rule goes, and Claude Code's PostToolUse hook entry.

Every agent gets the same rule text, the template's `_fragments/memory-block.md` (one source of
truth): as scaffold's managed block in CLAUDE.md (Claude Code), AGENTS.md (Codex, Cursor, Jules
and others) and `.github/copilot-instructions.md` (GitHub Copilot), and wrapped in front matter
as `.cursor/rules/claude-streaming.mdc` (Cursor). Claude Code also gets the hook that *enforces*
the rule after every edit (`scaffold lint --claude-hook`, see docs/agents.md).

Files of agents a repository does not use are not created: Cursor's and Copilot's only where the
repository already has them. Choices are recorded in the answers file (`agents_md`,
`cursor_rule`, `copilot_md`, `claude_hook`) so that `update` and `check` manage the same files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffolder.errors import UsageError

AGENTS = ("claude", "agents-md", "cursor", "copilot")
AGENTS_MD = "AGENTS.md"
CURSOR_RULE = ".cursor/rules/claude-streaming.mdc"
COPILOT_MD = ".github/copilot-instructions.md"
# This repository is also a Claude Code plugin marketplace (.claude-plugin/marketplace.json):
# its plugin runs the same hook from each developer's Claude Code, without per-repo settings.
PLUGIN_MARKETPLACE = "scaffolder/scaffolder"
PLUGIN_ID = "claude-scaffold@claude-scaffold"


def parse_agents(value: str) -> tuple[str, ...]:
    """`claude,agents-md` -> ("claude", "agents-md"); a UsageError names unknown agents."""
    names = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in AGENTS]
    if unknown or not names:
        raise UsageError(
            f"--agents {value!r}: unknown agent {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(AGENTS)} (comma-separated)"
        )
    return names


@dataclass(frozen=True)
class AgentTargets:
    """The files scaffold manages for coding agents in one repository."""

    claude: bool  # CLAUDE.md block and the Claude Code hook are wanted
    agents_md: str = ""  # posix paths relative to the root; "" = not managed
    cursor_rule: str = ""
    copilot_md: str = ""
    notes: tuple[str, ...] = field(default=())

    def answers(self, *, claude_hook: bool) -> dict[str, Any]:
        return {
            "agents_md": self.agents_md,
            "cursor_rule": self.cursor_rule,
            "copilot_md": self.copilot_md,
            "claude_hook": claude_hook,
        }


def choose_targets(
    root: Path, agents: Sequence[str] | None, recorded: Mapping[str, Any], *, claude_md: str
) -> AgentTargets:
    """Which agent files to manage.

    `agents` None (no `--agents`): Claude, plus every file an earlier run managed, plus
    AGENTS.md, Cursor and Copilot rule files where the repository already has them. An explicit
    list is taken as asked, except that Cursor and Copilot files are still only written where
    the repository uses those tools (a note says why one was skipped). `claude_md` is the
    memory file the CLAUDE.md block goes to ("" = none): AGENTS.md linked to the same file gets
    no second block.
    """
    notes: list[str] = []
    explicit = agents is not None
    wanted = set(agents if agents is not None else AGENTS)
    previously = {
        key: str(recorded.get(key) or "") for key in ("agents_md", "cursor_rule", "copilot_md")
    }

    agents_md = ""
    if "agents-md" in wanted and (explicit or previously["agents_md"] or _exists(root, AGENTS_MD)):
        if claude_md and _same_file(root, AGENTS_MD, claude_md):
            notes.append(
                f"{AGENTS_MD} and {claude_md} are the same file: its one managed block serves "
                "every agent"
            )
        else:
            agents_md = previously["agents_md"] or AGENTS_MD

    cursor_rule = ""
    if "cursor" in wanted:
        if previously["cursor_rule"] or _exists(root, ".cursor") or _exists(root, ".cursorrules"):
            cursor_rule = previously["cursor_rule"] or CURSOR_RULE
        elif explicit:
            notes.append("Cursor rule skipped: this repository does not use Cursor (no .cursor/)")

    copilot_md = ""
    if "copilot" in wanted:
        if (
            previously["copilot_md"]
            or _exists(root, COPILOT_MD)
            or _exists(root, ".github/instructions")
        ):
            copilot_md = previously["copilot_md"] or COPILOT_MD
        elif explicit:
            notes.append(
                f"Copilot instructions skipped: this repository has no {COPILOT_MD} "
                "(create it, then run `scaffold init` again)"
            )
    return AgentTargets(
        claude="claude" in wanted,
        agents_md=agents_md,
        cursor_rule=cursor_rule,
        copilot_md=copilot_md,
        notes=tuple(notes),
    )


def settings_with_hook(root: Path) -> tuple[Path, bytes | None, bytes]:
    """(path, old bytes or None, new bytes) of `.claude/settings.json` with the hook entry.

    The new bytes equal the old ones when the entry is already there (with the current
    matcher: an earlier release's is updated). Raises FileFormatError
    (with line and column) for a settings file that is not valid JSON.
    """
    from scaffolder._fs import read_bytes
    from scaffolder.edits.claude_settings import SETTINGS_PATH, current_claude_hook
    from scaffolder.edits.encoding import decode
    from scaffolder.repo import shared_file

    target = shared_file(root, SETTINGS_PATH)
    old = read_bytes(target)
    decoded = decode(old, target)
    return target, old, decoded.encode(current_claude_hook(decoded.text, path=SETTINGS_PATH))


def _exists(root: Path, rel: str) -> bool:
    path = root / rel
    return path.exists() or path.is_symlink()


def _same_file(root: Path, a: str, b: str) -> bool:
    first, second = root / a, root / b
    try:
        return first.exists() and second.exists() and first.samefile(second)
    except OSError:
        return False


def managed_block_files(answers: Mapping[str, Any]) -> list[str]:
    """Every file an answers file says carries scaffold's managed block (CLAUDE.md first)."""
    keys = ("claude_md", "agents_md", "copilot_md")
    files = [str(answers.get(key) or "") for key in keys]
    return list(dict.fromkeys(rel for rel in files if rel))


def block_targets(root: Path, answers: Mapping[str, Any]) -> dict[Path, str]:
    """{file to edit: its name} for `managed_block_files`, links followed (`repo.shared_file`).

    One file under two names (Copilot's instructions or AGENTS.md linked to CLAUDE.md) carries
    one block, listed under its first name.
    """
    from scaffolder.repo import shared_file

    targets: dict[Path, str] = {}
    for rel in managed_block_files(answers):
        targets.setdefault(shared_file(root, rel), rel)
    return targets
