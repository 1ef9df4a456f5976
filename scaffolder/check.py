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
from scaffolder._recorded import read_recorded
from scaffolder.artifacts import KINDS, CheckContext, answers_file
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

    context = CheckContext(root, recorded, store.current_version)
    report.problems = answers_file.check(context)  # first: the version says what to do next
    for kind in KINDS:
        report.problems.extend(kind.check(context))
    return report
