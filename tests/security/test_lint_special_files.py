"""lint never blocks or runs out of memory on special files in the tree it walks (#12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = "import anthropic\nwith anthropic.Anthropic().messages.stream(model='m') as s:\n    pass\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.scaffold]\n")
    (root / "app.py").write_text(SOURCE)
    os.mkfifo(root / "pipe.py")
    os.symlink("/dev/zero", root / "zero.py")
    return root


def _lint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scaffolder", "lint", "--no-cache", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,  # a hang is the bug: a FIFO blocks open(), /dev/zero never ends
        check=False,
    )


@pytest.mark.parametrize("gitignore", [True, False])
def test_walk_skips_fifos_and_device_links(tree: Path, gitignore: bool) -> None:
    if gitignore:
        subprocess.run(["git", "init", "-q", str(tree)], check=True)
    proc = _lint(tree, ".")
    assert proc.returncode == 1, proc.stderr
    assert "app.py:2:" in proc.stdout
    assert "pipe.py" not in proc.stdout
    assert "zero.py" not in proc.stdout
    assert "Traceback" not in proc.stderr


def test_named_special_files_are_reported_not_read(tree: Path) -> None:
    proc = _lint(tree, "pipe.py", "zero.py", "app.py")
    assert "Traceback" not in proc.stderr
    assert "pipe.py:1:1:" in proc.stdout
    assert "not a regular file" in proc.stdout
    assert "zero.py:1:1:" in proc.stdout
