"""The registry of managed file kinds covers every answer the template asks, once."""

from __future__ import annotations

from collections import Counter

from scaffolder.artifacts import KINDS, answers_file
from scaffolder.templates import TemplateStore, read_copier_yml


def test_every_template_question_belongs_to_exactly_one_kind() -> None:
    questions = {
        key for key in read_copier_yml(TemplateStore.installed().current) if not key.startswith("_")
    }
    owners = Counter([*answers_file.ANSWERS, *(key for kind in KINDS for key in kind.answers)])
    assert set(owners) == questions
    assert [key for key, count in owners.items() if count > 1] == []


def test_kinds_have_distinct_names() -> None:
    assert len({kind.name for kind in KINDS}) == len(KINDS)
