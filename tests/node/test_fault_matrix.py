"""The Node runtime against the fault matrix of the Python runtime (tests/runtime), in node, with
the real `@anthropic-ai/sdk` (current and previous major) over real HTTP to the fake API.

Each test scripts faults for the first requests, streams through the rendered module and checks
that `textStream` yielded the server's answer exactly once, that `finalMessage()` agrees, and
what the retries looked like.
"""

from __future__ import annotations

from typing import Any

import pytest

from scaffolder.testing import FakeAnthropic, Fault, long_text

from .conftest import NodeSDK, run_node

# node + npm packages from the registry (installed once into a cache): like building a venv
pytestmark = pytest.mark.slow

TEXT = long_text(1500, seed=7)
PREFILL_MODEL = "claude-haiku-4-5"
NO_PREFILL_MODEL = "claude-sonnet-4-6"
# The 3 s stalls of the matrix are caught by a 1 s watchdog.
FAST = {"idleTimeoutMs": 1000}

# (fault, what the first attempt's recorded error may be: names, or an HTTP status)
RETRYABLE = [
    pytest.param(Fault.close(at=12), {"TypeError"}, id="close-mid-body"),
    pytest.param(Fault.close(at=2), {"TypeError"}, id="close-before-text"),
    pytest.param(Fault.reset(at=12), {"TypeError", "Error"}, id="reset"),
    pytest.param(Fault.stall(3.0, at=12), {"IdleTimeoutError"}, id="stall-body"),
    pytest.param(Fault.stall_headers(3.0), {"IdleTimeoutError"}, id="stall-headers"),
    pytest.param(Fault.eof(at=12), {"IncompleteStreamError"}, id="eof-mid-body"),
    pytest.param(Fault.eof(at=-3), {"IncompleteStreamError"}, id="eof-before-block-stop"),
    pytest.param(
        Fault.before_message_start(), {"IncompleteStreamError"}, id="before-message-start"
    ),
    pytest.param(Fault.truncated_line(at=12), {"IncompleteStreamError"}, id="truncated-line"),
    pytest.param(Fault.invalid_json(at=12), {"InvalidEventError"}, id="invalid-json"),
    *[
        pytest.param(Fault.error_event(kind, at=12), {"StreamEventError"}, id=f"event-{kind}")
        for kind in ("overloaded_error", "api_error", "rate_limit_error", "timeout_error")
    ],
    pytest.param(
        Fault.error_event("overloaded_error", at=0), {"StreamEventError"}, id="event-first"
    ),
    *[
        pytest.param(Fault.status(code), code, id=f"status-{code}")
        for code in (408, 409, 429, 500, 502, 503, 504, 529)
    ],
]
MODELS = [pytest.param(PREFILL_MODEL, id="prefill"), pytest.param(NO_PREFILL_MODEL, id="user")]


def params(model: str = PREFILL_MODEL, **extra: Any) -> dict[str, Any]:
    return {
        "model": model,
        "max_tokens": 100_000,
        "messages": [{"role": "user", "content": "Tell me everything."}],
        **extra,
    }


def _check_error(error: dict[str, Any] | None, expected: set[str] | int) -> None:
    assert error is not None
    if isinstance(expected, int):
        assert error["status"] == expected
    else:
        assert error["name"] in expected, error


def _check_result(api: FakeAnthropic, model: str, report: dict[str, Any], expected: Any) -> None:
    assert "error" not in report, report
    attempts = report["attempts"]
    message = report["message"]
    assert "".join(report["pieces"]) == TEXT
    assert report["finalText"] == TEXT
    assert [block["type"] for block in message["content"]] == ["text"]
    assert message["content"][0]["text"] == TEXT
    assert message["stop_reason"] == "end_turn"
    assert len(api.requests) == len(attempts) == 2
    _check_error(attempts[0]["error"], expected)
    assert attempts[1]["error"] is None
    assert sum(a["chars"] for a in attempts) == len(TEXT)
    # usage is summed over the attempts
    usages = [a["usage"] for a in attempts if a["usage"]]
    assert message["usage"]["input_tokens"] == sum(u["input_tokens"] for u in usages)
    assert message["usage"]["output_tokens"] == sum(u["output_tokens"] for u in usages)
    # the SDK's own retries are off: every request is one of ours
    second = api.requests[1].json
    if attempts[0]["chars"] == 0:
        assert attempts[1]["strategy"] == "restart"
        assert second["messages"] == api.requests[0].json["messages"]
    elif model == PREFILL_MODEL:
        assert attempts[1]["strategy"] == "prefill"
        assert second["messages"][-1] == {
            "role": "assistant",
            "content": TEXT[: attempts[0]["chars"]].rstrip(),
        }
        assert api.requests[1].mode == "prefill"
    else:
        assert attempts[1]["strategy"] == "user"
        assert second["messages"][-1]["role"] == "user"
        assert second["messages"][-2]["content"] == TEXT[: attempts[0]["chars"]].rstrip()
        assert api.requests[1].mode == "continuation"
    assert second["max_tokens"] < 100_000 or attempts[0]["chars"] < 4


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(("fault", "expected"), RETRYABLE)
def test_recovers_exactly(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, model: str, fault: Fault, expected: Any
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(fault)
    report = run_node(node_sdk, fake_anthropic, params(model), options=FAST)
    _check_result(fake_anthropic, model, report, expected)


@pytest.mark.parametrize("model", MODELS)
def test_commonjs_build_recovers_exactly(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, model: str
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=12))
    report = run_node(node_sdk, fake_anthropic, params(model), variant="cjs", options=FAST)
    _check_result(fake_anthropic, model, report, {"TypeError"})


@pytest.mark.parametrize("model", MODELS)
def test_several_breaks_in_one_answer(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, model: str
) -> None:
    fake_anthropic.text = long_text(4000, seed=11)
    faults = [Fault.close(at=9), Fault.reset(at=15), Fault.eof(at=7), Fault.invalid_json(at=20)]
    fake_anthropic.script(*faults)
    report = run_node(node_sdk, fake_anthropic, params(model))
    assert "".join(report["pieces"]) == fake_anthropic.text
    assert report["finalText"] == fake_anthropic.text
    assert len(fake_anthropic.requests) == 5
    assert [a["error"] is None for a in report["attempts"]] == [False] * 4 + [True]


def test_eof_after_message_delta_is_accepted(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    # The stop reason is known: nothing is missing, and continuing a finished answer is wrong.
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.eof(at=-1))
    report = run_node(node_sdk, fake_anthropic, params())
    assert "".join(report["pieces"]) == TEXT
    assert len(fake_anthropic.requests) == 1
    assert report["message"]["stop_reason"] == "end_turn"


def test_sdk_without_recovery_truncates_silently(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    # Why the runtime exists: the same fault through the bare SDK loses text and says nothing.
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.eof(at=12))
    report = run_node(node_sdk, fake_anthropic, params(), options={"maxAttempts": 1})
    assert report["error"]["name"] == "StreamRecoveryError"
    assert report["cause"]["name"] == "IncompleteStreamError"
    assert TEXT.startswith(report["partialText"])
    assert 0 < len(report["partialText"]) < len(TEXT)
