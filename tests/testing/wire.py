"""A raw HTTP/1.1 client for looking at exactly what the fake puts on the wire."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Wire:
    status: int
    headers: dict[str, str]
    raw_body: bytes  # the body as sent, chunk framing included
    reset: bool = False  # the connection ended with a RST
    chunks: list[bytes] = field(default_factory=list)
    complete: bool = False  # the final zero-length chunk arrived

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def events(self) -> list[tuple[str, str]]:
        """(event name, data line) pairs of the complete SSE events in the body."""
        events = []
        for block in self.body.decode().split("\n\n"):
            lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if "event" in lines and "data" in lines and block.endswith("}"):
                events.append((lines["event"], lines["data"]))
        return events

    def json_events(self) -> list[tuple[str, Any]]:
        return [(name, json.loads(data)) for name, data in self.events()]


def _dechunk(raw: bytes) -> tuple[list[bytes], bool]:
    chunks: list[bytes] = []
    rest = raw
    while b"\r\n" in rest:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line, 16)
        if size == 0:
            return chunks, rest == b"\r\n"
        if len(rest) < size + 2:
            chunks.append(rest[:size])
            return chunks, False
        chunks.append(rest[:size])
        rest = rest[size + 2 :]
    return chunks, False


def request(
    base_url: str,
    body: Any = None,
    *,
    method: str = "POST",
    path: str = "/v1/messages",
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Wire:
    """Send one request with ``Connection: close`` and read until the server is done."""
    host, port = base_url.removeprefix("http://").split(":")
    data = raw if raw is not None else json.dumps(body).encode() if body is not None else b""
    head = {"host": host, "connection": "close", "content-type": "application/json"}
    if "transfer-encoding" not in (headers or {}):
        head["content-length"] = str(len(data))
    head.update(headers or {})
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items())]
    received = bytearray()
    reset = False
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            reset = True
    head_bytes, _, payload = bytes(received).partition(b"\r\n\r\n")
    if not head_bytes:
        return Wire(0, {}, b"", reset=reset)
    status_line, *header_lines = head_bytes.decode().split("\r\n")
    parsed = {k.lower(): v for k, v in (line.split(": ", 1) for line in header_lines)}
    wire = Wire(int(status_line.split()[1]), parsed, payload, reset=reset)
    if parsed.get("transfer-encoding") == "chunked":
        wire.chunks, wire.complete = _dechunk(payload)
    else:
        wire.chunks = [payload]
        wire.complete = len(payload) == int(parsed.get("content-length", -1))
    return wire


def stream_body(**overrides: Any) -> dict[str, Any]:
    return {
        "model": "claude-haiku-4-5",
        "max_tokens": 4096,
        "stream": True,
        "messages": [{"role": "user", "content": "Hello"}],
        **overrides,
    }
