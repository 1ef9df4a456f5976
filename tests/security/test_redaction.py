"""verify and doctor print no credentials: URL userinfo is redacted in text and JSON (#12)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from scaffolder.testing import FakeAnthropic
from tests.verify.conftest import Run, clean_env, scaffold

__all__ = ["clean_env", "scaffold"]
Scaffold = Callable[..., Run]
SECRET = "s3cr/et@x"  # a password holding `/` and `@` (unencoded, as people write them)
BASE_URL_SECRET = "s3cr:et@x"  # one the URL parser still splits from the host


def _no_secret(run: Run) -> None:
    for text in (run.stdout, run.stderr):
        assert "s3cr" not in text
        assert "et@x" not in text


def test_base_url_userinfo_in_route_and_json(
    scaffold: Scaffold, fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fake_anthropic.base_url.replace("http://", f"http://user:{BASE_URL_SECRET}@")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)
    fake_anthropic.text = "hello"
    text = scaffold("verify")
    assert text.exit_code == 0, text.stderr
    assert "user:***@127.0.0.1" in text.stdout
    _no_secret(text)
    data = scaffold("verify", "--json")
    assert data.json()["base_url"].startswith("http://user:***@127.0.0.1")
    _no_secret(data)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"ftp://user:{SECRET}@example.com", "ftp://user:***@example.com"),
        (f"http://user:{SECRET}@127.0.0.1:1", "http://user:***@127.0.0.1:1"),
    ],
)
def test_invalid_base_url_error_is_redacted(scaffold: Scaffold, url: str, shown: str) -> None:
    run = scaffold("verify", "--base-url", url)
    assert run.exit_code == 2
    assert shown in run.stderr
    _no_secret(run)


@pytest.mark.parametrize(
    "proxy",
    [f"user:{SECRET}@127.0.0.1:9", f"http://user:{SECRET}@127.0.0.1:9", "tok3n@127.0.0.1:9"],
)
def test_proxy_credentials_in_doctor(
    scaffold: Scaffold, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proxy: str
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    monkeypatch.setenv("http_proxy", proxy)
    for args in (("doctor", str(tmp_path)), ("doctor", "--json", str(tmp_path))):
        run = scaffold(*args)
        _no_secret(run)
        if proxy.startswith("tok3n"):
            assert "tok3n" not in run.stdout + run.stderr
        else:
            assert "user:***@" in run.stdout


def test_proxy_credentials_in_verify_json(
    scaffold: Scaffold, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("HTTPS_PROXY", f"user:{SECRET}@127.0.0.1:9")
    run = scaffold("verify", "--json")
    _no_secret(run)
