"""The rule pages in docs/rules/ are generated from the rule modules' docstrings."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder.lint.codes import ALL_CODES
from scaffolder.lint.rules import RULES, rules_index

DOCS = Path(__file__).parents[2] / "docs" / "rules"


def test_registry_matches_the_code_list() -> None:
    assert tuple(RULES) == ALL_CODES


@pytest.mark.parametrize("code", ALL_CODES)
def test_rule_page_is_in_sync_with_the_docstring(code: str) -> None:
    page = DOCS / f"{code}.md"
    assert page.read_text(encoding="utf-8") == RULES[code].markdown(), (
        f"{page} is stale: run `python -m scaffolder.lint.rules docs/rules`"
    )


def test_rules_index_is_in_sync() -> None:
    assert (DOCS / "README.md").read_text(encoding="utf-8") == rules_index()


def test_the_rules_table_of_the_lint_docs_is_in_sync() -> None:
    from scaffolder.lint.rules.__main__ import with_rules_table

    lint_md = (DOCS.parent / "lint.md").read_text(encoding="utf-8")
    assert lint_md == with_rules_table(lint_md), (
        "docs/lint.md's table of rules is stale: run `python -m scaffolder.lint.rules docs/rules`"
    )


@pytest.mark.parametrize("code", ALL_CODES)
def test_rule_doc_has_the_four_sections(code: str) -> None:
    doc = RULES[code].doc
    positions = [
        doc.index(heading)
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("code", ALL_CODES)
def test_rule_doc_says_whether_and_how_it_is_fixed(code: str) -> None:
    """Like ruff's pages: "Fix is always/sometimes available." under the summary for a rule
    with a fixer, and a *Fix safety* section that says safe/unsafe (or "Not fixable")."""
    from scaffolder.lint.fix import FIXABLE_CODES

    rule = RULES[code]
    doc = rule.doc
    assert doc.index("## Fix safety") > doc.index("## Use instead")
    section = doc.split("## Fix safety", 1)[1]
    availability = f"Fix is {rule.fix_availability} available."
    if code in FIXABLE_CODES:
        assert rule.fix_availability in ("always", "sometimes")
        assert availability in rule.markdown().split("## What it does")[0]
        assert "**safe**" in section.lower() or "**unsafe**" in section.lower()
        assert "Not fixable" not in section
    else:
        assert rule.fix_availability is None
        assert "Fix is" not in rule.markdown()
        assert "Not fixable" in section
