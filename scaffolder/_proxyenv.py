"""Which proxy the Anthropic SDK will use for a URL, and which environment variable says so.

The SDK's transport (httpx, or httpx2 from anthropic 2.x) reads the proxy variables through
`urllib.request.getproxies()` and turns `NO_PROXY` into URL patterns. This module mirrors those
rules as pure functions over an environment mapping, so `doctor` can explain the route and
`verify` can name the variable when a connection fails. (On macOS and Windows urllib also reads
the system proxy settings; we only explain the environment variables.)
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from scaffolder.errors import NetworkError

#: The variables the transports read, in the order doctor lists them.
PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
)


@dataclass(frozen=True)
class ProxyRoute:
    """How a request to `url` leaves this machine."""

    url: str
    #: The proxy URL the transport will use, or None for a direct connection.
    proxy: str | None
    #: The environment variable that supplied `proxy` (e.g. "HTTPS_PROXY").
    variable: str | None
    #: When a proxy is configured but `NO_PROXY` exempts the host: the matching entry.
    bypass: str | None
    #: The variable holding `bypass` ("NO_PROXY" or "no_proxy").
    bypass_variable: str | None

    def describe(self) -> str:
        """One phrase for messages, e.g. 'via proxy http://p:3128 from HTTPS_PROXY'."""
        if self.proxy is not None:
            return f"via proxy {redact(self.proxy)} from {self.variable}"
        if self.bypass is not None:
            return f"direct, {self.bypass_variable} entry {self.bypass!r} bypasses the proxy"
        return "direct, no proxy variable applies"


def redact(url: str) -> str:
    """Hide a password in a proxy URL: http://user:secret@host -> http://user:***@host."""
    from scaffolder._redact import redact_text

    if "://" in url:
        return redact_text(url)
    return redact_text(f"http://{url}").removeprefix("http://")  # `token@proxy:3128` too


def proxy_settings(env: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """`{scheme: (variable name, value)}` exactly as `urllib.request.getproxies_environment`.

    Any-case `<scheme>_proxy` variables first, then the lowercase ones win (an empty lowercase
    variable unsets the scheme). Under CGI (`REQUEST_METHOD` set) the uppercase `HTTP_PROXY` is
    ignored: a client can set it with a `Proxy:` header (httpoxy).
    """
    found: dict[str, tuple[str, str]] = {}
    for name, value in env.items():
        if value and name.lower().endswith("_proxy"):
            found[name.lower()[:-6]] = (name, value)
    if "REQUEST_METHOD" in env:
        found.pop("http", None)
    for name, value in env.items():
        if name.endswith("_proxy"):
            scheme = name.lower()[:-6]
            if value:
                found[scheme] = (name, value)
            else:
                found.pop(scheme, None)
    return found


def route(url: str, env: Mapping[str, str]) -> ProxyRoute:
    """The route the SDK takes to `url` under `env` (the transport's own precedence)."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower()
    settings = proxy_settings(env)
    chosen = settings.get(scheme) or settings.get("all")
    if chosen is None:
        return ProxyRoute(url, None, None, None, None)
    variable, proxy = chosen
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    with _unusable(f"{variable}={redact(proxy)} is not a valid proxy URL", url=proxy):
        urlsplit(proxy).port  # noqa: B018 - raises ValueError for a malformed host or port
    no_proxy = settings.get("no")
    if no_proxy is not None:
        no_variable, entries = no_proxy
        for entry in (item.strip() for item in entries.split(",")):
            with _unusable(f"{no_variable} entry {entry!r} is not valid"):
                matches = bool(entry) and _no_proxy_matches(entry, scheme, host, parts.port)
            if matches:
                return ProxyRoute(url, None, None, entry, no_variable)
    return ProxyRoute(url, proxy, variable, None, None)


@contextlib.contextmanager
def _unusable(what: str, *, url: str = "") -> Iterator[None]:
    """A malformed proxy variable makes the transport fail every request: say which one."""
    try:
        yield
    except ValueError as exc:
        reason = url_problem(url, exc)
        raise NetworkError(f"proxy failure: {what} ({reason}); fix or unset it") from None


def url_problem(url: str, exc: ValueError) -> str:
    """Why `url` does not parse, never quoting a piece of its password: the parser's message
    quotes the "port" it found, which is the password's tail when it holds an unencoded `/`."""
    if "@" in url:
        return "malformed host or port; percent-encode `/`, `@` and `:` in a password"
    return str(exc)


def _no_proxy_matches(entry: str, scheme: str, host: str, port: int | None) -> bool:
    """One `NO_PROXY` entry against a URL, with curl's rules as httpx implements them."""
    if entry == "*":
        return True
    if "://" in entry:
        parts = urlsplit(entry)
        if parts.scheme and parts.scheme not in ("all", scheme):
            return False
        return _host_matches((parts.hostname or "").lower(), host) and _port_matches(
            parts.port, port
        )
    name, entry_port = _split_port(entry)
    network = _network(name)
    if network is not None:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return address in network and _port_matches(entry_port, port)
    name = name.lower().strip("[]")
    if name == "localhost" or _is_ip(name):
        return name == host and _port_matches(entry_port, port)
    if not name.startswith("*"):
        name = f"*{name}"
    return _host_matches(name, host) and _port_matches(entry_port, port)


def _host_matches(pattern: str, host: str) -> bool:
    if pattern in ("", "*"):
        return True
    if pattern.startswith("*."):
        # '.example.com' / '*.example.com': subdomains only, not example.com itself
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    if pattern.startswith("*"):
        # 'example.com': the domain and its subdomains, but not 'badexample.com'
        domain = pattern[1:]
        return host == domain or host.endswith(f".{domain}")
    return host == pattern


def _port_matches(entry_port: int | None, url_port: int | None) -> bool:
    # The transports compare against the URL's explicit port only (a default port is None).
    return entry_port is None or entry_port == url_port


def _split_port(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):
        name, _, rest = entry.partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        return name + "]", int(port) if port.isdigit() else None
    if entry.count(":") == 1:
        name, _, port = entry.partition(":")
        if port.isdigit():
            return name, int(port)
    return entry, None


def _network(name: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    if "/" not in name:
        return None
    try:
        return ipaddress.ip_network(name.strip("[]").replace("]/", "/"), strict=False)
    except ValueError:
        return None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
