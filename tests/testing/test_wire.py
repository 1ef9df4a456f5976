"""What the fake sends, byte for byte: SSE framing, chunking, headers, and each fault."""

from __future__ import annotations

import http.client
import json

import pytest

from scaffolder.testing import FakeAnthropic, Fault, long_text

from .wire import request, stream_body


def test_healthy_stream_is_chunked_sse_like_the_real_api(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = long_text(3000)
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.status == 200
    assert wire.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert wire.headers["transfer-encoding"] == "chunked"
    assert wire.headers["request-id"].startswith("req_")
    assert "content-length" not in wire.headers
    assert wire.complete
    events = wire.json_events()
    assert len(wire.chunks) == len(events)  # one event per chunk
    names = [name for name, _ in events]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert names.count("ping") > 2  # interleaved between the deltas
    assert all(name == data["type"] for name, data in events)

    start = events[0][1]["message"]
    assert start["id"].startswith("msg_")
    assert start["type"] == "message"
    assert start["role"] == "assistant"
    assert start["model"] == "claude-haiku-4-5"
    assert start["content"] == []
    assert start["stop_reason"] is None
    assert start["stop_sequence"] is None
    assert start["usage"]["input_tokens"] >= 1
    assert start["usage"]["output_tokens"] >= 0
    assert events[1][1]["content_block"] == {"type": "text", "text": ""}

    deltas = [d["delta"] for name, d in events if name == "content_block_delta"]
    assert all(d["type"] == "text_delta" for d in deltas)
    assert "".join(d["text"] for d in deltas) == fake_anthropic.text
    message_delta = events[-2][1]
    assert message_delta["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}
    assert message_delta["usage"]["output_tokens"] > 100
    assert fake_anthropic.requests[0].request_id == wire.headers["request-id"]


def test_unicode_travels_as_utf8(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = "Grüße aus 日本 🚀\nzweite Zeile."
    wire = request(fake_anthropic.base_url, stream_body())
    assert "🚀".encode() in wire.body
    deltas = [d["delta"]["text"] for n, d in wire.json_events() if n == "content_block_delta"]
    assert "".join(deltas) == fake_anthropic.text


def _healthy_event_count(api: FakeAnthropic) -> int:
    return len(request(api.base_url, stream_body()).events())


@pytest.mark.parametrize("at", [0, 1, 5, 9])
def test_close_sends_events_before_at_and_no_final_chunk(
    fake_anthropic: FakeAnthropic, at: int
) -> None:
    fake_anthropic.script(Fault.close(at=at))
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.status == 200
    assert not wire.complete
    assert not wire.reset
    assert len(wire.events()) == at


def test_negative_and_huge_at_stop_just_before_message_stop(fake_anthropic: FakeAnthropic) -> None:
    total = _healthy_event_count(fake_anthropic)
    fake_anthropic.script(Fault.close(at=-1), Fault.close(at=10**6), Fault.close(at=-(10**6)))
    assert len(request(fake_anthropic.base_url, stream_body()).events()) == total - 1
    assert len(request(fake_anthropic.base_url, stream_body()).events()) == total - 1
    assert len(request(fake_anthropic.base_url, stream_body()).events()) == 0


def test_default_at_is_halfway_through_the_text(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.close())
    wire = request(fake_anthropic.base_url, stream_body())
    text = "".join(d["delta"]["text"] for n, d in wire.json_events() if n == "content_block_delta")
    assert 0.3 < len(text) / len(fake_anthropic.text) < 0.7


def test_reset_ends_with_a_rst(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.reset(at=4))
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.reset
    assert not wire.complete


def test_eof_is_a_clean_end_without_message_stop(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.eof(at=7))
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.complete
    assert len(wire.events()) == 7


def test_before_message_start_is_headers_and_an_empty_body(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.before_message_start())
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.status == 200
    assert wire.complete
    assert wire.body == b""


def test_truncated_line_cuts_inside_the_data_line(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.truncated_line(at=5))
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.complete
    assert len(wire.events()) == 5
    tail = wire.body.decode().split("\n\n")[-1]
    assert tail.startswith("event: content_block_delta\ndata: {")
    assert not tail.endswith("\n")


def test_invalid_json_data_line(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.invalid_json(at=5))
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.complete
    name, data = wire.body.decode().rstrip("\n").split("\n\n")[-1].splitlines()
    assert name == "event: content_block_delta"
    with pytest.raises(json.JSONDecodeError):
        json.loads(data.removeprefix("data: "))


def test_error_event_body_matches_the_real_api(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.error_event("overloaded_error", at=5))
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.status == 200
    assert wire.complete
    events = wire.json_events()
    assert len(events) == 6
    assert events[-1] == (
        "error",
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
    )


def test_status_fault_headers_and_json_body(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(
        Fault.status(429, retry_after=7, should_retry=True),
        Fault.status(500, should_retry=False, message="boom"),
    )
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.status == 429
    assert wire.headers["retry-after"] == "7"
    assert wire.headers["x-should-retry"] == "true"
    assert wire.headers["content-type"] == "application/json"
    body = json.loads(wire.body)
    assert body["type"] == "error"
    assert body["error"]["type"] == "rate_limit_error"
    assert body["request_id"] == wire.headers["request-id"]
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.status == 500
    assert wire.headers["x-should-retry"] == "false"
    assert "retry-after" not in wire.headers
    assert json.loads(wire.body)["error"] == {"type": "api_error", "message": "boom"}


def test_stall_headers_sends_nothing_first(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.stall_headers(0.2))
    wire = request(fake_anthropic.base_url, stream_body())
    assert wire.status == 200
    assert wire.complete


def test_script_is_consumed_in_order_and_then_healthy(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.status(529), None)
    fake_anthropic.script(Fault.eof(at=3))
    assert fake_anthropic.pending == 3
    results = [request(fake_anthropic.base_url, stream_body()) for _ in range(4)]
    assert [w.status for w in results] == [529, 200, 200, 200]
    full = _healthy_event_count(fake_anthropic)
    assert [len(w.events()) for w in results[1:]] == [full, 3, full]
    faults = [r.fault for r in fake_anthropic.requests]
    assert faults == [Fault.status(529), None, Fault.eof(3), None, None]
    assert fake_anthropic.pending == 0


def test_non_stream_request_gets_a_json_message(fake_anthropic: FakeAnthropic) -> None:
    wire = request(fake_anthropic.base_url, stream_body(stream=False))
    assert wire.status == 200
    assert wire.headers["content-type"] == "application/json"
    message = json.loads(wire.body)
    assert message["content"] == [{"type": "text", "text": fake_anthropic.text}]
    assert message["stop_reason"] == "end_turn"
    assert message["usage"]["output_tokens"] > 0


@pytest.mark.parametrize("fault", [Fault.close(), Fault.eof(), Fault.before_message_start()])
def test_non_stream_connection_faults_cut_the_body(
    fake_anthropic: FakeAnthropic, fault: Fault
) -> None:
    fake_anthropic.script(fault)
    wire = request(fake_anthropic.base_url, stream_body(stream=False))
    assert wire.status == 200
    assert not wire.complete


def test_non_stream_error_event_becomes_its_status(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.error_event("overloaded_error"), Fault.error_event("api_error"))
    assert request(fake_anthropic.base_url, stream_body(stream=False)).status == 529
    assert request(fake_anthropic.base_url, stream_body(stream=False)).status == 500


def test_beta_query_is_served_and_recorded(fake_anthropic: FakeAnthropic) -> None:
    wire = request(fake_anthropic.base_url, stream_body(), path="/v1/messages?beta=true")
    assert wire.complete
    (recorded,) = fake_anthropic.requests
    assert recorded.path == "/v1/messages"
    assert recorded.query == {"beta": "true"}


def test_unknown_path_is_a_json_404(fake_anthropic: FakeAnthropic) -> None:
    wire = request(fake_anthropic.base_url, method="GET", path="/v1/models")
    assert wire.status == 404
    assert json.loads(wire.body)["error"]["type"] == "not_found_error"
    assert fake_anthropic.message_requests == []


def test_count_tokens(fake_anthropic: FakeAnthropic) -> None:
    body = {"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": "one two"}]}
    wire = request(fake_anthropic.base_url, body, path="/v1/messages/count_tokens")
    assert json.loads(wire.body)["input_tokens"] >= 1


def test_bad_request_bodies_are_400(fake_anthropic: FakeAnthropic) -> None:
    assert request(fake_anthropic.base_url, raw=b"{not json").status == 400
    assert request(fake_anthropic.base_url, {"model": "m", "messages": []}).status == 400
    no_max = {"model": "m", "messages": [{"role": "user", "content": "x"}]}
    wire = request(fake_anthropic.base_url, no_max)
    assert wire.status == 400
    assert json.loads(wire.body)["error"]["type"] == "invalid_request_error"


def test_chunked_request_body_is_read(fake_anthropic: FakeAnthropic) -> None:
    data = json.dumps(stream_body()).encode()
    raw = b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data)
    wire = request(fake_anthropic.base_url, raw=raw, headers={"transfer-encoding": "chunked"})
    assert wire.complete
    assert fake_anthropic.requests[0].json == stream_body()


def test_keep_alive_serves_several_requests_on_one_connection(
    fake_anthropic: FakeAnthropic,
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", fake_anthropic.port, timeout=10)
    try:
        for _ in range(3):
            conn.request("POST", "/v1/messages", json.dumps(stream_body()))
            response = conn.getresponse()
            assert response.status == 200
            assert b"event: message_stop" in response.read()
    finally:
        conn.close()
    assert len(fake_anthropic.requests) == 3


def test_request_log_records_what_was_sent(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.eof(at=2))
    request(fake_anthropic.base_url, stream_body(), headers={"x-api-key": "k"})
    (recorded,) = fake_anthropic.requests
    assert recorded.method == "POST"
    assert recorded.headers["x-api-key"] == "k"
    assert recorded.json == stream_body()
    assert recorded.stream
    assert recorded.fault == Fault.eof(at=2)
    assert recorded.status == 200
    assert recorded.mode == "fresh"
    assert recorded.offset == 0


def test_stall_with_pings_sends_pings_during_the_stall(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.stall(0.5, at=4, pings=0.05))
    wire = request(fake_anthropic.base_url, stream_body())
    names = [name for name, _ in wire.events()]
    assert names[4:7] == ["ping", "ping", "ping"]
    assert wire.complete
