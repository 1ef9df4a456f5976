"""`repair_messages`: a conversation an interruption damaged, made acceptable to the API.

Each damaged conversation is first sent as it is, and the fake API rejects it with the real
API's error; then its repair is sent and accepted.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic

from .conftest import NO_PREFILL_MODEL, PREFILL_MODEL

USER = {"role": "user", "content": "What is the weather in Paris?"}
CALL = {"type": "tool_use", "id": "toolu_01A", "name": "weather", "input": {"city": "Paris"}}
TOOLS = [{"name": "weather", "description": "d", "input_schema": {"type": "object"}}]


def _send(client: anthropic.Anthropic, model: str, messages: list[Any]) -> str:
    # Bare on purpose: the fake API's validation of the messages is under test, not recovery.
    with client.messages.stream(  # noqa: SCF001
        model=model, max_tokens=1000, messages=messages, tools=TOOLS
    ) as stream:
        return stream.get_final_text()


def _rejected(client: anthropic.Anthropic, model: str, messages: list[Any], error: str) -> None:
    with pytest.raises(anthropic.BadRequestError, match=error):
        _send(client, model, messages)


@pytest.fixture
def short_answer(fake_anthropic: FakeAnthropic) -> FakeAnthropic:
    fake_anthropic.text = "It is sunny."
    return fake_anthropic


def test_an_orphan_tool_use_gets_an_error_result(
    cs: ModuleType, client: anthropic.Anthropic, short_answer: FakeAnthropic
) -> None:
    damaged = [
        USER,
        {"role": "assistant", "content": [{"type": "text", "text": "Let me look."}, CALL]},
        {"role": "user", "content": "Hello?"},
    ]
    _rejected(client, PREFILL_MODEL, damaged, "tool_use` ids were found without `tool_result")
    repaired, report = cs.repair_messages(damaged, model=PREFILL_MODEL)
    assert repaired[2]["content"][0] == {
        "type": "tool_result",
        "tool_use_id": "toolu_01A",
        "content": cs.INTERRUPTED_TOOL_RESULT,
        "is_error": True,
    }
    assert repaired[2]["content"][1] == {"type": "text", "text": "Hello?"}
    assert len(report) == 1
    assert "toolu_01A" in report[0]
    assert _send(client, PREFILL_MODEL, repaired) == "It is sunny."
    assert damaged[2] == {"role": "user", "content": "Hello?"}  # the input is untouched


def test_a_trailing_tool_use_is_answered_with_a_user_turn(
    cs: ModuleType, client: anthropic.Anthropic, short_answer: FakeAnthropic
) -> None:
    damaged = [USER, {"role": "assistant", "content": [CALL]}]
    repaired, report = cs.repair_messages(damaged, model=NO_PREFILL_MODEL)
    assert repaired[-1]["role"] == "user"
    assert repaired[-1]["content"][0]["is_error"] is True
    assert _send(client, NO_PREFILL_MODEL, repaired) == "It is sunny."
    assert report


def test_a_trailing_assistant_turn_is_removed_for_a_model_without_prefill(
    cs: ModuleType, client: anthropic.Anthropic, short_answer: FakeAnthropic
) -> None:
    damaged = [USER, {"role": "assistant", "content": "It is sun"}]
    _rejected(client, NO_PREFILL_MODEL, damaged, "does not support assistant message prefill")
    repaired, report = cs.repair_messages(damaged, model=NO_PREFILL_MODEL)
    assert repaired == [USER]
    assert "rejects an assistant prefill" in report[0]
    assert _send(client, NO_PREFILL_MODEL, repaired) == "It is sunny."


def test_a_cut_assistant_turn_is_a_prefill_without_trailing_whitespace(
    cs: ModuleType, client: anthropic.Anthropic, short_answer: FakeAnthropic
) -> None:
    damaged = [USER, {"role": "assistant", "content": [{"type": "text", "text": "It is "}]}]
    _rejected(client, PREFILL_MODEL, damaged, "trailing whitespace")
    repaired, report = cs.repair_messages(damaged, model=PREFILL_MODEL)
    assert repaired[-1] == {"role": "assistant", "content": "It is"}
    assert report == ["messages[1]: removed trailing whitespace of the final assistant turn"]
    assert _send(client, PREFILL_MODEL, repaired) == " sunny."


def test_an_unsigned_thinking_block_is_removed(
    cs: ModuleType, client: anthropic.Anthropic, short_answer: FakeAnthropic
) -> None:
    damaged = [
        USER,
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "The user wants", "signature": ""},
                {"type": "text", "text": "It is sunny."},
            ],
        },
        {"role": "user", "content": "Thanks. And tomorrow?"},
    ]
    _rejected(client, PREFILL_MODEL, damaged, "signature: Field required")
    repaired, report = cs.repair_messages(damaged, model=PREFILL_MODEL)
    assert repaired[1] == {"role": "assistant", "content": "It is sunny."}
    assert "without its signature" in report[0]
    assert _send(client, PREFILL_MODEL, repaired) == "It is sunny."


def test_a_healthy_conversation_is_unchanged(cs: ModuleType) -> None:
    healthy = [
        USER,
        {"role": "assistant", "content": [CALL]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_01A", "content": "sun"}],
        },
    ]
    repaired, report = cs.repair_messages(healthy, model=NO_PREFILL_MODEL)
    assert report == []
    assert repaired == healthy
