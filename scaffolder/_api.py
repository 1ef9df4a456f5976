"""The Anthropic API endpoint and credentials as the SDK picks them, and failures in one line.

What it does: `resolve_base_url` (`--base-url`, else `ANTHROPIC_BASE_URL`, else the real API),
`api_credentials` (`ANTHROPIC_API_KEY`, else `ANTHROPIC_AUTH_TOKEN`), `reachability_problem`
(DNS, TCP, proxy tunnel) and `describe_failure` (an exception chain from the SDK -> one line
that says what to do).

Why: `scaffold verify` and `scaffold doctor --network` talk to the same endpoint with the same
credentials and must explain a failure the same way; neither imports the other's helpers.

Example:
    >>> resolve_base_url(None, {"ANTHROPIC_BASE_URL": "http://127.0.0.1:8080/"})
    'http://127.0.0.1:8080'
    >>> api_credentials("https://api.anthropic.com", {}) is None  # the real API needs a key
    True

anthropic (and ssl) are imported only to explain a failure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit

from scaffolder._proxyenv import ProxyRoute, url_problem
from scaffolder.errors import UsageError

API_URL = "https://api.anthropic.com"
#: The `--base-url` help of `scaffold verify` and `scaffold doctor`.
BASE_URL_HELP = f"API base URL (default: $ANTHROPIC_BASE_URL, else {API_URL})."


def api_host(url: str) -> str:
    """The host name of `url` (the URL itself when it has none), as messages name it."""
    return urlsplit(url).hostname or url


def resolve_base_url(base_url: str | None, env: Mapping[str, str]) -> str:
    """The API base URL: `base_url` (`--base-url`), else `ANTHROPIC_BASE_URL`, else the real
    API, as the SDK picks it. UsageError naming its source when it is not a usable URL."""
    source = "--base-url" if base_url else "ANTHROPIC_BASE_URL"
    url = (base_url or env.get("ANTHROPIC_BASE_URL") or API_URL).rstrip("/")
    parts: SplitResult | None = None
    why = ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as exc:
        parts, why = None, f" ({url_problem(url, exc)})"
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{source} must be an http(s) URL such as {API_URL}, got {url!r}{why}")
    return url


def api_credentials(url: str, env: Mapping[str, str]) -> dict[str, str] | None:
    """The client's credentials from `env`; None when the real API needs a key and none is set."""
    if env.get("ANTHROPIC_API_KEY"):
        return {"api_key": env["ANTHROPIC_API_KEY"]}
    if env.get("ANTHROPIC_AUTH_TOKEN"):
        return {"auth_token": env["ANTHROPIC_AUTH_TOKEN"]}
    if urlsplit(url).hostname == urlsplit(API_URL).hostname:
        return None
    return {"api_key": "scaffold-verify-no-key"}  # a gateway or the fake API: the SDK wants one


def reachability_problem(url: str, proxy_route: ProxyRoute) -> str | None:
    """One line when DNS, TCP or the proxy tunnel towards `url` fails, else None."""
    from scaffolder._netprobe import probe_path

    for probe in probe_path(url, proxy_route, tls=False):
        if not probe.ok:
            prefix = "proxy failure: " if proxy_route.proxy is not None else ""
            return f"{prefix}{probe.detail} (route: {proxy_route.describe()})"
    return None


def describe_failure(exc: BaseException, url: str, proxy_route: ProxyRoute | None) -> str:
    """One line for a failed stream: what happened, and the route the request took."""
    where = f" (route: {proxy_route.describe()})" if proxy_route is not None else ""
    host = api_host(url)
    chain = list(_chain(exc))
    # The runtime's StreamRecoveryError (duck-typed: an older vendored copy has its own class)
    # says how far it got; the errors under it say why.
    if hasattr(exc, "partial_text") and hasattr(exc, "attempts") and len(chain) > 1:
        return f"{exc}; last error: {_explain(chain[1:], host)}{where}"
    return f"{_explain(chain, host)}{where}"


def _explain(chain: list[BaseException], host: str) -> str:
    import socket
    import ssl

    import anthropic

    status = next((e for e in chain if isinstance(e, anthropic.APIStatusError)), None)
    if status is not None:
        kind = _error_field(status, "type")
        message = _error_field(status, "message") or str(status)
        code = status.status_code
        if code == 401 or kind == "authentication_error":
            return (
                f"{host} rejected the API key (401 authentication_error): check ANTHROPIC_API_KEY"
            )
        if code == 403 or kind == "permission_error":
            return f"{host} refused the request (403 {kind or 'forbidden'}): {message}"
        if code == 404 or kind == "not_found_error":
            return f"{host} answered 404 ({message}): check --model and --base-url"
        label = f"HTTP {code}" if code != 200 else "an in-stream error"
        return f"{host} failed with {label} ({kind or 'error'}): {message}"
    proxy_error = next((e for e in chain if type(e).__name__ == "ProxyError"), None)
    if proxy_error is not None:
        return f"proxy failure: {proxy_error}"
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain):
        from scaffolder._netprobe import UNTRUSTED_HINT

        return f"the TLS certificate of {host} is not trusted; {UNTRUSTED_HINT}"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return f"cannot resolve {host} (DNS)"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return f"connection to {host} refused"
    if any(isinstance(e, anthropic.APITimeoutError) for e in chain):
        return f"no answer from {host} in time"
    first = chain[0]
    text = str(first).strip()
    return f"{type(first).__name__}: {text.splitlines()[0]}" if text else type(first).__name__


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _error_field(error: Any, key: str) -> str | None:
    """`type` or `message` of an API error: from its body (`{"error": {...}}`), else attribute."""
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get(key), str):
            return str(inner[key])
    value = getattr(error, key, None)
    return value if isinstance(value, str) else None
