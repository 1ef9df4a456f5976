from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder.errors import FileFormatError, RepoError
from scaffolder.repo import check_inside, detect_project, find_repo_root, module_import_path
from tests.init.repos import FLAT, SRC, make_repo


def test_repo_root_from_a_subdirectory(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", FLAT)
    assert find_repo_root(root / "chat_app") == root.resolve()
    assert find_repo_root(root / "chat_app" / "essay.py") == root.resolve()


def test_repo_root_of_a_fresh_repo_without_commits(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"a.py": ""}, commit=False)
    assert find_repo_root(root) == root.resolve()


def test_not_a_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(RepoError, match="not inside a git repository; run `git init`"):
        find_repo_root(plain)
    with pytest.raises(RepoError, match="does not exist"):
        find_repo_root(tmp_path / "missing")


def test_flat_layout(tmp_path: Path) -> None:
    project = detect_project(make_repo(tmp_path, FLAT))
    assert (project.name, project.layout, project.package_dir) == ("chat-app", "flat", "chat_app")
    assert project.default_module_path == "chat_app/claude_stream.py"
    assert project.source_globs == ["chat_app/**/*.py"]
    assert project.memory_file == "CLAUDE.md"


def test_src_layout_matches_the_normalised_project_name(tmp_path: Path) -> None:
    files = {**SRC, "src/other/__init__.py": ""}
    project = detect_project(make_repo(tmp_path, files))
    assert (project.layout, project.package_dir) == ("src", "src/my_service")
    assert project.default_module_path == "src/my_service/claude_stream.py"
    assert project.source_globs == ["src/**/*.py"]


def test_no_pyproject_puts_the_module_at_the_root_with_a_note(tmp_path: Path) -> None:
    project = detect_project(make_repo(tmp_path, {"app.py": "import anthropic\n"}))
    assert project.default_module_path == "claude_stream.py"
    assert project.source_globs == ["**/*.py"]
    assert any("no pyproject.toml" in note for note in project.notes)


def test_ambiguous_packages_fall_back_to_the_root(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\nname = "x"\n', "a/__init__.py": "", "b/__init__.py": ""}
    project = detect_project(make_repo(tmp_path, files))
    assert project.package_dir is None
    assert any("no single package" in note for note in project.notes)


def test_node_project_is_recognised(tmp_path: Path) -> None:
    project = detect_project(make_repo(tmp_path, {"package.json": "{}", "index.ts": ""}))
    assert project.is_node


def test_dot_claude_memory_file_is_used_when_it_is_the_one_there(tmp_path: Path) -> None:
    project = detect_project(make_repo(tmp_path, {**FLAT, ".claude/CLAUDE.md": "# mem\n"}))
    assert project.memory_file == ".claude/CLAUDE.md"


def test_invalid_pyproject_is_reported_with_position(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pyproject.toml": "[project\nname = 1\n"})
    with pytest.raises(FileFormatError, match=r"pyproject\.toml:1:\d+: invalid TOML"):
        detect_project(root)


def test_paths_outside_the_repository_are_refused(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", FLAT)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "link").symlink_to(outside)
    for bad in ("../x.py", "/etc/x.py", "link/x.py", ".git/x.py"):
        with pytest.raises(RepoError):
            check_inside(root, bad)
    assert check_inside(root, "chat_app/claude_stream.py") == root / "chat_app/claude_stream.py"


def test_module_import_path_follows_packages(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**SRC, "lib/tool/__init__.py": ""})
    assert module_import_path(root, "src/my_service/claude_stream.py") == (
        "my_service.claude_stream"
    )
    assert module_import_path(root, "claude_stream.py") == "claude_stream"
    assert module_import_path(root, "lib/tool/claude_stream.py") == "tool.claude_stream"


def test_node_repository_with_python_scripts_is_treated_as_python(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"package.json": "{}", "tools.py": "import anthropic\n"})
    project = detect_project(root)
    assert not project.is_node
    assert project.default_module_path == "claude_stream.py"


def test_node_only_project_carries_node_answers(tmp_path: Path) -> None:
    files = {"package.json": '{"type": "module"}', "tsconfig.json": "{}", "src/index.ts": ""}
    project = detect_project(make_repo(tmp_path, files))
    assert project.is_node
    assert project.node is not None
    assert project.notes == ()  # nothing about claude_stream.py in a Node-only repository
    answers = project.node_answers()
    assert answers is not None
    assert answers["python_runtime"] is False
    assert answers["node_module_path"] == "src/claudeStream.ts"
    assert answers["node_import"] == "./claudeStream.js"
    assert "**/*.py" not in answers["source_globs"]
    assert "**/*.tsx" in answers["source_globs"]


def test_mixed_project_keeps_python_and_adds_node(tmp_path: Path) -> None:
    files = {**SRC, "package.json": "{}", "web/app.js": ""}
    project = detect_project(make_repo(tmp_path, files))
    assert not project.is_node
    answers = project.node_answers()
    assert answers is not None
    assert answers["python_runtime"] is True
    assert answers["node_runtime"] == "cjs"
    assert answers["source_globs"][0] == "src/**/*.py"
    assert "**/*.js" in answers["source_globs"]


def test_python_project_has_no_node_answers(tmp_path: Path) -> None:
    project = detect_project(make_repo(tmp_path, FLAT))
    assert project.node is None
    assert project.node_answers() is None


def test_unusable_package_json_is_a_one_line_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**FLAT, "package.json": "{nope"})
    with pytest.raises(FileFormatError, match=r"package\.json:1:2: invalid JSON"):
        detect_project(root)
