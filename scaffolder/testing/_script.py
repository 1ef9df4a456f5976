"""`ScriptedModel`: the fake "model" plays a fixed agent conversation, turn by turn.

A coding agent (Claude Code run headless, say) sends one Messages request per turn of its
loop, each carrying the whole conversation so far. The scripted model answers the request
whose history holds N assistant turns with turn N of the script: some text and, usually, tool
calls (``tool_use`` blocks, ``stop_reason: tool_use``) the agent then runs. Once the script is
played out, every further request gets a short closing text (``end_turn``)::

    from scaffolder.testing import FakeAnthropic, ScriptedModel, Turn

    model = ScriptedModel(
        Turn.tool("Write", file_path="/repo/app.py", content="print('hi')\\n"),
        Turn.say("Done."),
    )
    with FakeAnthropic(responder=model) as api:
        ...  # run the agent with ANTHROPIC_BASE_URL=api.base_url

Counting the assistant turns already in the history (rather than the requests received) makes
the script deterministic under retries and side requests: a retried request replays the same
turn, and a request without ``tools`` (a title or summary the agent asks for on the side) is
not a step of the loop and gets the closing text. The request bodies stay in
``FakeAnthropic.requests``: that is where a test reads what the agent sent back (tool results,
hook feedback). Standard library only, like the rest of ``scaffolder.testing``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scaffolder.testing._answer import Answer, Block
from scaffolder.testing._text import count_tokens


@dataclass(frozen=True)
class ToolCall:
    """One ``tool_use`` block: the tool's name and its input."""

    name: str
    input: Mapping[str, Any]


@dataclass(frozen=True)
class Turn:
    """One scripted assistant turn: optional text, then the tool calls (none: the turn ends)."""

    text: str = ""
    calls: tuple[ToolCall, ...] = field(default=())

    @classmethod
    def say(cls, text: str) -> Turn:
        """A turn that only answers in text and ends the agent's loop."""
        return cls(text=text)

    @classmethod
    def tool(cls, name: str, text: str = "", /, **tool_input: Any) -> Turn:
        """A turn that calls one tool, e.g. ``Turn.tool("Edit", file_path=..., ...)``."""
        return cls(text=text, calls=(ToolCall(name, tool_input),))


class ScriptedModel:
    """Answers each agent-loop request with the turn its conversation has reached.

    Pass it as ``FakeAnthropic(responder=...)`` (or assign ``api.responder``). Faults scripted
    with ``api.script(...)`` still apply to the scripted answers.
    """

    def __init__(self, *turns: Turn, closing: str = "Done.") -> None:
        self.turns: tuple[Turn, ...] = turns
        self.closing = closing

    def turn_for(self, body: Mapping[str, Any]) -> int:
        """The index of the turn a request is asking for: its count of assistant messages."""
        messages = body.get("messages")
        if not isinstance(messages, list):
            return 0
        return sum(1 for m in messages if isinstance(m, dict) and m.get("role") == "assistant")

    def __call__(self, body: Any) -> Answer | None:
        """The answer to one request body; None (default planning) when it is not a request."""
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return None
        index = self.turn_for(body)
        in_loop = bool(body.get("tools")) and index < len(self.turns)
        turn = self.turns[index] if in_loop else Turn.say(self.closing)
        blocks = [Block("text", turn.text)] if turn.text or not turn.calls else []
        blocks += [
            Block(
                "tool_use",
                json.dumps(dict(call.input), ensure_ascii=False),
                call.name,
                f"toolu_01Scripted{index:04d}{number:04d}",
            )
            for number, call in enumerate(turn.calls)
        ]
        return Answer(
            model=str(body.get("model", "")),
            blocks=tuple(blocks),
            stop_reason="tool_use" if turn.calls else "end_turn",
            stop_sequence=None,
            input_tokens=max(1, count_tokens(json.dumps(body["messages"])[-20_000:])),
            output_tokens=sum(count_tokens(b.text) for b in blocks),
            mode="fresh",
            offset=0,
        )
