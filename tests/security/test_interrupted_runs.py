"""Every run is all-or-nothing across kills, and two runs on one repository serialise (#12).

A real subprocess applies a multi-file change (the runtime, the Claude Code rule, CLAUDE.md and
the answers file with the new digests: a consistent scaffold state, like an update) and is
killed - SIGKILL, or SIGINT as Ctrl-C sends it - at every file-system step of the apply in turn.
After each kill the next scaffold command (`scaffold check`) must find the repository old or
new (never half), with no temporary file left, blame nothing on the user, and running the
change again must reach the new state.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder._journal import JOURNAL_NAME, _locked
from scaffolder._recorded import file_digest
from scaffolder.cli import main
from tests.init.repos import snapshot
from tests.update.conftest import MODULE, RULES

CHILD = r"""
import base64, json, os, signal, sys
from pathlib import Path

repo, plan, step, signame = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
count = 0

def inside(arg):
    return isinstance(arg, (str, os.PathLike)) and os.path.abspath(arg).startswith(repo + os.sep)

def counting(name):
    real = getattr(os, name)
    def call(*args, **kwargs):
        global count
        if any(inside(a) for a in args[:2]):
            count += 1
            if count == step:
                os.kill(os.getpid(), getattr(signal, signame))
        return real(*args, **kwargs)
    setattr(os, name, call)

for name in ("open", "replace", "rename", "link", "unlink", "mkdir", "rmdir", "chmod"):
    counting(name)

from scaffolder._fs import Change, apply_changes, read_bytes
from scaffolder._journal import repo_session

changes = [
    Change(Path(repo) / rel, read_bytes(Path(repo) / rel), base64.b64decode(new))
    for rel, new in json.loads(Path(plan).read_text()).items()
]
try:
    repo_session(lock=True)(lambda path: apply_changes(changes))(Path(repo))
except KeyboardInterrupt:
    print("aborted", file=sys.stderr)
    sys.exit(130)
print(f"steps={count}")
"""


def _new_state(repo: Path) -> dict[str, bytes]:
    """The files of a consistent later scaffold state (new runtime text, new digests)."""
    module = (repo / MODULE).read_bytes() + b"\n# a newer template's runtime\n"
    rules = (repo / RULES).read_bytes() + b"\nA newer rule line.\n"
    answers = (repo / ".scaffold-answers.yml").read_text()
    for rel, old, new in ((MODULE, repo / MODULE, module), (RULES, repo / RULES, rules)):
        answers = answers.replace(
            f"{rel}: {file_digest(old.read_bytes())}", f"{rel}: {file_digest(new)}"
        )
    return {
        MODULE: module,
        RULES: rules,
        "CLAUDE.md": (repo / "CLAUDE.md").read_bytes() + b"\nThe user's later note.\n",
        ".scaffold-answers.yml": answers.encode(),
        "docs/notes/new-file.md": b"created by the run\n",  # a creation in a new directory
    }


def _run_child(repo: Path, plan: Path, step: int, signame: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(repo), str(plan), str(step), signame],
        capture_output=True,
        text=True,
        check=False,
    )


def _contents(repo: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _) in snapshot(repo).items()}


@pytest.mark.slow
@pytest.mark.parametrize("signame", ["SIGKILL", "SIGINT", "SIGTERM"])
def test_killed_at_every_step_recovers_to_old_or_new(
    repo: Path, tmp_path: Path, signame: str, capsys: pytest.CaptureFixture[str]
) -> None:
    new_files = _new_state(repo)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({k: base64.b64encode(v).decode() for k, v in new_files.items()}))
    old = _contents(repo)
    new = {**old, **new_files}
    assert main(["check", str(repo)]) == 0

    dry = _run_child(repo, plan, 0, signame)
    steps = int(dry.stdout.strip().removeprefix("steps="))
    assert steps > 10, dry
    # back to the old state for the sweep
    for rel in new_files:
        if rel in old:
            (repo / rel).write_bytes(old[rel])
        else:
            (repo / rel).unlink()
    (repo / "docs" / "notes").rmdir()
    (repo / "docs").rmdir()
    assert _contents(repo) == old

    outcomes = set()
    for step in range(1, steps + 1):
        killed = _run_child(repo, plan, step, signame)
        assert "Traceback" not in killed.stderr, (step, killed.stderr)
        capsys.readouterr()
        code = main(["check", str(repo)])  # the next scaffold command
        err = capsys.readouterr().err
        assert code == 0, (step, err)
        assert "edited since scaffold wrote it" not in err
        state = _contents(repo)
        assert state in (old, new), (step, sorted(k for k in new if state.get(k) != new[k]))
        leftovers = [
            p.name
            for p in [*repo.rglob("*scaffold-tmp"), *repo.rglob("*scaffold-orig")]
            if ".git" not in p.parts
        ]
        assert leftovers == [], step
        assert not (repo / ".git" / JOURNAL_NAME).exists()
        outcomes.add("new" if state == new else "old")
        if state == new:  # converge back to the start for the next step
            for rel in new_files:
                if rel in old:
                    (repo / rel).write_bytes(old[rel])
                else:
                    (repo / rel).unlink()
            (repo / "docs" / "notes").rmdir()
            (repo / "docs").rmdir()
        else:  # converging: the same run again completes
            assert _run_child(repo, plan, 0, signame).returncode == 0
            assert _contents(repo) == new
            for rel in new_files:
                if rel in old:
                    (repo / rel).write_bytes(old[rel])
                else:
                    (repo / rel).unlink()
            (repo / "docs" / "notes").rmdir()
            (repo / "docs").rmdir()
    assert "old" in outcomes


def test_a_second_run_is_refused_while_one_holds_the_lock(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(repo)
    with _locked(repo):
        code = subprocess.run(
            [sys.executable, "-m", "scaffolder", "init", "--yes", str(repo)],
            capture_output=True,
            text=True,
            check=False,
        )
    assert code.returncode == 2
    lines = code.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("scaffold: error: another scaffold is running in ")
    assert snapshot(repo) == before
    assert main(["update", "--allow-dirty", str(repo)]) in (0, 1)  # the lock is free again


def test_a_journal_left_by_a_killed_run_is_not_a_user_edit(repo: Path) -> None:
    """What the reproduction saw: kill between two replacements, then `init` and `update`."""
    new_files = _new_state(repo)
    plan = repo.parent / "plan.json"
    plan.write_text(json.dumps({k: base64.b64encode(v).decode() for k, v in new_files.items()}))
    old = _contents(repo)
    # Kill right after the first target was replaced: count the steps of a dry run first.
    dry = _run_child(repo, plan, 0, "SIGKILL")
    assert dry.returncode == 0
    for rel in new_files:
        if rel in old:
            (repo / rel).write_bytes(old[rel])
        else:
            (repo / rel).unlink()
    for step in range(1, 60):
        killed = _run_child(repo, plan, step, "SIGKILL")
        if killed.returncode == -signal.SIGKILL and (repo / ".git" / JOURNAL_NAME).exists():
            half = _contents(repo)
            if half != old and any(half.get(k) != v for k, v in new_files.items()):
                break
    else:
        pytest.fail("no step left a half-applied repository")
    assert main(["init", "--yes", str(repo)]) == 0
    assert _contents(repo) == old  # rolled back, then init found nothing to change
    assert os.listdir(repo / ".git").count(JOURNAL_NAME) == 0


CLI_CHILD = CHILD.split("from scaffolder._fs import")[0] + (
    "from scaffolder.cli import main\n"
    "code = main(['init', '--yes', repo])\n"
    "print(f'steps={count}')\n"
    "sys.exit(code)\n"
)


@pytest.mark.slow
def test_real_init_killed_at_every_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real `scaffold init` (seven files, new directories) killed at each step in turn."""
    from tests.init.repos import FLAT, make_repo

    root = make_repo(tmp_path / "app", FLAT)
    old = _contents(root)

    def run(step: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", CLI_CHILD, str(root), "-", str(step), "SIGKILL"],
            capture_output=True,
            text=True,
            check=False,
        )

    dry = run(0)
    assert dry.returncode == 0, dry.stderr
    new = _contents(root)
    steps = int(dry.stdout.strip().splitlines()[-1].removeprefix("steps="))
    for step in range(1, steps + 1):
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
        subprocess.run(["git", "clean", "-qfdx"], cwd=root, check=True)
        assert _contents(root) == old
        killed = run(step)
        assert killed.returncode in (0, -signal.SIGKILL), killed.stderr
        capsys.readouterr()
        main(["check", str(root)])  # the next command recovers first (exit 2: no answers yet)
        state = _contents(root)
        assert state in (old, new), (step, sorted(k for k in new if state.get(k) != new[k]))
        leftovers = [*root.rglob("*.scaffold-tmp"), *root.rglob("*.scaffold-orig")]
        assert not [p for p in leftovers if ".git" not in p.parts], step
        assert main(["init", "--yes", str(root)]) == 0  # converges
        assert _contents(root) == new, step
