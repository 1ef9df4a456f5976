"""The proxy route explained by doctor/verify must be the one the SDK's transport really takes."""

from __future__ import annotations

import importlib

import pytest

from scaffolder._proxyenv import proxy_settings, redact, route

API = "https://api.anthropic.com"

CASES: list[tuple[dict[str, str], str, str | None]] = [
    # (environment, url, expected proxy or None)
    ({}, API, None),
    ({"HTTPS_PROXY": "http://p:3128"}, API, "http://p:3128"),
    ({"HTTPS_PROXY": "p:3128"}, API, "http://p:3128"),
    ({"HTTP_PROXY": "http://p:3128"}, API, None),
    ({"HTTP_PROXY": "http://p:3128"}, "http://127.0.0.1:8080", "http://p:3128"),
    ({"ALL_PROXY": "http://a:1"}, API, "http://a:1"),
    ({"ALL_PROXY": "http://a:1", "HTTPS_PROXY": "http://s:2"}, API, "http://s:2"),
    ({"HTTPS_PROXY": "http://U:1", "https_proxy": "http://l:2"}, API, "http://l:2"),
    ({"HTTPS_PROXY": "http://U:1", "https_proxy": ""}, API, None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, API, None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "anthropic.com"}, API, None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".anthropic.com"}, API, None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*.anthropic.com"}, API, None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".api.anthropic.com"}, API, "http://p:1"),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "api.anthropic.com"}, API, None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "thropic.com"}, API, "http://p:1"),
    ({"HTTPS_PROXY": "http://p:1", "no_proxy": "example.com, anthropic.com"}, API, None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "API.Anthropic.COM"}, API, None),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "localhost"}, "http://localhost:9", None),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "127.0.0.1"}, "http://127.0.0.1:9", None),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "127.0.0.0/8"}, "http://127.0.0.1:9", None),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8"}, "http://127.0.0.1:9", "http://p:1"),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "127.0.0.1:9"}, "http://127.0.0.1:9", None),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "127.0.0.1:8"}, "http://127.0.0.1:9", "http://p:1"),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "http://127.0.0.1"}, "http://127.0.0.1:9", None),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "http://api.anthropic.com"}, API, "http://p:1"),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "::1"}, "http://[::1]:9", None),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "[::1]"}, "http://[::1]:9", None),
    ({"HTTP_PROXY": "http://p:1", "REQUEST_METHOD": "GET"}, "http://127.0.0.1:9", None),
    ({"http_proxy": "http://p:1", "REQUEST_METHOD": "GET"}, "http://127.0.0.1:9", "http://p:1"),
]

_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")


@pytest.mark.parametrize(("env", "url", "expected"), CASES)
def test_route_matches_the_transport(
    env: dict[str, str], url: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert route(url, env).proxy == expected
    # The installed transport must agree (its own private helpers, read-only).
    for name in _VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _transport_choice(url) == expected


def _transport_choice(url: str) -> str | None:
    import anthropic

    transport = "httpx2" if int(anthropic.__version__.split(".")[0]) >= 2 else "httpx"
    utils = importlib.import_module(f"{transport}._utils")
    urls = importlib.import_module(transport)
    mounts = {utils.URLPattern(k): v for k, v in utils.get_environment_proxies().items()}
    for pattern in sorted(mounts):
        if pattern.matches(urls.URL(url)):
            return mounts[pattern]  # type: ignore[no-any-return]
    return None


def test_route_names_the_variable_and_the_bypass() -> None:
    via = route(API, {"https_proxy": "http://user:pw@p:3128"})
    assert via.variable == "https_proxy"
    assert via.describe() == "via proxy http://user:***@p:3128 from https_proxy"
    bypassed = route(API, {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "localhost,.anthropic.com"})
    assert (bypassed.bypass, bypassed.bypass_variable) == (".anthropic.com", "NO_PROXY")
    assert "bypasses" in bypassed.describe()
    assert route(API, {}).describe().startswith("direct")


def test_redact_keeps_urls_without_credentials() -> None:
    assert redact("http://p:3128") == "http://p:3128"
    assert redact("socks5://a:b@h:1") == "socks5://a:***@h:1"


def test_proxy_settings_lowercase_wins() -> None:
    env = {"HTTPS_PROXY": "http://U", "https_proxy": "http://l"}
    assert proxy_settings(env)["https"] == ("https_proxy", "http://l")
