"""Budget, backoff, retry-after, max_tokens, the idle watchdog and the SDK's own retries."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from types import ModuleType

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic, Fault, count_tokens, long_text

from .conftest import PREFILL_MODEL, needs_thinking, request_params


@pytest.fixture
def real_backoff(cs: ModuleType) -> Iterator[None]:
    """Compute real backoff delays (the tests keep them tiny)."""
    cs.set_testing(False)
    try:
        yield
    finally:
        cs.set_testing(True)


def test_gives_up_after_max_attempts_with_partial_text(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(*[Fault.close(at=8)] * 5)
    received: list[str] = []
    policy = cs.RecoveryPolicy(max_attempts=3)
    with (
        pytest.raises(cs.StreamRecoveryError) as info,
        cs.recovering_stream(client, policy=policy, **request_params()) as stream,
    ):
        received.extend(stream.text_stream)
    error = info.value
    assert len(fake_anthropic.requests) == 3
    assert len(error.attempts) == 3
    assert all(attempt.error is not None for attempt in error.attempts)
    assert error.partial_text == "".join(received)
    assert fake_anthropic.text.startswith(error.partial_text)
    assert len(error.partial_text) == sum(attempt.chars for attempt in error.attempts) > 0
    assert type(error.__cause__).__name__ == "RemoteProtocolError"
    assert error.__cause__ is error.attempts[-1].error
    assert "3 attempts" in str(error)


def test_gives_up_when_the_next_delay_exceeds_max_elapsed(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, real_backoff: None
) -> None:
    # A retry-after longer than the elapsed budget: giving up now beats sleeping in vain.
    fake_anthropic.script(Fault.status(529, retry_after=120))
    policy = cs.RecoveryPolicy(max_elapsed=60)
    with pytest.raises(cs.StreamRecoveryError, match="elapsed") as info:
        cs.recovering_stream(client, policy=policy, **request_params()).__enter__()
    assert len(fake_anthropic.requests) == 1
    assert isinstance(info.value.__cause__, anthropic.APIStatusError)


def test_retry_after_is_honoured(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, real_backoff: None
) -> None:
    fake_anthropic.script(Fault.status(429, retry_after=0.2))
    with cs.recovering_stream(client, **request_params()) as stream:
        assert "".join(stream.text_stream) == fake_anthropic.text
    assert [attempt.delay for attempt in stream.attempts] == [0.0, 0.2]


def test_backoff_is_jittered_exponential_and_resets_after_progress(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, real_backoff: None
) -> None:
    base = 0.01
    fake_anthropic.script(
        Fault.status(503), Fault.status(503), Fault.status(503), Fault.close(at=10)
    )
    policy = cs.RecoveryPolicy(backoff_base=base, backoff_max=0.03)
    with cs.recovering_stream(client, policy=policy, **request_params()) as stream:
        assert "".join(stream.text_stream) == fake_anthropic.text
    delays = [attempt.delay for attempt in stream.attempts]
    assert delays[0] == 0.0
    # no progress: base, 2*base, 4*base capped at backoff_max; each jittered down by <= 50 %
    for delay, full in zip(delays[1:4], (base, 2 * base, 0.03), strict=True):
        assert full / 2 <= delay <= full
    # the attempt before the last made progress: the backoff starts over from the base
    assert base / 2 <= delays[4] <= base


def test_sdk_retries_are_switched_off(cs: ModuleType, fake_anthropic: FakeAnthropic) -> None:
    # The client would retry a 529 twice by itself; inside the runtime our budget is the bound.
    with anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="t", max_retries=5) as sdk:
        fake_anthropic.script(*[Fault.status(529)] * 5)
        stream = cs.recovering_stream(
            sdk, policy=cs.RecoveryPolicy(max_attempts=2), **request_params()
        )
        with pytest.raises(cs.StreamRecoveryError):
            stream.__enter__()
    assert len(fake_anthropic.requests) == 2


def test_max_tokens_is_lowered_by_what_was_received(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(Fault.close(at=30))
    with cs.recovering_stream(client, **request_params(max_tokens=5000)) as stream:
        assert "".join(stream.text_stream) == fake_anthropic.text
    received = fake_anthropic.text[: stream.attempts[0].chars]
    sent = [request.json["max_tokens"] for request in fake_anthropic.requests]
    assert sent == [5000, 5000 - count_tokens(received)]


def test_max_tokens_still_ends_the_answer(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = long_text(3000, seed=5)
    with cs.recovering_stream(client, **request_params(max_tokens=100)) as stream:
        text = "".join(stream.text_stream)
    message = stream.get_final_message()
    assert message.stop_reason == "max_tokens"
    assert count_tokens(text) == 100
    assert fake_anthropic.text.startswith(text)


def test_idle_watchdog_uses_the_read_timeout(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    # A stall far longer than the idle timeout but far shorter than the client's 600 s.
    fake_anthropic.script(Fault.stall(30, at=10))
    policy = cs.RecoveryPolicy(idle_timeout=1.0)
    with cs.recovering_stream(client, policy=policy, **request_params()) as stream:
        assert "".join(stream.text_stream) == fake_anthropic.text
    assert type(stream.attempts[0].error).__name__ == "ReadTimeout"
    headers = fake_anthropic.requests[0].headers
    if "x-stainless-read-timeout" in headers:  # SDKs since 0.4x announce the read timeout
        assert headers["x-stainless-read-timeout"] == "1.0"


def test_a_shorter_client_read_timeout_is_kept(
    cs: ModuleType, fake_anthropic: FakeAnthropic
) -> None:
    # The client's 1 s read timeout is shorter than the 90 s idle watchdog: it stays in force.
    timeout = anthropic.Timeout(600, read=1.0, connect=5)
    fake_anthropic.script(Fault.stall(30, at=10))
    with (
        anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="t", timeout=timeout) as sdk,
        cs.recovering_stream(sdk, **request_params()) as stream,
    ):
        assert "".join(stream.text_stream) == fake_anthropic.text
    assert type(stream.attempts[0].error).__name__ == "ReadTimeout"


def test_retries_are_logged_not_printed(
    cs: ModuleType,
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_anthropic.script(Fault.close(at=10), Fault.error_event("overloaded_error", at=10))
    with caplog.at_level(logging.WARNING, logger="claude_stream"):
        cs.stream_with_recovery(client, **request_params())
    records = [r for r in caplog.records if r.name == "claude_stream"]
    assert len(records) == 2
    assert "RemoteProtocolError" in records[0].getMessage()
    assert "overloaded_error" in records[1].getMessage()
    assert capsys.readouterr() == ("", "")


def test_policy_validates(cs: ModuleType) -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        cs.RecoveryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="continuation"):
        cs.RecoveryPolicy(continuation="sometimes")
    with pytest.raises(ValueError, match="idle_timeout"):
        cs.RecoveryPolicy(idle_timeout=0)
    with pytest.raises(ValueError, match="max_elapsed"):
        cs.RecoveryPolicy(max_elapsed=0)
    with pytest.raises(ValueError, match="backoff"):
        cs.RecoveryPolicy(backoff_base=-1)
    with pytest.raises(ValueError, match="backoff"):
        cs.RecoveryPolicy(backoff_max=-0.5)
    assert cs.RecoveryPolicy().idle_timeout < cs.TIMEOUT


def test_make_client_uses_the_rendered_timeout(cs: ModuleType) -> None:
    assert cs.TIMEOUT == 600
    assert cs.make_client(api_key="t").timeout == 600
    assert cs.make_async_client(api_key="t").timeout == 600
    assert cs.make_client(api_key="t", timeout=900).timeout == 900


def test_timeout_is_rendered_from_the_answers() -> None:
    from scaffolder.render import render_files

    source = render_files({"timeout": 900})["claude_stream.py"]
    assert "TIMEOUT: float = float(900)\n" in source
    assert "{{" not in source


def test_stream_with_recovery_keeps_the_article_call_shape(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(Fault.close(at=10), Fault.reset(at=10))
    pieces: list[str] = []
    text = cs.stream_with_recovery(
        client,
        [{"role": "user", "content": "hi"}],
        3,
        on_text=pieces.append,
        model=PREFILL_MODEL,
        max_tokens=10_000,
    )
    assert text == "".join(pieces) == fake_anthropic.text
    fake_anthropic.reset()
    fake_anthropic.script(*[Fault.close(at=10)] * 3)
    params = request_params()
    with pytest.raises(anthropic.APIConnectionError) as info:  # what the article catches
        cs.stream_with_recovery(client, params.pop("messages"), 2, **params)
    assert len(fake_anthropic.requests) == 2  # max_retries counts every request
    assert isinstance(info.value, cs.StreamRecoveryError)
    assert fake_anthropic.text.startswith(info.value.partial_text)
    assert info.value.request is not None


def test_silent_truncation_is_reported_when_it_never_ends(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(*[Fault.eof(at=10)] * 2)
    policy = cs.RecoveryPolicy(max_attempts=2)
    with pytest.raises(cs.StreamRecoveryError) as info:
        cs.stream_with_recovery(client, policy=policy, **request_params())
    assert isinstance(info.value.__cause__, cs.IncompleteStreamError)
    assert fake_anthropic.text.startswith(info.value.partial_text)


@needs_thinking
def test_max_tokens_stays_above_the_thinking_budget(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    # The API rejects max_tokens <= thinking.budget_tokens (HTTP 400). The continuation thinks
    # again, so its max_tokens is never lowered to or below the budget.
    fake_anthropic.text = long_text(2000, seed=3)
    fake_anthropic.script(Fault.close(at=None))
    thinking = {"type": "enabled", "budget_tokens": 1024}
    params = request_params(max_tokens=1100, thinking=thinking)
    with cs.recovering_stream(client, **params) as stream:
        assert "".join(stream.text_stream) == fake_anthropic.text
    sent = [request.json["max_tokens"] for request in fake_anthropic.requests]
    assert sent == [1100, 1025]


def test_bad_call_shapes_are_refused_before_any_request(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    with pytest.raises(TypeError, match="stream=False"):
        cs.recovering_stream(client, **request_params(stream=False))
    params = request_params()
    del params["max_tokens"]
    with pytest.raises(TypeError, match="max_tokens="):
        cs.recovering_stream(client, **params)
    assert fake_anthropic.requests == []
