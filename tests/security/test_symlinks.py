"""Links at the files scaffold edits: followed inside the repository and kept, refused when they
lead out of it, by update as by init (#12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scaffolder.cli import main
from tests.update.conftest import commit


def _drop_setting(pyproject: Path) -> None:
    text = pyproject.read_text()
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("min-timeout")]
    assert len(lines) < len(text.splitlines())
    pyproject.write_text("".join(lines))


def test_update_refuses_pyproject_linking_outside(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.toml"
    outside.write_bytes((repo / "pyproject.toml").read_bytes())
    _drop_setting(outside)
    before = outside.read_bytes()
    (repo / "pyproject.toml").unlink()
    os.symlink(outside, repo / "pyproject.toml")
    commit(repo, "link")
    assert main(["update", str(repo)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "leads outside the repository" in err[0]
    assert outside.read_bytes() == before


def test_update_edits_through_a_link_inside_and_keeps_it(repo: Path) -> None:
    (repo / "config").mkdir()
    target = repo / "config" / "pyproject.toml"
    (repo / "pyproject.toml").rename(target)
    _drop_setting(target)
    os.symlink("config/pyproject.toml", repo / "pyproject.toml")
    commit(repo, "link")
    assert main(["update", str(repo)]) == 0
    assert (repo / "pyproject.toml").is_symlink()
    assert "min-timeout" in target.read_text()


def test_init_keeps_pre_commit_config_and_pyproject_links(repo: Path) -> None:
    (repo / "ci").mkdir()
    (repo / "ci" / "pre-commit.yaml").write_text("repos: []\n")
    (repo / ".pre-commit-config.yaml").unlink(missing_ok=True)
    os.symlink("ci/pre-commit.yaml", repo / ".pre-commit-config.yaml")
    (repo / "pyproject.toml").rename(repo / "ci" / "pyproject.toml")
    _drop_setting(repo / "ci" / "pyproject.toml")
    os.symlink("ci/pyproject.toml", repo / "pyproject.toml")
    assert main(["init", "--yes", str(repo)]) == 0
    assert (repo / ".pre-commit-config.yaml").is_symlink()
    assert "scaffold" in (repo / "ci" / "pre-commit.yaml").read_text()
    assert (repo / "pyproject.toml").is_symlink()
    assert "min-timeout" in (repo / "ci" / "pyproject.toml").read_text()
