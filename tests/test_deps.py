"""`scaffolder._deps`: which declared anthropic ranges the vendored runtime can run on."""

from __future__ import annotations

import pytest

from scaffolder._deps import Declaration, problems


@pytest.mark.parametrize(
    ("spec", "verdict"),
    [
        (">=0.40", None),
        (">=0.40,<3", None),
        ("~=0.40", None),
        ("^0.45", None),  # Poetry: >=0.45,<0.46
        ("==2.*", None),
        (">=1,!=1.5", None),
        (">=0.20", "warn"),
        ("", "warn"),  # a bare name: anything, old releases included
        ("<=0.40", "warn"),
        ("==0.25.8", "fail"),
        ("0.25.8", "fail"),  # Poetry: a bare version is exact
        ("^0.30", "fail"),  # Poetry: >=0.30,<0.31
        ("~0.39.2", "fail"),  # Poetry: >=0.39.2,<0.40
        ("<0.40", "fail"),
        (">=3", "fail"),
        (">=0.50,<0.45", "fail"),  # allows nothing at all
        ("@ git+https://example.invalid/anthropic", None),  # unreadable: no guess
    ],
)
def test_declared_ranges(spec: str, verdict: str | None) -> None:
    found = problems([Declaration("pyproject.toml", spec, locked=False)])
    assert [p.status for p in found] == ([verdict] if verdict else [])
