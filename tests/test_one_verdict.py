"""Every surface that judges a repository gives the same verdict on the same files and config.

One real repository set up by `scaffold init`, holding an unprotected stream, a protected one,
a `# noqa`'d one and an unprotected stream in a file `[tool.scaffold] exclude` excludes. Then
`scaffold lint`, the pre-commit hooks init wrote (run by the real pre-commit), `scaffold check`,
`scaffold doctor` and the Claude Code hook judge it, and their findings are compared. (The
hook pre-commit ran before 0.1's `--force-exclude` failed on the excluded file while
`scaffold lint` said "All checks passed!"; doctor reported no failure at all.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.init.repos import git, make_repo

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
STREAM = "    with client.messages.stream(model='m', max_tokens=9, messages=msgs) as s:"
UNPROTECTED = (
    "import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef essay(msgs):\n"
    f"{STREAM}\n        return s.get_final_text()\n"
)
NOQA = UNPROTECTED.replace(f"{STREAM}\n", f"{STREAM}  # noqa: SCF001 (a demo of the bare SDK)\n")
PROTECTED = UNPROTECTED.replace(
    "import anthropic\n", "import anthropic\n\nfrom app.claude_stream import recovering_stream\n"
).replace("with client.messages.stream(", "with recovering_stream(client, ")
FILES = {
    "pyproject.toml": (
        '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["anthropic>=0.40,<3"]\n\n'
        '[tool.scaffold]\nexclude = ["legacy"]\n'
    ),
    "app/__init__.py": "",
    "app/unprotected.py": UNPROTECTED,
    "app/protected.py": PROTECTED,
    "app/noqa.py": NOQA,
    "legacy/old.py": UNPROTECTED,
}
# (path, line, code): what every surface must report, and nothing else.
EXPECTED = {("app/unprotected.py", 7, "SCF001")}
_FINDING = re.compile(r"^\s*(?P<path>[\w/.-]+\.py):(?P<line>\d+):\d+: (?P<code>SCF\d{3}) ", re.M)


def run(repo: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # pre-commit's `system` hooks
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "CLAUDE_PROJECT_DIR": str(repo),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        args, cwd=repo, env=env, input=stdin, capture_output=True, text=True, check=False
    )


def findings(output: str) -> set[tuple[str, int, str]]:
    return {(m["path"], int(m["line"]), m["code"]) for m in _FINDING.finditer(output)}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("verdict") / "app", FILES)
    init = run(root, str(BIN / "scaffold"), "init", "--yes", ".")
    assert init.returncode == 0, init.stdout + init.stderr
    git(root, "add", "-A")
    git(root, "commit", "-qm", "scaffold init")
    return root


def test_lint_pre_commit_check_doctor_and_the_claude_hook_agree(repo: Path) -> None:
    scaffold = str(BIN / "scaffold")

    lint = run(repo, scaffold, "lint", "--no-cache")
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert findings(lint.stdout) == EXPECTED
    as_json = run(repo, scaffold, "lint", "--no-cache", "--format", "json")
    assert {
        (d["filename"], d["location"]["row"], d["code"]) for d in json.loads(as_json.stdout)
    } == EXPECTED

    # The hooks exactly as init wrote them, run by pre-commit on every file of the repository.
    pre_commit = run(repo, sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert pre_commit.returncode == 1, pre_commit.stdout + pre_commit.stderr
    assert findings(pre_commit.stdout) == EXPECTED, pre_commit.stdout
    assert re.search(r"scaffold check \(managed files up to date\)\.+Passed", pre_commit.stdout)

    check = run(repo, scaffold, "check")
    assert check.returncode == 0, check.stdout + check.stderr

    doctor = run(repo, scaffold, "doctor", "--json")
    rows = {row["name"]: row for row in json.loads(doctor.stdout)["checks"]}
    assert rows["streams"]["status"] == "fail"
    assert findings(rows["streams"]["detail"]) == EXPECTED
    assert "more)" not in rows["streams"]["detail"]
    assert rows["timeouts"]["status"] == "pass"  # SCF003: none, as lint says
    assert rows["dependency"]["status"] == "pass"

    # Claude Code's hook, after the agent writes each file as it is now.
    blocked = set()
    for path in ("app/unprotected.py", "app/protected.py", "app/noqa.py", "legacy/old.py"):
        event = {
            "hook_event_name": "PostToolUse",
            "cwd": str(repo),
            "tool_name": "Write",
            "tool_input": {"file_path": str(repo / path), "content": FILES[path]},
            "tool_response": {"type": "create", "filePath": str(repo / path)},
        }
        hook = run(repo, scaffold, "lint", "--claude-hook", stdin=json.dumps(event))
        assert hook.returncode in (0, 2), hook.stderr
        assert (hook.returncode == 2) == bool(findings(hook.stderr)), hook.stderr
        blocked |= findings(hook.stderr)
    assert blocked == EXPECTED
