from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scaffolder._fs import Change, apply_changes, unified_diff, write_atomic
from scaffolder.errors import RepoError
from tests.conftest import FailNthReplace


def test_creates_updates_and_makes_parent_directories(tmp_path: Path) -> None:
    existing = tmp_path / "a.txt"
    existing.write_bytes(b"old\n")
    written = apply_changes(
        [
            Change(existing, b"old\n", b"new\n"),
            Change(tmp_path / "x" / "y" / "b.txt", None, b"b\n"),
        ]
    )
    assert len(written) == 2
    assert existing.read_bytes() == b"new\n"
    assert (tmp_path / "x" / "y" / "b.txt").read_bytes() == b"b\n"
    assert not list(tmp_path.rglob("*.scaffold-tmp"))


def test_noop_change_does_not_touch_the_file(tmp_path: Path) -> None:
    path = tmp_path / "same.txt"
    path.write_bytes(b"same\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert apply_changes([Change(path, b"same\n", b"same\n")]) == []
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_keeps_the_file_mode(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_bytes(b"#!/bin/sh\n")
    script.chmod(0o750)
    apply_changes([Change(script, b"#!/bin/sh\n", b"#!/bin/sh\necho\n")])
    assert script.stat().st_mode & 0o777 == 0o750


def test_file_changed_since_planning_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"someone else wrote this\n")
    with pytest.raises(RepoError, match="changed while scaffold was working"):
        apply_changes([Change(path, b"what we read\n", b"new\n")])
    assert path.read_bytes() == b"someone else wrote this\n"


def test_failure_on_the_last_replace_rolls_back_everything(
    tmp_path: Path, fail_nth_replace: FailNthReplace
) -> None:
    first = tmp_path / "first.txt"
    first.write_bytes(b"one\n")
    changes = [
        Change(first, b"one\n", b"ONE\n"),
        Change(tmp_path / "new" / "second.txt", None, b"two\n"),
        Change(tmp_path / "third.txt", None, b"three\n"),
    ]
    fail_nth_replace(3, PermissionError(13, "Permission denied", str(tmp_path / "third.txt")))
    with pytest.raises(RepoError, match=r"cannot write .*third\.txt.*nothing was changed"):
        apply_changes(changes)
    assert first.read_bytes() == b"one\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.txt"]


def test_directory_in_the_way_fails_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"a\n")
    (tmp_path / "blocker").mkdir()
    with pytest.raises(RepoError, match="is a directory"):
        apply_changes(
            [Change(tmp_path / "a.txt", b"a\n", b"A\n"), Change(tmp_path / "blocker", None, b"")]
        )
    assert (tmp_path / "a.txt").read_bytes() == b"a\n"


def test_a_file_where_a_directory_must_go_rolls_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"a\n")
    (tmp_path / "notadir").write_bytes(b"x\n")
    with pytest.raises(RepoError, match="nothing was changed"):
        apply_changes(
            [
                Change(tmp_path / "new" / "deep" / "b.txt", None, b"b\n"),
                Change(tmp_path / "a.txt", b"a\n", b"A\n"),
                Change(tmp_path / "notadir" / "c.txt", None, b"c\n"),
            ]
        )
    assert (tmp_path / "a.txt").read_bytes() == b"a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "notadir"]


def test_unified_diff_is_git_style(tmp_path: Path) -> None:
    diff = unified_diff(
        [
            Change(tmp_path / "a.txt", b"x\n", b"x\ny\n"),
            Change(tmp_path / "b.txt", None, b"new"),
            Change(tmp_path / "same.txt", b"s\n", b"s\n"),
        ],
        root=tmp_path,
    )
    assert diff.splitlines() == [
        "--- a/a.txt",
        "+++ b/a.txt",
        "@@ -1 +1,2 @@",
        " x",
        "+y",
        "--- /dev/null",
        "+++ b/b.txt",
        "@@ -0,0 +1 @@",
        "+new",
        "\\ No newline at end of file",
    ]


def test_two_changes_for_one_file_are_a_caller_bug(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    with pytest.raises(ValueError, match="several changes for one file"):
        apply_changes([Change(target, None, b"1"), Change(tmp_path / "." / "a.txt", None, b"2")])
    assert not target.exists()


def test_write_atomic_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "script.sh"
    target.write_bytes(b"old\n")
    target.chmod(0o755)
    write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["script.sh"]


def test_write_atomic_creates_a_file_with_the_umask_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.sarif", b"{}\n", fsync=False)
    finally:
        os.umask(umask)
    assert (tmp_path / "out.sarif").read_bytes() == b"{}\n"
    assert stat.S_IMODE((tmp_path / "out.sarif").stat().st_mode) == 0o644


def test_write_atomic_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, fail_nth_replace: FailNthReplace
) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old\n")
    calls = fail_nth_replace(1)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new\n")
    assert calls == [str(target)]
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
