"""Every retryable fault, sync and async, prefill and user-turn continuation: exact text.

Each test scripts one fault for the first request, streams through the rendered runtime with
the real SDK over real HTTP, and checks that `text_stream` yielded the server's answer exactly
once, that `get_final_message()` agrees, and what the second request looked like.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic, Fault, long_text

from .conftest import NO_PREFILL_MODEL, PREFILL_MODEL, request_params

TEXT = long_text(1500, seed=7)

# (fault, names of the exceptions the first attempt may end with)
RETRYABLE = [
    pytest.param(Fault.close(at=12), {"RemoteProtocolError"}, id="close-mid-body"),
    pytest.param(Fault.close(at=2), {"RemoteProtocolError"}, id="close-before-text"),
    pytest.param(Fault.reset(at=12), {"ReadError", "RemoteProtocolError"}, id="reset"),
    pytest.param(Fault.stall(3.0, at=12), {"ReadTimeout"}, id="stall-body"),
    pytest.param(Fault.stall_headers(3.0), {"APITimeoutError"}, id="stall-headers"),
    pytest.param(Fault.eof(at=12), {"IncompleteStreamError"}, id="eof-mid-body"),
    pytest.param(Fault.eof(at=-3), {"IncompleteStreamError"}, id="eof-before-block-stop"),
    pytest.param(
        Fault.before_message_start(), {"IncompleteStreamError"}, id="before-message-start"
    ),
    pytest.param(Fault.truncated_line(at=12), {"IncompleteStreamError"}, id="truncated-line"),
    pytest.param(Fault.invalid_json(at=12), {"JSONDecodeError"}, id="invalid-json"),
    *[
        pytest.param(Fault.error_event(kind, at=12), {"APIStatusError"}, id=f"event-{kind}")
        for kind in ("overloaded_error", "api_error", "rate_limit_error", "timeout_error")
    ],
    pytest.param(Fault.error_event("overloaded_error", at=0), {"APIStatusError"}, id="event-first"),
    *[
        pytest.param(Fault.status(code), {"APIStatusError"}, id=f"status-{code}")
        for code in (408, 409, 429, 500, 502, 503, 504, 529)
    ],
]
MODELS = [pytest.param(PREFILL_MODEL, id="prefill"), pytest.param(NO_PREFILL_MODEL, id="user")]


def _error_names(error: BaseException | None) -> set[str]:
    assert error is not None
    return {cls.__name__ for cls in type(error).__mro__}


def _check_result(
    api: FakeAnthropic, model: str, text: str, message: Any, attempts: list[Any], errors: set[str]
) -> None:
    assert text == TEXT
    assert message.content[0].type == "text"
    assert message.content[0].text == TEXT
    assert len(message.content) == 1
    assert message.stop_reason == "end_turn"
    assert len(api.requests) == len(attempts) == 2
    assert _error_names(attempts[0].error) & errors
    assert attempts[1].error is None
    assert sum(a.chars for a in attempts) == len(TEXT)
    # usage is summed over the attempts
    assert message.usage.input_tokens == sum(a.usage.input_tokens for a in attempts if a.usage)
    assert message.usage.output_tokens == sum(a.usage.output_tokens for a in attempts if a.usage)
    second = api.requests[1].json
    if attempts[0].chars == 0:
        assert attempts[1].strategy == "restart"
        assert second["messages"] == api.requests[0].json["messages"]
    elif model == PREFILL_MODEL:
        assert attempts[1].strategy == "prefill"
        assert second["messages"][-1] == {
            "role": "assistant",
            "content": TEXT[: attempts[0].chars].rstrip(),
        }
        assert api.requests[1].mode == "prefill"
    else:
        assert attempts[1].strategy == "user"
        assert second["messages"][-1]["role"] == "user"
        assert second["messages"][-2]["content"] == TEXT[: attempts[0].chars].rstrip()
        assert api.requests[1].mode == "continuation"


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(("fault", "errors"), RETRYABLE)
def test_sync_recovers_exactly(
    cs: ModuleType,
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    policy: Any,
    model: str,
    fault: Fault,
    errors: set[str],
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(fault)
    with cs.recovering_stream(client, policy=policy, **request_params(model)) as stream:
        pieces = list(stream.text_stream)
    _check_result(
        fake_anthropic, model, "".join(pieces), stream.get_final_message(), stream.attempts, errors
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(("fault", "errors"), RETRYABLE)
async def test_async_recovers_exactly(
    cs: ModuleType,
    aclient: anthropic.AsyncAnthropic,
    fake_anthropic: FakeAnthropic,
    policy: Any,
    model: str,
    fault: Fault,
    errors: set[str],
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(fault)
    async with cs.async_recovering_stream(aclient, policy=policy, **request_params(model)) as s:
        pieces = [text async for text in s.text_stream]
    message = await s.get_final_message()
    _check_result(fake_anthropic, model, "".join(pieces), message, s.attempts, errors)


@pytest.mark.parametrize("model", MODELS)
def test_several_breaks_in_one_answer(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, model: str
) -> None:
    fake_anthropic.text = long_text(4000, seed=11)
    faults = [Fault.close(at=9), Fault.reset(at=15), Fault.eof(at=7), Fault.invalid_json(at=20)]
    fake_anthropic.script(*faults)
    with cs.recovering_stream(client, **request_params(model)) as stream:
        text = "".join(stream.text_stream)
    assert text == fake_anthropic.text
    assert stream.get_final_text() == fake_anthropic.text
    assert len(fake_anthropic.requests) == 5
    assert [a.error is None for a in stream.attempts] == [False] * 4 + [True]


def test_eof_after_message_delta_is_accepted(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    # The body ends after message_delta (the stop reason is known) but before message_stop:
    # nothing is missing, and asking the model to continue a finished answer would be wrong.
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.eof(at=-1))
    with cs.recovering_stream(client, **request_params()) as stream:
        assert "".join(stream.text_stream) == TEXT
    assert len(fake_anthropic.requests) == 1
    assert stream.get_final_message().stop_reason == "end_turn"
