"""Property: for random answers and random fault schedules, `text_stream` is the answer.

Every character exactly once and in order, the number of requests within the budget, and a
non-retryable fault ends the stream with its own exception after exactly one request for it.
"""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import anthropic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffolder.testing import FakeAnthropic, Fault

from .conftest import NO_PREFILL_MODEL, PREFILL_MODEL

AT = st.one_of(st.none(), st.integers(0, 30), st.integers(-5, -1))
RETRYABLE = st.one_of(
    st.builds(Fault.close, at=AT),
    st.builds(Fault.reset, at=AT),
    st.builds(Fault.eof, at=AT),
    st.builds(Fault.truncated_line, at=AT),
    st.builds(Fault.invalid_json, at=AT),
    st.builds(Fault.stall, st.just(2.5), at=AT),
    st.builds(Fault.error_event, st.sampled_from(["overloaded_error", "api_error"]), at=AT),
    st.builds(Fault.status, st.sampled_from([429, 500, 503, 529])),
    st.just(Fault.before_message_start()),
)
NON_RETRYABLE = st.one_of(
    st.builds(Fault.status, st.sampled_from([400, 401, 403, 404, 413, 422])),
    st.builds(
        Fault.error_event,
        st.sampled_from(["invalid_request_error", "authentication_error", "permission_error"]),
        at=AT,
    ),
)

# Any text for prefill continuations: the server continues exactly after the prefill.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), st.sampled_from(" \n\t")
    ),
    min_size=1,
    max_size=300,
)


@st.composite
def word_text(draw: st.DrawFn) -> str:
    """Text for user-turn continuations: words made unique by an index, varied separators.

    A user-turn continuation repeats the tail of the partial answer, and in text that repeats
    itself right at the cut no rule can tell a repetition from a legitimate repeat (see
    docs/runtime.md). Unique words keep each seam unambiguous; everything else is random.
    """
    words = draw(
        st.lists(
            st.text("abcdefghijklmnopqrstuvwxyzéßπ", min_size=1, max_size=7),
            min_size=1,
            max_size=50,
        )
    )
    separators = draw(
        st.lists(
            st.sampled_from([" ", " ", " ", "\n", "\n\n", ", ", ". ", " - "]),
            min_size=len(words),
            max_size=len(words),
        )
    )
    return "".join(
        f"{word}{i}{sep}" for i, (word, sep) in enumerate(zip(words, separators, strict=True))
    )


@st.composite
def scenario(draw: st.DrawFn) -> tuple[str, str, list[Fault], int | None]:
    """(model, text, fault schedule, index of the non-retryable fault or None)."""
    model = draw(st.sampled_from([PREFILL_MODEL, NO_PREFILL_MODEL]))
    text = draw(ANY_TEXT if model == PREFILL_MODEL else word_text())
    faults = draw(st.lists(RETRYABLE, max_size=4))
    fatal: int | None = None
    if draw(st.booleans()) and draw(st.booleans()):  # a quarter of the runs
        fatal = draw(st.integers(0, len(faults)))
        faults.insert(fatal, draw(NON_RETRYABLE))
    return model, text, faults, fatal


def _check(
    api: FakeAnthropic,
    text: str,
    faults: list[Fault],
    fatal: int | None,
    received: str,
    raised: BaseException | None,
    attempts: int,
) -> None:
    assert len(api.requests) <= len(faults) + 1
    if raised is None:
        assert received == text
        assert attempts == len(api.requests)
        # a body that breaks after message_delta holds the whole answer: only such a fault
        # (at the message_stop event) may end a run early, without another request
        last = api.requests[-1].fault
        if len(api.requests) < len(faults) + 1:
            assert last is not None
    else:
        assert fatal is not None
        assert isinstance(raised, anthropic.APIStatusError)
        assert len(api.requests) == fatal + 1
        assert api.requests[-1].fault is faults[fatal]
        assert text.startswith(received)


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@SETTINGS
@given(case=scenario())
def test_text_stream_is_the_answer_sync(
    cs: ModuleType, fake_anthropic: FakeAnthropic, case: tuple[str, str, list[Fault], int | None]
) -> None:
    model, text, faults, fatal = case
    fake_anthropic.reset()
    fake_anthropic.text = text
    fake_anthropic.script(*faults)
    policy = cs.RecoveryPolicy(max_attempts=len(faults) + 1, idle_timeout=1.0)
    pieces: list[str] = []
    raised: BaseException | None = None
    attempts = 0
    with anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test") as client:
        stream: Any = cs.recovering_stream(
            client, policy=policy, model=model, max_tokens=100_000, messages=[_ASK]
        )
        try:
            with stream:
                pieces.extend(stream.text_stream)
        except anthropic.APIStatusError as exc:
            raised = exc
        attempts = len(stream.attempts)
    _check(fake_anthropic, text, faults, fatal, "".join(pieces), raised, attempts)


@pytest.mark.slow
@SETTINGS
@given(case=scenario())
def test_text_stream_is_the_answer_async(
    cs: ModuleType, fake_anthropic: FakeAnthropic, case: tuple[str, str, list[Fault], int | None]
) -> None:
    model, text, faults, fatal = case
    fake_anthropic.reset()
    fake_anthropic.text = text
    fake_anthropic.script(*faults)
    policy = cs.RecoveryPolicy(max_attempts=len(faults) + 1, idle_timeout=1.0)

    async def run() -> tuple[str, BaseException | None, int]:
        pieces: list[str] = []
        async with anthropic.AsyncAnthropic(base_url=fake_anthropic.base_url, api_key="t") as c:
            stream: Any = cs.async_recovering_stream(
                c, policy=policy, model=model, max_tokens=100_000, messages=[_ASK]
            )
            try:
                async with stream:
                    pieces.extend([piece async for piece in stream.text_stream])
            except anthropic.APIStatusError as exc:
                return "".join(pieces), exc, len(stream.attempts)
            return "".join(pieces), None, len(stream.attempts)

    received, raised, attempts = asyncio.run(run())
    _check(fake_anthropic, text, faults, fatal, received, raised, attempts)


_ASK = {"role": "user", "content": "Answer."}
