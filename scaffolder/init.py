"""`scaffold init`: add the recovery runtime, its configuration and the prevention rules to a repo.

The whole run is computed before anything is written:

1. find the git root and detect the project (name, flat/src layout, package directory);
2. settle the answers (explicit options > answers recorded by an earlier run > prompts >
   detected defaults) and render the template once, into a scratch directory (copier never
   writes into the user's repository);
3. compute one `Change` per file: the whole files scaffold owns (the runtime, the Claude Code
   rule, the answers file) and text edits of the files it shares with the user (the managed
   block in CLAUDE.md, `[tool.scaffold]` in pyproject.toml, hooks in .pre-commit-config.yaml);
4. refuse (ConflictError) if a file scaffold would own is already there and scaffold did not
   write it, unless `force` (then a backup is part of the same change set);
5. write everything atomically, or nothing (`scaffolder._fs.apply_changes`).

A second run computes the same bytes, finds nothing to change and touches no file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal, TypeVar

from scaffolder import render
from scaffolder._fs import (
    Change,
    apply_changes,
    keep_line_endings,
    pending,
    read_bytes,
    unified_diff,
)
from scaffolder._journal import repo_session
from scaffolder._recorded import file_digest, recorded_digests, with_digests
from scaffolder.agents import block_targets, choose_targets
from scaffolder.answers import ANSWERS_FILE, load_answers, parse_answers
from scaffolder.errors import ConflictError, FileFormatError, RepoError, UsageError
from scaffolder.repo import Project, check_inside, detect_project, find_repo_root, shared_file
from scaffolder.repo import module_import_path as _module_import_path

MIN_TIMEOUT = 300
DEFAULT_TIMEOUT = 600
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"

Action = Literal["create", "update", "unchanged"]
Ask = Callable[[str, str], str]  # (question, default) -> answer
_T = TypeVar("_T")


@dataclass(frozen=True)
class FileAction:
    """What init does (or would do) to one file, for the summary."""

    path: str  # posix, relative to the repository root
    action: Action
    detail: str


@dataclass
class InitResult:
    root: Path
    project: Project
    answers: dict[str, Any]
    changes: list[Change]  # only the ones that change something
    actions: list[FileAction]
    notes: list[str] = field(default_factory=list)
    # Problems init cannot fix by itself (an anthropic pin the runtime cannot run on), shown
    # at the end of the run.
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def nothing_to_do(self) -> bool:
        return not self.changes

    @property
    def diff(self) -> str:
        return unified_diff(self.changes, root=self.root)


@repo_session(lock=True)
def run_init(
    path: Path,
    *,
    module_path: str | None = None,
    timeout: int | None = None,
    assume_yes: bool = False,
    dry_run: bool = False,
    claude_md: bool = True,
    pre_commit: bool = True,
    force: bool = False,
    agents: Sequence[str] | None = None,
    claude_hook: bool = True,
    ask: Ask | None = None,
    confirm: Callable[[InitResult], bool] | None = None,
) -> InitResult:
    """Set up scaffold in the repository containing `path`.

    `ask` (interactive runs only) is asked for the module path and the timeout when no option
    or earlier answer settles them; `confirm` sees the planned result before anything is
    written and may decline. `assume_yes` skips both. `agents` (None: detect) chooses the
    coding agents that get the rule (`scaffolder.agents`); `claude_hook` adds Claude Code's
    PostToolUse hook to `.claude/settings.json`.
    """
    if timeout is not None and timeout < MIN_TIMEOUT:
        raise UsageError(
            f"--timeout must be at least {MIN_TIMEOUT} seconds (got {timeout}): long streams "
            "need minutes, and a shorter client timeout cuts them"
        )
    if assume_yes:
        ask = confirm = None
    root = find_repo_root(path)
    project = detect_project(root)
    recorded = load_answers(root) or {}
    if agents is not None and "claude" not in agents:
        claude_md = claude_hook = False
    answers = _settle_answers(root, project, recorded, module_path, timeout, claude_md, ask)
    targets = choose_targets(root, agents, recorded, claude_md=str(answers["claude_md"]))
    claude_hook = claude_hook and targets.claude
    answers.update(targets.answers(claude_hook=claude_hook))
    answers["pre_commit"] = pre_commit or bool(recorded.get("pre_commit"))
    rendered = render.render_files(answers)
    version = int(_parse_rendered_answers(rendered)["template_version"])
    answers["template_version"] = version
    _check_recorded_version(recorded, version)

    plan = _Plan(root, force=force, digests=recorded_digests(recorded, root))
    owned = render.placed_files(rendered, answers)
    details = {
        str(answers["module_path"]): f"recovery module (timeout {answers['timeout']} s)",
        render.RULES: "Claude Code rule for " + ", ".join(answers["source_globs"]),
        targets.cursor_rule: "Cursor rule (same text)",
    }
    for rel, text in owned.items():
        plan.owned(rel, text, details.get(rel, "template file"))
    for target, rel in block_targets(root, answers).items():  # CLAUDE.md, AGENTS.md, Copilot's
        if claude_md or rel != answers["claude_md"]:
            plan.memory_block(target, rel, rendered[render.MEMORY_BLOCK], version)
    if claude_hook:
        plan.claude_settings()
    plan.pyproject()
    if pre_commit:
        plan.pre_commit()
    plan.conflicts_or_backups()
    plan.answers_file(rendered[render.ANSWERS], list(owned))

    result = InitResult(
        root=root,
        project=project,
        answers=answers,
        changes=pending(plan.changes),
        actions=plan.actions,
        notes=[*project.notes, *targets.notes, *plan.notes],
        warnings=[issue.text for issue in _dependency_problems(root)],
        dry_run=dry_run,
    )
    if dry_run or result.nothing_to_do:
        return result
    if confirm is not None and not confirm(result):
        return result
    apply_changes(result.changes)
    result.written = True
    return result


def _settle_answers(
    root: Path,
    project: Project,
    recorded: dict[str, Any],
    module_path: str | None,
    timeout: int | None,
    claude_md: bool,
    ask: Ask | None,
) -> dict[str, Any]:
    recorded_module = recorded.get("module_path")
    if module_path is not None:
        module_path = _normalise_module_path(root, module_path)
        if recorded_module and module_path != recorded_module:
            raise UsageError(
                f"scaffold is already set up here with the module at {recorded_module} (see "
                f"{ANSWERS_FILE}); moving it is not supported: keep that path, or delete the "
                "module and the answers file and run `scaffold init` again"
            )
    elif recorded_module:
        module_path = _normalise_module_path(root, str(recorded_module))
    else:
        if project.is_node:
            raise UsageError(
                f"{root} looks like a Node project (package.json, no pyproject.toml): "
                "scaffold init supports Python projects for now; TypeScript support is planned. "
                "To vendor the Python module anyway, pass --module-path."
            )
        module_path = project.default_module_path
        if ask is not None:
            module_path = _ask_until_valid(
                ask,
                "Where should the recovery module go?",
                module_path,
                lambda answer: _normalise_module_path(root, answer),
            )
    if timeout is None:
        timeout = int(recorded.get("timeout") or DEFAULT_TIMEOUT)
        if ask is not None and "timeout" not in recorded:
            timeout = _ask_until_valid(
                ask,
                "Client timeout for make_client(), in seconds (>= 300)?",
                str(timeout),
                _parse_timeout,
            )
    if claude_md:
        memory = str(recorded.get("claude_md") or project.memory_file)
    else:
        memory = str(recorded.get("claude_md") or "")
    globs = recorded.get("source_globs")
    return {
        "timeout": timeout,
        "module_path": module_path,
        "module_import": _module_import_path(root, module_path),
        "source_globs": list(globs) if isinstance(globs, list) and globs else project.source_globs,
        "claude_md": memory,
    }


_ASK_ATTEMPTS = 3


def _ask_until_valid(ask: Ask, question: str, default: str, parse: Callable[[str], _T]) -> _T:
    """Ask again (saying what was wrong) after an invalid answer; give up after a few."""
    prompt = question
    for _ in range(_ASK_ATTEMPTS - 1):
        try:
            return parse(ask(prompt, default))
        except (UsageError, RepoError) as exc:
            prompt = f"{exc.message}.\n{question}"
    return parse(ask(prompt, default))


def _parse_timeout(answer: str) -> int:
    try:
        value = int(answer)
    except ValueError:
        raise UsageError(f"the timeout must be a whole number of seconds, not {answer!r}") from None
    if value < MIN_TIMEOUT:
        raise UsageError(f"the timeout must be at least {MIN_TIMEOUT} seconds (got {value})")
    return value


def _normalise_module_path(root: Path, value: str) -> str:
    """A posix path relative to the root for `value` (relative to the root, or absolute)."""
    candidate = Path(value)
    if candidate.is_absolute():
        resolved = candidate.resolve()
        if resolved != root and root not in resolved.parents:
            raise RepoError(f"--module-path {value} is outside the repository {root}")
        relative = resolved.relative_to(root).as_posix()
    else:
        # `a/../b/claude_stream.py` is `b/claude_stream.py`: normalised before the inside-the-
        # repository check, which refuses any `..` left over (a path that climbs out).
        relative = posixpath.normpath(value.replace("\\", "/"))
        if relative == ".." or relative.startswith("../"):
            raise RepoError(f"--module-path {value} is outside the repository {root}")
    if not relative.endswith(".py") or not PurePosixPath(relative).stem.isidentifier():
        raise UsageError(
            f"--module-path {value} must name a Python module file, e.g. mypkg/claude_stream.py"
        )
    check_inside(root, relative)
    return relative


def _parse_rendered_answers(rendered: dict[str, str]) -> dict[str, Any]:
    return parse_answers(rendered[render.ANSWERS], Path(render.ANSWERS))


def _check_recorded_version(recorded: dict[str, Any], version: int) -> None:
    previous = recorded.get("template_version")
    if isinstance(previous, int) and previous != version:
        newer = previous > version
        raise ConflictError(
            f"scaffold is already set up here with template version {previous} "
            f"({ANSWERS_FILE}); "
            + (
                "that is newer than this scaffold's: upgrade scaffold"
                if newer
                else f"run `scaffold update` to bring it to version {version}"
            )
        )


class _Plan:
    """Accumulates the changes of one init run; nothing here touches the disk but reads."""

    def __init__(self, root: Path, *, force: bool, digests: dict[str, str]) -> None:
        self.root = root
        self.force = force
        self.digests = digests
        self.changes: list[Change] = []
        self.actions: list[FileAction] = []
        self.notes: list[str] = []
        self._collisions: list[tuple[str, Path, bytes, bytes, str]] = []

    def _record(self, rel: str, change: Change, detail: str) -> None:
        self.changes.append(change)
        if change.is_noop:
            action: Action = "unchanged"
        else:
            action = "create" if change.is_creation else "update"
        self.actions.append(FileAction(rel, action, detail))

    def owned(self, rel: str, text: str, detail: str) -> None:
        """A whole file scaffold owns: created, left alone, or regenerated if still pristine."""
        target = check_inside(self.root, rel)
        old = read_bytes(target)
        new = keep_line_endings(old, text.encode("utf-8"))
        if old is None or old == new or self.digests.get(rel) == file_digest(old):
            self._record(rel, Change(target, old, new), detail)
            return
        self._collisions.append((rel, target, old, new, detail))

    def conflicts_or_backups(self) -> None:
        if not self._collisions:
            return
        if not self.force:
            lines = []
            for rel, *_ in self._collisions:
                if rel in self.digests:
                    lines.append(
                        f"{rel} was edited since scaffold wrote it (`scaffold update` merges "
                        "template changes into it)"
                    )
                else:
                    lines.append(f"{rel} already exists and scaffold did not write it")
            raise ConflictError(
                "; ".join(lines)
                + ". Nothing was written. Rerun with --force to replace "
                + ("it" if len(lines) == 1 else "them")
                + " (a backup is kept), or choose another --module-path."
            )
        for rel, target, old, new, detail in self._collisions:
            backup = _backup_path(target)
            backup_rel = backup.relative_to(self.root).as_posix()
            self._record(backup_rel, Change(backup, None, old), f"backup of your {rel}")
            self._record(rel, Change(target, old, new), detail + " (replaced your file, --force)")

    def memory_block(self, target: Path, rel: str, body: str, version: int) -> None:
        from scaffolder.edits.claude_md import edit_memory_file
        from scaffolder.edits.encoding import decode
        from scaffolder.edits.managed_block import MalformedBlockError

        old = read_bytes(target)
        decoded = decode(old, target)
        try:
            edit = edit_memory_file(decoded.text, body, version=version)
        except MalformedBlockError as exc:
            raise FileFormatError(target, str(exc)) from None
        if edit.status == "edited":
            self.notes.append(
                f"{rel}: you edited scaffold's managed block; it was left as it is "
                "(`scaffold update` merges template changes into it)"
            )
        detail = {
            "added": "managed block added",
            "updated": "managed block updated",
            "unchanged": "managed block",
            "edited": "managed block (edited by you, kept)",
        }[edit.status]
        self._record(rel, Change(target, old, decoded.encode(edit.text)), detail)

    def pyproject(self) -> None:
        from scaffolder.edits.encoding import decode
        from scaffolder.edits.pyproject import ANTHROPIC_REQUIREMENT, edit_pyproject

        target = shared_file(self.root, "pyproject.toml")  # a link stays a link
        old = read_bytes(target)
        if old is None:
            self.notes.append(
                "no pyproject.toml: `scaffold lint` uses its defaults, and you need "
                f"`{ANTHROPIC_REQUIREMENT}` in your dependencies"
            )
            return
        decoded = decode(old, target)
        edit = edit_pyproject(decoded.text, path=target)
        _validate_settings(edit.text, target)
        parts = []
        if edit.added_settings:
            parts.append("[tool.scaffold] " + ", ".join(edit.added_settings))
        parts.append(
            {
                "added": f"added {ANTHROPIC_REQUIREMENT} to [project].dependencies",
                "present": (
                    "anthropic declared (see the warning below)"
                    if _dependency_problems(self.root)
                    else "anthropic already a dependency"
                ),
                "dynamic": "dependencies are dynamic: anthropic not added",
                "not-pep621": "no [project] table: anthropic not added",
            }[edit.dependency]
        )
        if edit.dependency in ("dynamic", "not-pep621"):
            self.notes.append(
                f"pyproject.toml: make sure `{ANTHROPIC_REQUIREMENT}` is among your dependencies "
                "(scaffold only edits a static [project].dependencies list)"
            )
        self._record(
            "pyproject.toml", Change(target, old, decoded.encode(edit.text)), "; ".join(parts)
        )

    def pre_commit(self) -> None:
        from scaffolder.edits.encoding import decode
        from scaffolder.edits.pre_commit import add_hooks, current_hooks

        target = shared_file(self.root, PRE_COMMIT_CONFIG)  # a link stays a link
        old = read_bytes(target)
        decoded = decode(old, target)
        edit = add_hooks(decoded.text, path=target)
        text = current_hooks(edit.text, path=target)
        detail = "hooks " + ", ".join(edit.added) if edit.added else "hooks present"
        if text != edit.text:
            detail += "; scaffold-lint entry updated (--force-exclude)"
        self._record(PRE_COMMIT_CONFIG, Change(target, old, decoded.encode(text)), detail)

    def claude_settings(self) -> None:
        from scaffolder.agents import settings_with_hook
        from scaffolder.edits.claude_settings import HOOK_COMMAND, SETTINGS_PATH, has_claude_hook
        from scaffolder.edits.encoding import decode

        target, old, new = settings_with_hook(self.root)
        if old == new:
            detail = "Claude Code hook present"
        elif old is not None and has_claude_hook(decode(old, target).text):
            detail = "Claude Code hook matcher updated"
        else:
            detail = f"Claude Code hook `{HOOK_COMMAND}` added"
        self._record(SETTINGS_PATH, Change(target, old, new), detail)

    def answers_file(self, rendered: str, owned: list[str]) -> None:
        """The rendered answers plus the digest of every whole file scaffold owns."""
        contents = {}
        for change in self.changes:
            rel = change.path.relative_to(self.root).as_posix()
            if rel in owned:
                contents[rel] = file_digest(change.new)
        target = check_inside(self.root, ANSWERS_FILE)
        old = read_bytes(target)
        new = keep_line_endings(old, with_digests(rendered, contents).encode("utf-8"))
        self._record(ANSWERS_FILE, Change(target, old, new), "answers for update/check")


def _dependency_problems(root: Path) -> list[Any]:
    """What `scaffold doctor`'s dependency row reports: declared or locked anthropic versions
    the vendored runtime cannot run on (`scaffolder._deps`)."""
    from scaffolder._deps import declarations, problems

    return problems(declarations(root))


def _validate_settings(text: str, path: Path) -> None:
    """The `[tool.scaffold]` table init leaves must be one `scaffold lint` accepts."""
    from scaffolder.errors import ConfigError
    from scaffolder.lint.config import validate_pyproject

    try:
        validate_pyproject(text, path=path)
    except ConfigError as exc:
        raise ConfigError(
            f"{exc.message}; fix it, then run `scaffold init` again (nothing was written)"
        ) from None


def _backup_path(target: Path) -> Path:
    candidate = target.with_name(target.name + ".bak")
    number = 1
    while candidate.exists() or candidate.is_symlink():
        candidate = target.with_name(f"{target.name}.bak{number}")
        number += 1
    return candidate
