"""`scaffold check`: drift from the installed template, read-only, without copier."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder.check import run_check
from scaffolder.cli import main
from scaffolder.edits.managed_block import find_block
from scaffolder.init import run_init
from scaffolder.update import run_update
from tests.init.repos import git, snapshot
from tests.update.conftest import MODULE, RULES, commit
from tests.update.versions import Versions


def test_a_fresh_init_is_current_and_intact(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_check(repo)
    assert report.ok, report.problems
    assert main(["check", str(repo)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_finds_every_kind_of_drift(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / MODULE).write_text((repo / MODULE).read_text() + "# hand edit\n")
    (repo / RULES).unlink()
    text = (repo / "CLAUDE.md").read_text()
    block = find_block(text)
    assert block is not None
    (repo / "CLAUDE.md").write_text(text.replace(block.body, block.body + "mine\n"))
    before = snapshot(repo)

    problems = run_check(repo).problems

    assert snapshot(repo) == before  # read-only
    assert problems == [
        f"{RULES}: managed file is missing; run `scaffold update` to restore it",
        f"{MODULE}: edited since scaffold wrote it; move your changes out of this managed file "
        "(or run `scaffold update` to record them as yours)",
        "CLAUDE.md: scaffold's managed block was edited; put your own guidance outside the "
        "<!-- scaffold:begin/end --> markers (`scaffold update --force` restores the block)",
    ]
    assert main(["check", str(repo)]) == 1
    out = capsys.readouterr()
    assert f"{MODULE}: edited" in out.out
    assert "3 problem(s)" in out.err


def test_an_older_template_version_is_drift(repo: Path, versions: Versions) -> None:
    report = run_check(repo, templates=versions.store)
    assert (report.recorded_version, report.installed_version) == (versions.old, versions.new)
    assert len(report.problems) == 1
    assert f"rendered from template version {versions.old}" in report.problems[0]
    assert "run `scaffold update`" in report.problems[0]


def test_a_newer_template_version_asks_to_upgrade_scaffold(repo: Path) -> None:
    answers = repo / ".scaffold-answers.yml"
    answers.write_text(answers.read_text().replace("template_version: ", "template_version: 9"))
    (problem,) = run_check(repo).problems
    assert "upgrade scaffold" in problem


def test_a_removed_block_and_a_missing_memory_file_are_drift(repo: Path) -> None:
    text = (repo / "CLAUDE.md").read_text()
    block = find_block(text)
    assert block is not None
    (repo / "CLAUDE.md").write_text(text[: block.start] + text[block.end :])
    assert [p.split(";")[0] for p in run_check(repo).problems] == [
        "CLAUDE.md: scaffold's managed block is missing"
    ]
    (repo / "CLAUDE.md").unlink()
    assert run_check(repo).problems[0].startswith("CLAUDE.md: missing")


def test_broken_markers_are_reported_not_crashed_on(repo: Path) -> None:
    path = repo / "CLAUDE.md"
    path.write_text(path.read_text().replace("<!-- scaffold:end -->", ""))
    (problem,) = run_check(repo).problems
    assert problem.startswith("CLAUDE.md: scaffold's managed block markers are broken")


def test_a_repo_without_scaffold_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(tmp_path, "init", "-q")
    assert main(["check", str(tmp_path)]) == 2
    assert "run `scaffold init`" in capsys.readouterr().err


def test_a_broken_answers_file_is_an_error_with_a_position(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".scaffold-answers.yml").write_text("template_version: [1\n")
    assert main(["check", str(repo)]) == 2
    assert ".scaffold-answers.yml:2:" in capsys.readouterr().err


def test_check_never_imports_copier(repo: Path) -> None:
    probe = (
        "import sys; from scaffolder.cli import main; code = main(['check', sys.argv[1]]); "
        "heavy = sorted({'copier', 'anthropic', 'tomlkit', 'jinja2'} & set(sys.modules)); "
        "print(code, heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, check=True
    )
    assert proc.stdout.splitlines()[-1] == "0 []"


def test_an_outdated_unedited_block_is_drift(repo: Path) -> None:
    path = repo / "CLAUDE.md"
    path.write_text(re.sub(r"scaffold:begin v\d+ ", "scaffold:begin v0 ", path.read_text()))
    (problem,) = run_check(repo).problems
    assert problem.startswith("CLAUDE.md: managed block is from template version 0")


def test_an_outdated_block_is_reported_alongside_an_edited_file(repo: Path) -> None:
    path = repo / "CLAUDE.md"
    path.write_text(re.sub(r"scaffold:begin v\d+ ", "scaffold:begin v0 ", path.read_text()))
    (repo / MODULE).write_text((repo / MODULE).read_text() + "# hand edit\n")
    problems = run_check(repo).problems
    assert [p.split(":")[0] for p in problems] == [MODULE, "CLAUDE.md"]


def test_files_init_can_edit_in_utf16_are_read_by_check_too(repo: Path) -> None:
    # init decodes BOM-marked UTF-16 (edits.encoding); check must read the same files.
    for rel in ("CLAUDE.md", ".claude/settings.json"):
        path = repo / rel
        path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert run_check(repo).problems == []


def test_a_crlf_checkout_of_pristine_files_is_not_drift_and_needs_no_update(repo: Path) -> None:
    # git's core.autocrlf checks text files out with CRLF: that is no edit of scaffold's files.
    for path in repo.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(repo).parts:
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    commit(repo, "crlf checkout")
    before = snapshot(repo)
    assert run_check(repo).problems == []
    assert run_update(repo).outcomes == []
    assert run_init(repo, assume_yes=True).nothing_to_do
    assert snapshot(repo) == before
