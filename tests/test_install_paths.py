"""The documented ways to install scaffold (docs/install.md), each from the built wheel, offline.

The index is a `--find-links` wheelhouse (tests/wheelhouse.py): the wheel plus its dependencies
repacked from this environment; every installer runs with its offline / no-index switches and
its homes (tool dirs, caches) inside the test's temporary directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

from scaffolder import __version__
from tests.init.repos import git, make_repo
from tests.wheelhouse import build_wheelhouse, dependency_closure, repack
from tests.wheels import build_wheel

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
DIST = str(tomlkit.parse((ROOT / "pyproject.toml").read_text())["project"]["name"])  # type: ignore[index]
BARE = (
    "import anthropic\n\nclient = anthropic.Anthropic()\n"
    "with client.messages.stream(model='m', max_tokens=9, messages=[]) as s:\n"
    "    print(s.get_final_text())\n"
)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheel = build_wheel(ROOT, tmp_path_factory.mktemp("dist"))
    house = build_wheelhouse(wheel, tmp_path_factory.mktemp("wheelhouse"))
    # pre-commit builds the hook repository from source: hatchling must be there too.
    for dist in dependency_closure(["hatchling"]):
        repack(dist, house)
    return house


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "app", {"app/__init__.py": "", "app/chat.py": BARE})


def offline_env(tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "UV_OFFLINE": "1",
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": str(wheelhouse),
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),
        "UV_TOOL_DIR": str(tmp_path / "uv-tools"),
        "UV_TOOL_BIN_DIR": str(tmp_path / "bin"),
        "UV_PYTHON": sys.executable,
        "UV_PYTHON_DOWNLOADS": "never",
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "VIRTUALENV_NO_DOWNLOAD": "1",
    }


def tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]' installs it)")
    return path


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def assert_lints(scaffold: list[str], project: Path, env: dict[str, str]) -> None:
    version = run(*scaffold, "--version", cwd=project, env=env)
    assert version.returncode == 0, version.stdout + version.stderr
    assert __version__ in version.stdout
    lint = run(*scaffold, "lint", cwd=project, env=env)
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "app/chat.py:4:6: SCF001" in lint.stdout


def test_uv_tool_install(wheelhouse: Path, project: Path, tmp_path: Path) -> None:
    env = offline_env(tmp_path, wheelhouse)
    installed = run(tool("uv"), "tool", "install", DIST, cwd=tmp_path, env=env)
    assert installed.returncode == 0, installed.stderr
    assert_lints([str(tmp_path / "bin" / "scaffold")], project, env)


def test_uvx_from(wheelhouse: Path, project: Path, tmp_path: Path) -> None:
    env = offline_env(tmp_path, wheelhouse)
    assert_lints([tool("uvx"), "--from", f"{DIST}=={__version__}", "scaffold"], project, env)


def test_pipx_install(wheelhouse: Path, project: Path, tmp_path: Path) -> None:
    env = offline_env(tmp_path, wheelhouse)
    installed = run(
        tool("pipx"), "install", "--python", sys.executable, DIST, cwd=tmp_path, env=env
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert_lints([str(tmp_path / "bin" / "scaffold")], project, env)


def test_pre_commit_remote_repo_at_a_rev(wheelhouse: Path, project: Path, tmp_path: Path) -> None:
    """The `repo:` + `rev:` form of docs/install.md, this repository's commit as the remote."""
    hooks_repo = tmp_path / "hooks-repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(hooks_repo)], check=True)
    rev = git(hooks_repo, "rev-parse", "HEAD").strip()
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo.as_uri()}\n    rev: {rev}\n    hooks:\n"
        "      - id: scaffold-lint\n"
    )
    git(project, "add", "-A")
    env = offline_env(tmp_path, wheelhouse)
    proc = run(sys.executable, "-m", "pre_commit", "run", "--all-files", cwd=project, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "scaffold lint" in proc.stdout
    assert "app/chat.py:4:6: SCF001" in proc.stdout
