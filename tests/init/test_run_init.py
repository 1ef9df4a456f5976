"""`run_init` as a library: the interactive hooks (`ask`, `confirm`) the CLI plugs prompts into."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder.errors import FileFormatError, UsageError
from scaffolder.init import InitResult, run_init
from tests.init.repos import FLAT, make_repo, snapshot


def test_ask_settles_module_path_and_timeout(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    questions: list[tuple[str, str]] = []

    def ask(question: str, default: str) -> str:
        questions.append((question, default))
        return {"chat_app/claude_stream.py": "chat_app/llm/stream.py", "600": "900"}[default]

    (root / "chat_app" / "llm").mkdir()
    (root / "chat_app" / "llm" / "__init__.py").write_text("")
    result = run_init(root, ask=ask)
    assert [default for _, default in questions] == ["chat_app/claude_stream.py", "600"]
    assert result.written
    assert result.answers["module_import"] == "chat_app.llm.stream"
    assert (root / "chat_app/llm/stream.py").is_file()
    # Recorded answers are not asked again.
    questions.clear()
    again = run_init(root, ask=ask)
    assert questions == []
    assert again.nothing_to_do


@pytest.mark.parametrize("how", ["option", "prompt"])
def test_a_module_path_with_dot_dot_inside_the_repo_is_normalised(tmp_path: Path, how: str) -> None:
    root = make_repo(tmp_path, FLAT)
    (root / "chat_app" / "llm").mkdir()
    (root / "chat_app" / "llm" / "__init__.py").write_text("")
    given = "chat_app/tools/../llm/./claude_stream.py"
    if how == "option":
        result = run_init(root, module_path=given, assume_yes=True)
    else:
        result = run_init(root, ask=lambda _, dflt: given if dflt.endswith(".py") else dflt)
    assert result.written
    assert result.answers["module_path"] == "chat_app/llm/claude_stream.py"
    assert result.answers["module_import"] == "chat_app.llm.claude_stream"
    assert (root / "chat_app/llm/claude_stream.py").is_file()
    assert not (root / "chat_app/tools").exists()


def test_a_bad_typed_timeout_is_a_usage_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    with pytest.raises(UsageError, match="at least 300"):
        run_init(root, ask=lambda question, default: "120" if default == "600" else default)


def test_declining_the_confirmation_writes_nothing(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    before = snapshot(root)
    seen: list[InitResult] = []

    def decline(result: InitResult) -> bool:
        seen.append(result)
        return False

    result = run_init(root, confirm=decline)
    assert not result.written
    assert {action.path for action in seen[0].actions} >= {"chat_app/claude_stream.py"}
    assert snapshot(root) == before


def test_assume_yes_ignores_the_hooks(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)

    def boom(*args: object) -> bool:
        raise AssertionError("must not be called")

    assert run_init(root, assume_yes=True, ask=boom, confirm=boom).written  # type: ignore[arg-type]


def test_an_invalid_answer_is_asked_again_with_the_reason(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    answers = iter(["../outside.py", "chat_app/claude_stream.py", "abc", "700"])
    questions: list[str] = []

    def ask(question: str, default: str) -> str:
        questions.append(question)
        return next(answers)

    result = run_init(root, ask=ask)
    assert result.answers["timeout"] == 700
    assert len(questions) == 4
    assert "outside the repository" in questions[1]
    assert "whole number of seconds" in questions[3]


def test_a_malformed_digest_record_is_an_error_naming_the_answers_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FLAT)
    run_init(root, assume_yes=True)
    answers = root / ".scaffold-answers.yml"
    text = answers.read_text()
    answers.write_text(text[: text.index("managed_files:")] + "managed_files: [oops]\n")
    before = snapshot(root)
    with pytest.raises(FileFormatError, match=r"\.scaffold-answers\.yml: `managed_files` must"):
        run_init(root, assume_yes=True)
    assert snapshot(root) == before
