from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit

from scaffolder.edits.pyproject import edit_pyproject, requirement_name
from scaffolder.errors import FileFormatError

P = Path("pyproject.toml")

COMMENTED = """\
# my project
[project]
name = "app"   # keep this comment
dependencies = [
    "requests>=2",  # http
]

[tool.ruff]
line-length = 100  # wide
"""


def test_adds_table_and_dependency_keeping_comments_and_layout() -> None:
    edit = edit_pyproject(COMMENTED, path=P)
    assert edit.added_settings == ("min-timeout",)
    assert edit.dependency == "added"
    for line in COMMENTED.splitlines():
        if line != "]":
            assert line in edit.text
    doc = tomlkit.parse(edit.text)
    assert doc["tool"]["scaffold"]["min-timeout"] == 300
    assert list(doc["project"]["dependencies"]) == ["requests>=2", "anthropic>=0.40"]
    assert doc["tool"]["ruff"]["line-length"] == 100


def test_second_edit_changes_nothing() -> None:
    once = edit_pyproject(COMMENTED, path=P).text
    again = edit_pyproject(once, path=P)
    assert again.text == once
    assert again.dependency == "present"
    assert again.added_settings == ()


@pytest.mark.parametrize(
    "dependency", ["anthropic", "Anthropic[vertex]>=0.60", "anthropic @ https://x/y.whl"]
)
def test_existing_anthropic_requirement_is_recognised(dependency: str) -> None:
    text = f'[project]\nname = "a"\ndependencies = ["{dependency}"]\n'
    assert edit_pyproject(text, path=P).dependency == "present"


def test_user_settings_are_never_changed() -> None:
    text = '[project]\nname = "a"\ndependencies = []\n\n[tool.scaffold]\nmin-timeout = 900\n'
    edit = edit_pyproject(text, path=P)
    assert edit.added_settings == ()
    assert "min-timeout = 900" in edit.text


def test_dynamic_dependencies_are_not_touched() -> None:
    text = '[project]\nname = "a"\ndynamic = ["dependencies"]\n'
    edit = edit_pyproject(text, path=P)
    assert edit.dependency == "dynamic"
    assert "anthropic" not in edit.text


def test_poetry_project_is_reported_not_edited() -> None:
    text = '[tool.poetry]\nname = "a"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n'
    edit = edit_pyproject(text, path=P)
    assert edit.dependency == "not-pep621"
    assert "anthropic" not in edit.text


def test_crlf_file_stays_crlf() -> None:
    text = COMMENTED.replace("\n", "\r\n")
    new = edit_pyproject(text, path=P).text
    assert "\n" not in new.replace("\r\n", "")


def test_invalid_toml_names_file_line_and_column() -> None:
    with pytest.raises(FileFormatError) as info:
        edit_pyproject('[project]\nname = "a"\ndependencies = [\n  "x",\n  oops\n]\n', path=P)
    assert info.value.line == 5
    assert info.value.col is not None
    assert info.value.message.startswith("pyproject.toml:5:")


def test_requirement_name_normalises() -> None:
    assert requirement_name("Anthropic_SDK.x[extra]>=1") == "anthropic-sdk-x"
