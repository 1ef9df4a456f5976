"""`scaffold update`: bring a repository to the installed template version, keeping user edits.

Each kind of managed file (`scaffolder.artifacts`) is brought to the installed template with
the recorded answers: base = the template version recorded in the answers file (rendered again
from its snapshot, see `scaffolder.templates`), ours = the repository, theirs = the installed
template. Whole files get a three-way merge (conflicts written with git's markers and listed);
the managed blocks are replaced when unedited; hook entries and `[tool.scaffold]` keys that went
missing are added back; the user's values are never changed. The answers file, written last,
records the new version and the digests of what was written (for `scaffold check`).

All changes are computed first and written by `_fs.apply_changes` (all or nothing). Managed files
with uncommitted changes are refused unless `allow_dirty`: the update must be reviewable and
undoable with git (an update with nothing to change writes nothing and refuses nothing).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from scaffolder._fs import Change, apply_changes, pending, unified_diff
from scaffolder._journal import repo_session
from scaffolder._recorded import Recorded, read_recorded
from scaffolder.answers import ANSWERS_FILE
from scaffolder.artifacts import KINDS, Outcome, UpdateContext, answers_file
from scaffolder.errors import RepoError
from scaffolder.render import render_files
from scaffolder.templates import TemplateStore, question_names


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
    from scaffolder.repo import check_inside, find_repo_root

    root = find_repo_root(path)
    recorded = read_recorded(root)
    store = templates or TemplateStore.installed()
    report = UpdateReport(root, recorded.template_version, store.current_version, dry_run)
    base_template = store.template_for(report.from_version)

    base = _render(recorded, base_template)
    theirs = base if base_template == store.current else _render(recorded, store.current)
    context = UpdateContext(
        root, recorded, base, theirs, report.from_version, report.to_version, force=force
    )
    owned = [rel for kind in KINDS for rel in kind.update_paths(context)] + [ANSWERS_FILE]
    for rel in owned:
        check_inside(root, rel)

    steps = [step for kind in KINDS for step in kind.update(context)]
    steps.append(answers_file.update(context))  # last: it records the digests the others left
    report.outcomes = [step.outcome for step in steps if step.outcome is not None]
    report.changes = pending(step.change for step in steps if step.change is not None)
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
