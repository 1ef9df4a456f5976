"""Extended thinking, tool use and finished answers across continuations (issue #13)."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic, Fault, count_tokens, long_text

from .conftest import NO_PREFILL_MODEL, PREFILL_MODEL, needs_thinking, request_params

TEXT = long_text(900, seed=31)
THINKING = {"type": "enabled", "budget_tokens": 1024}
TOOLS = [{"name": "lookup", "description": "d", "input_schema": {"type": "object"}}]
TOOL_INPUT = {"city": "Paris", "days": [1, 2, 3], "note": "a longer argument " * 4}
# With one token per delta and a short thought, the first answer text of a response is event 8:
# message_start, thinking start, ping, 2 thinking deltas, signature, stop, text start.
FIRST_TEXT = 8


def _run(cs: ModuleType, client: anthropic.Anthropic, **params: Any) -> Any:
    with cs.recovering_stream(client, **request_params(**params)) as stream:
        text = "".join(stream.text_stream)
    assert text == stream.get_final_text()
    return stream


async def _arun(cs: ModuleType, client: anthropic.AsyncAnthropic, **params: Any) -> Any:
    async with cs.async_recovering_stream(client, **request_params(**params)) as stream:
        text = "".join([piece async for piece in stream.text_stream])
    assert text == await stream.get_final_text()
    return stream


@pytest.fixture
def thinking_api(fake_anthropic: FakeAnthropic) -> FakeAnthropic:
    fake_anthropic.text = TEXT
    fake_anthropic.thinking_text = "Thinking."
    fake_anthropic.chunk_tokens = 1
    return fake_anthropic


@needs_thinking
@pytest.mark.parametrize("faults", [2, 3, 4])
@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
def test_thinking_keeps_one_text_block_over_consecutive_short_continuations(
    cs: ModuleType,
    client: anthropic.Anthropic,
    thinking_api: FakeAnthropic,
    faults: int,
    model: str,
) -> None:
    # The first break is mid-answer; each continuation then breaks after 1, 7 or 4 tokens: inside
    # the three words the model restates, or just after them, contributing fewer characters
    # than the next continuation repeats (its restatement reaches back over the seam).
    schedule = [Fault.close(at=None)] + [
        Fault.close(at=FIRST_TEXT + 1 + (6 * i) % 9) for i in range(faults - 1)
    ]
    thinking_api.script(*schedule)
    stream = _run(cs, client, model=model, thinking=THINKING)
    message = stream.get_final_message()
    assert [block.type for block in message.content] == ["thinking", "text"]
    assert message.content[1].text == TEXT
    assert message.content[0].thinking == "Thinking."
    assert message.content[0].signature.startswith("EqFAKE")  # the first attempt's, intact
    assert len(thinking_api.message_requests) == faults + 1
    short = [a.chars for a in stream.attempts[1:-1]]
    assert any(0 < chars < 12 for chars in short) or faults == 2
    for request in thinking_api.message_requests[1:]:
        turn = request.json["messages"][-2]
        assert turn["role"] == "assistant"
        assert turn["content"][0]["type"] == "thinking"
        assert turn["content"][0]["signature"] == message.content[0].signature
        assert [block["type"] for block in turn["content"]] == ["thinking", "text"]


@needs_thinking
async def test_thinking_async_short_continuations(
    cs: ModuleType, aclient: anthropic.AsyncAnthropic, thinking_api: FakeAnthropic
) -> None:
    thinking_api.script(Fault.close(at=None), Fault.close(at=FIRST_TEXT + 1), Fault.reset(9))
    stream = await _arun(cs, aclient, model=NO_PREFILL_MODEL, thinking=THINKING)
    message = await stream.get_final_message()
    assert [block.type for block in message.content] == ["thinking", "text"]
    assert message.content[1].text == TEXT


@needs_thinking
def test_a_cut_thinking_block_is_never_sent_back(
    cs: ModuleType, client: anthropic.Anthropic, thinking_api: FakeAnthropic
) -> None:
    thinking_api.script(Fault.close(at=4))  # inside the thinking: nothing to continue
    stream = _run(cs, client, model=NO_PREFILL_MODEL, thinking=THINKING)
    assert [a.strategy for a in stream.attempts] == ["initial", "restart"]
    second = thinking_api.message_requests[1].json["messages"]
    assert second == thinking_api.message_requests[0].json["messages"]
    assert stream.get_final_message().content[1].text == TEXT


@pytest.mark.parametrize(
    "thinking",
    [pytest.param(False, id="plain"), pytest.param(True, id="thinking", marks=needs_thinking)],
)
def test_a_drop_after_message_delta_is_a_finished_answer(
    cs: ModuleType, client: anthropic.Anthropic, thinking_api: FakeAnthropic, thinking: bool
) -> None:
    extra = {"thinking": THINKING} if thinking else {}
    thinking_api.script(Fault.after_message_delta())
    stream = _run(cs, client, model=NO_PREFILL_MODEL, **extra)
    message = stream.get_final_message()
    assert message.content[-1].text == TEXT
    assert message.stop_reason == "end_turn"
    assert len(thinking_api.message_requests) == 1  # nothing asked (or billed) again
    assert message.usage.input_tokens == stream.attempts[0].usage.input_tokens


def test_a_drop_after_message_delta_keeps_its_stop_reason(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = long_text(3000, seed=2)
    fake_anthropic.script(Fault.reset(at=-1))
    stream = _run(cs, client, max_tokens=50)
    assert stream.get_final_message().stop_reason == "max_tokens"
    assert len(fake_anthropic.message_requests) == 1


@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
def test_a_spent_budget_ends_with_max_tokens_without_asking_again(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, model: str
) -> None:
    fake_anthropic.text = long_text(3000, seed=2)
    fake_anthropic.script(Fault.close(at=-2))  # every token arrived, message_delta did not
    stream = _run(cs, client, model=model, max_tokens=60)
    message = stream.get_final_message()
    assert message.stop_reason == "max_tokens"
    assert count_tokens(message.content[0].text) == 60
    assert len(fake_anthropic.message_requests) == 1


@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
def test_a_continuation_never_runs_past_max_tokens(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, model: str
) -> None:
    fake_anthropic.text = long_text(3000, seed=2)
    fake_anthropic.script(Fault.close(at=10), Fault.close(at=12))
    stream = _run(cs, client, model=model, max_tokens=200)
    text = stream.get_final_text()
    assert count_tokens(text) <= 200
    assert fake_anthropic.text.startswith(text)
    assert stream.get_final_message().stop_reason == "max_tokens"
    for request in fake_anthropic.message_requests[1:]:
        assert request.json["max_tokens"] < 200


# --- tool use ---------------------------------------------------------------------------------


def _tool_check(api: FakeAnthropic, message: Any) -> None:
    assert [block.type for block in message.content][-2:] == ["text", "tool_use"]
    assert message.content[-2].text == TEXT
    assert message.content[-1].input == TOOL_INPUT
    assert message.stop_reason == "tool_use"
    for request in api.message_requests[1:]:
        for turn in request.json["messages"]:
            content = turn["content"]
            if turn["role"] == "assistant" and isinstance(content, list):
                assert all(block["type"] != "tool_use" for block in content)


# In the tool_use block's input_json_delta events, after them, and after message_delta.
TOOL_FAULTS = [
    pytest.param(lambda: Fault.close(at=-6), id="in-input-json"),
    pytest.param(lambda: Fault.reset(at=-5), id="in-input-json-reset"),
    pytest.param(lambda: Fault.eof(at=-4), id="in-input-json-eof"),
    pytest.param(lambda: Fault.close(at=-2), id="after-tool-use"),
    pytest.param(lambda: Fault.after_message_delta(), id="after-message-delta"),
]


@pytest.mark.parametrize("thinking", [False, True], ids=["plain", "thinking"])
@pytest.mark.parametrize("make_fault", TOOL_FAULTS)
@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
def test_tool_use_sync(
    cs: ModuleType,
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    make_fault: Any,
    model: str,
    thinking: bool,
) -> None:
    if thinking and not hasattr(anthropic.types, "ThinkingConfigParam"):
        pytest.skip("SDK without extended thinking")
    fake_anthropic.text = TEXT
    fake_anthropic.chunk_tokens = 1
    fake_anthropic.tool_use = {"name": "lookup", "input": TOOL_INPUT}
    fake_anthropic.script(make_fault(), Fault.close(at=-6))
    extra = {"thinking": THINKING} if thinking else {}
    stream = _run(cs, client, model=model, tools=TOOLS, **extra)
    _tool_check(fake_anthropic, stream.get_final_message())


@pytest.mark.parametrize("make_fault", TOOL_FAULTS)
async def test_tool_use_async(
    cs: ModuleType,
    aclient: anthropic.AsyncAnthropic,
    fake_anthropic: FakeAnthropic,
    make_fault: Any,
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.chunk_tokens = 1
    fake_anthropic.tool_use = {"name": "lookup", "input": TOOL_INPUT}
    fake_anthropic.script(make_fault(), Fault.close(at=-6))
    stream = await _arun(cs, aclient, model=NO_PREFILL_MODEL, tools=TOOLS)
    _tool_check(fake_anthropic, await stream.get_final_message())


# --- request shape and usage -----------------------------------------------------------------


def test_a_prefill_of_sdk_blocks_is_sent_without_none_fields(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = TEXT
    block = anthropic.types.TextBlock(type="text", text=TEXT[:40], citations=None)
    fake_anthropic.script(Fault.close(at=12))
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": [block]}]
    stream = _run(cs, client, messages=messages)
    assert TEXT[:40] + stream.get_final_text() == TEXT
    for request in fake_anthropic.message_requests[1:]:
        assert "null" not in json.dumps(request.json["messages"])


def test_nested_usage_counters_are_summed(cs: ModuleType) -> None:
    usage = anthropic.types.Usage.model_validate(
        {
            "input_tokens": 10,
            "output_tokens": 5,
            "cache_creation": {"ephemeral_5m_input_tokens": 3, "ephemeral_1h_input_tokens": 1},
            "server_tool_use": {"web_search_requests": 2, "web_fetch_requests": 0},
        }
    )
    total = cs._add_usage(cs._add_usage(None, usage), usage)
    assert total.input_tokens == 20
    assert total.output_tokens == 10
    if "cache_creation" in anthropic.types.Usage.model_fields:  # newer SDKs
        assert total.cache_creation.ephemeral_5m_input_tokens == 6
        assert total.server_tool_use.web_search_requests == 4


# --- server tools, on the state machine itself (the fake has no server tools) -----------------


def _events(*events: dict[str, Any]) -> list[Any]:
    from pydantic import TypeAdapter

    adapter: Any = TypeAdapter(anthropic.types.RawMessageStreamEvent)
    return [adapter.validate_python(event) for event in events]


def _server_tool_stream(with_result: bool) -> list[dict[str, Any]]:
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": PREFILL_MODEL,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 5, "output_tokens": 1},
    }
    call = {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}}
    result = {
        "type": "web_search_tool_result",
        "tool_use_id": "srvtoolu_1",
        "content": [
            {
                "type": "web_search_result",
                "url": "https://example.com",
                "title": "Example",
                "encrypted_content": "abc",
                "page_age": None,
            }
        ],
    }
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": message},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": "Searching. "},
        },
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1, "content_block": call},
        {
            "type": "content_block_delta",
            "index": 1,
            "delta": {"type": "input_json_delta", "partial_json": '{"query": "x"}'},
        },
        {"type": "content_block_stop", "index": 1},
    ]
    if with_result:
        events += [
            {"type": "content_block_start", "index": 2, "content_block": result},
            {"type": "content_block_stop", "index": 2},
            {
                "type": "content_block_start",
                "index": 3,
                "content_block": {"type": "text", "text": ""},
            },
            {
                "type": "content_block_delta",
                "index": 3,
                "delta": {"type": "text_delta", "text": "It says"},
            },
        ]
    return events


@pytest.mark.skipif(
    not hasattr(anthropic.types, "ServerToolUseBlock"), reason="SDK without server tools"
)
@pytest.mark.parametrize("with_result", [True, False])
def test_server_tool_calls_are_sent_back_only_with_their_results(
    cs: ModuleType, client: anthropic.Anthropic, with_result: bool
) -> None:
    recovery = cs._Recovery(client, cs.RecoveryPolicy(), request_params(model=NO_PREFILL_MODEL))
    recovery.next_request()
    for event in _events(*_server_tool_stream(with_result)):
        recovery.on_event(event)
    assert recovery.on_failure(cs.IncompleteStreamError("cut")) == 0.0
    turn = recovery.next_request()["messages"][-2]
    if with_result:
        kinds = [block["type"] for block in turn["content"]]
        assert kinds == ["text", "server_tool_use", "web_search_tool_result", "text"]
        assert turn["content"][1]["input"] == {"query": "x"}
    else:
        assert turn["content"] == "Searching."  # the call without its result is not sent
        assert [block.start.type for block in recovery.content] == ["text"]
