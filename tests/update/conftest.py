"""Fixtures: a repository set up by the real `scaffold init`, and two real template versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffolder.init import run_init
from tests.init.repos import git, make_repo
from tests.update.versions import Versions, make_versions

USER_CLAUDE_MD = "# Chat app\n\nOur own guidance — keep it. Ünïcode too.\n"
PROJECT = {
    "pyproject.toml": (
        '[project]\nname = "chat-app"\nversion = "0.1.0"\ndependencies = ["anthropic>=0.50"]\n'
    ),
    "chat_app/__init__.py": "",
    "chat_app/essay.py": "import anthropic\n",
    "CLAUDE.md": USER_CLAUDE_MD,
    "README.md": "# chat app\n",
}
MODULE = "chat_app/claude_stream.py"
RULES = ".claude/rules/claude-streaming.md"


def commit(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture(scope="session")
def _initialized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("initialized") / "repo", PROJECT)
    run_init(root, assume_yes=True)
    commit(root, "scaffold init")
    return root


@pytest.fixture
def repo(_initialized: Path, tmp_path: Path) -> Path:
    """A committed repository on today's template version, set up by `scaffold init`.

    A copy (work tree and .git) of one set up once per session: init renders the template.
    """
    return Path(shutil.copytree(_initialized, tmp_path / "repo", symlinks=True))


@pytest.fixture(scope="session")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    """Today's template as released version N, and a version N+1 made from it."""
    return make_versions(tmp_path_factory.mktemp("templates"))
