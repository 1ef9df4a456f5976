"""The Node runtime's continuations, as tests/runtime/test_continuation.py pins the Python one's:
overlaps a user turn repeats, extended thinking, tool use, several breaks in a user turn."""

from __future__ import annotations

import pytest

from scaffolder.testing import FakeAnthropic, Fault

from .conftest import NodeSDK, run_node
from .test_fault_matrix import NO_PREFILL_MODEL, PREFILL_MODEL, TEXT, params

# node + npm packages from the registry (installed once into a cache): like building a venv
pytestmark = pytest.mark.slow

CONTINUE_PROMPT = (
    "Your previous response was cut off by a network error. Continue exactly where you left "
    "off: do not repeat any text you already wrote, do not add any preamble or commentary, "
    "start with the very next character."
)


@pytest.mark.parametrize("overlap", [None, 0, 8, 25, 300, 10_000])
def test_user_turn_overlaps_are_removed(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, overlap: int | None
) -> None:
    # None: the model repeats its last three words; 10_000: it starts over.
    fake_anthropic.text = TEXT
    fake_anthropic.continuation_overlap = overlap
    fake_anthropic.script(Fault.close(at=40))
    report = run_node(node_sdk, fake_anthropic, params(NO_PREFILL_MODEL))
    assert "".join(report["pieces"]) == TEXT
    assert report["finalText"] == TEXT
    assert [a["strategy"] for a in report["attempts"]] == ["initial", "user"]
    assert fake_anthropic.requests[1].json["messages"][-1]["content"] == CONTINUE_PROMPT


def test_several_user_turn_breaks(node_sdk: NodeSDK, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=20), Fault.reset(at=20), Fault.eof(at=20))
    report = run_node(node_sdk, fake_anthropic, params(NO_PREFILL_MODEL))
    assert "".join(report["pieces"]) == TEXT
    assert [a["strategy"] for a in report["attempts"]] == ["initial", "user", "user", "user"]


@pytest.mark.parametrize("at", [3, None], ids=["in-thinking", "in-text"])
def test_extended_thinking_continues_with_a_user_turn(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, at: int | None
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=at))
    thinking = {"type": "enabled", "budget_tokens": 2000}
    report = run_node(node_sdk, fake_anthropic, params(PREFILL_MODEL, thinking=thinking))
    message = report["message"]
    assert report["finalText"] == TEXT
    assert "".join(report["pieces"]) == TEXT
    assert message["content"][0]["type"] == "thinking"
    assert message["content"][0]["signature"].startswith("Eq")
    if at == 3:  # nothing but thinking had arrived: the request again
        assert [a["strategy"] for a in report["attempts"]] == ["initial", "restart"]
        assert [block["type"] for block in message["content"]] == ["thinking", "text"]
    else:
        assert [a["strategy"] for a in report["attempts"]] == ["initial", "user"]
        sent = fake_anthropic.requests[1].json["messages"][-2]["content"]
        assert [block["type"] for block in sent] == ["thinking", "text"]
        # never lowered to or below the thinking budget
        assert fake_anthropic.requests[1].json["max_tokens"] > 2000


@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
@pytest.mark.parametrize("at", [-4, -2], ids=["in-tool-use", "after-tool-use"])
def test_tool_use_is_regenerated_not_salvaged(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, model: str, at: int
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.tool_use = {"name": "lookup", "input": {"city": "Paris", "days": [1, 2, 3]}}
    fake_anthropic.script(Fault.close(at=at))
    tools = [{"name": "lookup", "description": "d", "input_schema": {"type": "object"}}]
    report = run_node(node_sdk, fake_anthropic, params(model, tools=tools))
    message = report["message"]
    assert [block["type"] for block in message["content"]] == ["text", "tool_use"]
    assert message["content"][0]["text"] == TEXT
    assert message["content"][1]["input"] == {"city": "Paris", "days": [1, 2, 3]}
    assert message["stop_reason"] == "tool_use"
    sent = fake_anthropic.requests[1].json["messages"]
    turn = sent[-1] if model == PREFILL_MODEL else sent[-2]
    assert turn == {"role": "assistant", "content": TEXT}  # text only, no tool_use
