"""The `scaffold update` and `scaffold check` commands: output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder.cli import main
from scaffolder.edits.managed_block import find_block
from tests.init.repos import snapshot
from tests.update.conftest import MODULE, commit


def edit_block(repo: Path) -> None:
    text = (repo / "CLAUDE.md").read_text()
    block = find_block(text)
    assert block is not None
    (repo / "CLAUDE.md").write_text(text.replace(block.body, block.body + "mine\n"))


def test_update_with_nothing_to_do_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["update", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "scaffold update: template version" in out
    assert "nothing to change" in out


def test_update_with_nothing_to_do_exits_0_whatever_the_work_tree(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An uncommitted edit of a managed file (outside the block) that the update would not touch.
    with (repo / "CLAUDE.md").open("a") as claude_md:
        claude_md.write("\nMy own note, not committed yet.\n")
    before = snapshot(repo)
    assert main(["update", "--dry-run", str(repo)]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert main(["update", str(repo)]) == 0
    out, err = capsys.readouterr()
    assert "nothing to change" in out
    assert err == ""
    assert snapshot(repo) == before


def test_update_conflicts_exit_1_and_force_resolves_the_block(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_block(repo)
    commit(repo)
    before = snapshot(repo)
    assert main(["update", str(repo)]) == 1
    out = capsys.readouterr()
    assert "conflict  CLAUDE.md: you edited scaffold's managed block" in out.out
    assert "1 conflict(s)" in out.err
    assert snapshot(repo) == before

    assert main(["update", "--force", str(repo)]) == 0
    assert "updated   CLAUDE.md: managed block (your edits replaced: --force)" in (
        capsys.readouterr().out
    )
    assert main(["check", str(repo)]) == 0


def test_update_refuses_dirty_managed_files_with_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_block(repo)
    assert main(["update", "--force", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scaffold: error: uncommitted changes in files scaffold update would")
    assert "CLAUDE.md" in err
    assert "Traceback" not in err
    assert main(["update", "--force", "--allow-dirty", str(repo)]) == 0


def test_update_dry_run_prints_a_diff_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_block(repo)
    commit(repo)
    before = snapshot(repo)
    assert main(["update", "--dry-run", "--force", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "--- a/CLAUDE.md\n+++ b/CLAUDE.md\n" in out
    assert "-mine\n" in out
    assert "dry run: 1 file(s) would change; nothing written" in out
    assert snapshot(repo) == before


def test_check_exit_codes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(repo)]) == 0
    (repo / MODULE).unlink()
    assert main(["check", str(repo)]) == 1
    assert f"{MODULE}: managed file is missing" in capsys.readouterr().out


def test_update_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["update", "--help"]) == 0
    out = capsys.readouterr().out
    assert all(option in out for option in ("--dry-run", "--allow-dirty", "--force"))
