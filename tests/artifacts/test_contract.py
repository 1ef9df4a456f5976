"""What every kind in `KINDS` must agree on, checked kind by kind: on a repository exactly as
scaffold left it, `plan` changes nothing, `update` has nothing to do and `check` reports
nothing; and once its files are gone, `plan` puts them back and `check` says so.

A new kind gets these for free by being listed in `KINDS`; its own behaviour (merges,
conflicts, the user's edits) is tested beside it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffolder._recorded import read_recorded
from scaffolder.artifacts import KINDS, CheckContext, InitContext, Kind, UpdateContext
from scaffolder.cli import main
from scaffolder.render import render_files
from tests.init.repos import SRC, git, make_repo

# A repository where every kind has files: Python and Node code, every agent, pre-commit.
FILES: dict[str, str | bytes] = {
    **SRC,
    "package.json": '{"dependencies": {"@anthropic-ai/sdk": "^0.60.0"}}\n',
    "web/app.ts": "import Anthropic from '@anthropic-ai/sdk';\n",
    ".cursor/rules/own.mdc": "x\n",
    ".github/copilot-instructions.md": "# Copilot\n",
}
AGENTS = "claude,agents-md,cursor,copilot,codex,gemini"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("contract") / "repo", FILES)
    assert main(["init", "-y", "--agents", AGENTS, str(root)]) == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "scaffold init")
    return root


@pytest.fixture
def repo(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "repo", symlinks=True))


def init_context(root: Path) -> InitContext:
    recorded = read_recorded(root)
    answers = {**recorded.answers, "template_version": recorded.template_version}
    return InitContext(
        root,
        answers,
        render_files(recorded.answers),
        recorded.template_version,
        recorded.managed_files,
        force=False,
        claude_md=True,
        pre_commit=True,
    )


def update_context(root: Path) -> UpdateContext:
    recorded = read_recorded(root)
    rendered = render_files(recorded.answers)
    version = recorded.template_version
    return UpdateContext(root, recorded, rendered, rendered, version, version, force=False)


def check_context(root: Path) -> CheckContext:
    recorded = read_recorded(root)
    return CheckContext(root, recorded, recorded.template_version)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_repository_as_scaffold_left_it_is_left_alone(repo: Path, kind: Kind) -> None:
    context = init_context(repo)
    steps = kind.plan(context)
    assert steps, f"{kind.name} has no files in a repository that uses everything"
    assert [s.outcome for s in steps if s.change and not s.change.is_noop] == []
    assert {s.outcome.action for s in steps if s.outcome} == {"unchanged"}
    assert context.collisions == []
    assert context.notes == []
    assert [(s.outcome, s.change) for s in kind.update(update_context(repo)) if s.change] == []
    assert kind.check(check_context(repo)) == []


# Kinds whose file, once deleted, is the user's choice: pyproject.toml is the project's own (init
# never creates one), and a deleted pre-commit config is no drift (init adds it back, check is
# silent).
NOT_RECREATED = {"lint settings"}
NOT_REPORTED = {"lint settings", "pre-commit hooks"}


@pytest.mark.parametrize(
    "kind", [k for k in KINDS if k.name not in NOT_RECREATED], ids=lambda kind: kind.name
)
def test_files_removed_are_planned_again_and_reported(repo: Path, kind: Kind) -> None:
    planned = [s for s in kind.plan(init_context(repo)) if s.change is not None]
    for step in planned:
        assert step.change is not None
        step.change.path.unlink()
    steps = kind.plan(init_context(repo))
    assert {s.outcome.path for s in steps if s.outcome and s.outcome.action == "created"} == {
        s.outcome.path for s in planned if s.outcome
    }
    problems = kind.check(check_context(repo))
    assert len(problems) == (0 if kind.name in NOT_REPORTED else len(planned)), problems
