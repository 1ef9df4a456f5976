"""`scaffold update`: bring a repository to the installed template version, keeping user edits.

Every managed file gets a three-way merge: base = the template version recorded in the answers
file (rendered again from its snapshot, see `scaffolder.templates`), ours = the file in the
repository, theirs = the installed template, both rendered with the recorded answers.

- whole files (`render.placed_files`: the runtime module, the Claude Code rule, the Cursor
  rule): `git merge-file`; a clean merge is applied, a conflicting one is written with git's
  conflict markers and listed;
- the managed block in CLAUDE.md (and AGENTS.md, Copilot's): replaced when its hash shows it
  unedited; an edited block is a conflict and stays as it is unless `force`;
- the Claude Code hook in `.claude/settings.json`: added back when it went missing;
- `[tool.scaffold]` in pyproject.toml: keys this scaffolder writes and the table lacks are
  added; the user's values are never changed;
- the answers file: the new version and the digests of what was written (for `scaffold check`).

All changes are computed first and written by `_fs.apply_changes` (all or nothing). Managed files
with uncommitted changes are refused unless `allow_dirty`: the update must be reviewable and
undoable with git (an update with nothing to change writes nothing and refuses nothing).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scaffolder._fs import Change, apply_changes, keep_line_endings, read_bytes, unified_diff
from scaffolder._journal import repo_session
from scaffolder._merge import merge3
from scaffolder._recorded import Recorded, file_digest, read_recorded, with_digests
from scaffolder.agents import block_targets, managed_block_files
from scaffolder.answers import ANSWERS_FILE
from scaffolder.errors import FileFormatError, RepoError
from scaffolder.render import MEMORY_BLOCK, placed_files, render_files
from scaffolder.templates import TemplateStore, question_names

Action = Literal[
    "updated",  # unedited by the user: now the new template's content
    "merged",  # user edits and template changes combined cleanly
    "kept",  # user edits kept; the template did not change this file
    "created",  # new in this template version
    "restored",  # a managed file the user deleted, put back
    "conflict",  # needs the user: markers written, or left alone (see detail)
    "unmanaged",  # dropped from the template: the file is the user's from now on
]
_CONFLICT_MARKERS = re.compile(r"^<{7} .*$\n(?:.*\n)*?^>{7} ", re.MULTILINE)


@dataclass(frozen=True)
class Outcome:
    path: str  # relative to the repository root, posix
    action: Action
    detail: str = ""


@dataclass
class UpdateReport:
    root: Path
    from_version: int
    to_version: int
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # only those that change something
    diff: str = ""  # unified diff of `changes` (filled for dry runs)

    @property
    def conflicts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "conflict"]

    @property
    def ok(self) -> bool:
        return not self.conflicts


@repo_session(lock=True)
def run_update(
    path: Path,
    *,
    dry_run: bool = False,
    allow_dirty: bool = False,
    force: bool = False,
    templates: TemplateStore | None = None,
) -> UpdateReport:
    """Update the repository at `path` to the installed template version.

    `force` replaces an edited (or re-adds a removed) managed block; it never overrides a
    whole-file merge. `templates` defaults to the installed versions (tests pass their own).
    """
    from scaffolder.repo import check_inside, find_repo_root, shared_file

    root = find_repo_root(path)
    recorded = read_recorded(root)
    store = templates or TemplateStore.installed()
    report = UpdateReport(root, recorded.template_version, store.current_version, dry_run)
    base_template = store.template_for(report.from_version)

    base = _render(recorded, base_template)
    theirs = base if base_template == store.current else _render(recorded, store.current)
    base_files = placed_files(base, recorded.answers)
    their_files = placed_files(theirs, recorded.answers)
    managed = sorted({*base_files, *their_files, *recorded.managed_files})
    owned = [*managed, ANSWERS_FILE, *managed_block_files(recorded.answers)]
    for rel in owned:
        check_inside(root, rel)

    changes: list[Change] = []
    digests: dict[str, str] = {}  # whole file -> the digest `scaffold check` should expect
    for rel in managed:
        if rel not in their_files:
            if (root / rel).exists():
                detail = "no longer part of the template; left in place (delete it if unused)"
                report.outcomes.append(Outcome(rel, "unmanaged", detail))
            continue
        change, outcome, expect = _update_file(
            root / rel,
            rel,
            base_files.get(rel),
            their_files[rel],
            labels=(rel, f"template v{report.from_version}", f"template v{report.to_version}"),
            was_managed=rel in recorded.managed_files or rel in base_files,
            recorded_digest=recorded.managed_files.get(rel),
        )
        if change is not None:
            changes.append(change)
        if outcome is not None:
            report.outcomes.append(outcome)
        if expect is not None:
            digests[rel] = expect

    block = theirs.get(MEMORY_BLOCK, "")
    targets = block_targets(root, recorded.answers) if block else {}
    for target, rel in targets.items():  # CLAUDE.md, AGENTS.md, Copilot's
        change, outcome = _update_block(target, rel, block, report.to_version, force)
        changes += [change] if change is not None else []
        report.outcomes += [outcome] if outcome is not None else []
    if recorded.answers.get("claude_hook"):
        changes += _update_claude_hook(root, report)
    if recorded.answers.get("pre_commit"):
        changes += _update_pre_commit(root, report)

    # Edited through a link inside the repository (the link stays a link); one leading out of
    # it is refused, as init refuses it.
    changes += _update_settings(shared_file(root, "pyproject.toml"), report)

    answers_path = root / ANSWERS_FILE
    old_answers = read_bytes(answers_path)
    new_answers = with_digests(theirs[ANSWERS_FILE], digests).encode("utf-8")
    changes.append(Change(answers_path, old_answers, keep_line_endings(old_answers, new_answers)))

    report.changes = [c for c in changes if not c.is_noop]
    # A dry run writes nothing: preview dirty files too. Nothing to change writes nothing either,
    # so it is "nothing to change" (exit 0) whatever the state of the work tree.
    if report.changes and not (allow_dirty or dry_run):
        changed = [c.path.relative_to(root).as_posix() for c in report.changes]
        _refuse_uncommitted(root, sorted({*owned, *changed}))
    if dry_run:
        report.diff = unified_diff(report.changes, root=root)
    else:
        apply_changes(report.changes)
    return report


def _render(recorded: Recorded, template: Path) -> dict[str, str]:
    # Only the questions this template version asks; its own `template_version` default wins.
    wanted = question_names(template)
    answers = {k: v for k, v in recorded.answers.items() if k in wanted}
    return render_files(answers, template=template)


def _refuse_uncommitted(root: Path, paths: list[str]) -> None:
    proc = subprocess.run(
        ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RepoError(f"git status failed in {root}: {proc.stderr.strip()}")
    # `XY path` entries, NUL-terminated; a rename or copy is followed by its source path.
    entries = iter(proc.stdout.split("\0"))
    dirty = set()
    for entry in entries:
        if entry:
            dirty.add(entry[3:])
            if entry[0] in "RC":
                next(entries, None)
    if dirty:
        names = ", ".join(sorted(dirty))
        raise RepoError(
            f"uncommitted changes in files scaffold update would touch: {names}; "
            "commit them first (so the update can be reviewed and undone with git), "
            "or pass --allow-dirty"
        )


def _update_file(
    path: Path,
    rel: str,
    base: str | None,
    theirs: str,
    *,
    labels: tuple[str, str, str],
    was_managed: bool,
    recorded_digest: str | None,
) -> tuple[Change | None, Outcome | None, str | None]:
    """(change, outcome, the digest check should expect) for one whole managed file."""
    their_bytes = theirs.encode("utf-8")
    ours_bytes = read_bytes(path)
    if ours_bytes is None:
        action: Action = "restored" if was_managed else "created"
        return Change(path, None, their_bytes), Outcome(rel, action), file_digest(their_bytes)
    if ours_bytes == their_bytes:
        return None, None, file_digest(their_bytes)
    try:
        ours = ours_bytes.decode("utf-8")
    except UnicodeDecodeError:
        detail = "not UTF-8; left as it is"
        return None, Outcome(rel, "conflict", detail), recorded_digest
    if base is None:
        detail = "is in the way of a new template file (scaffold did not write it); left as it is"
        return None, Outcome(rel, "conflict", detail), None
    if _CONFLICT_MARKERS.search(ours):
        detail = "has unresolved conflict markers from an earlier update; resolve them first"
        return None, Outcome(rel, "conflict", detail), recorded_digest
    if _lf(ours) == _lf(base):
        new = _with_newlines_of(ours, theirs).encode("utf-8")
        if new == ours_bytes:  # the template's text, in the file's line endings
            return None, None, file_digest(new)
        return Change(path, ours_bytes, new), Outcome(rel, "updated"), file_digest(new)
    merged = merge3(ours, base, theirs, labels=labels)
    new = merged.text.encode("utf-8")
    if merged.conflicts:
        detail = f"{merged.conflicts} conflicting region(s) marked with <<<<<<< / >>>>>>>"
        # Expect the pristine template: the file counts as drifted until the user resolves it
        # and runs update again.
        return (
            Change(path, ours_bytes, new),
            Outcome(rel, "conflict", detail),
            file_digest(their_bytes),
        )
    digest = file_digest(new)
    if base == theirs:  # nothing new from the template: the user's file as it is
        already = digest == recorded_digest  # recorded by an earlier update: nothing to say
        return None, None if already else Outcome(rel, "kept", "your edits kept"), digest
    return Change(path, ours_bytes, new), Outcome(rel, "merged", "your edits kept"), digest


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def _with_newlines_of(ours: str, text: str) -> str:
    return text.replace("\n", "\r\n") if "\r\n" in ours else text


def _update_block(
    path: Path, rel: str, body: str, version: int, force: bool
) -> tuple[Change | None, Outcome | None]:
    from scaffolder.edits.encoding import decode
    from scaffolder.edits.managed_block import MalformedBlockError, find_block, upsert_block

    data = read_bytes(path)
    if data is None and not force:
        return None, Outcome(rel, "conflict", "missing; `--force` creates it with the block")
    try:
        decoded = decode(data, path)
    except FileFormatError as exc:
        return None, Outcome(rel, "conflict", f"{exc.message}; managed block left as it is")
    try:
        block = find_block(decoded.text)
    except MalformedBlockError as exc:
        return None, Outcome(rel, "conflict", str(exc))
    if block is None and not force:
        detail = "managed block removed; left as it is (`--force` adds it back)"
        return None, Outcome(rel, "conflict", detail)
    if block is not None and block.edited and not force:
        detail = (
            "you edited scaffold's managed block; left as it is (move your text outside the "
            f"markers, or `--force` replaces the block with template v{version}'s)"
        )
        return None, Outcome(rel, "conflict", detail)
    new_text = upsert_block(decoded.text, body, version=version)
    if new_text == decoded.text:
        return None, None
    action: Action = "restored" if block is None else "updated"
    detail = "managed block" + (" (your edits replaced: --force)" if block and block.edited else "")
    return Change(path, data, decoded.encode(new_text)), Outcome(rel, action, detail)


def _update_claude_hook(root: Path, report: UpdateReport) -> list[Change]:
    """Put back the Claude Code hook entry if it went missing from `.claude/settings.json`."""
    from scaffolder.agents import settings_with_hook
    from scaffolder.edits.claude_settings import HOOK_COMMAND, SETTINGS_PATH

    try:
        target, old, new = settings_with_hook(root)
    except FileFormatError as exc:
        report.outcomes.append(Outcome(SETTINGS_PATH, "conflict", f"{exc.message}; left as it is"))
        return []
    if old == new:
        return []
    from scaffolder.edits.claude_settings import HOOK_MATCHER, has_claude_hook
    from scaffolder.edits.encoding import decode

    if old is not None and has_claude_hook(decode(old, target).text):
        detail = f"Claude Code hook matcher now `{HOOK_MATCHER}`"
        report.outcomes.append(Outcome(SETTINGS_PATH, "updated", detail))
    else:
        detail = f"Claude Code hook `{HOOK_COMMAND}`"
        report.outcomes.append(Outcome(SETTINGS_PATH, "restored", detail))
    return [Change(target, old, new)]


def _update_pre_commit(root: Path, report: UpdateReport) -> list[Change]:
    """Bring the scaffold-lint hook an earlier release wrote to the current entry; a hook the
    user removed stays removed (the config is theirs)."""
    from scaffolder.edits.encoding import decode
    from scaffolder.edits.pre_commit import LINT_ENTRY, PRE_COMMIT_CONFIG, current_hooks

    path = root / PRE_COMMIT_CONFIG
    data = read_bytes(path)
    if data is None:
        return []
    try:
        decoded = decode(data, path)
        text = current_hooks(decoded.text, path=path)
    except FileFormatError as exc:
        report.outcomes.append(Outcome(PRE_COMMIT_CONFIG, "conflict", exc.message))
        return []
    if text == decoded.text:
        return []
    detail = f"scaffold-lint hook entry now `{LINT_ENTRY}`"
    report.outcomes.append(Outcome(PRE_COMMIT_CONFIG, "updated", detail))
    return [Change(path, data, decoded.encode(text))]


def _update_settings(path: Path, report: UpdateReport) -> list[Change]:
    """Add the `[tool.scaffold]` keys this scaffolder writes and the table lacks."""
    data = read_bytes(path)
    if data is None:
        return []
    from scaffolder.edits.encoding import decode
    from scaffolder.edits.pyproject import complete_settings

    decoded = decode(data, path)
    text, added = complete_settings(decoded.text, path=path)
    if not added:
        return []
    report.outcomes.append(Outcome("pyproject.toml", "updated", f"added {', '.join(added)}"))
    return [Change(path, data, decoded.encode(text))]
