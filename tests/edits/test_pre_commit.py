from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffolder.edits.pre_commit import (
    HOOK_IDS,
    LINT_ENTRY,
    NODE_FILES,
    add_hooks,
    current_hooks,
    python_only_lint_hook,
)
from scaffolder.errors import FileFormatError

P = Path(".pre-commit-config.yaml")

COMMENTED = """\
# Our hooks. Keep this comment.
default_language_version:
  python: python3  # pinned on purpose
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0  # latest we tested
    hooks:
    -   id: trailing-whitespace
    # -   id: end-of-file-fixer   (disabled: breaks fixtures)

# CI settings below
ci:
  autofix_prs: false
"""


def _ids(text: str) -> list[str]:
    config = yaml.safe_load(text)
    return [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]


def test_adds_local_hooks_and_keeps_every_existing_line() -> None:
    edit = add_hooks(COMMENTED, path=P)
    assert edit.added == HOOK_IDS
    old_lines = COMMENTED.splitlines()
    new_lines = edit.text.splitlines()
    # The old lines appear in order: only lines were inserted.
    it = iter(new_lines)
    assert all(line in it for line in old_lines)
    assert _ids(edit.text) == ["trailing-whitespace", *HOOK_IDS]
    # The comment introducing `ci:` still sits right above it.
    assert "# CI settings below\nci:" in edit.text
    assert yaml.safe_load(edit.text)["ci"] == {"autofix_prs": False}


def test_added_once() -> None:
    once = add_hooks(COMMENTED, path=P).text
    again = add_hooks(once, path=P)
    assert again.added == ()
    assert again.text == once


def test_only_the_missing_hook_is_added() -> None:
    text = "repos:\n  - repo: local\n    hooks:\n      - id: scaffold-lint\n        name: l\n"
    text += "        entry: scaffold lint\n        language: system\n"
    edit = add_hooks(text, path=P)
    assert edit.added == ("scaffold-check",)
    assert _ids(edit.text) == ["scaffold-lint", "scaffold-check"]


@pytest.mark.parametrize(
    "text", ["", "# nothing yet\n", "repos: []\n", "repos:\n", "default_stages: [pre-commit]\n"]
)
def test_new_or_empty_configs(text: str) -> None:
    edit = add_hooks(text, path=P)
    assert _ids(edit.text) == list(HOOK_IDS)
    if text.startswith("#"):
        assert edit.text.startswith(text)


def test_crlf_and_missing_final_newline() -> None:
    text = COMMENTED.replace("\n", "\r\n").rstrip("\r\n")
    new = add_hooks(text, path=P).text
    assert "\n" not in new.replace("\r\n", "")
    assert _ids(new)[-2:] == list(HOOK_IDS)


def test_invalid_yaml_names_file_line_and_column() -> None:
    with pytest.raises(FileFormatError) as info:
        add_hooks("repos:\n  - repo: local\n    hooks: [\n", path=P)
    assert info.value.line is not None
    assert info.value.col is not None
    assert "invalid YAML" in info.value.message


def test_flow_style_repos_is_refused_with_advice() -> None:
    with pytest.raises(FileFormatError, match="add them by hand"):
        add_hooks("repos: [{repo: local, hooks: [{id: x}]}]\n", path=P)


def test_result_is_a_config_pre_commit_accepts(tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(add_hooks(COMMENTED, path=P).text)
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_lint_hook_applies_the_configured_excludes() -> None:
    hooks = yaml.safe_load(add_hooks("", path=Path("p")).text)["repos"][0]["hooks"]
    assert hooks[0]["entry"] == LINT_ENTRY == "scaffold lint --force-exclude"


EARLIER = (
    "repos:\r\n"
    "  - repo: local\r\n"
    "    hooks:\r\n"
    "      - id: scaffold-lint\r\n"
    "        entry: {entry}  # ours\r\n"
    "        language: system\r\n"
)


@pytest.mark.parametrize("entry", ["scaffold lint", "'scaffold lint'", '"scaffold lint"'])
def test_an_earlier_lint_entry_is_brought_up_to_date_in_place(entry: str) -> None:
    old = EARLIER.format(entry=entry)
    assert current_hooks(old, path=Path("p")) == EARLIER.format(entry=LINT_ENTRY)


@pytest.mark.parametrize(
    "text",
    [
        EARLIER.format(entry="scaffold lint --select SCF001"),  # the user's own entry
        EARLIER.format(entry="scaffold lint").replace("repo: local", "repo: https://x/y"),
        EARLIER.format(entry="scaffold lint").replace("scaffold-lint", "my-lint"),
        # two candidate lines: which one is ours is not certain, so nothing changes
        EARLIER.format(entry="scaffold lint") + "      - id: x\r\n        entry: scaffold lint\r\n",
    ],
)
def test_other_hooks_and_ambiguous_configs_are_left_alone(text: str) -> None:
    assert current_hooks(text, path=Path("p")) == text


PYTHON_ONLY = """\
# See https://pre-commit.com for more information
repos:
- repo: local
  hooks:
    - id: scaffold-lint
      name: scaffold lint (unprotected Claude streams)
      entry: scaffold lint --force-exclude
      language: system
      types: [python]
      require_serial: true
    - id: scaffold-check
      name: scaffold check (managed files up to date)
      entry: scaffold check
      language: system
      pass_filenames: false
"""


def test_python_only_config_is_unchanged_by_the_node_option() -> None:
    assert add_hooks("", path=P).text == add_hooks("", path=P, node=False).text == PYTHON_ONLY


@pytest.mark.parametrize("text", ["", COMMENTED, "repos: []\n"])
def test_node_lint_hook_takes_typescript_and_javascript(text: str) -> None:
    new = add_hooks(text, path=P, node=True).text
    lint = next(hook for hook in yaml.safe_load(new)["repos"][-1]["hooks"])
    assert lint["id"] == "scaffold-lint"
    assert "types" not in lint
    for name in ("a.py", "a.pyi", "a.ts", "a.tsx", "a.mts", "a.cts", "a.js", "a.jsx", "a.mjs"):
        assert re.search(lint["files"], name), name
    for name in ("a.json", "a.md", "a.tsbuildinfo", "a.py.txt"):
        assert not re.search(lint["files"], name), name


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_real_pre_commit_runs_the_node_lint_hook_on_mts_and_cjs(tmp_path: Path) -> None:
    proc = _run_lint_hook(tmp_path, add_hooks("", path=P, node=True).text)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "chat.mts:3:1: SCF001" in proc.stdout
    assert "chat.cjs:3:1: SCF001" in proc.stdout
    assert "notes.txt" not in proc.stdout


def test_node_brings_the_python_only_lint_hook_to_ts_and_js_in_place() -> None:
    old = add_hooks(COMMENTED, path=P).text
    assert python_only_lint_hook(old, path=P)
    new = current_hooks(old, path=P, node=True)
    assert new == old.replace("types: [python]", f"files: {NODE_FILES}")
    assert not python_only_lint_hook(new, path=P)
    assert new == add_hooks(COMMENTED, path=P, node=True).text  # same as a fresh Node init
    assert current_hooks(new, path=P, node=True) == new  # idempotent
    assert current_hooks(old, path=P) == old  # Python only: nothing to do


def test_node_update_keeps_crlf_comments_and_other_types_lines() -> None:
    old = (
        "repos:\r\n"
        "  - repo: local\r\n"
        "    hooks:\r\n"
        "      - id: mypy\r\n"
        "        entry: mypy\r\n"
        "        language: system\r\n"
        "        types: [python]\r\n"
        "      - id: scaffold-lint  # ours\r\n"
        "        entry: scaffold lint  # old entry\r\n"
        "        language: system\r\n"
        "        types: [python]  # py only\r\n"
        "      - id: after\r\n"
        "        entry: x\r\n"
        "        language: system\r\n"
        "        types: [python]\r\n"
    )
    new = current_hooks(old, path=P, node=True)
    expected = old.replace("types: [python]  # py only", f"files: {NODE_FILES}  # py only")
    assert new == expected.replace("entry: scaffold lint  #", f"entry: {LINT_ENTRY}  #")
    hooks = yaml.safe_load(new)["repos"][0]["hooks"]
    assert [h.get("types") for h in hooks] == [["python"], None, ["python"]]


@pytest.mark.parametrize(
    "replace",
    [
        ("types: [python]", "types_or: [python, pyi]"),  # the user's own selection
        ("types: [python]", "types: [python]\n      files: ^src/"),
        ("types: [python]", "types: [python, cython]"),
        ("repo: local", "repo: https://example.com/scaffolder"),  # not the hook init wrote
    ],
)
def test_node_leaves_a_lint_hook_the_user_changed(replace: tuple[str, str]) -> None:
    old = add_hooks("", path=P).text.replace(*replace)
    assert current_hooks(old, path=P, node=True) == old


def _run_lint_hook(root: Path, config: str) -> subprocess.CompletedProcess[str]:
    bad_ts = (
        'import Anthropic from "@anthropic-ai/sdk";\n'
        "const client = new Anthropic();\n"
        'client.messages.stream({ model: "m", max_tokens: 1, messages: [] });\n'
    )
    bad_cjs = bad_ts.replace(
        'import Anthropic from "@anthropic-ai/sdk";',
        'const Anthropic = require("@anthropic-ai/sdk");',
    )
    (root / "chat.mts").write_text(bad_ts, encoding="utf-8")
    (root / "chat.cjs").write_text(bad_cjs, encoding="utf-8")
    (root / "notes.txt").write_text("client.messages.stream(\n", encoding="utf-8")
    (root / ".pre-commit-config.yaml").write_text(
        config.replace(
            "entry: scaffold lint", f"entry: {Path(sys.executable).with_name('scaffold')} lint"
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(root / ".pre-commit-home")}
    for args in (("git", "init", "-q"), ("git", "add", "chat.mts", "chat.cjs", "notes.txt")):
        subprocess.run(args, cwd=root, check=True, env=env)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "scaffold-lint", "--all-files"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_real_pre_commit_runs_the_updated_python_only_hook_on_ts_and_js(tmp_path: Path) -> None:
    python_only = add_hooks("", path=P).text
    (tmp_path / "before").mkdir()
    before = _run_lint_hook(tmp_path / "before", python_only)
    assert "SCF001" not in before.stdout  # the Python-only hook never sees TS/JS files
    (tmp_path / "after").mkdir()
    proc = _run_lint_hook(tmp_path / "after", current_hooks(python_only, path=P, node=True))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "chat.mts:3:1: SCF001" in proc.stdout
    assert "chat.cjs:3:1: SCF001" in proc.stdout
    assert "notes.txt" not in proc.stdout
