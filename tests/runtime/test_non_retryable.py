"""Errors retrying cannot fix propagate unchanged after exactly one request."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic, Fault

from .conftest import NO_PREFILL_MODEL, PREFILL_MODEL, request_params

STATUSES = [
    (400, anthropic.BadRequestError),
    (401, anthropic.AuthenticationError),
    (403, anthropic.PermissionDeniedError),
    (404, anthropic.NotFoundError),
    (413, anthropic.APIStatusError),  # a subclass in newer SDKs, APIStatusError in all
    (422, anthropic.UnprocessableEntityError),
]
NON_RETRYABLE = [
    *[pytest.param(Fault.status(code), cls, id=f"status-{code}") for code, cls in STATUSES],
    # The server may say "retry" but a malformed request stays malformed.
    pytest.param(
        Fault.status(400, should_retry=True), anthropic.BadRequestError, id="400-should-retry"
    ),
    pytest.param(Fault.status(529, should_retry=False), anthropic.APIStatusError, id="529-no"),
    *[
        pytest.param(Fault.error_event(kind, at=12), anthropic.APIStatusError, id=f"event-{kind}")
        for kind in (
            "invalid_request_error",
            "authentication_error",
            "permission_error",
            "billing_error",
            "not_found_error",
        )
    ],
]


def _check(api: FakeAnthropic, raised: BaseException, fault: Fault, cls: type) -> None:
    assert type(raised) is not Exception
    assert isinstance(raised, cls)
    assert len(api.requests) == 1
    if fault.kind == "error_event":
        assert isinstance(raised, anthropic.APIStatusError)
        assert raised.status_code == 200
        assert raised.body["error"]["type"] == fault.error_type  # type: ignore[index]
    else:
        assert raised.status_code == fault.status_code  # type: ignore[attr-defined]


@pytest.mark.parametrize(("fault", "cls"), NON_RETRYABLE)
@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
def test_sync_propagates_unchanged(
    cs: ModuleType,
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    fault: Fault,
    cls: type,
    model: str,
) -> None:
    fake_anthropic.script(fault)
    # The error may come at `with` (a status) or in the loop (an in-stream error).
    with (
        pytest.raises(cls) as info,
        cs.recovering_stream(client, **request_params(model)) as stream,
    ):
        for _ in stream.text_stream:
            pass
    _check(fake_anthropic, info.value, fault, cls)


@pytest.mark.parametrize(("fault", "cls"), NON_RETRYABLE)
async def test_async_propagates_unchanged(
    cs: ModuleType,
    aclient: anthropic.AsyncAnthropic,
    fake_anthropic: FakeAnthropic,
    fault: Fault,
    cls: type,
) -> None:
    fake_anthropic.script(fault)
    with pytest.raises(cls) as info:  # noqa: PT012
        async with cs.async_recovering_stream(aclient, **request_params()) as stream:
            async for _ in stream.text_stream:
                pass
    _check(fake_anthropic, info.value, fault, cls)


def test_keyboard_interrupt_is_not_retried(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    def interrupt(_: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cs.stream_with_recovery(client, on_text=interrupt, **request_params())
    assert len(fake_anthropic.requests) == 1


async def test_cancellation_is_not_retried(
    cs: ModuleType, aclient: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(Fault.stall(30, at=12))
    started = asyncio.Event()

    async def consume() -> None:
        async with cs.async_recovering_stream(aclient, **request_params()) as stream:
            async for _ in stream.text_stream:
                started.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(fake_anthropic.requests) == 1


def test_a_bad_request_is_raised_at_with(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    # Like messages.stream(), the request goes out when the `with` block is entered.
    fake_anthropic.script(Fault.status(400))
    stream: Any = cs.recovering_stream(client, **request_params())
    assert fake_anthropic.requests == []
    with pytest.raises(anthropic.BadRequestError):
        stream.__enter__()
    assert len(fake_anthropic.requests) == 1
