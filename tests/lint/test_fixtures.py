"""Every fixture file under fixtures/ marks each expected finding with `# error: CODE` on its
line; the linter must report exactly those (line, code) pairs, nothing more."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scaffolder.lint import lint_source
from scaffolder.lint.config import settings_from_table
from scaffolder.lint.prefilter import wide_encoding

FIXTURES = Path(__file__).parent / "fixtures"
_EXPECTED = re.compile(rb"#\s*error:\s*(SCF\d{3}(?:\s*,\s*SCF\d{3})*)")
_CONFIG = re.compile(rb"#\s*scaffold-test-config:\s*(\{.*\})")


def as_utf8(source: bytes) -> bytes:
    """A UTF-16/32 fixture's text, so its inline expectations can be read."""
    encoding = wide_encoding(source)
    return source if encoding is None else source.decode(encoding).encode("utf-8")


def expectations(source: bytes) -> set[tuple[int, str]]:
    source = as_utf8(source)
    expected = set()
    for number, line in enumerate(re.split(rb"\r\n|\r|\n", source), start=1):
        for match in _EXPECTED.finditer(line):
            for code in re.split(rb"\s*,\s*", match.group(1)):
                expected.add((number, code.decode()))
    return expected


def fixture_settings(source: bytes, root: Path):  # type: ignore[no-untyped-def]
    match = _CONFIG.search(as_utf8(source))
    table = json.loads(match.group(1)) if match else {}
    return settings_from_table(table, root=root, source=None)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.name)
def test_fixture_findings_match_inline_expectations(fixture: Path) -> None:
    source = fixture.read_bytes()
    settings = fixture_settings(source, FIXTURES)
    found = {(d.line, d.code) for d in lint_source(source, fixture, settings)}
    expected = expectations(source)
    missing = sorted(expected - found)
    unexpected = sorted(found - expected)
    assert (missing, unexpected) == ([], []), f"missing={missing} unexpected={unexpected}"


def test_every_rule_is_exercised_by_some_fixture() -> None:
    seen = set()
    for fixture in FIXTURES.glob("*.py"):
        seen |= {code for _, code in expectations(fixture.read_bytes())}
    from scaffolder.lint.codes import ALL_CODES

    assert seen == set(ALL_CODES)
