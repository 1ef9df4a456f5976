"""`scaffold verify`: live runs against the fake API over real HTTP, and --simulate."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scaffolder._runtime_module import bundled_source as _bundled_source
from scaffolder.testing import FakeAnthropic, Fault, long_text
from scaffolder.verify import ALL_FAULTS, load_runtime
from tests.verify.conftest import Run, unresolvable
from tests.verify.idle_proxy import IdleCuttingProxy
from tests.verify.refusing_proxy import RefusingProxy

Scaffold = Callable[..., Run]
_EVENT = re.compile(r"^\s+\[\s*\d+\.\d s\] ")


def _one_line(run: Run) -> str:
    lines = run.stderr.strip().splitlines()
    assert "Traceback" not in run.stderr + run.stdout
    return lines[-1]


# --- simulate -----------------------------------------------------------------------------------


def test_simulate_recovers_from_each_fault_and_shows_each_reconnect(scaffold: Scaffold) -> None:
    run = scaffold("verify", "--simulate", "drop,stall,overloaded")
    assert run.exit_code == 0, run.stderr
    assert "Received 12,000 chars successfully" in run.stdout
    assert "reconnects           3" in run.stdout
    assert "identical to the server's 12,000 chars" in run.stdout
    # Each reconnect is shown as it happens: one "[  t s] <what the runtime logged>" line.
    interruptions = [line for line in run.stderr.splitlines() if _EVENT.match(line)]
    assert len(interruptions) == 3
    assert "RemoteProtocolError" in interruptions[0]
    assert "ReadTimeout" in interruptions[1]  # the idle watchdog ended the stall
    assert "overloaded_error" in interruptions[2]


@pytest.mark.parametrize("model", ["claude-haiku-4-5", "claude-opus-4-6"])
def test_simulate_with_prefill_and_user_turn_models(scaffold: Scaffold, model: str) -> None:
    # 4.5 models continue with an assistant prefill, 4.6+ with a user turn (overlap removed).
    run = scaffold("verify", "--simulate", "drop,reset", "--model", model, "--json")
    assert run.exit_code == 0, run.stdout
    report = run.json()
    assert (report["intact"], report["reconnects"], report["model"]) == (True, 2, model)


@pytest.mark.slow
def test_simulate_all_as_json(scaffold: Scaffold) -> None:
    run = scaffold("verify", "--simulate", "all", "--json")
    assert run.exit_code == 0, run.stdout
    report = run.json()
    assert report["ok"] is True
    assert report["intact"] is True
    assert report["chars"] == report["expected_chars"] == 12_000
    assert report["reconnects"] == len(ALL_FAULTS)
    assert len(report["events"]) == len(ALL_FAULTS)
    assert report["stop_reason"] == "end_turn"
    assert report["usage"]["output_tokens"] > 0
    assert run.stderr == ""  # --json: no progress


def test_simulate_unrecoverable_fault_fails_in_one_line(scaffold: Scaffold) -> None:
    run = scaffold("verify", "--simulate", "401")
    assert run.exit_code == 1
    line = _one_line(run)
    assert line.startswith("scaffold: error: ")
    assert "401" in line


def test_simulate_with_a_base_url_is_a_usage_error(scaffold: Scaffold) -> None:
    # Silently ignoring the URL would let a user believe their gateway was tested.
    run = scaffold("verify", "--simulate", "drop", "--base-url", "http://127.0.0.1:9")
    assert run.exit_code == 2
    assert "--simulate runs against the bundled fake API, not --base-url" in _one_line(run)


def test_simulate_unknown_fault_is_a_usage_error(scaffold: Scaffold) -> None:
    run = scaffold("verify", "--simulate", "drop,gremlins")
    assert run.exit_code == 2
    assert "unknown fault 'gremlins'" in _one_line(run)


# --- live, against the fake API -----------------------------------------------------------------


def test_live_run_against_base_url(scaffold: Scaffold, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = long_text(3000, seed=1)
    fake_anthropic.script(Fault.close(), Fault.error_event("overloaded_error"))
    run = scaffold("verify", "--base-url", fake_anthropic.base_url, "--json")
    assert run.exit_code == 0, run.stdout
    report = run.json()
    assert (report["mode"], report["chars"], report["reconnects"]) == ("live", 3000, 2)
    assert report["route"] == "direct, no proxy variable applies"
    assert report["time_to_first_token"] is not None
    sent = fake_anthropic.message_requests[0].json
    assert sent["model"] == "claude-haiku-5-5"
    assert sent["max_tokens"] == 4096


def test_live_options_reach_the_request(scaffold: Scaffold, fake_anthropic: FakeAnthropic) -> None:
    args = ("--model", "claude-opus-4-6", "--max-tokens", "50", "--prompt", "Hi")
    run = scaffold("verify", "--base-url", fake_anthropic.base_url, *args)
    assert run.exit_code == 0, run.stderr
    sent = fake_anthropic.message_requests[0].json
    assert (sent["model"], sent["max_tokens"]) == ("claude-opus-4-6", 50)
    assert sent["messages"] == [{"role": "user", "content": "Hi"}]
    assert "stop_reason          max_tokens" in run.stdout


def test_missing_key_for_the_real_api_is_one_line_exit_2(scaffold: Scaffold) -> None:
    run = scaffold("verify")
    assert run.exit_code == 2
    line = _one_line(run)
    assert "ANTHROPIC_API_KEY is not set" in line
    assert "export ANTHROPIC_API_KEY=" in line


@pytest.mark.parametrize(
    ("status", "expected"),
    [(401, "rejected the API key (401"), (403, "refused the request (403")],
)
def test_auth_errors_are_one_line(
    scaffold: Scaffold, fake_anthropic: FakeAnthropic, status: int, expected: str
) -> None:
    fake_anthropic.script(Fault.status(status))
    run = scaffold("verify", "--base-url", fake_anthropic.base_url)
    assert run.exit_code == 1
    line = _one_line(run)
    assert expected in line
    assert "route: direct, no proxy variable applies" in line
    assert len(fake_anthropic.message_requests) == 1  # never retried


def test_refused_connection_is_one_line(scaffold: Scaffold, closed_port: int) -> None:
    run = scaffold("verify", "--base-url", f"http://127.0.0.1:{closed_port}")
    assert run.exit_code == 1
    assert _one_line(run) == (
        f"scaffold: error: connection to 127.0.0.1:{closed_port} refused "
        "(route: direct, no proxy variable applies)"
    )


def test_dns_failure_is_one_line(scaffold: Scaffold, monkeypatch: pytest.MonkeyPatch) -> None:
    unresolvable(monkeypatch, "api.example.invalid")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    run = scaffold("verify", "--base-url", "https://api.example.invalid")
    assert run.exit_code == 1
    line = _one_line(run)
    assert "cannot resolve api.example.invalid" in line
    assert "route: direct" in line


def test_proxy_failure_names_the_variable(
    scaffold: Scaffold, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:secret@127.0.0.1:{closed_port}")
    run = scaffold("verify")
    assert run.exit_code == 1
    line = _one_line(run)
    assert line.startswith("scaffold: error: proxy failure: ")
    assert f"via proxy http://user:***@127.0.0.1:{closed_port} from HTTPS_PROXY" in line
    assert "secret" not in line


def test_bad_base_url_is_a_usage_error(scaffold: Scaffold) -> None:
    run = scaffold("verify", "--base-url", "ftp://example.com")
    assert run.exit_code == 2
    assert "--base-url must be an http(s) URL" in _one_line(run)


@pytest.mark.parametrize(
    ("url", "reason"),
    [("http://127.0.0.1:99999", "Port out of range"), ("http://[::1", "Invalid IPv6 URL")],
)
def test_malformed_base_url_is_one_line(
    scaffold: Scaffold, monkeypatch: pytest.MonkeyPatch, url: str, reason: str
) -> None:
    run = scaffold("verify", "--base-url", url)
    assert run.exit_code == 2
    line = _one_line(run)
    assert line.startswith("scaffold: error: --base-url must be an http(s) URL")
    assert reason in line
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)
    run = scaffold("verify")
    assert run.exit_code == 2
    assert _one_line(run).startswith("scaffold: error: ANTHROPIC_BASE_URL must be an http(s) URL")


def test_malformed_proxy_variable_is_one_line(
    scaffold: Scaffold, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("HTTPS_PROXY", "http://user:secret@proxy.corp:31x8")
    run = scaffold("verify")
    assert run.exit_code == 1
    line = _one_line(run)
    assert line.startswith(
        "scaffold: error: proxy failure: HTTPS_PROXY=http://user:***@proxy.corp:31x8 "
        "is not a valid proxy URL"
    )
    assert "secret" not in line


# --- through a proxy that cuts idle connections ------------------------------------------------


@pytest.mark.slow
def test_runtime_recovers_through_an_idle_cutting_http_proxy(
    scaffold: Scaffold, fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_anthropic.text = long_text(2000, seed=2)
    fake_anthropic.script(Fault.stall(4.0))  # longer than the proxy's idle limit
    with IdleCuttingProxy(idle_timeout=1.0) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        run = scaffold("verify", "--base-url", fake_anthropic.base_url, "--json")
    assert run.exit_code == 0, run.stdout
    report = run.json()
    assert proxy.cuts >= 1  # (an idle pooled connection may be cut too)
    assert report["route"] == f"via proxy {proxy.url} from HTTP_PROXY"
    assert report["reconnects"] == 1
    # The proxy cut the connection (the runtime's own idle watchdog would be a ReadTimeout).
    assert "RemoteProtocolError" in report["events"][0]
    assert len(report["idle_before_cuts"]) == 1
    assert report["chars"] == 2000
    # The requests really went through the proxy, in absolute form.
    assert proxy.request_lines == [f"POST {fake_anthropic.base_url}/v1/messages"] * 2


# --- which runtime runs ---------------------------------------------------------------------------


def test_vendored_runtime_is_loaded_from_the_repository(tmp_path: Path) -> None:
    bundled = load_runtime(tmp_path)
    assert not bundled.vendored
    module_file = tmp_path / "pkg" / "claude_stream.py"
    module_file.parent.mkdir()
    module_file.write_text(_bundled_source(600) + "\nVENDORED_HERE = True\n", encoding="utf-8")
    (tmp_path / ".scaffold-answers.yml").write_text(
        "template_version: 1\ntimeout: 900\nmodule_path: pkg/claude_stream.py\n", encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    runtime = load_runtime(tmp_path / "sub")
    assert runtime.vendored
    assert runtime.path == "pkg/claude_stream.py"
    assert runtime.module.VENDORED_HERE is True
    assert Path(runtime.module.__file__) == module_file
    module_file.unlink()
    fallback = load_runtime(tmp_path)
    assert not fallback.vendored
    assert "pkg/claude_stream.py is missing" in fallback.path


def test_a_node_only_repository_is_told_verify_runs_the_python_runtime(tmp_path: Path) -> None:
    (tmp_path / ".scaffold-answers.yml").write_text(
        "template_version: 2\ntimeout: 900\nmodule_path: claude_stream.py\n"
        "node_runtime: ts\nnode_module_path: src/claudeStream.ts\n"
        "node_import: ./claudeStream.js\npython_runtime: false\n",
        encoding="utf-8",
    )
    runtime = load_runtime(tmp_path)
    assert not runtime.vendored
    assert "vendors the Node module src/claudeStream.ts, which verify does not run" in (
        runtime.path
    )


def test_vendored_runtime_that_fails_to_import_is_one_line(
    scaffold: Scaffold, tmp_path: Path
) -> None:
    (tmp_path / "claude_stream.py").write_text("import nonexistent_module_xyz\n")
    (tmp_path / ".scaffold-answers.yml").write_text("module_path: claude_stream.py\n")
    run = scaffold("verify", "--simulate", "drop", str(tmp_path))
    assert run.exit_code == 2
    line = _one_line(run)
    assert "claude_stream.py failed to import (ModuleNotFoundError" in line


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def recovering_stream(): ...\n", "lacks make_client, RecoveryPolicy"),
        ("raise SystemExit(3)\n", "failed to import (SystemExit: 3)"),
    ],
)
def test_vendored_file_that_is_not_the_runtime_is_one_line(
    scaffold: Scaffold, tmp_path: Path, source: str, expected: str
) -> None:
    (tmp_path / "claude_stream.py").write_text(source)
    (tmp_path / ".scaffold-answers.yml").write_text("module_path: claude_stream.py\n")
    run = scaffold("verify", "--simulate", "drop", str(tmp_path))
    assert run.exit_code == 2
    line = _one_line(run)
    assert line.startswith("scaffold: error: ")
    assert expected in line


def test_exhausted_retries_are_one_line(scaffold: Scaffold, fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.text = long_text(1000, seed=5)
    fake_anthropic.script(*[Fault.close()] * 7)  # one more than the default max_attempts
    run = scaffold("verify", "--base-url", fake_anthropic.base_url)
    assert run.exit_code == 1
    line = _one_line(run)
    assert line.startswith("scaffold: error: gave up after 6 attempts: ")
    assert "last error: RemoteProtocolError" in line
    assert line.endswith("(route: direct, no proxy variable applies)")


def test_proxy_refusing_the_tunnel_is_one_line(
    scaffold: Scaffold, monkeypatch: pytest.MonkeyPatch
) -> None:
    with RefusingProxy() as proxy:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        run = scaffold("verify")
    assert run.exit_code == 1
    assert _one_line(run) == (
        "scaffold: error: proxy failure: the proxy refused the tunnel: HTTP/1.1 407 Proxy "
        f"Authentication Required (route: via proxy {proxy.url} from HTTPS_PROXY)"
    )
    assert proxy.requests == ["CONNECT api.anthropic.com:443 HTTP/1.1"]  # never forwarded


def test_anthropic_base_url_from_the_environment(
    scaffold: Scaffold, fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_anthropic.base_url)
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "token-123")
    run = scaffold("verify", "--max-tokens", "20", "--json")
    assert run.exit_code == 0, run.stdout
    assert run.json()["base_url"] == fake_anthropic.base_url
    headers = fake_anthropic.message_requests[0].headers
    assert headers.get("authorization") == "Bearer token-123"
