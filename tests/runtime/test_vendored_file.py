"""The rendered module is code users vendor: it must pass their linters and type checker."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_ruff_check_and_format(rendered_runtime: Path) -> None:
    config = ("--config", str(PYPROJECT))
    checked = _run(
        "ruff", "check", *config, "--no-cache", rendered_runtime.name, cwd=rendered_runtime.parent
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    formatted = _run(
        "ruff",
        "format",
        "--check",
        *config,
        "--no-cache",
        rendered_runtime.name,
        cwd=rendered_runtime.parent,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


@pytest.mark.slow
def test_mypy_strict(rendered_runtime: Path) -> None:
    # The project's mypy cache (git-ignored) holds the anthropic SDK's types: reruns are fast.
    result = _run(
        "mypy",
        "--strict",
        "--cache-dir",
        str(PYPROJECT.parent / ".mypy_cache"),
        "--python-version",
        "3.10",
        rendered_runtime.name,
        cwd=rendered_runtime.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_anthropic_and_the_standard_library(rendered_runtime: Path) -> None:
    tree = ast.parse(rendered_runtime.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }
    assert imported - set(sys.stdlib_module_names) == {"anthropic"}


def test_public_api(cs: object) -> None:
    for name in (
        "make_client",
        "make_async_client",
        "RecoveryPolicy",
        "recovering_stream",
        "async_recovering_stream",
        "stream_with_recovery",
        "StreamRecoveryError",
        "RetriesExhaustedError",
        "repair_messages",
    ):
        assert name in cs.__all__  # type: ignore[attr-defined]
        assert getattr(cs, name).__doc__
