"""The real `pre-commit try-repo` against this checkout: the hook installs and runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

BAD = textwrap.dedent(
    """\
    import anthropic

    client = anthropic.Anthropic()
    with client.messages.stream(model="m", max_tokens=1, messages=[]) as stream:
        print(stream.get_final_text())
    """
)
BAD_TS = (
    'import Anthropic from "@anthropic-ai/sdk";\n'
    "const client = new Anthropic();\n"
    'client.messages.stream({ model: "m", max_tokens: 1, messages: [] });\n'
)
GOOD = BAD.replace("with client.messages.stream(", "with recovering_stream(client, ").replace(
    "import anthropic\n", "import anthropic\nfrom app.claude_stream import recovering_stream\n"
)


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, env=env)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo_fails_on_a_finding_and_passes_clean_code(tmp_path: Path) -> None:
    # A clone holds exactly what is committed, so both runs share one hook environment.
    hook_repo = tmp_path / "hook-repo"
    run("git", "clone", "-q", str(ROOT), str(hook_repo), cwd=tmp_path).check_returncode()
    user = tmp_path / "user"
    user.mkdir()
    (user / "bad.py").write_text(BAD, encoding="utf-8")
    (user / "good.py").write_text(GOOD, encoding="utf-8")
    run("git", "init", "-q", cwd=user).check_returncode()
    run("git", "add", ".", cwd=user).check_returncode()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = (sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "scaffold-lint")

    bad = run(*pre_commit, "--files", "bad.py", cwd=user, env=env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.py:4:6: SCF001" in bad.stdout

    good = run(*pre_commit, "--files", "good.py", cwd=user, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    # TypeScript files go to the same hook.
    (user / "chat.mts").write_text(BAD_TS, encoding="utf-8")
    run("git", "add", ".", cwd=user).check_returncode()
    ts = run(*pre_commit, "--files", "chat.mts", cwd=user, env=env)
    assert ts.returncode == 1, ts.stdout + ts.stderr
    assert "chat.mts:3:1: SCF001" in ts.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_hooks_init_writes_in_a_node_only_repository_lint_typescript(tmp_path: Path) -> None:
    """`scaffold init` in a Node-only repository, then the real `pre-commit run`: the local
    scaffold-lint hook sees .ts files (no pyproject.toml, settings in scaffold.toml) and
    scaffold-check passes."""
    from scaffolder.cli import main

    user = tmp_path / "web"
    (user / "src").mkdir(parents=True)
    (user / "package.json").write_text('{"dependencies": {"@anthropic-ai/sdk": "^0.60.0"}}\n')
    (user / "src" / "index.ts").write_text("export {};\n")
    run("git", "init", "-q", cwd=user).check_returncode()
    assert main(["init", "-y", str(user)]) == 0
    (user / "src" / "chat.ts").write_text(BAD_TS, encoding="utf-8")
    run("git", "add", ".", cwd=user).check_returncode()
    bin_dir = str(Path(sys.executable).parent)  # `scaffold` for the `language: system` hooks
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    bad = run(sys.executable, "-m", "pre_commit", "run", "--all-files", cwd=user, env=env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "src/chat.ts:3:1: SCF001" in bad.stdout
    assert re.search(r"scaffold check \(managed files up to date\)\.+Passed", bad.stdout)

    (user / "src" / "chat.ts").unlink()
    run("git", "add", "-A", cwd=user).check_returncode()
    good = run(sys.executable, "-m", "pre_commit", "run", "--all-files", cwd=user, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
