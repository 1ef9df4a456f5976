"""`scaffold lint --fix`: one before/after fixture pair per fix and per refusal.

Each `fixtures/fix/<case>.py` starts with `# fix-test: {json}` (options: `unsafe`, `runtime`
(default true: the repository has the vendored module `pkg.claude_stream`), `config` (a
`[tool.scaffold]` table), `hint` (text expected in a remaining finding's help), `title` (text
expected in an applied fix's title)); `<case>.fixed.py` holds the exact bytes expected after
fixing (the same bytes when the fixer refuses). Every result must parse, and fixing it again
must change nothing.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from scaffolder.lint import lint_source
from scaffolder.lint.config import settings_from_table
from scaffolder.lint.fix import fix_source
from scaffolder.lint.fix._runtime import NO_RUNTIME, Runtime
from tests.lint.test_fixtures import fixture_settings

FIXTURES = Path(__file__).parent / "fixtures" / "fix"
CASES = sorted(p for p in FIXTURES.glob("*.py") if not p.name.endswith(".fixed.py"))
_OPTIONS = re.compile(rb"#\s*fix-test:\s*(\{.*\})")
RUNTIME = Runtime("pkg.claude_stream", None)


def options_of(source: bytes) -> dict[str, Any]:
    match = _OPTIONS.search(source)
    assert match, "a fix fixture starts with `# fix-test: {...}`"
    options: dict[str, Any] = json.loads(match.group(1))
    return options


def fixed(case: Path, source: bytes) -> Any:
    options = options_of(source)
    settings = settings_from_table(options.get("config", {}), root=FIXTURES, source=None)
    runtime = RUNTIME if options.get("runtime", True) else NO_RUNTIME
    return fix_source(source, case, settings, unsafe=options.get("unsafe", False), runtime=runtime)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_fix_matches_the_expected_file(case: Path) -> None:
    source = case.read_bytes()
    options = options_of(source)
    result = fixed(case, source)
    expected = case.with_name(f"{case.stem}.fixed.py").read_bytes()
    assert result.new == expected
    ast.parse(result.new)
    if "hint" in options:
        hints = [d.fix_hint or "" for d in result.remaining]
        assert any(options["hint"] in hint for hint in hints), hints
    if "title" in options:
        titles = [fix.title for _, fix in result.applied]
        assert any(options["title"] in title for title in titles), titles
    if expected != source and "hint" not in options:
        assert result.remaining == [], "a fixed case leaves no finding behind"
        settings = settings_from_table(options.get("config", {}), root=FIXTURES, source=None)
        assert lint_source(result.new, case, settings) == []
    again = fixed(case, result.new)
    assert again.new == result.new, "a second --fix changes nothing"


def test_every_fixer_fixes_and_refuses_somewhere() -> None:
    """A fixer fixes some fixture; one whose rule page says "Fix is sometimes available" also
    refuses some fixture, one that says "always" refuses none."""
    from scaffolder.lint.fix import FIXABLE_CODES
    from scaffolder.lint.fix._engine import FIXERS
    from scaffolder.lint.rules import RULES

    fixed_codes, refused_codes = set(), set()
    for case in CASES:
        code = case.stem[:6].upper()
        if case.read_bytes() == case.with_name(f"{case.stem}.fixed.py").read_bytes():
            refused_codes.add(code)
        else:
            fixed_codes.add(code)
    assert fixed_codes == set(FIXERS) == FIXABLE_CODES
    assert refused_codes == {c for c in FIXERS if RULES[c].fix_availability == "sometimes"}
    assert {c for c in FIXERS if RULES[c].fix_availability == "always"} == {"SCF100"}


if __name__ == "__main__":  # regenerate the expected files (then review every diff!)
    for case in CASES:
        case.with_name(f"{case.stem}.fixed.py").write_bytes(fixed(case, case.read_bytes()).new)


LINT_FIXTURES = sorted((FIXTURES.parent).glob("*.py"))


@pytest.mark.parametrize("fixture", LINT_FIXTURES, ids=lambda p: p.name)
def test_every_lint_fixture_fixes_to_code_that_parses_and_stays_fixed(fixture: Path) -> None:
    """The lint rules' own fixtures (every shape they find, all encodings) with their settings
    as fix input, unsafe fixes included: the result parses, what is left is exactly what a
    lint run finds there, and fixing again changes nothing."""
    source = fixture.read_bytes()
    settings = fixture_settings(source, fixture.parent)  # its `scaffold-test-config`
    result = fix_source(source, fixture, settings, unsafe=True, runtime=RUNTIME)
    if result.changed:
        compile(result.new, str(fixture), "exec", ast.PyCF_ONLY_AST)
    found = lint_source(result.new, fixture, settings)
    assert [d._replace(fix_hint=None) for d in result.remaining] == [
        d._replace(fix_hint=None) for d in found
    ]
    again = fix_source(result.new, fixture, settings, unsafe=True, runtime=RUNTIME)
    assert again.new == result.new
