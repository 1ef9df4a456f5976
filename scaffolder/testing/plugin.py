"""pytest plugin (entry point ``pytest11``): the ``fake_anthropic`` fixture.

Loaded in every pytest session of every project that installs scaffolder, so it imports
nothing heavy: no ``anthropic``, no server until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from scaffolder.testing import FakeAnthropic


@pytest.fixture(scope="session")
def _scaffolder_fake_anthropic_server() -> Iterator[FakeAnthropic]:
    from scaffolder.testing import FakeAnthropic

    with FakeAnthropic() as api:
        yield api


@pytest.fixture
def fake_anthropic(_scaffolder_fake_anthropic_server: FakeAnthropic) -> Iterator[FakeAnthropic]:
    """A running fake Anthropic Messages API, fresh for this test.

    ``fake_anthropic.base_url`` goes to ``anthropic.Anthropic(base_url=..., api_key="test")``;
    ``fake_anthropic.script(Fault.close(at=5), None, ...)`` breaks the next requests;
    ``fake_anthropic.text`` is the answer; ``fake_anthropic.requests`` what was received.
    One server serves the whole session; the script, log and settings are reset before each
    test, and after it every connection is closed (which also ends stalled responses), so
    tests cannot see each other.
    """
    api = _scaffolder_fake_anthropic_server
    api.reset()
    try:
        yield api
    finally:
        api.close_connections()
        api.reset()
