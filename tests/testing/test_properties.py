"""Any text, any body fault, any position: the SDK sees an exact prefix of the answer."""

from __future__ import annotations

import json

import anthropic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffolder.testing import FakeAnthropic, Fault

from .conftest import params, transport

TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
BODY_FAULTS = st.sampled_from(
    ["close", "reset", "eof", "truncated_line", "invalid_json", "overloaded", "none"]
)
RAISES = {
    "close": transport.RemoteProtocolError,
    "reset": transport.ReadError,
    "invalid_json": json.JSONDecodeError,
    "overloaded": anthropic.APIStatusError,
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=TEXTS,
    name=BODY_FAULTS,
    at=st.integers(min_value=-30, max_value=60),
    chunk=st.integers(1, 5),
)
def test_the_sdk_always_sees_a_prefix(
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    text: str,
    name: str,
    at: int,
    chunk: int,
) -> None:
    fake_anthropic.reset()
    fake_anthropic.text = text
    fake_anthropic.chunk_tokens = chunk
    fake_anthropic.script(None if name == "none" else Fault.from_name(name, at=at))
    received: list[str] = []
    error: Exception | None = None
    try:
        with client.messages.stream(**params()) as stream:
            received.extend(stream.text_stream)
    except Exception as caught:
        error = caught
    got = "".join(received)
    assert text.startswith(got)
    if name == "none":
        assert error is None
        assert got == text
    elif name in RAISES:
        assert isinstance(error, RAISES[name])
    else:
        assert error is None, error
    assert fake_anthropic.errors == []
