"""Coding agents: where the prevention rule goes, and the hook entries that enforce it.

Every agent gets the same rule text, the template's `_fragments/memory-block.md` (one source of
truth): as scaffold's managed block in CLAUDE.md (Claude Code), AGENTS.md (Codex CLI, Cursor,
Jules and others), GEMINI.md (Gemini CLI) and `.github/copilot-instructions.md` (GitHub
Copilot), and wrapped in front matter as `.cursor/rules/claude-streaming.mdc` (Cursor). Claude
Code, Codex CLI and Gemini CLI also get the hook that *enforces* the rule after every edit
(`scaffold lint --claude-hook`, see docs/agents.md): in `.claude/settings.json`,
`.codex/hooks.json` and `.gemini/settings.json`.

Files of agents a repository does not use are not created: without `--agents`, Cursor's,
Copilot's, Codex's and Gemini's only where the repository already has their files. Choices are
recorded in the answers file (`agents_md`, `cursor_rule`, `copilot_md`, `gemini_md`,
`claude_hook`, `codex_hook`, `gemini_hook`) so that `update` and `check` manage the same files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffolder.edits import claude_settings, codex_hooks, gemini_settings
from scaffolder.edits._hook_json import HookEntry
from scaffolder.errors import UsageError

AGENTS = ("claude", "agents-md", "cursor", "copilot", "codex", "gemini")
AGENTS_MD = "AGENTS.md"
CURSOR_RULE = ".cursor/rules/claude-streaming.mdc"
COPILOT_MD = ".github/copilot-instructions.md"
# Gemini CLI reads GEMINI.md, not AGENTS.md, unless its settings name other context files
# (`context.fileName`); Codex CLI reads AGENTS.md. Their hook files: scaffolder.edits.
GEMINI_MD = "GEMINI.md"
CODEX_HOOKS = codex_hooks.HOOKS_PATH
GEMINI_SETTINGS = gemini_settings.SETTINGS_PATH
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
    gemini_md: str = ""
    codex_hook: bool = False  # `.codex/hooks.json` gets scaffold's hook
    gemini_hook: bool = False  # `.gemini/settings.json` gets scaffold's hook
    notes: tuple[str, ...] = field(default=())

    def answers(
        self, *, claude_hook: bool, codex_hook: bool = False, gemini_hook: bool = False
    ) -> dict[str, Any]:
        """The answers recording these targets; each hook flag says the hook was written."""
        return {
            "agents_md": self.agents_md,
            "cursor_rule": self.cursor_rule,
            "copilot_md": self.copilot_md,
            "gemini_md": self.gemini_md,
            "claude_hook": claude_hook,
            "codex_hook": codex_hook,
            "gemini_hook": gemini_hook,
        }


def choose_targets(
    root: Path, agents: Sequence[str] | None, recorded: Mapping[str, Any], *, claude_md: str
) -> AgentTargets:
    """Which agent files to manage.

    `agents` None (no `--agents`): Claude, plus every file an earlier run managed, plus
    AGENTS.md, Cursor and Copilot rule files where the repository already has them, and Codex's
    and Gemini's files where it has `.codex/` or `.gemini/` (or GEMINI.md). An explicit list is
    taken as asked, except that Cursor and Copilot files are still only written where the
    repository uses those tools (a note says why one was skipped). Codex reads its rule from
    AGENTS.md, so `codex` brings the AGENTS.md block; Gemini's goes to GEMINI.md, or to AGENTS.md
    where `.gemini/settings.json` makes Gemini read that instead (`gemini_context`).
    `claude_md` is the memory file the CLAUDE.md block goes to ("" = none): AGENTS.md or
    GEMINI.md linked to the same file gets no second block.
    """
    notes: list[str] = []
    explicit = agents is not None
    wanted = set(agents if agents is not None else AGENTS)
    previously = {
        key: str(recorded.get(key) or "")
        for key in ("agents_md", "cursor_rule", "copilot_md", "gemini_md")
    }
    codex = "codex" in wanted and (
        explicit or bool(recorded.get("codex_hook")) or _exists(root, ".codex")
    )
    gemini = "gemini" in wanted and (
        explicit
        or bool(recorded.get("gemini_hook") or previously["gemini_md"])
        or _exists(root, ".gemini")
        or _exists(root, GEMINI_MD)
    )
    gemini_file, gemini_note = gemini_context(root) if gemini else (GEMINI_MD, None)
    if gemini_note:
        notes.append(gemini_note)

    agents_md = ""
    if (
        (
            "agents-md" in wanted
            and (explicit or previously["agents_md"] or _exists(root, AGENTS_MD))
        )
        or codex
        or (gemini and gemini_file == AGENTS_MD)
    ):
        if claude_md and _same_file(root, AGENTS_MD, claude_md):
            notes.append(
                f"{AGENTS_MD} and {claude_md} are the same file: its one managed block serves "
                "every agent"
            )
        else:
            agents_md = previously["agents_md"] or AGENTS_MD

    gemini_md = ""
    if gemini and (previously["gemini_md"] or gemini_file == GEMINI_MD):
        same = [rel for rel in (claude_md, agents_md) if rel and _same_file(root, GEMINI_MD, rel)]
        if same:
            notes.append(
                f"{GEMINI_MD} and {same[0]} are the same file: its one managed block serves "
                "every agent"
            )
        else:
            gemini_md = previously["gemini_md"] or GEMINI_MD

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
        gemini_md=gemini_md,
        codex_hook=codex,
        gemini_hook=gemini,
        notes=tuple(notes),
    )


def gemini_context(root: Path) -> tuple[str, str | None]:
    """(the file that gives Gemini CLI the rule here, a note or None): GEMINI.md, unless the
    workspace settings' `context.fileName` leaves it out and names AGENTS.md (then AGENTS.md),
    or names neither ("" and a note saying what to add). Settings scaffold cannot read count as
    unset: editing them for the hook reports the error."""
    from scaffolder._fs import read_bytes
    from scaffolder.edits.encoding import decode
    from scaffolder.errors import ScaffoldError
    from scaffolder.repo import shared_file

    try:
        target = shared_file(root, GEMINI_SETTINGS)
        data = read_bytes(target)
        names = (
            None if data is None else gemini_settings.context_file_names(decode(data, target).text)
        )
    except ScaffoldError:
        names = None
    if names is None or GEMINI_MD in names:
        return GEMINI_MD, None
    where = f"`context.fileName` in {GEMINI_SETTINGS}"
    if AGENTS_MD in names:
        return AGENTS_MD, f"Gemini CLI reads {AGENTS_MD} here ({where}): its block serves Gemini"
    listed = ", ".join(names) or "no file"
    return "", (
        f"Gemini CLI rule skipped: it reads {listed} here ({where}); add {GEMINI_MD} or "
        f"{AGENTS_MD} to it, then run `scaffold init` again"
    )


def settings_with_hook(root: Path) -> tuple[Path, bytes | None, bytes]:
    """(path, old bytes or None, new bytes) of `.claude/settings.json` with the hook entry.

    The new bytes equal the old ones when the entry is already there (with the current
    matcher: an earlier release's is updated). Raises FileFormatError
    (with line and column) for a settings file that is not valid JSON.
    """
    return _with_hook(root, claude_settings.SETTINGS_PATH, claude_settings.current_claude_hook)


def codex_hooks_with_hook(root: Path) -> tuple[Path, bytes | None, bytes]:
    """`settings_with_hook` for Codex CLI's `.codex/hooks.json` (created when absent)."""
    return _with_hook(root, CODEX_HOOKS, codex_hooks.current_codex_hook)


def gemini_settings_with_hook(root: Path) -> tuple[Path, bytes | None, bytes]:
    """`settings_with_hook` for Gemini CLI's `.gemini/settings.json` (created when absent)."""
    return _with_hook(root, GEMINI_SETTINGS, gemini_settings.current_gemini_hook)


@dataclass(frozen=True)
class HookFile:
    """One agent's hook configuration file, as `init`, `update` and `check` manage it
    (`scaffolder.artifacts.agent_hooks`).

    `with_hook(root)` gives (path, old bytes or None, new bytes; equal bytes: nothing to do);
    `drift(text, path=path)` says why the file lacks the current hook (None: current). Both
    raise `FileFormatError` for a file the agent itself could not read.
    """

    answer: str  # the answers key saying scaffold manages this file
    entry: HookEntry  # where the hook goes in the file and what it runs
    opt_out: str  # how a user stops scaffold managing it, for `scaffold check`'s message
    with_hook: Callable[[Path], tuple[Path, bytes | None, bytes]]
    drift: Callable[..., str | None]

    @property
    def path(self) -> str:  # relative to the repository root
        return self.entry.path

    @property
    def agent(self) -> str:
        return self.entry.agent


def managed_hook_files(answers: Mapping[str, Any]) -> list[HookFile]:
    """The hook files an answers file says scaffold manages, Claude Code's first."""
    return [hook for hook in HOOK_FILES if answers.get(hook.answer) is True]


def _with_hook(
    root: Path, rel: str, current: Callable[..., str]
) -> tuple[Path, bytes | None, bytes]:
    from scaffolder._fs import read_bytes
    from scaffolder.edits.encoding import decode
    from scaffolder.repo import shared_file

    target = shared_file(root, rel)  # a linked settings file stays a link
    old = read_bytes(target)
    decoded = decode(old, target)
    return target, old, decoded.encode(current(decoded.text or None, path=rel))


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
    keys = ("claude_md", "agents_md", "gemini_md", "copilot_md")
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


HOOK_FILES = (
    HookFile(
        "claude_hook",
        claude_settings.ENTRY,
        "`scaffold init --no-claude-hook`",
        settings_with_hook,
        claude_settings.claude_hook_drift,
    ),
    HookFile(
        "codex_hook",
        codex_hooks.ENTRY,
        "`scaffold init --agents <a list without codex>`",
        codex_hooks_with_hook,
        codex_hooks.codex_hook_drift,
    ),
    HookFile(
        "gemini_hook",
        gemini_settings.ENTRY,
        "`scaffold init --agents <a list without gemini>`",
        gemini_settings_with_hook,
        gemini_settings.gemini_hook_drift,
    ),
)
