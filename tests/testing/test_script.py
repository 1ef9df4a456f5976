"""`ScriptedModel`: the fake plays an agent's turns, read through the real SDK over HTTP."""

from __future__ import annotations

from typing import Any

import anthropic

from scaffolder.testing import FakeAnthropic, Fault, ScriptedModel, Turn

TOOLS: list[Any] = [
    {"name": "Write", "description": "write a file", "input_schema": {"type": "object"}},
    {"name": "Edit", "description": "edit a file", "input_schema": {"type": "object"}},
]
MODEL = ScriptedModel(
    Turn.tool("Write", "Writing it.", file_path="/repo/app.py", content="x = 1\n"),
    Turn.tool("Edit", file_path="/repo/app.py", old_string="1", new_string="2"),
    closing="All done.",
)


def agent_turn(client: anthropic.Anthropic, messages: list[Any]) -> anthropic.types.Message:
    with client.messages.stream(
        model="claude-sonnet-4-5", max_tokens=1024, messages=messages, tools=TOOLS
    ) as stream:
        return stream.get_final_message()


def answered(message: anthropic.types.Message, tool_use_id: str) -> list[Any]:
    return [
        {"role": "assistant", "content": [b.model_dump() for b in message.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": tool_use_id}]},
    ]


def test_each_turn_follows_the_assistant_turns_in_the_history(
    fake_anthropic: FakeAnthropic,
) -> None:
    fake_anthropic.responder = MODEL
    client = anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test")
    messages: list[Any] = [{"role": "user", "content": "Add app.py"}]

    first = agent_turn(client, messages)
    assert first.stop_reason == "tool_use"
    assert first.content[0].type == "text"
    assert first.content[0].text == "Writing it."
    write = first.content[1]
    assert write.type == "tool_use"
    assert (write.name, write.input) == (
        "Write",
        {"file_path": "/repo/app.py", "content": "x = 1\n"},
    )

    messages += answered(first, write.id)
    second = agent_turn(client, messages)
    (edit,) = second.content  # no text: the turn is only the call
    assert edit.type == "tool_use"
    assert edit.name == "Edit"
    assert edit.id != write.id

    messages += answered(second, edit.id)
    third = agent_turn(client, messages)
    assert third.stop_reason == "end_turn"
    assert [(b.type, getattr(b, "text", None)) for b in third.content] == [("text", "All done.")]


def test_a_retried_request_replays_its_turn_and_side_requests_get_the_closing_text(
    fake_anthropic: FakeAnthropic,
) -> None:
    fake_anthropic.responder = MODEL
    fake_anthropic.script(Fault.status(529))  # the SDK retries the first turn
    client = anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test", max_retries=2)
    first = agent_turn(client, [{"role": "user", "content": "Add app.py"}])
    assert [b.type for b in first.content] == ["text", "tool_use"]
    assert len(fake_anthropic.message_requests) == 2

    side = client.messages.create(
        model="claude-haiku-4-5", max_tokens=50, messages=[{"role": "user", "content": "title?"}]
    )
    assert side.content[0].type == "text"
    assert side.content[0].text == "All done."


def test_without_a_responder_the_default_answer_is_planned(fake_anthropic: FakeAnthropic) -> None:
    client = anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test")
    message = client.messages.create(
        model="claude-sonnet-4-5", max_tokens=5, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.stop_reason == "max_tokens"
    assert fake_anthropic.responder is None
