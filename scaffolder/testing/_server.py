"""`FakeAnthropic`: a Messages API on 127.0.0.1 that streams realistic SSE and fails on demand.

Standard library only (it is imported by a pytest plugin that loads in every test session).
One daemon thread accepts connections, one daemon thread serves each connection; `stop()`
shuts every open connection, wakes stalled responses and joins all of them.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scaffolder.testing._answer import (
    Answer,
    ApiError,
    message_json,
    plan_answer,
    stream_events,
)
from scaffolder.testing._faults import ERROR_MESSAGES, Fault
from scaffolder.testing._text import count_tokens, long_text

log = logging.getLogger("scaffolder.testing")

DEFAULT_TEXT = long_text(1200, seed=1)
DEFAULT_THINKING = (
    "The user wants a complete answer. I will write it in order, paragraph by paragraph, "
    "and make sure nothing is left out."
)

# The status the real API uses for each in-stream error type when it fails a whole request.
_TYPE_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, recorded before it was answered."""

    method: str
    path: str  # without the query string, e.g. "/v1/messages"
    query: dict[str, str]  # e.g. {"beta": "true"} for client.beta.messages
    headers: dict[str, str]  # lower-case names
    json: Any  # the parsed body (None if there was no body or it was not JSON)
    fault: Fault | None  # the scripted fault this request consumed (None = healthy)
    request_id: str  # the `request-id` response header
    status: int  # the HTTP status answered (200 for every stream, even a faulty one)
    mode: str  # "fresh", "prefill", "continuation", or "" when no answer was planned
    offset: int  # where in `FakeAnthropic.text` the answer started

    @property
    def stream(self) -> bool:
        """True if the request asked for a streamed answer."""
        return isinstance(self.json, dict) and bool(self.json.get("stream"))


class _Aborted(Exception):
    """The fake is closing this connection (test over or server stopping)."""


class _ServerState:
    """What the test side (`FakeAnthropic`) and the serving threads share, behind one lock:
    the fault script, the request log, the id counter and the event that aborts stalls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: collections.deque[Fault | None] = collections.deque()
        self._requests: list[RecordedRequest] = []
        self._ids = 0
        self._wake = threading.Event()

    def queue(self, faults: Iterable[Fault | None]) -> None:
        with self._lock:
            self._script.extend(faults)

    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        """Empty the script and the request log (ids keep counting: they stay unique)."""
        with self._lock:
            self._script.clear()
            self._requests.clear()

    def next_fault(self) -> Fault | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def next_id(self, prefix: str) -> str:
        with self._lock:
            self._ids += 1
            return f"{prefix}_01FakeAnthropic{self._ids:010d}"

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def abort_event(self) -> threading.Event:
        """Set by the next `abort_stalls()`: a request takes it when it arrives."""
        with self._lock:
            return self._wake

    def abort_stalls(self) -> None:
        """Wake every response stalled now; later requests get a fresh event."""
        with self._lock:
            wake, self._wake = self._wake, threading.Event()
        wake.set()


@dataclass(frozen=True)
class _Request:
    """One request as read off the wire: what routing, planning and the record need."""

    method: str
    path: str  # without the query string
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: Any  # the parsed JSON body (None if there was no body or it was not JSON)
    malformed: bool  # a body was sent and it is not JSON
    request_id: str

    @property
    def streaming(self) -> bool:
        return isinstance(self.body, dict) and bool(self.body.get("stream"))


class _HTTPServer(HTTPServer):
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], api: FakeAnthropic, state: _ServerState) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.api = api  # its public settings: what to answer and how fast
        self.state = state
        self.lock = threading.Lock()
        self.threads: set[threading.Thread] = set()
        self.connections: set[socket.socket] = set()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can take
        # seconds on a machine without DNS. The name is never used here.
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"fake-anthropic-{client_address[1]}",
            daemon=True,
        )
        with self.lock:
            self.threads.add(thread)
            self.connections.add(request)
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self.lock:
                self.connections.discard(request)
                self.threads.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (OSError, _Aborted)):
            return  # the client went away or we cut the connection on purpose: not news
        if error is not None:
            self.api.errors.append(error)
            log.error("fake Anthropic API failed on a request", exc_info=error)

    def drop_connections(self) -> None:
        with self.lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def join_threads(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self.lock:
            threads = list(self.threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


_TEXT_DELTA = (
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":%d,'
    '"delta":{"type":"text_delta","text":%s}}\n\n'
)


def _event_bytes(name: str, data: dict[str, Any]) -> bytes:
    delta: dict[str, Any] = data.get("delta") or {}
    if name == "content_block_delta" and delta.get("type") == "text_delta":
        # Most events of a long answer: 3x cheaper than dumping the whole dict, same bytes.
        return (
            _TEXT_DELTA % (data["index"], json.dumps(delta["text"], ensure_ascii=False))
        ).encode()
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {payload}\n\n".encode()


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


_LAST_CHUNK = b"0\r\n\r\n"
# struct linger {on, seconds}: two ints on POSIX, two u_shorts on Windows.
_LINGER_ZERO = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-anthropic"
    # Idle keep-alive connections are closed after this long, as real servers do, so a
    # long-running fake does not keep one thread per forgotten connection.
    timeout = 300
    sys_version = ""
    server: _HTTPServer
    _abort: threading.Event

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    # --- plumbing ---------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send_json(
        self,
        status: int,
        body: dict[str, Any],
        request_id: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self._send_head(
            status,
            {
                "content-type": "application/json",
                "content-length": str(len(data)),
                "request-id": request_id,
                **(headers or {}),
            },
        )
        self.wfile.write(data)

    def _cut(self, *, rst: bool) -> None:
        """End the connection now: FIN without the final chunk, or RST."""
        self.close_connection = True
        sock = self.connection
        if rst:
            # SO_LINGER 0 makes close() send a RST. rfile holds a reference to the socket, so
            # close it first or the socket (and the RST) would wait for the handler to finish.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ZERO)
            self.rfile.close()
            sock.close()
        else:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _send_events(self, events: list[tuple[str, dict[str, Any]]], delay: float) -> None:
        for name, data in events:
            if delay > 0:
                self._stall(delay)
            self.wfile.write(_chunk(_event_bytes(name, data)))

    def _stall_with_pings(self, seconds: float, interval: float | None) -> None:
        if not interval or interval <= 0:
            self._stall(seconds)
            return
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._stall(min(interval, left))
            if deadline - time.monotonic() > 0:
                self.wfile.write(_chunk(_event_bytes("ping", {"type": "ping"})))

    def _stall(self, seconds: float) -> None:
        # The abort event was taken when the request arrived: a close_connections() any time
        # after that (even before the stall starts) ends the stall.
        if self._abort.wait(seconds):
            raise _Aborted

    # --- requests ---------------------------------------------------------------------------

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        """Route: token counting, the Messages endpoint, or a 404 for anything else."""
        # Taken before anything else: a close_connections() from now on ends this response.
        self._abort = self.server.state.abort_event()
        request = self._read_request()
        if request.method == "POST" and request.path == "/v1/messages/count_tokens":
            self._count_tokens(request)
        elif request.method == "POST" and request.path == "/v1/messages":
            self._messages(request)
        else:
            self._not_found(request)

    def _read_request(self) -> _Request:
        url = urlsplit(self.path)
        raw = self._read_body()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        return _Request(
            method=self.command,
            path=url.path,
            query=dict(parse_qsl(url.query)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            malformed=bool(raw) and body is None,
            request_id=self.server.state.next_id("req"),
        )

    def _record(
        self, request: _Request, fault: Fault | None, status: int, answer: Answer | None
    ) -> None:
        """Log the request (before it is answered: a test may look while it streams)."""
        self.server.state.record(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=request.query,
                headers=request.headers,
                json=request.body,
                fault=fault,
                request_id=request.request_id,
                status=status,
                mode=answer.mode if answer else "",
                offset=answer.offset if answer else 0,
            )
        )

    def _count_tokens(self, request: _Request) -> None:
        self._record(request, None, 200, None)
        body = request.body
        messages = body.get("messages") if isinstance(body, dict) else None
        total = sum(
            count_tokens(json.dumps(m.get("content"), ensure_ascii=False))
            for m in (messages if isinstance(messages, list) else [])
            if isinstance(m, dict)
        )
        self._send_json(200, {"input_tokens": max(1, total)}, request.request_id)

    def _not_found(self, request: _Request) -> None:
        self._record(request, None, 404, None)
        message = f"{request.method} {request.path} is not served by the fake Anthropic API"
        error = _error_body("not_found_error", message, request.request_id)
        self._send_json(404, error, request.request_id)

    def _messages(self, request: _Request) -> None:
        """`POST /v1/messages`: take the next scripted fault, plan the answer, apply the fault
        to the response as a whole (an HTTP error, stalled headers), then write it."""
        fault = self.server.state.next_fault()
        planned = _plan(self.server.api, request)
        answer = planned if isinstance(planned, Answer) else None
        status_fault = _as_status_fault(fault, streaming=request.streaming)
        if status_fault is not None:
            self._record(request, fault, status_fault.status_code or 500, answer)
            self._send_status_fault(status_fault, request.request_id)
            return
        status = planned.status if isinstance(planned, ApiError) else 200
        self._record(request, fault, status, answer)
        if fault is not None and fault.kind == "stall_headers":
            self._stall(fault.seconds)
            fault = None
        if isinstance(planned, ApiError):
            error = _error_body(planned.type, planned.message, request.request_id)
            self._send_json(planned.status, error, request.request_id)
            return
        message_id = self.server.state.next_id("msg")
        if request.streaming:
            self._stream(planned, message_id, request.request_id, fault)
        else:
            self._answer_json(planned, message_id, request.request_id, fault)

    def _send_status_fault(self, fault: Fault, request_id: str) -> None:
        error_type = fault.error_type or "api_error"
        message = fault.message or ERROR_MESSAGES.get(error_type, "error")
        headers: dict[str, str] = {}
        if fault.retry_after is not None:
            headers["retry-after"] = f"{fault.retry_after:g}"
        if fault.should_retry is not None:
            headers["x-should-retry"] = "true" if fault.should_retry else "false"
        self._send_json(
            fault.status_code or 500,
            _error_body(error_type, message, request_id),
            request_id,
            headers,
        )

    def _answer_json(
        self, answer: Answer, message_id: str, request_id: str, fault: Fault | None
    ) -> None:
        data = json.dumps(message_json(answer, message_id), ensure_ascii=False).encode()
        if fault is not None and fault.kind == "invalid_json":
            data = data[: len(data) // 2]
            fault = None
        self._send_head(
            200,
            {
                "content-type": "application/json",
                "content-length": str(len(data)),
                "request-id": request_id,
            },
        )
        if fault is None:
            self.wfile.write(data)
        elif fault.kind == "stall":
            self._stall(fault.seconds)
            self.wfile.write(data)
        else:  # every connection fault: half the body, then the connection goes away
            self.wfile.write(data[: len(data) // 2])
            self._cut(rst=fault.kind == "reset")

    def _stream(
        self, answer: Answer, message_id: str, request_id: str, fault: Fault | None
    ) -> None:
        api = self.server.api
        events = stream_events(
            answer, message_id, chunk_tokens=api.chunk_tokens, ping_every=api.ping_every
        )
        at = _fault_index(fault, events) if fault is not None else len(events)
        if fault is not None and fault.kind == "invalid_json":
            # The SDK never parses a ping's data: break the next event it does parse.
            while events[at][0] == "ping":
                at += 1
        self._send_head(
            200,
            {
                "content-type": "text/event-stream; charset=utf-8",
                "cache-control": "no-cache",
                "transfer-encoding": "chunked",
                "request-id": request_id,
            },
        )
        self._send_events(events[:at], api.event_delay)
        if fault is None:
            self.wfile.write(_LAST_CHUNK)
        else:
            self._break_stream(fault, events, at)

    def _break_stream(
        self, fault: Fault, events: list[tuple[str, dict[str, Any]]], at: int
    ) -> None:
        """The rest of a stream whose events before `at` are sent, as `fault` makes it go."""
        write = self.wfile.write
        kind = fault.kind
        if kind == "stall":
            self._stall_with_pings(fault.seconds, fault.ping_interval)
            self._send_events(events[at:], self.server.api.event_delay)
            write(_LAST_CHUNK)
        elif kind == "close":
            self._cut(rst=False)
        elif kind == "reset":
            self._cut(rst=True)
        elif kind in ("eof", "before_message_start"):
            write(_LAST_CHUNK)
        elif kind == "truncated_line":
            name, data = events[at]
            text = _event_bytes(name, data).decode()
            cut = text.index("\ndata: ") + len("\ndata: ") + max(1, (len(text) - 8) // 3)
            write(_chunk(text[:cut].encode()))
            write(_LAST_CHUNK)
        elif kind == "invalid_json":
            name, _ = events[at]
            write(_chunk(f'event: {name}\ndata: {{"type": "{name}", "index": 0,,}}\n\n'.encode()))
            write(_LAST_CHUNK)
        elif kind == "error_event":
            error_type = fault.error_type or "api_error"
            message = fault.message or ERROR_MESSAGES.get(error_type, "error")
            error = {"type": "error", "error": {"type": error_type, "message": message}}
            write(_chunk(_event_bytes("error", error)))
            write(_LAST_CHUNK)
        else:  # pragma: no cover - every Fault kind is handled above
            raise AssertionError(f"unhandled fault kind {kind!r}")


def _fault_index(fault: Fault, events: list[tuple[str, dict[str, Any]]]) -> int:
    """The event index a body fault happens at: never after the last event (message_stop)."""
    last = len(events) - 1
    if fault.at is None:
        text_deltas = [
            i
            for i, (_, data) in enumerate(events)
            if data.get("type") == "content_block_delta" and data["delta"]["type"] == "text_delta"
        ]
        return text_deltas[len(text_deltas) // 2] if text_deltas else last
    at = fault.at + len(events) if fault.at < 0 else fault.at
    return min(max(at, 0), last)


def _error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }


def _plan(api: FakeAnthropic, request: _Request) -> Answer | ApiError:
    """What `api`, with its settings now, answers to `request` (validated as the real API
    does): the responder's scripted answer if it gives one, else the planned one."""
    if request.malformed:
        return ApiError(400, "invalid_request_error", "the request body is not valid JSON")
    body = request.body
    responder = api.responder
    if responder is not None and (scripted := responder(body)) is not None:
        return scripted
    return plan_answer(
        body,
        text=api.text,
        thinking_text=api.thinking_text,
        continuation_overlap=api.continuation_overlap,
        tool_use=api.tool_use,
    )


def _as_status_fault(fault: Fault | None, *, streaming: bool) -> Fault | None:
    """The HTTP error `fault` turns the whole response into, if it does: a `status` fault, or
    an error event asked of a request that does not stream (the real API then answers with the
    error type's HTTP status)."""
    if fault is None:
        return None
    if fault.kind == "status":
        return fault
    if fault.kind == "error_event" and not streaming:
        status = _TYPE_STATUS.get(fault.error_type or "", 500)
        return Fault.status(status, type=fault.error_type, message=fault.message)
    return None


class FakeAnthropic:
    """A fake Anthropic Messages API on 127.0.0.1 with per-request fault injection.

    Use it as a context manager (or call `start()` / `stop()`); it serves from daemon threads,
    so a test, a script or ``scaffold verify --simulate`` can talk to it with the real SDK::

        with FakeAnthropic(text="Hello, world.") as api:
            client = anthropic.Anthropic(base_url=api.base_url, api_key="test")
            api.script(Fault.close(at=5), None)   # next request breaks, the one after is fine
    """

    def __init__(
        self,
        text: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        thinking_text: str = DEFAULT_THINKING,
        continuation_overlap: int | None = None,
        chunk_tokens: int = 3,
        ping_every: int = 25,
        tool_use: dict[str, Any] | None = None,
        event_delay: float = 0.0,
        responder: Callable[[Any], Answer | None] | None = None,
    ) -> None:
        self._defaults: dict[str, Any] = {
            "event_delay": event_delay,
            "text": DEFAULT_TEXT if text is None else text,
            "thinking_text": thinking_text,
            "continuation_overlap": continuation_overlap,
            "chunk_tokens": chunk_tokens,
            "ping_every": ping_every,
            "tool_use": tool_use,
            "responder": responder,
        }
        #: The whole answer of the "model"; each request gets the part after its prefill.
        self.text: str = self._defaults["text"]
        #: The thinking block's text when a request enables extended thinking.
        self.thinking_text: str = thinking_text
        #: Characters repeated at the seam of a user-turn continuation (None: last three words).
        self.continuation_overlap: int | None = continuation_overlap
        #: Tokens per ``content_block_delta`` event.
        self.chunk_tokens: int = chunk_tokens
        #: A ``ping`` event after every this many deltas (0: only the one after the first block).
        self.ping_every: int = ping_every
        #: Seconds between two SSE events: a slow but live stream (0: as fast as possible).
        self.event_delay: float = event_delay
        #: ``{"name": ..., "input": {...}}``: requests with ``tools`` get this tool_use block.
        self.tool_use: dict[str, Any] | None = tool_use
        #: Called with each request body before the default answer is planned; the `Answer`
        #: it returns is sent instead (None: plan as usual). See `ScriptedModel`.
        self.responder: Callable[[Any], Answer | None] | None = responder
        #: Exceptions the fake itself raised while serving (a bug in the fake): empty normally.
        self.errors: list[BaseException] = []
        self._host = host
        self._port = port
        self._state = _ServerState()
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeAnthropic:
        """Bind (ephemeral port unless one was given) and serve from a daemon thread."""
        if self._server is not None:
            return self
        server = _HTTPServer((self._host, self._port), self, self._state)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-anthropic-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: close every connection, wake stalled responses, join all threads."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        self.close_connections()
        self._server = self._thread = None
        server.join_threads(timeout)
        server.server_close()
        if thread is not None:
            thread.join(timeout)

    def __enter__(self) -> FakeAnthropic:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: pass it as ``base_url`` to ``anthropic.Anthropic``."""
        if self._server is None:
            raise RuntimeError("FakeAnthropic is not running: use `with FakeAnthropic() as api:`")
        host, port = self._server.server_address[:2]
        host = f"[{host!s}]" if ":" in str(host) else str(host)
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        """The TCP port the fake listens on."""
        if self._server is None:
            raise RuntimeError("FakeAnthropic is not running: use `with FakeAnthropic() as api:`")
        return int(self._server.server_address[1])

    # --- scripting ----------------------------------------------------------------------------

    def script(self, *faults: Fault | None) -> None:
        """Queue faults for the next requests to ``/v1/messages``, one each, in order.

        ``None`` is a healthy response. Calls append to the queue; once it is empty every
        request is healthy. SDK retries are requests too: each consumes an entry.
        """
        for fault in faults:
            if fault is not None and not isinstance(fault, Fault):
                raise TypeError(f"script() takes Fault or None, got {fault!r}")
        self._state.queue(faults)

    @property
    def pending(self) -> int:
        """How many scripted entries the next requests have not consumed yet."""
        return self._state.pending()

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first."""
        return self._state.requests()

    @property
    def message_requests(self) -> list[RecordedRequest]:
        """The requests to ``/v1/messages`` only (the ones that consume script entries)."""
        return [r for r in self.requests if r.path == "/v1/messages" and r.method == "POST"]

    def reset(self) -> None:
        """Empty the script and the request log; every setting back to its constructor value."""
        self._state.clear()
        for name, value in self._defaults.items():
            setattr(self, name, value)
        self.errors = []

    def close_connections(self) -> None:
        """Close every open client connection and abort stalled responses (between tests)."""
        self._state.abort_stalls()
        if self._server is not None:
            self._server.drop_connections()
