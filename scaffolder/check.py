"""`scaffold check`: is the repository on the installed template version, managed content intact?

Read-only and fast: it runs in a pre-commit hook on every commit. It never renders the template
(no copier import): the answers file records the template version and a sha256 of every whole
file scaffold wrote, the CLAUDE.md block carries the hash of its own body, and the installed
template version is one line of `copier.yml`. So a check is a YAML parse and a few hashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scaffolder._journal import repo_session
from scaffolder._recorded import file_digest, read_recorded
from scaffolder.answers import ANSWERS_FILE
from scaffolder.templates import TemplateStore


@dataclass
class CheckReport:
    root: Path
    recorded_version: int
    installed_version: int
    problems: list[str] = field(default_factory=list)  # one human line each, path first

    @property
    def ok(self) -> bool:
        return not self.problems


@repo_session(lock=False)  # recovers an interrupted run first, never blames the user for it
def run_check(path: Path, *, templates: TemplateStore | None = None) -> CheckReport:
    """Compare the repository at `path` with what scaffold recorded; never writes anything.

    `templates` defaults to the installed template versions (tests pass their own).
    """
    from scaffolder.repo import find_repo_root

    root = find_repo_root(path)
    recorded = read_recorded(root)
    store = templates or TemplateStore.installed()
    report = CheckReport(root, recorded.template_version, store.current_version)

    if report.recorded_version < report.installed_version:
        report.problems.append(
            f"{ANSWERS_FILE}: rendered from template version {report.recorded_version}, "
            f"scaffold {_scaffold_version()} carries version {report.installed_version}; "
            "run `scaffold update`"
        )
    elif report.recorded_version > report.installed_version:
        report.problems.append(
            f"{ANSWERS_FILE}: rendered from template version {report.recorded_version}, newer "
            f"than the {report.installed_version} of scaffold {_scaffold_version()}; "
            "upgrade scaffold (`uv tool upgrade claude-scaffold` or `pipx upgrade claude-scaffold`)"
        )

    for rel, digest in sorted(recorded.managed_files.items()):
        report.problems.extend(_check_file(root, rel, digest))
    from scaffolder.agents import managed_block_files

    # An outdated block only needs its own line when the answers file looks current.
    current = report.recorded_version == report.installed_version
    stale = report.recorded_version if current else None
    for rel in managed_block_files(recorded.answers):  # CLAUDE.md, AGENTS.md, Copilot's
        report.problems.extend(_check_block(root, rel, stale))
    if recorded.answers.get("claude_hook"):
        report.problems.extend(_check_hook(root))
    if recorded.answers.get("pre_commit"):
        report.problems.extend(_check_pre_commit(root))
    return report


def _check_file(root: Path, rel: str, digest: str) -> list[str]:
    try:
        data = (root / rel).read_bytes()
    except FileNotFoundError:
        return [f"{rel}: managed file is missing; run `scaffold update` to restore it"]
    except OSError as exc:
        return [f"{rel}: cannot be read ({exc.strerror or exc})"]
    if file_digest(data) != digest:
        return [
            f"{rel}: edited since scaffold wrote it; move your changes out of this managed file "
            "(or run `scaffold update` to record them as yours)"
        ]
    return []


def _read_text(root: Path, rel: str, *, missing: str) -> tuple[str | None, list[str]]:
    """(text, []) decoded as init and update decode it (UTF-8, BOM-marked UTF-16), or
    (None, [the problem]) when `rel` is missing or unreadable."""
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


def _check_block(root: Path, rel: str, version: int | None) -> list[str]:
    from scaffolder.edits.managed_block import MalformedBlockError, find_block

    missing = "missing (it carried scaffold's managed block); run `scaffold update`"
    text, problems = _read_text(root, rel, missing=missing)
    if text is None:
        return problems
    try:
        block = find_block(text)
    except MalformedBlockError as exc:
        return [f"{rel}: {exc}"]
    if block is None:
        return [f"{rel}: scaffold's managed block is missing; run `scaffold update --force`"]
    if block.edited:
        return [
            f"{rel}: scaffold's managed block was edited; put your own guidance outside the "
            "<!-- scaffold:begin/end --> markers (`scaffold update --force` restores the block)"
        ]
    if version is not None and block.version != version:
        return [
            f"{rel}: managed block is from template version {block.version}, the answers file "
            f"records {version}; run `scaffold update`"
        ]
    return []


def _check_hook(root: Path) -> list[str]:
    """The problem with the Claude Code hook entry in `.claude/settings.json`, if any."""
    from scaffolder.edits.claude_settings import (
        HOOK_COMMAND,
        HOOK_MATCHER,
        SETTINGS_PATH,
        has_claude_hook,
        stale_matcher,
    )
    from scaffolder.errors import FileFormatError

    missing = "missing (it held the Claude Code hook); run `scaffold update`"
    text, problems = _read_text(root, SETTINGS_PATH, missing=missing)
    if text is None:
        return problems
    try:
        if has_claude_hook(text):
            stale = stale_matcher(text)
            if stale is None:
                return []
            return [
                f"{SETTINGS_PATH}: the Claude Code hook's matcher `{stale}` is an earlier "
                f"scaffold's; run `scaffold update` to make it `{HOOK_MATCHER}`"
            ]
    except FileFormatError as exc:
        return [exc.format_message()]
    return [
        f"{SETTINGS_PATH}: the Claude Code hook `{HOOK_COMMAND}` is gone; run `scaffold update` "
        "to add it back (or `scaffold init --no-claude-hook` to stop managing it)"
    ]


def _check_pre_commit(root: Path) -> list[str]:
    """An earlier release's scaffold-lint hook entry (it disagreed with `scaffold lint` on
    excluded files). A missing config or hook is the user's choice, not drift."""
    from scaffolder.edits.pre_commit import LINT_ENTRY, PRE_COMMIT_CONFIG, stale_lint_entry
    from scaffolder.errors import FileFormatError

    if not (root / PRE_COMMIT_CONFIG).exists():
        return []
    text, problems = _read_text(root, PRE_COMMIT_CONFIG, missing="")
    if text is None:
        return problems
    try:
        stale = stale_lint_entry(text, path=Path(PRE_COMMIT_CONFIG))
    except FileFormatError as exc:
        return [exc.format_message()]
    if stale is None:
        return []
    return [
        f"{PRE_COMMIT_CONFIG}: the scaffold-lint hook runs `{stale}`, which lints files "
        f"`exclude` excludes; run `scaffold update` to make it `{LINT_ENTRY}`"
    ]


def _scaffold_version() -> str:
    from scaffolder import __version__

    return __version__
