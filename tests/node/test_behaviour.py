"""The Node runtime's rules besides the fault matrix, as the Python runtime's tests pin them:
what propagates after one request, the budget, continuation choices, the caller's signal."""

from __future__ import annotations

import pytest

from scaffolder.testing import FakeAnthropic, Fault, long_text

from .conftest import TIMEOUT, NodeSDK, run_node
from .test_fault_matrix import NO_PREFILL_MODEL, PREFILL_MODEL, TEXT, params

# node + npm packages from the registry (installed once into a cache): like building a venv
pytestmark = pytest.mark.slow

NON_RETRYABLE = [
    *[
        pytest.param(Fault.status(code), id=f"status-{code}")
        for code in (400, 401, 403, 404, 413, 422)
    ],
    # The server may say "retry" but a malformed request stays malformed.
    pytest.param(Fault.status(400, should_retry=True), id="400-should-retry"),
    pytest.param(Fault.status(529, should_retry=False), id="529-no"),
    *[
        pytest.param(Fault.error_event(kind, at=12), id=f"event-{kind}")
        for kind in (
            "invalid_request_error",
            "authentication_error",
            "permission_error",
            "billing_error",
            "not_found_error",
        )
    ],
]


@pytest.mark.parametrize("fault", NON_RETRYABLE)
def test_propagates_after_one_request(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, fault: Fault
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(fault)
    report = run_node(node_sdk, fake_anthropic, params())
    error = report["error"]
    assert len(fake_anthropic.requests) == 1
    assert len(report["attempts"]) == 1
    if fault.kind == "error_event":
        assert error["name"] == "StreamEventError"
        assert error["errorType"] == fault.error_type
    else:
        assert error["status"] == fault.status_code
        assert error["name"] != "StreamRecoveryError"


def test_gives_up_after_max_attempts_with_the_partial_text(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=12), Fault.close(at=12), Fault.close(at=12))
    report = run_node(node_sdk, fake_anthropic, params(), options={"maxAttempts": 3})
    assert report["error"]["name"] == "StreamRecoveryError"
    assert "3 attempts" in report["error"]["message"]
    assert report["partialText"] == "".join(report["pieces"])
    assert TEXT.startswith(report["partialText"])
    assert len(fake_anthropic.requests) == 3
    assert report["cause"]["name"] == "TypeError"


def test_retry_after_beyond_max_elapsed_gives_up_at_once(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(Fault.status(529, retry_after=120))
    report = run_node(
        node_sdk, fake_anthropic, params(), options={"maxElapsedMs": 60_000}, testing=False
    )
    assert report["error"]["name"] == "StreamRecoveryError"
    assert "elapsed" in report["error"]["message"]
    assert len(fake_anthropic.requests) == 1


def test_the_callers_signal_stops_without_retrying(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.stall(30, at=12))
    report = run_node(node_sdk, fake_anthropic, params(), options={"abortAfterChars": 1})
    assert report["error"] is not None
    assert report["error"]["name"] != "StreamRecoveryError"
    assert len(fake_anthropic.requests) == 1


def test_make_client_uses_the_rendered_timeout(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    report = run_node(node_sdk, fake_anthropic, params())
    assert report["clientTimeout"] == TIMEOUT * 1000


def test_prefill_rejected_by_an_unknown_model_switches_to_a_user_turn(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    # An unknown model name is tried with prefill; the fake rejects prefill for 4.6+ names.
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=12))
    model = "claude-5"
    report = run_node(node_sdk, fake_anthropic, params(model), options={"continuation": "auto"})
    assert "".join(report["pieces"]) == TEXT
    assert [a["strategy"] for a in report["attempts"]] == ["initial", "prefill", "user"]
    assert report["attempts"][1]["error"]["status"] == 400


def test_forced_user_turn_on_a_prefill_model(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=12))
    report = run_node(node_sdk, fake_anthropic, params(), options={"continuation": "user"})
    assert "".join(report["pieces"]) == TEXT
    assert fake_anthropic.requests[1].mode == "continuation"


def test_a_callers_prefill_is_merged(node_sdk: NodeSDK, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = TEXT
    prefill = TEXT[:40].rstrip()
    fake_anthropic.script(Fault.close(at=12))
    messages = [
        {"role": "user", "content": "Tell me everything."},
        {"role": "assistant", "content": prefill},
    ]
    report = run_node(node_sdk, fake_anthropic, params(messages=messages))
    received = "".join(report["pieces"])
    assert prefill + received == TEXT
    second = fake_anthropic.requests[1].json["messages"][-1]
    assert second == {
        "role": "assistant",
        "content": (prefill + received)[: len(second["content"])],
    }
    assert second["content"].startswith(prefill)


def test_max_tokens_is_lowered_by_what_was_received(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = long_text(4000, seed=3)
    fake_anthropic.script(Fault.close(at=40))
    report = run_node(node_sdk, fake_anthropic, params(NO_PREFILL_MODEL, max_tokens=5000))
    chars = report["attempts"][0]["chars"]
    assert chars > 0
    assert fake_anthropic.requests[1].json["max_tokens"] == 5000 - chars // 4


@pytest.mark.parametrize(
    "options",
    [{"maxAttempts": 0}, {"idleTimeoutMs": 0}, {"continuation": "sometimes"}, {"minOverlap": 0}],
)
def test_bad_options_are_refused_before_any_request(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic, options: dict[str, object]
) -> None:
    report = run_node(node_sdk, fake_anthropic, params(), options=options)
    assert report["error"]["name"] == "RangeError"
    assert fake_anthropic.requests == []


def test_stream_false_is_refused(node_sdk: NodeSDK, fake_anthropic: FakeAnthropic) -> None:
    report = run_node(node_sdk, fake_anthropic, params(PREFILL_MODEL, stream=False))
    assert report["error"]["name"] == "TypeError"
    assert fake_anthropic.requests == []


def test_a_slow_reader_is_not_an_idle_connection(
    node_sdk: NodeSDK, fake_anthropic: FakeAnthropic
) -> None:
    # The watchdog counts only time spent waiting for bytes, not time the loop body takes.
    fake_anthropic.text = TEXT
    report = run_node(
        node_sdk, fake_anthropic, params(), options={"idleTimeoutMs": 500, "slowReaderMs": 1200}
    )
    assert "".join(report["pieces"]) == TEXT
    assert len(fake_anthropic.requests) == 1


def test_retry_after_is_honoured(node_sdk: NodeSDK, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.status(529, retry_after=0.25))
    report = run_node(node_sdk, fake_anthropic, params(), testing=False)
    assert "".join(report["pieces"]) == TEXT
    assert [a["delayMs"] for a in report["attempts"]] == [0, 250]
