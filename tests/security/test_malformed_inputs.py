"""Malformed values in files a repository commits: one line, exit 2, nothing written (#12)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from scaffolder.cli import main
from tests.init.repos import make_repo, snapshot


def _one_error(capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("scaffold: error: "), err
    for needle in needles:
        assert needle in err[0]


@pytest.mark.parametrize(
    ("pyproject", "needle"),
    [
        ('tool = "x"\n', "`tool` must be a table"),
        ("project = 3\n", "`project` must be a table"),
        ("[tool]\nscaffold = 1\n", "`tool.scaffold` must be a table"),
        ('[project]\nname = "x"\ndependencies = "anthropic"\n', "project.dependencies"),
        ('[project]\nname = "x"\ndependencies = ["anthropic", 3]\n', "project.dependencies"),
        ('[project]\nname = "x"\n[project]\nname = "y"\n', "invalid TOML"),
    ],
)
def test_init_on_malformed_pyproject(
    tmp_path: Path, pyproject: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": pyproject})
    before = snapshot(root)
    assert main(["init", "--yes", str(root)]) == 2
    _one_error(capsys, needle)
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ("min-timeout = nan", "min-timeout"),
        ("min-timeout = inf", "min-timeout"),
        ("min-timeout = -1", "min-timeout"),
    ],
)
def test_lint_on_malformed_settings(
    tmp_path: Path,
    table: str,
    needle: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.scaffold]\n{table}\n")
    (tmp_path / "a.py").write_text("import anthropic\n")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--no-cache", "."]) == 2
    _one_error(capsys, needle)


@pytest.mark.parametrize("config", ["/dev/zero", "fifo.toml"])
def test_lint_config_that_is_no_regular_file(
    tmp_path: Path, config: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "a.py").write_text("import anthropic\n")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--no-cache", "--config", config, "."]) == 2
    _one_error(capsys, "not a regular file")


@pytest.mark.parametrize("name", ["CLAUDE.md", ".pre-commit-config.yaml", "pyproject.toml"])
def test_symlink_loop_where_init_writes(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": '[project]\nname = "x"\n'})
    (root / name).unlink(missing_ok=True)
    os.symlink(name, root / name)
    assert main(["init", "--yes", str(root)]) == 2
    _one_error(capsys, name)


def test_deeply_nested_claude_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    root = make_repo(
        tmp_path / "r", {"pyproject.toml": '[project]\nname = "x"\n', ".claude/settings.json": deep}
    )
    before = snapshot(root)
    assert main(["init", "--yes", str(root)]) == 2
    _one_error(capsys, ".claude/settings.json", "nested too deeply")
    assert snapshot(root) == before


@pytest.mark.skipif(
    "socksio" in sys.modules or __import__("importlib").util.find_spec("socksio") is not None,
    reason="socksio is installed here",
)
def test_socks_proxy_without_socksio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:9")
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    for name in ("NO_PROXY", "no_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert main(["verify"]) == 2
    _one_error(capsys, "socksio")
