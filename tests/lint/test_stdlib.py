"""No crash on real code (the whole standard library), and the parallel path agrees with the
serial one."""

from __future__ import annotations

import concurrent.futures
import shutil
import sysconfig
from pathlib import Path

import pytest

from scaffolder.lint import runner
from scaffolder.lint.codes import ALL_CODES
from scaffolder.lint.config import Settings
from scaffolder.lint.discovery import discover
from scaffolder.lint.engine import analyze_source

STDLIB = Path(sysconfig.get_paths()["stdlib"])
FIXTURES = Path(__file__).parent / "fixtures"
# The stdlib may sit inside a git checkout (pyenv) whose .gitignore hides it.
SETTINGS = Settings(project_root=STDLIB, respect_gitignore=False)


def test_worker_processes_find_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for copy in range(4):
        shutil.copytree(FIXTURES, tmp_path / f"copy{copy}")
    settings = Settings(project_root=tmp_path)
    serial = runner.run_lint([tmp_path], settings=settings, use_cache=False, jobs=1)
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 8)  # 100+ candidates: two workers
    parallel = runner.run_lint([tmp_path], settings=settings, use_cache=False, jobs=2)
    assert len(serial.diagnostics) > 400
    assert parallel.diagnostics == serial.diagnostics


@pytest.mark.slow
def test_the_standard_library_lints_without_crashing() -> None:
    report = runner.run_lint([STDLIB], settings=SETTINGS, use_cache=False)
    assert report.files_checked > 1000
    assert {d.code for d in report.diagnostics} <= set(ALL_CODES)


def _analyze_all(paths: list[str]) -> list[tuple[str, str]]:
    """Every rule on every file, as if each imported anthropic (exercises the whole model)."""
    found = []
    for path in paths:
        data = Path(path).read_bytes()
        for d in analyze_source(data, Path(path), SETTINGS, assume_anthropic=True):
            found.append((path, d.code))
    return found


@pytest.mark.slow
def test_every_rule_runs_on_every_standard_library_file() -> None:
    files = discover([STDLIB], SETTINGS)
    chunks = [files[i::4] for i in range(4)]
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        found = [item for chunk in pool.map(_analyze_all, chunks) for item in chunk]
    by_code: dict[str, list[str]] = {}
    for path, code in found:
        by_code.setdefault(code, []).append(path)
    # The stdlib never calls `.messages.stream()` / `.messages.create()`; what is reported are
    # its deliberately broken test files (bad syntax, bad encodings).
    assert set(by_code) <= {"SCF900", "SCF901"}, by_code
    assert all("test" in path or "lib2to3" in path for path, _ in found), by_code
