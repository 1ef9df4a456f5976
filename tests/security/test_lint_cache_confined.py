"""`[tool.scaffold] cache-dir` cannot point lint's cache (and its tag files) anywhere (#12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scaffolder.cli import main

SOURCE = "import anthropic\nclient = anthropic.Anthropic()\n"


def _project(root: Path, cache_dir: str | None) -> Path:
    root.mkdir(parents=True)
    table = f'[tool.scaffold]\ncache-dir = "{cache_dir}"\n' if cache_dir else "[tool.scaffold]\n"
    (root / "pyproject.toml").write_text(table)
    (root / "app.py").write_text(SOURCE)
    return root


@pytest.mark.parametrize("cache_dir", [".", "~", "..", "/tmp", "sub/../.."])
def test_config_cache_dir_outside_the_project_is_refused(
    tmp_path: Path,
    cache_dir: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SCAFFOLD_CACHE_DIR", raising=False)
    (tmp_path / "home").mkdir()
    root = _project(tmp_path / "proj", cache_dir)
    monkeypatch.chdir(root)
    before = set(tmp_path.rglob("*"))
    assert main(["lint", "."]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("scaffold: error: ")
    assert "cache-dir" in err[0]
    assert set(tmp_path.rglob("*")) == before


def test_existing_directory_is_never_tagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "proj", "docs")
    (root / "docs").mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("SCAFFOLD_CACHE_DIR", raising=False)
    main(["lint", "."])
    assert not (root / "docs" / "CACHEDIR.TAG").exists()
    assert not (root / "docs" / ".gitignore").exists()


def test_user_cache_dir_gets_tags_only_when_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "proj", None)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(home))
    main(["lint", "."])
    assert sorted(p.name for p in home.iterdir() if p.name in ("CACHEDIR.TAG", ".gitignore")) == []
    fresh = tmp_path / "fresh"
    main(["lint", "--cache-dir", str(fresh), "."])
    assert (fresh / "CACHEDIR.TAG").is_file()
    assert (fresh / ".gitignore").read_text().endswith("*\n")


def test_default_cache_is_created_and_tagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "proj", None)
    monkeypatch.chdir(root)
    monkeypatch.delenv("SCAFFOLD_CACHE_DIR", raising=False)
    main(["lint", "."])
    assert (root / ".scaffold_cache" / "CACHEDIR.TAG").is_file()


def test_committed_symlink_as_default_cache_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "proj", None)
    home = tmp_path / "home"
    home.mkdir()
    os.symlink(home, root / ".scaffold_cache")
    monkeypatch.chdir(root)
    monkeypatch.delenv("SCAFFOLD_CACHE_DIR", raising=False)
    main(["lint", "."])
    assert list(home.iterdir()) == []
