"""A bounded randomized soak: many streams, random fault schedules, every character exactly once.

Seeded (reproducible: the failing case prints its seed), sync and async, with and without
extended thinking and tools, prefill and user-turn continuations, and the fake's restatement
at the seam ranging over none, three words and longer runs. ``SOAK_STREAMS`` raises the count
(the default keeps CI fast).
"""

from __future__ import annotations

import os
import random
from types import ModuleType
from typing import Any

import anthropic

from scaffolder.testing import FakeAnthropic, Fault, long_text

from .conftest import NO_PREFILL_MODEL, PREFILL_MODEL

STREAMS = int(os.environ.get("SOAK_STREAMS", "60"))
TOOLS = [{"name": "lookup", "description": "d", "input_schema": {"type": "object"}}]
TOOL_INPUT = {"query": "exactly once", "limit": 3}
HAS_THINKING = hasattr(anthropic.types, "ThinkingConfigParam")


def _fault(rng: random.Random) -> Fault:
    at = rng.choice([None, rng.randint(0, 60), rng.randint(-8, -1)])
    kind = rng.randrange(9)
    if kind == 0:
        return Fault.close(at)
    if kind == 1:
        return Fault.reset(at)
    if kind == 2:
        return Fault.eof(at)
    if kind == 3:
        return Fault.truncated_line(at)
    if kind == 4:
        return Fault.invalid_json(at)
    if kind == 5:
        return Fault.error_event("overloaded_error", at)
    if kind == 6:
        return Fault.status(rng.choice([429, 500, 529]))
    if kind == 7:
        return Fault.after_message_delta()
    return Fault.before_message_start()


def _case(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    thinking = HAS_THINKING and rng.random() < 0.5
    return {
        "seed": seed,
        "text": long_text(rng.randint(50, 1500), seed=seed),
        "model": rng.choice([PREFILL_MODEL, NO_PREFILL_MODEL]),
        "thinking": thinking,
        "tools": rng.random() < 0.3,
        "overlap": rng.choice([None, None, 0, 8, 20]),
        "chunk_tokens": rng.choice([1, 2, 3, 5]),
        "faults": [_fault(rng) for _ in range(rng.randint(0, 4))],
    }


def _setup(api: FakeAnthropic, case: dict[str, Any]) -> dict[str, Any]:
    api.reset()
    api.text = case["text"]
    api.chunk_tokens = case["chunk_tokens"]
    api.continuation_overlap = case["overlap"]
    api.tool_use = {"name": "lookup", "input": TOOL_INPUT}
    api.script(*case["faults"])
    params: dict[str, Any] = {
        "model": case["model"],
        "max_tokens": 20_000,
        "messages": [{"role": "user", "content": "Go."}],
    }
    if case["thinking"]:
        params["thinking"] = {"type": "enabled", "budget_tokens": 1024}
    if case["tools"]:
        params["tools"] = TOOLS
    return params


def _check(api: FakeAnthropic, case: dict[str, Any], text: str, message: Any) -> None:
    where = f"seed {case['seed']}: {[f.name for f in case['faults']]}"
    assert text == case["text"], where
    kinds = [block.type for block in message.content]
    expected = ["thinking"] if case["thinking"] else []
    expected.append("text")
    if case["tools"]:
        expected.append("tool_use")
        assert message.content[-1].input == TOOL_INPUT, where
    assert kinds == expected, where
    assert message.stop_reason == ("tool_use" if case["tools"] else "end_turn"), where
    assert len(api.message_requests) <= len(case["faults"]) + 1, where


def test_soak_sync(cs: ModuleType, fake_anthropic: FakeAnthropic) -> None:
    with anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test") as client:
        for seed in range(STREAMS):
            case = _case(seed)
            params = _setup(fake_anthropic, case)
            with cs.recovering_stream(client, **params) as stream:
                text = "".join(stream.text_stream)
            _check(fake_anthropic, case, text, stream.get_final_message())


async def test_soak_async(cs: ModuleType, fake_anthropic: FakeAnthropic) -> None:
    async with anthropic.AsyncAnthropic(base_url=fake_anthropic.base_url, api_key="test") as client:
        for seed in range(10_000, 10_000 + STREAMS):
            case = _case(seed)
            params = _setup(fake_anthropic, case)
            async with cs.async_recovering_stream(client, **params) as stream:
                text = "".join([piece async for piece in stream.text_stream])
            _check(fake_anthropic, case, text, await stream.get_final_message())
