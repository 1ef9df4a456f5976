"""Each fault, through the real anthropic SDK (sync and async), does what sdk-faults.md measured.

These tests pin the fake to the real API's behaviour as the SDK sees it: if a fault stopped
producing the error the SDK raises against the real service, tests written with the fake would
prove nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anthropic
import pytest

from scaffolder.testing import ERROR_TYPES, FakeAnthropic, Fault

from .conftest import MODEL, needs_thinking, params, transport


@dataclass
class Outcome:
    text: str  # what text_stream yielded before the end or the error
    message: Any  # get_final_message(), or None after an error
    error: BaseException | None


def _stream_sync(base_url: str, retries: int, timeout: float, kw: dict[str, Any]) -> Outcome:
    chunks: list[str] = []
    with anthropic.Anthropic(
        base_url=base_url, api_key="test", max_retries=retries, timeout=timeout
    ) as client:
        try:
            with client.messages.stream(**kw) as stream:
                chunks.extend(stream.text_stream)
                message = stream.get_final_message()
        except Exception as error:
            return Outcome("".join(chunks), None, error)
    return Outcome("".join(chunks), message, None)


async def _stream_async(base_url: str, retries: int, timeout: float, kw: dict[str, Any]) -> Outcome:
    chunks: list[str] = []
    async with anthropic.AsyncAnthropic(
        base_url=base_url, api_key="test", max_retries=retries, timeout=timeout
    ) as client:
        try:
            async with client.messages.stream(**kw) as stream:
                async for text in stream.text_stream:
                    chunks.append(text)
                message = await stream.get_final_message()
        except Exception as error:
            return Outcome("".join(chunks), None, error)
    return Outcome("".join(chunks), message, None)


Run = Callable[..., Outcome]


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, fake_anthropic: FakeAnthropic) -> Run:
    """Stream one answer with the real SDK: ``run(*script, retries=0, timeout=10, **params)``."""

    def go(*script: Fault | None, retries: int = 0, timeout: float = 10.0, **kw: Any) -> Outcome:
        fake_anthropic.script(*script)
        merged = params(**kw)
        if request.param == "sync":
            return _stream_sync(fake_anthropic.base_url, retries, timeout, merged)
        return asyncio.run(_stream_async(fake_anthropic.base_url, retries, timeout, merged))

    return go


def test_healthy_stream_yields_the_whole_text(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run()
    assert out.error is None
    assert out.text == fake_anthropic.text
    assert out.message.stop_reason == "end_turn"
    assert out.message.content[0].text == fake_anthropic.text
    assert out.message.usage.output_tokens > 100
    assert out.message.model == MODEL


def test_close_mid_body_is_a_raw_remote_protocol_error(
    run: Run, fake_anthropic: FakeAnthropic
) -> None:
    out = run(Fault.close(at=6), retries=2)
    assert isinstance(out.error, transport.RemoteProtocolError)
    assert not isinstance(out.error, anthropic.APIError)
    assert out.text
    assert fake_anthropic.text.startswith(out.text)
    assert out.text != fake_anthropic.text
    assert len(fake_anthropic.message_requests) == 1  # the SDK does not retry mid-body


def test_reset_mid_body_is_a_raw_read_error(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(Fault.reset(at=6), retries=2)
    assert isinstance(out.error, transport.ReadError)
    assert len(fake_anthropic.message_requests) == 1


def test_stalled_body_is_a_raw_read_timeout(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(Fault.stall(30, at=6), retries=2, timeout=0.5)
    assert isinstance(out.error, transport.ReadTimeout)
    assert fake_anthropic.text.startswith(out.text)
    assert len(fake_anthropic.message_requests) == 1


def test_short_stall_mid_body_only_delays(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(Fault.stall(0.3, at=6))
    assert out.error is None
    assert out.text == fake_anthropic.text


def test_stall_before_headers_is_retried_by_the_sdk(
    run: Run, fake_anthropic: FakeAnthropic
) -> None:
    out = run(Fault.stall_headers(30), retries=0, timeout=0.5)
    assert isinstance(out.error, anthropic.APITimeoutError)
    fake_anthropic.reset()
    out = run(Fault.stall_headers(30), None, retries=1, timeout=1.0)
    assert out.error is None
    assert out.text == fake_anthropic.text
    assert len(fake_anthropic.message_requests) == 2


def test_clean_eof_is_silent_truncation(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(Fault.eof(at=-1), retries=2)  # only message_stop is missing: no sign of it
    assert out.error is None
    assert out.text == fake_anthropic.text
    assert out.message.stop_reason == "end_turn"
    out = run(Fault.eof())
    assert out.error is None
    assert out.message.stop_reason is None
    assert 0 < len(out.text) < len(fake_anthropic.text)


def test_truncated_line_is_dropped_like_an_eof(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(Fault.truncated_line())
    assert out.error is None
    assert out.message.stop_reason is None
    assert 0 < len(out.text) < len(fake_anthropic.text)


def test_close_before_message_start_fails_the_accumulator(run: Run) -> None:
    out = run(Fault.before_message_start())
    assert out.text == ""
    assert isinstance(out.error, AssertionError)


def test_invalid_json_is_a_raw_json_error(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(Fault.invalid_json(at=6), retries=2)
    assert isinstance(out.error, json.JSONDecodeError)
    assert len(fake_anthropic.message_requests) == 1


@pytest.mark.parametrize("error_type", ERROR_TYPES)
def test_in_stream_error_is_a_status_200_api_error(
    run: Run, fake_anthropic: FakeAnthropic, error_type: str
) -> None:
    out = run(Fault.error_event(error_type, at=6), retries=2)
    assert type(out.error) is anthropic.APIStatusError
    assert out.error.status_code == 200
    assert isinstance(out.error.body, dict)
    assert out.error.body["error"]["type"] == error_type
    assert out.text
    assert fake_anthropic.text.startswith(out.text)
    assert len(fake_anthropic.message_requests) == 1


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504, 529])
def test_retryable_status_is_retried_by_the_sdk(
    run: Run, fake_anthropic: FakeAnthropic, code: int
) -> None:
    out = run(Fault.status(code, retry_after=0.01), retries=1)
    assert out.error is None
    assert out.text == fake_anthropic.text
    assert [r.status for r in fake_anthropic.message_requests] == [code, 200]


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (400, anthropic.BadRequestError),
        (401, anthropic.AuthenticationError),
        (403, anthropic.PermissionDeniedError),
        (404, anthropic.NotFoundError),
        (413, anthropic.APIStatusError),
        (422, anthropic.UnprocessableEntityError),
    ],
)
def test_client_error_status_is_not_retried(
    run: Run, fake_anthropic: FakeAnthropic, code: int, error_class: type[Exception]
) -> None:
    out = run(Fault.status(code), retries=2)
    assert isinstance(out.error, error_class)
    assert isinstance(out.error, anthropic.APIStatusError)
    assert out.error.status_code == code
    assert len(fake_anthropic.message_requests) == 1


def test_x_should_retry_overrides_the_sdk_rules(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(Fault.status(529, should_retry=False), retries=2)
    assert isinstance(out.error, anthropic.APIStatusError)
    assert out.error.status_code == 529
    assert len(fake_anthropic.message_requests) == 1
    fake_anthropic.reset()
    out = run(Fault.status(400, should_retry=True, retry_after=0.01), retries=2)
    assert out.error is None
    assert len(fake_anthropic.message_requests) == 2


def test_retries_exhausted_give_the_last_status(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(*[Fault.status(529, retry_after=0.01)] * 3, retries=2)
    assert isinstance(out.error, anthropic.APIStatusError)
    assert out.error.status_code == 529
    assert out.error.body["error"]["type"] == "overloaded_error"
    assert len(fake_anthropic.message_requests) == 3


def test_prefill_continues_the_text(run: Run, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = "The quick brown fox jumps over the lazy dog."
    out = run(messages=[*params()["messages"], {"role": "assistant", "content": "The quick"}])
    assert out.error is None
    assert out.text == " brown fox jumps over the lazy dog."
    assert fake_anthropic.requests[-1].mode == "prefill"


def test_prefill_with_trailing_whitespace_is_rejected(
    run: Run, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = "The quick brown fox."
    out = run(messages=[*params()["messages"], {"role": "assistant", "content": "The quick "}])
    assert isinstance(out.error, anthropic.BadRequestError)
    assert "trailing whitespace" in str(out.error)


@pytest.mark.parametrize("model", ["claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-5"])
def test_prefill_is_rejected_by_new_models(run: Run, model: str) -> None:
    prefill = {"role": "assistant", "content": "Before"}
    out = run(model=model, messages=[*params()["messages"], prefill])
    assert isinstance(out.error, anthropic.BadRequestError)
    assert "does not support assistant message prefill" in str(out.error)


@needs_thinking
def test_prefill_is_rejected_with_thinking(run: Run) -> None:
    prefill = {"role": "assistant", "content": "Before"}
    thinking = {"type": "enabled", "budget_tokens": 1024}
    out = run(thinking=thinking, messages=[*params()["messages"], prefill])
    assert isinstance(out.error, anthropic.BadRequestError)
    assert "thinking" in str(out.error)


def test_user_turn_continuation_repeats_the_last_words(
    run: Run, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = "One two three four five six seven."
    history = [
        *params()["messages"],
        {"role": "assistant", "content": "One two three four fi"},
        {"role": "user", "content": "Continue exactly where you stopped."},
    ]
    out = run(model="claude-opus-4-6", messages=history)
    assert out.error is None
    assert out.text == "three four five six seven."
    assert fake_anthropic.requests[-1].mode == "continuation"
    fake_anthropic.continuation_overlap = 0
    assert run(messages=history).text == "ve six seven."


@needs_thinking
def test_thinking_block_then_text(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(thinking={"type": "enabled", "budget_tokens": 2000}, max_tokens=8000)
    assert out.error is None
    assert out.text == fake_anthropic.text  # text_stream carries text only
    kinds = [block.type for block in out.message.content]
    assert kinds == ["thinking", "text"]
    assert out.message.content[0].thinking == fake_anthropic.thinking_text
    assert out.message.content[0].signature


def test_max_tokens_cuts_the_answer(run: Run, fake_anthropic: FakeAnthropic) -> None:
    out = run(max_tokens=10)
    assert out.error is None
    assert out.message.stop_reason == "max_tokens"
    assert out.message.usage.output_tokens == 10
    assert 0 < len(out.text) < len(fake_anthropic.text)
    assert fake_anthropic.text.startswith(out.text)


def test_stop_sequence(run: Run, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = "Alpha beta. STOP gamma delta."
    out = run(stop_sequences=["STOP"])
    assert out.text == "Alpha beta. "
    assert out.message.stop_reason == "stop_sequence"
    assert out.message.stop_sequence == "STOP"


def test_tool_use_block(run: Run, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.tool_use = {"name": "get_weather", "input": {"city": "Zürich", "days": 3}}
    tool = {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}
    out = run(tools=[tool])
    assert out.error is None
    assert out.text == fake_anthropic.text
    assert out.message.stop_reason == "tool_use"
    assert out.message.content[-1].type == "tool_use"
    assert out.message.content[-1].input == {"city": "Zürich", "days": 3}


def test_beta_messages_stream(client: anthropic.Anthropic, fake_anthropic: FakeAnthropic) -> None:
    if not hasattr(client.beta.messages, "stream"):
        pytest.skip("SDK without beta.messages.stream")
    fake_anthropic.script(Fault.close(at=5))
    with (
        pytest.raises(transport.RemoteProtocolError),
        client.beta.messages.stream(**params()) as stream,
    ):
        for _ in stream.text_stream:
            pass
    with client.beta.messages.stream(**params()) as stream:
        assert "".join(stream.text_stream) == fake_anthropic.text
    # anthropic 0.x marks beta calls with ?beta=true, 2.x does not: both are served.
    assert [r.path for r in fake_anthropic.requests] == ["/v1/messages"] * 2
    assert all(r.query in ({}, {"beta": "true"}) for r in fake_anthropic.requests)


def test_create_stream_true_events(
    client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    events = list(client.messages.create(**params(), stream=True))
    kinds = [event.type for event in events]
    assert kinds[0] == "message_start"
    assert kinds[-2:] == ["message_delta", "message_stop"]
    text = "".join(
        e.delta.text
        for e in events
        if e.type == "content_block_delta" and e.delta.type == "text_delta"
    )
    assert text == fake_anthropic.text


def test_non_streaming_create(client: anthropic.Anthropic, fake_anthropic: FakeAnthropic) -> None:
    message = client.messages.create(**params())
    assert message.content[0].type == "text"
    assert message.content[0].text == fake_anthropic.text
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens > 0
    assert fake_anthropic.requests[0].stream is False


async def test_async_non_streaming_create(
    aclient: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(Fault.status(529, retry_after=0.01))
    with pytest.raises(anthropic.APIStatusError):
        await aclient.messages.create(**params())
    message = await aclient.messages.create(**params(max_tokens=5))
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 5


def test_stall_with_pings_keeps_the_read_timeout_quiet(
    run: Run, fake_anthropic: FakeAnthropic
) -> None:
    out = run(Fault.stall(1.5, at=6, pings=0.1), timeout=0.75)
    assert out.error is None
    assert out.text == fake_anthropic.text


def test_slow_stream_is_alive(run: Run, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = "Slow and steady wins."
    fake_anthropic.event_delay = 0.02
    out = run(timeout=2.0)
    assert out.error is None
    assert out.text == fake_anthropic.text
