"""The proxy route explained by doctor/verify must be the one the SDK's transport really takes."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaffolder._proxyenv import proxy_settings, redact, route
from scaffolder.errors import NetworkError

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


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"HTTPS_PROXY": "http://user:pw@p:31x8"},
            "HTTPS_PROXY=http://user:***@p:31x8 is not a valid proxy URL",
        ),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "http://[::1"}, "NO_PROXY entry 'http://[::1'"),
    ],
)
def test_a_malformed_proxy_variable_is_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(NetworkError) as caught:
        route(API, env)
    assert caught.value.format_message().startswith(f"proxy failure: {message}")
    assert "pw@" not in caught.value.format_message()


def test_redact_keeps_urls_without_credentials() -> None:
    assert redact("http://p:3128") == "http://p:3128"
    assert redact("socks5://a:b@h:1") == "socks5://a:***@h:1"


def test_proxy_settings_lowercase_wins() -> None:
    env = {"HTTPS_PROXY": "http://U", "https_proxy": "http://l"}
    assert proxy_settings(env)["https"] == ("https_proxy", "http://l")


_LABELS = ("api", "anthropic", "com", "corp", "example", "thropic")
_hosts = st.lists(st.sampled_from(_LABELS), min_size=1, max_size=3).map(".".join)
_entries = st.one_of(
    _hosts,
    _hosts.map(lambda h: f".{h}"),
    _hosts.map(lambda h: f"*.{h}"),
    st.sampled_from(["*", "localhost", "127.0.0.1", "10.0.0.0/8", "127.0.0.0/8"]),
    st.tuples(_hosts, st.sampled_from([443, 8443])).map(lambda t: f"{t[0]}:{t[1]}"),
)


@settings(max_examples=150, deadline=None)
@given(
    host=st.one_of(_hosts, st.just("127.0.0.1")),
    port=st.sampled_from(["", ":8443"]),
    scheme=st.sampled_from(["http", "https"]),
    entries=st.lists(_entries, max_size=3),
    upper=st.booleans(),
)
def test_no_proxy_agrees_with_the_transport(
    host: str, port: str, scheme: str, entries: list[str], upper: bool
) -> None:
    url = f"{scheme}://{host}{port}/v1/messages"
    env = {"HTTP_PROXY": "http://p:1", "HTTPS_PROXY": "http://p:2"}
    env["NO_PROXY" if upper else "no_proxy"] = ",".join(entries)
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARS:
            patch.delenv(name, raising=False)
            patch.delenv(name.lower(), raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        assert route(url, env).proxy == _transport_choice(url)
