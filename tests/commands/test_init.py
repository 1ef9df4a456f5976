"""`scaffold init` end to end: the real CLI on real git repositories, real copier rendering."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from scaffolder.cli import cli
from scaffolder.edits.managed_block import find_block
from scaffolder.templates import TemplateStore
from scaffolder.testing import FakeAnthropic, Fault
from tests.conftest import FailNthReplace
from tests.init.repos import EXAMPLE_APP, FLAT, SRC, git, make_repo, snapshot

MODULE = "chat_app/claude_stream.py"
RULES = ".claude/rules/claude-streaming.md"

TEMPLATE_VERSION = TemplateStore.installed().current_version


def init(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["init", "--yes", *args, str(root)])


def test_readme_quick_start_on_a_fresh_repo_without_commits(tmp_path: Path) -> None:
    # Exactly the README flow: copy the example, `git init -q`, `scaffold init --yes PATH`.
    app = tmp_path / "chat-app"
    shutil.copytree(EXAMPLE_APP, app)
    git(app, "init", "-q")
    proc = subprocess.run(
        [sys.executable, "-m", "scaffolder", "init", "--yes", str(app)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for created in (MODULE, RULES, "CLAUDE.md", ".pre-commit-config.yaml", ".scaffold-answers.yml"):
        assert (app / created).is_file()
        assert f"created  {created}" in out
    assert "changed  pyproject.toml" in out
    assert "anthropic already a dependency" in out
    assert "Next steps:" in out
    for step in ("pre-commit install", "scaffold lint", "scaffold verify"):
        assert step in out
    assert "from chat_app.claude_stream import recovering_stream" in out
    assert proc.stderr == ""


def test_flat_layout(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    result = init(root)
    assert result.exit_code == 0, result.output
    module = (root / MODULE).read_text()
    assert "def recovering_stream(" in module
    assert "600" in module
    pyproject = (root / "pyproject.toml").read_text()
    assert 'name = "chat-app"  # the name' in pyproject
    assert '"requests>=2",  # http' in pyproject
    assert '"anthropic>=0.40"' in pyproject
    assert "[tool.scaffold]\nmin-timeout = 300" in pyproject
    assert "added anthropic>=0.40 to [project].dependencies" in result.output
    answers = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    assert answers["module_path"] == MODULE
    assert answers["module_import"] == "chat_app.claude_stream"
    assert answers["template_version"] == TEMPLATE_VERSION
    assert answers["timeout"] == 600
    assert answers["_src_path"] == "scaffolder"
    assert set(answers["managed_files"]) == {MODULE, RULES}
    assert str(tmp_path) not in (root / ".scaffold-answers.yml").read_text()


def test_src_layout_and_the_rule_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path, SRC)
    result = init(root, "--timeout", "900")
    assert result.exit_code == 0, result.output
    assert (root / "src/my_service/claude_stream.py").is_file()
    assert "anthropic already a dependency" in result.output
    rule = (root / RULES).read_text()
    front, body = rule.split("---\n", 2)[1:]
    assert yaml.safe_load(front) == {"paths": ["src/**/*.py"]}
    assert "from my_service.claude_stream import make_client, recovering_stream" in body
    assert "timeout is 900 s" in body
    for must in ("~500 tokens", "stream_with_recovery", "messages.stream", "make_client"):
        assert must in body
    assert "idle timeout" in body
    assert "scaffold lint" in body
    assert "scaffold verify" in body
    block = find_block((root / "CLAUDE.md").read_text())
    assert block is not None
    assert "my_service.claude_stream" in block.body


def test_no_pyproject_puts_the_module_at_the_root(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"app.py": "import anthropic\n"})
    result = init(root)
    assert result.exit_code == 0, result.output
    assert (root / "claude_stream.py").is_file()
    assert not (root / "pyproject.toml").exists()
    assert "note: no pyproject.toml" in result.output
    rule = (root / RULES).read_text()
    assert '"**/*.py"' in rule
    assert "from claude_stream import" in rule


def test_existing_claude_md_with_bom_crlf_and_non_ascii_keeps_every_byte(tmp_path: Path) -> None:
    original = (
        codecs.BOM_UTF8 + "# Projekt Überblick\r\n\r\nNe touchez pas: ça marche.\r\n".encode()
    )
    root = make_repo(tmp_path, {**FLAT, "CLAUDE.md": original})
    assert init(root).exit_code == 0
    data = (root / "CLAUDE.md").read_bytes()
    assert data.startswith(original)
    tail = data[len(original) :].decode("utf-8")
    assert "\n" not in tail.replace("\r\n", "")
    assert tail.startswith(f"\r\n<!-- scaffold:begin v{TEMPLATE_VERSION} sha256:")
    assert tail.endswith("<!-- scaffold:end -->\r\n")


def test_dot_claude_memory_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, ".claude/CLAUDE.md": "# Memory\n"})
    assert init(root).exit_code == 0
    assert not (root / "CLAUDE.md").exists()
    text = (root / ".claude/CLAUDE.md").read_text()
    assert text.startswith("# Memory\n\n<!-- scaffold:begin")
    answers = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    assert answers["claude_md"] == ".claude/CLAUDE.md"


def test_symlinked_claude_md_edits_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "AGENTS.md": "# Agents\n"})
    (root / "CLAUDE.md").symlink_to("AGENTS.md")
    assert init(root).exit_code == 0
    assert (root / "CLAUDE.md").is_symlink()
    assert find_block((root / "AGENTS.md").read_text()) is not None


PRE_COMMIT = textwrap.dedent(
    """\
    # Team hooks -- keep this comment
    repos:
    -   repo: https://github.com/astral-sh/ruff-pre-commit
        rev: v0.6.9  # pinned
        hooks:
        -   id: ruff

    # pre-commit.ci
    ci:
      autofix_prs: false
    """
)


def test_existing_pre_commit_config_with_comments(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, ".pre-commit-config.yaml": PRE_COMMIT})
    assert init(root).exit_code == 0
    text = (root / ".pre-commit-config.yaml").read_text()
    lines = iter(text.splitlines())
    assert all(line in lines for line in PRE_COMMIT.splitlines())
    hooks = [h["id"] for r in yaml.safe_load(text)["repos"] for h in r["hooks"]]
    assert hooks == ["ruff", "scaffold-lint", "scaffold-check"]
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout


def test_dirty_tree_keeps_the_users_uncommitted_work(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    (root / "chat_app/essay.py").write_text("import anthropic\n# work in progress\n")
    (root / "notes.txt").write_text("untracked\n")
    (root / "chat_app/__init__.py").write_text("VERSION = 2\n")
    git(root, "add", "chat_app/__init__.py")
    staged = git(root, "diff", "--cached")
    assert init(root).exit_code == 0
    assert (root / "chat_app/essay.py").read_text() == "import anthropic\n# work in progress\n"
    assert (root / "notes.txt").read_text() == "untracked\n"
    assert git(root, "diff", "--cached") == staged


def test_second_run_has_nothing_to_do_and_touches_no_file(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path, {**FLAT, "CLAUDE.md": "# Notes\n", ".pre-commit-config.yaml": PRE_COMMIT}
    )
    assert init(root).exit_code == 0
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 0
    assert "nothing to do" in result.output
    assert snapshot(root) == before


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "CLAUDE.md": "# Notes\n"})
    before = snapshot(root)
    result = CliRunner().invoke(cli, ["init", "--dry-run", str(root)])
    assert result.exit_code == 0, result.output
    assert snapshot(root) == before
    assert not (root / ".claude").exists()
    out = result.output
    assert f"--- /dev/null\n+++ b/{MODULE}\n" in out
    assert "--- a/CLAUDE.md\n+++ b/CLAUDE.md\n" in out
    assert "+[tool.scaffold]" in out
    assert "nothing written" in out
    assert "would create" in out


def test_failure_mid_way_leaves_every_file_as_it_was(
    tmp_path: Path, fail_nth_replace: FailNthReplace
) -> None:
    root = make_repo(
        tmp_path, {**FLAT, "CLAUDE.md": "# Notes\n", ".pre-commit-config.yaml": PRE_COMMIT}
    )
    before = snapshot(root)
    calls = fail_nth_replace(5)  # the first replace writes the journal (scaffolder/_journal.py)
    result = init(root)
    assert result.exit_code == 2
    assert "nothing was changed" in result.output
    assert len(calls) > 5  # three files were replaced before the failure, then restored
    assert snapshot(root) == before
    assert not (root / ".claude").exists()


def test_a_directory_where_a_file_must_go_changes_nothing(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "CLAUDE.md": "# Notes\n"})
    (root / ".claude" / "rules" / "claude-streaming.md").mkdir(parents=True)
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 2
    assert "is a directory" in result.output
    assert snapshot(root) == before


def test_existing_module_not_written_by_scaffold_is_refused_unless_force(tmp_path: Path) -> None:
    mine = "# my own claude_stream\n"
    root = make_repo(tmp_path, {**FLAT, MODULE: mine})
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 1
    assert f"{MODULE} already exists and scaffold did not write it" in result.output
    assert "--force" in result.output
    assert snapshot(root) == before

    forced = init(root, "--force")
    assert forced.exit_code == 0, forced.output
    assert (root / f"{MODULE}.bak").read_text() == mine
    assert "def recovering_stream(" in (root / MODULE).read_text()
    assert "nothing to do" in init(root).output


def test_changed_timeout_regenerates_a_pristine_module_but_not_an_edited_one(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path, FLAT)
    assert init(root).exit_code == 0
    result = init(root, "--timeout", "900")
    assert result.exit_code == 0, result.output
    assert "changed  chat_app/claude_stream.py" in result.output
    assert yaml.safe_load((root / ".scaffold-answers.yml").read_text())["timeout"] == 900
    assert "nothing to do" in init(root).output  # the recorded answer is kept

    with (root / MODULE).open("a") as handle:
        handle.write("# my tweak\n")
    before = snapshot(root)
    edited = init(root, "--timeout", "1200")
    assert edited.exit_code == 1
    assert "edited since scaffold wrote it" in edited.output
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = [\n  "a",\n  b\n]\n', ":5:"),
        (".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks: [\n", ":4:"),
    ],
)
def test_invalid_toml_or_yaml_is_an_error_with_position(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    root = make_repo(tmp_path, {**FLAT, name: content})
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 2
    assert f"scaffold: error: {root / name}{where}" in result.output or (
        f"{name}{where}" in result.output
    )
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def test_undecodable_claude_md_is_an_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "CLAUDE.md": b"# Notes\n\xe9t\xe9\n"})
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 2
    assert "CLAUDE.md:2: cannot decode as UTF-8" in result.output
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "299"], "--timeout must be at least 300 seconds"),
        (["--module-path", "../elsewhere/claude_stream.py"], "outside the repository"),
        (["--module-path", "/etc/claude_stream.py"], "outside the repository"),
        (["--module-path", "chat_app/../../x/claude_stream.py"], "outside the repository"),
        (["--module-path", "chat_app/stream.txt"], "must name a Python module file"),
    ],
)
def test_bad_options_are_clear_errors(tmp_path: Path, args: list[str], message: str) -> None:
    root = make_repo(tmp_path / "repo", FLAT)
    before = snapshot(root)
    result = init(root, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ("min-timout = 300\n", "unknown key 'min-timout'"),
        ('select = ["SCF01"]\n', "SCF01"),
        ('exclude = "build"\n', "exclude: expected a list of strings"),
    ],
)
def test_an_invalid_tool_scaffold_table_is_refused_as_lint_would(
    tmp_path: Path, table: str, says: str
) -> None:
    files = {**FLAT, "pyproject.toml": FLAT["pyproject.toml"] + "\n[tool.scaffold]\n" + table}
    root = make_repo(tmp_path / "repo", files)
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line.startswith("scaffold: error: ")
    assert says in line
    assert line.endswith("fix it, then run `scaffold init` again (nothing was written)")
    assert snapshot(root) == before
    # The same complaint as `scaffold lint` makes about it.
    lint = subprocess.run(
        [sys.executable, "-m", "scaffolder", "lint", str(root)], capture_output=True, text=True
    )
    assert lint.returncode == 2
    assert line.startswith(lint.stderr.rstrip("\n"))


def test_a_locked_anthropic_the_runtime_cannot_run_on_is_a_warning_at_the_end(
    tmp_path: Path,
) -> None:
    pyproject = FLAT["pyproject.toml"].replace('"requests>=2",', '"requests>=2", "anthropic",')
    lock = 'version = 1\n\n[[package]]\nname = "anthropic"\nversion = "0.25.8"\n'
    root = make_repo(tmp_path / "repo", {**FLAT, "pyproject.toml": pyproject, "uv.lock": lock})
    result = subprocess.run(
        [sys.executable, "-m", "scaffolder", "init", "--yes", str(root)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "anthropic already a dependency" not in result.stdout
    assert "anthropic declared (see the warning below)" in result.stdout
    warnings = result.stderr.splitlines()
    assert warnings == [
        "scaffold: warning: pyproject.toml [project].dependencies: anthropic (any version) "
        "allows releases older than 0.40, which claude_stream.py cannot run on; raise the "
        "floor to anthropic>=0.40",
        "scaffold: warning: uv.lock locks anthropic 0.25.8, outside the anthropic>=0.40,<3 "
        "claude_stream.py supports; upgrade it in the lock file",
    ]
    # doctor says the same
    doctor = subprocess.run(
        [sys.executable, "-m", "scaffolder", "doctor", "--json", str(root)],
        capture_output=True,
        text=True,
    )
    rows = {row["name"]: row for row in yaml.safe_load(doctor.stdout)["checks"]}
    assert rows["dependency"]["status"] == "fail"
    assert rows["dependency"]["detail"] == "; ".join(w.split("warning: ", 1)[1] for w in warnings)


def test_not_a_git_repository(tmp_path: Path) -> None:
    result = init(tmp_path)
    assert result.exit_code == 2
    assert "run `git init` there first" in result.output


def test_a_node_project_gets_the_node_runtime_and_no_python(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"package.json": '{"name": "web"}\n', "index.ts": ""})
    result = init(root)
    assert result.exit_code == 0, result.output
    assert (root / "claudeStream.ts").is_file()
    assert not (root / "claude_stream.py").exists()
    assert not (root / "pyproject.toml").exists()
    assert "min-timeout = 300" in (root / "scaffold.toml").read_text()
    answers = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    assert (answers["python_runtime"], answers["node_runtime"]) == (False, "ts")
    assert "npm install @anthropic-ai/sdk" in result.output
    assert "from claude_stream import" not in result.output
    # --module-path asks for the Python module too: the repository becomes a mixed one
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    mixed = init(root, "--module-path", "tools/claude_stream.py")
    assert mixed.exit_code == 0, mixed.output
    assert (root / "tools" / "claude_stream.py").is_file()
    answers = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    assert "python_runtime" not in answers  # true: the template's default
    assert set(answers["managed_files"]) >= {"claudeStream.ts", "tools/claude_stream.py"}
    assert answers["source_globs"][0] == "**/*.py"  # the rule now covers the Python code too
    assert "**/*.ts" in answers["source_globs"]


def test_opting_out_of_claude_md_and_pre_commit(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    result = init(root, "--no-claude-md", "--no-pre-commit")
    assert result.exit_code == 0, result.output
    assert not (root / "CLAUDE.md").exists()
    assert not (root / ".pre-commit-config.yaml").exists()
    assert "pre-commit install" not in result.output
    answers = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    assert (answers["claude_md"], answers["pre_commit"]) == ("", False)


def test_the_vendored_module_recovers_a_dropped_stream(tmp_path: Path) -> None:
    # Run init, then use the module from the user's repository the way their code would.
    root = make_repo(tmp_path, FLAT)
    assert init(root).exit_code == 0
    script = textwrap.dedent(
        """\
        import sys
        from chat_app.claude_stream import make_client, recovering_stream
        client = make_client(base_url=sys.argv[1], api_key="test")
        with recovering_stream(
            client, model="claude-sonnet-4-5", max_tokens=4000,
            messages=[{"role": "user", "content": "Write an essay."}],
        ) as stream:
            text = "".join(stream.text_stream)
        sys.stdout.write(text)
        """
    )
    with FakeAnthropic() as api:
        api.script(Fault.close(at=8))
        proc = subprocess.run(
            [sys.executable, "-c", script, api.base_url],
            cwd=root,
            env={**os.environ, "CLAUDE_STREAM_TESTING": "1", "PYTHONPATH": str(root)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == api.text
        assert len(api.requests) == 2


def test_claude_md_linking_outside_the_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "shared-notes.md"
    outside.write_text("# shared\n")
    root = make_repo(tmp_path / "repo", FLAT)
    (root / "CLAUDE.md").symlink_to(outside)
    before = snapshot(root)
    result = init(root)
    assert result.exit_code == 2
    assert "leads outside the repository" in result.output
    assert snapshot(root) == before
    assert outside.read_text() == "# shared\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_directory_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    package = root / "chat_app"
    before = snapshot(root)
    package.chmod(0o555)
    try:
        result = init(root)
    finally:
        package.chmod(0o755)
    assert result.exit_code == 2
    assert "nothing was changed" in result.output
    assert snapshot(root) == before


@pytest.mark.slow
def test_the_added_hooks_run_under_real_pre_commit(tmp_path: Path) -> None:
    app = tmp_path / "chat-app"
    shutil.copytree(EXAMPLE_APP, app)
    git(app, "init", "-q")
    assert init(app).exit_code == 0
    git(app, "add", "-A")
    env = {
        **os.environ,
        # `language: system` hooks run the `scaffold` on PATH: this interpreter's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }

    def run_hook(hook: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", hook, "--all-files"],
            cwd=app,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    check = run_hook("scaffold-check")
    assert check.returncode == 0, check.stdout + check.stderr
    lint = run_hook("scaffold-lint")
    # The example app streams without recovery: the hook must catch it (and only there).
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "chat_app/essay.py" in lint.stdout
    assert "SCF001" in lint.stdout
    assert "claude_stream.py" not in lint.stdout


def _converse(argv: list[str], dialogue: list[tuple[str, bytes]], timeout: float = 120.0) -> str:
    """Run `argv` on a pseudo-terminal; when the output ends with the next prompt, answer it."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal on stdin/stdout
        os.execv(argv[0], argv)
    seen = b""
    todo = list(dialogue)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child exited and closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if todo and seen.rstrip().endswith(todo[0][0].encode()):
                os.write(fd, todo.pop(0)[1])
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    text = seen.decode(errors="replace").replace("\r\n", "\n")
    assert not todo, text
    assert os.WEXITSTATUS(status) == 0, text
    return text


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX pseudo-terminal")
def test_interactive_run_asks_two_questions_with_defaults_then_confirms(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    out = _converse(
        [sys.executable, "-m", "scaffolder", "init", str(root)],
        [
            ("[chat_app/claude_stream.py]:", b"\n"),
            ("[600]:", b"900\n"),
            ("Apply these changes? [Y/n]:", b"\n"),
        ],
    )
    assert "would create  chat_app/claude_stream.py" in out
    assert "scaffold init: wrote" in out
    assert yaml.safe_load((root / ".scaffold-answers.yml").read_text())["timeout"] == 900
