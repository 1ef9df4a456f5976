"""`scaffold doctor` executes nothing it finds in the repository (issue #12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder.doctor import run_doctor


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A cloned repository that commits `venv/bin/python`: a script leaving a marker."""
    root = tmp_path / "clone"
    marker = tmp_path / "ran"
    for venv in ("venv", ".venv"):
        exe = root / venv / "bin" / "python"
        exe.parent.mkdir(parents=True)
        exe.write_text(f"#!/bin/sh\ntouch {marker}\necho '{{\"python\": 1}}'\n")
        exe.chmod(0o755)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root, marker


def test_repository_interpreter_is_not_executed(
    hostile: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, marker = hostile
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    report = run_doctor(root, env={})
    assert not marker.exists()
    rows = {check.name: check for check in report.checks}
    assert rows["project python"].status == "skip"
    assert "was not run" in rows["project python"].detail


def test_a_named_interpreter_that_lies_is_a_row_not_a_traceback(
    hostile: tuple[Path, Path],
) -> None:
    root, marker = hostile
    exe = root / "venv" / "bin" / "python"
    report = run_doctor(root, env={}, python=str(exe))  # the user asked for it: it runs
    assert marker.exists()
    rows = {check.name: check for check in report.checks}
    assert rows["python"].status == "fail"
    assert "did not report its version" in rows["python"].detail


def test_cli_doctor_in_a_hostile_clone(hostile: tuple[Path, Path]) -> None:
    root, marker = hostile
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    proc = subprocess.run(
        [sys.executable, "-m", "scaffolder", "doctor", "--json", str(root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1)
    assert not marker.exists()
