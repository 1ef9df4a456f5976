"""Clients of the real anthropic SDK pointed at the `fake_anthropic` fixture."""

from __future__ import annotations

import types
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic

MODEL = "claude-haiku-4-5"  # accepts prefill; not on the SDK's deprecation list
MESSAGES = [{"role": "user", "content": "Write the essay."}]


def _transport() -> types.ModuleType:
    # anthropic 2.x rides on httpx2, older releases on httpx: the transport errors the SDK lets
    # escape from a broken body are that library's classes.
    try:
        import httpx2

        return httpx2
    except ImportError:
        import httpx

        return httpx


transport = _transport()

# Extended thinking arrived in anthropic 0.47; CI also runs this suite on 0.40.
needs_thinking = pytest.mark.skipif(
    not hasattr(anthropic.types, "ThinkingConfigParam"), reason="SDK without extended thinking"
)


@pytest.fixture
def client(fake_anthropic: FakeAnthropic) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(
        base_url=fake_anthropic.base_url, api_key="test", max_retries=0, timeout=10.0
    ) as sdk:
        yield sdk


@pytest.fixture
async def aclient(fake_anthropic: FakeAnthropic) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with anthropic.AsyncAnthropic(
        base_url=fake_anthropic.base_url, api_key="test", max_retries=0, timeout=10.0
    ) as sdk:
        yield sdk


def params(**overrides: Any) -> dict[str, Any]:
    """Request parameters for messages.stream / messages.create."""
    return {"model": MODEL, "max_tokens": 4096, "messages": MESSAGES, **overrides}
