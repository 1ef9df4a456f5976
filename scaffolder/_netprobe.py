"""DNS, TCP and TLS timings along the path the SDK takes to the API (standard library only).

When an http proxy applies to an https URL, the path is: resolve the proxy, connect to it, ask
it for a tunnel (`CONNECT host:443`) and do the TLS handshake with the API host through the
tunnel, which is what the transport does. For an `http://` base URL there is no TLS step, and an
http proxy is only connected to (the transport sends it absolute-URI requests, no tunnel).
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from scaffolder._proxyenv import ProxyRoute, redact

_T = TypeVar("_T")
#: What to do about a certificate the trust store rejects (doctor's probe, verify's stream).
UNTRUSTED_HINT = "behind a TLS-inspecting proxy, point SSL_CERT_FILE at its CA bundle"


@dataclass(frozen=True)
class Probe:
    """One step of the path: `ok` with its duration, or the reason it failed."""

    name: str  # "dns", "tcp", "tunnel", "tls", "proxy"
    target: str
    ok: bool
    seconds: float | None
    detail: str


class _StepError(Exception):
    """A step failed; the message is the one-line reason."""


def probe_path(
    url: str,
    proxy_route: ProxyRoute,
    *,
    timeout: float = 10.0,
    tls: bool = True,
    context: ssl.SSLContext | None = None,
) -> list[Probe]:
    """Probe each step towards `url`, stopping at the first failure (later steps can't run).

    `tls=False` stops after the connection (and tunnel): a reachability check only.
    """
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    dial_host, dial_port = host, port
    if proxy_route.proxy is not None:
        proxy = urlsplit(proxy_route.proxy)
        if proxy.scheme not in ("http", "https"):
            detail = f"{proxy.scheme} proxy: scaffold probes http proxies only"
            return [Probe("proxy", redact(proxy_route.proxy), True, None, detail)]
        dial_host, dial_port = proxy.hostname or "", proxy.port or 80

    probes: list[Probe] = []
    holder: list[socket.socket] = []

    def step(name: str, target: str, action: Callable[[], str]) -> bool:
        start = time.perf_counter()
        try:
            detail = action()
        except _StepError as exc:
            probes.append(Probe(name, target, False, None, str(exc)))
            return False
        probes.append(Probe(name, target, True, time.perf_counter() - start, detail))
        return True

    def connect() -> str:
        holder.append(_connect(dial_host, dial_port, timeout))
        peer = holder[0].getpeername()
        return f"connected to {peer[0]} port {peer[1]}"

    try:
        if not step("dns", dial_host, lambda: _resolve(dial_host, dial_port, timeout)):
            return probes
        if not step("tcp", f"{dial_host}:{dial_port}", connect):
            return probes
        sock = holder[0]
        if proxy_route.proxy is not None and secure:
            tunnel = f"CONNECT {host}:{port} via {redact(proxy_route.proxy)}"
            if not step("tunnel", tunnel, lambda: _tunnel(sock, host, port, proxy_route.proxy)):
                return probes
        if secure and tls:
            ctx = context if context is not None else default_tls_context()
            step("tls", f"{host}:{port}", lambda: _handshake(sock, ctx, host, holder))
    finally:
        for opened in holder:
            opened.close()
    return probes


def default_tls_context() -> ssl.SSLContext:
    """The trust store the transports use: `SSL_CERT_FILE`/`SSL_CERT_DIR`, else the system's."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    return ssl.create_default_context(cafile=cafile, capath=capath)


def _resolve(host: str, port: int, timeout: float) -> str:
    # getaddrinfo has no timeout of its own: run it in a thread and stop waiting.
    def lookup() -> list[str]:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return sorted({str(info[4][0]) for info in infos})

    try:
        addresses = _with_deadline(lookup, timeout)
    except socket.gaierror as exc:
        raise _StepError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    except TimeoutError:
        raise _StepError(f"resolving {host} took longer than {timeout:g} s") from None
    return ", ".join(addresses)


def _connect(host: str, port: int, timeout: float) -> socket.socket:
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except ConnectionRefusedError:
        raise _StepError(f"connection to {host}:{port} refused") from None
    except TimeoutError:
        raise _StepError(f"no answer from {host}:{port} within {timeout:g} s") from None
    except OSError as exc:
        raise _StepError(f"cannot connect to {host}:{port}: {exc.strerror or exc}") from None


def _tunnel(sock: socket.socket, host: str, port: int, proxy_url: str | None) -> str:
    proxy = urlsplit(proxy_url or "")
    request = f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    if proxy.username is not None:
        credentials = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}"
        token = base64.b64encode(credentials.encode()).decode()
        request += f"Proxy-Authorization: Basic {token}\r\n"
    try:
        sock.sendall((request + "\r\n").encode("latin-1"))
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                raise _StepError("the proxy closed the connection instead of opening a tunnel")
            head += chunk
            if len(head) > 65536:
                raise _StepError("the proxy sent an oversized answer to CONNECT")
    except TimeoutError:
        raise _StepError("the proxy did not answer CONNECT in time") from None
    except OSError as exc:
        raise _StepError(f"tunnel through the proxy failed: {exc.strerror or exc}") from None
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    fields = status_line.split(" ", 2)
    if len(fields) < 2 or fields[1] != "200":
        raise _StepError(f"the proxy refused the tunnel: {status_line.strip()}")
    return status_line.strip()


def _handshake(
    sock: socket.socket, ctx: ssl.SSLContext, host: str, holder: list[socket.socket]
) -> str:
    try:
        tls = ctx.wrap_socket(sock, server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        reason = exc.verify_message or exc.reason or str(exc)
        raise _StepError(
            f"certificate of {host} not trusted ({reason}); {UNTRUSTED_HINT}"
        ) from None
    except TimeoutError:
        raise _StepError(f"TLS handshake with {host} timed out") from None
    except (ssl.SSLError, OSError) as exc:
        raise _StepError(f"TLS handshake with {host} failed: {exc}") from None
    holder.append(tls)
    cipher = tls.cipher()
    return f"{tls.version()}" + (f", {cipher[0]}" if cipher else "")


def _with_deadline(fn: Callable[[], _T], timeout: float) -> _T:
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
