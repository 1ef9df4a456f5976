"""A real socket proxy on 127.0.0.1 that cuts connections idle for `idle_timeout` seconds.

This is what corporate proxies, NAT gateways and load balancers do to a long stream that pauses:
after N seconds without a byte in either direction, the connection is closed mid-body. Two modes:

- `IdleCuttingProxy(target=(host, port))`: a plain TCP forwarder (point `base_url` at it);
- `IdleCuttingProxy()`: an HTTP proxy (point `HTTP_PROXY`/`HTTPS_PROXY` at it) that forwards
  absolute-URI requests (rewritten to origin form) and opens `CONNECT` tunnels.

With `tls=` (a server `ssl.SSLContext`) and a `target`, it is a TLS-terminating front (a load
balancer): clients speak https to it, it speaks plain http to the target.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import ssl
import threading
import time
from types import TracebackType
from urllib.parse import urlsplit


class IdleCuttingProxy:
    def __init__(
        self,
        *,
        idle_timeout: float | None = None,
        target: tuple[str, int] | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.idle_timeout = idle_timeout
        self.target = target
        self.tls = tls
        self.cuts = 0  # connections closed for idleness
        self.connections = 0
        self.request_lines: list[str] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._closing = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> IdleCuttingProxy:
        self._spawn(self._accept_loop)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closing.set()
        self._server.close()
        for thread in list(self._threads):
            thread.join(timeout=5)

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        self._server.settimeout(0.2)
        while not self._closing.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            self._spawn(self._handle, client)

    def _handle(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            if self.tls is not None:
                client.settimeout(10)
                client = self.tls.wrap_socket(client, server_side=True)
                client.settimeout(None)
            if self.target is not None:
                upstream = socket.create_connection(self.target)
                self._pipe(client, upstream, rewrite=None)
                return
            head = _read_head(client)
            if head is None:
                return
            line = head.partition(b"\r\n")[0]
            method, uri, _ = line.decode("latin-1").split(" ", 2)
            with self._lock:
                self.request_lines.append(f"{method} {uri}")
            if method == "CONNECT":
                host, _, port = uri.rpartition(":")
                upstream = socket.create_connection((host, int(port)))
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._pipe(client, upstream, rewrite=None)
                return
            parts = urlsplit(uri)
            upstream = socket.create_connection((parts.hostname or "", parts.port or 80))
            rewriter = _RequestRewriter(self)
            upstream.sendall(rewriter.feed(head))
            self._pipe(client, upstream, rewrite=rewriter)
        except OSError:
            pass
        finally:
            client.close()
            if upstream is not None:
                upstream.close()

    def _pipe(
        self, client: socket.socket, upstream: socket.socket, rewrite: _RequestRewriter | None
    ) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, client)
            last_byte = time.monotonic()
            while not self._closing.is_set():
                ready = selector.select(timeout=0.05)  # short: notice shutdown promptly
                if not ready:
                    idle = time.monotonic() - last_byte
                    if self.idle_timeout is not None and idle >= self.idle_timeout:
                        with self._lock:
                            self.cuts += 1
                        return  # idle for too long: drop both sides, mid-body
                    continue
                last_byte = time.monotonic()
                for key, _ in ready:
                    source: socket.socket = key.fileobj  # type: ignore[assignment]
                    data = source.recv(65536)
                    if not data:
                        return
                    # TLS may hold decrypted bytes the socket no longer signals as readable.
                    while isinstance(source, ssl.SSLSocket) and source.pending():
                        data += source.recv(65536)
                    if source is client and rewrite is not None:
                        data = rewrite.feed(data)
                    with contextlib.suppress(OSError):
                        key.data.sendall(data)


def _read_head(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    return data


class _RequestRewriter:
    """Turns a client's stream of absolute-URI requests into origin-form requests."""

    def __init__(self, proxy: IdleCuttingProxy) -> None:
        self._proxy = proxy
        self._buffer = b""
        self._body_left = 0
        self._first = True

    def feed(self, data: bytes) -> bytes:
        out = b""
        self._buffer += data
        while self._buffer:
            if self._body_left:
                body = self._buffer[: self._body_left]
                self._buffer = self._buffer[len(body) :]
                self._body_left -= len(body)
                out += body
                continue
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head, self._buffer = self._buffer[: end + 4], self._buffer[end + 4 :]
            line, _, fields = head.partition(b"\r\n")
            method, uri, version = line.decode("latin-1").split(" ", 2)
            if self._first:
                self._first = False
            else:
                with self._proxy._lock:
                    self._proxy.request_lines.append(f"{method} {uri}")
            parts = urlsplit(uri)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            out += f"{method} {path} {version}\r\n".encode("latin-1") + fields
            for field in fields.split(b"\r\n"):
                name, _, value = field.partition(b":")
                if name.strip().lower() == b"content-length":
                    self._body_left = int(value.strip())
        return out
