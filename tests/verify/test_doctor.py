"""`scaffold doctor`: environment, repository and network checks on real repos and sockets."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scaffolder.cli import main
from scaffolder.doctor import DoctorReport, _check_versions, run_doctor
from scaffolder.testing import FakeAnthropic, Fault, long_text
from tests.verify.conftest import Run, unresolvable
from tests.verify.idle_proxy import IdleCuttingProxy
from tests.verify.refusing_proxy import RefusingProxy

Scaffold = Callable[..., Run]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n')
    _git(root, "init", "-q")
    return root


def _rows(report: DoctorReport) -> dict[str, tuple[str, str]]:
    return {check.name: (check.status, check.detail) for check in report.checks}


def _row(run: Run, name: str) -> dict[str, Any]:
    return next(check for check in run.json()["checks"] if check["name"] == name)


# --- environment --------------------------------------------------------------------------------


def test_clean_environment(repo: Path) -> None:
    rows = _rows(run_doctor(repo, env={}))
    assert rows["python"][0] == "pass"
    assert sys.executable in rows["python"][1] or "python" in rows["python"][1]
    assert rows["anthropic"][0] == "pass"
    assert rows["transport"][0] == "pass"
    assert rows["transport"][1].startswith(("httpx2 ", "httpx "))
    assert rows["proxy"] == (
        "pass",
        "no proxy variables set; api.anthropic.com is reached directly",
    )


@pytest.mark.parametrize(
    ("versions", "status", "detail"),
    [
        ({"anthropic": "0.39.0"}, "fail", "older than 0.40"),
        ({"anthropic": "0.40.0"}, "pass", "0.40.0"),
        ({"anthropic": "3.0.0"}, "warn", "newer than scaffold was tested"),
        ({"anthropic": None}, "fail", "not installed"),
    ],
)
def test_anthropic_version_bounds(versions: dict[str, Any], status: str, detail: str) -> None:
    report = DoctorReport()
    base = {"python": "3.11.7", "implementation": "CPython", "executable": "py", "httpx": "0.27"}
    _check_versions(report, {**base, **versions}, "py")
    rows = _rows(report)
    assert rows["anthropic"][0] == status
    assert detail in rows["anthropic"][1]


def test_transport_follows_the_sdk_requirement() -> None:
    report = DoctorReport()
    versions = {
        "python": "3.8.1",
        "implementation": "CPython",
        "executable": "py",
        "anthropic": "2.14.0",
        "httpx": "0.28.1",  # installed, but not what anthropic 2.x uses
        "httpx2": None,
        "requires": ["httpx2<3,>=2.16", "distro<2,>=1.7.0"],
    }
    _check_versions(report, versions, "py")
    rows = _rows(report)
    assert rows["python"][0] == "warn"
    assert rows["transport"] == ("fail", "httpx2 (needed by anthropic 2.14.0) is not installed")


def test_project_virtualenv_is_reported_not_run(repo: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(repo / ".venv")], check=True)
    rows = _rows(run_doctor(repo, env={}))
    assert str(repo / ".venv") not in rows["python"][1]  # scaffold's own interpreter instead
    status, detail = rows["project python"]
    assert status == "skip"
    assert f"--python {repo / '.venv' / 'bin' / 'python'}" in detail


def test_named_or_active_virtualenv_is_what_gets_checked(repo: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(repo / ".venv")], check=True)
    for rows in (
        _rows(run_doctor(repo, env={"VIRTUAL_ENV": str(repo / ".venv")})),
        _rows(run_doctor(repo, env={}, python=str(repo / ".venv" / "bin" / "python"))),
    ):
        assert str(repo / ".venv") in rows["python"][1]
        assert rows["anthropic"][0] == "fail"  # an empty venv: the SDK is missing there
        assert "not installed" in rows["anthropic"][1]
        assert "project python" not in rows


def test_proxy_in_use_is_a_warning_naming_the_variable(repo: Path) -> None:
    env = {"HTTPS_PROXY": "http://user:pw@proxy.corp:3128", "https_proxy": "http://other:1"}
    status, detail = _rows(run_doctor(repo, env=env))["proxy"]
    assert status == "warn"
    assert "via proxy http://other:1 from https_proxy" in detail
    assert "HTTPS_PROXY and https_proxy differ; https_proxy wins" in detail
    assert "HTTPS_PROXY=http://user:***@proxy.corp:3128" in detail
    assert "pw@" not in detail


def test_no_proxy_bypass_passes(repo: Path) -> None:
    env = {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "localhost,.anthropic.com"}
    status, detail = _rows(run_doctor(repo, env=env))["proxy"]
    assert status == "pass"
    assert "NO_PROXY entry '.anthropic.com' bypasses the proxy" in detail


def test_malformed_proxy_variable_fails_and_skips_the_network(repo: Path) -> None:
    rows = _rows(run_doctor(repo, network=True, env={"ALL_PROXY": "http://[proxy"}))
    assert rows["proxy"] == (
        "fail",
        "proxy failure: ALL_PROXY=http://[proxy is not a valid proxy URL (Invalid IPv6 URL); "
        "fix or unset it",
    )
    assert rows["network"][0] == "skip"


def test_malformed_base_url_from_the_environment_is_one_line(
    repo: Path, scaffold: Scaffold, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:99999")
    run = scaffold("doctor", str(repo))
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "scaffold: error: ANTHROPIC_BASE_URL must be an http(s) URL such as "
        "https://api.anthropic.com, got 'http://127.0.0.1:99999' (Port out of range 0-65535)"
    ]


def test_socks_proxy_without_socksio_fails(repo: Path) -> None:
    pytest.importorskip("httpx2")
    try:
        import socksio  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("socksio is installed here")
    rows = _rows(run_doctor(repo, env={"ALL_PROXY": "socks5://127.0.0.1:1080"}))
    assert rows["proxy"][0] == "fail"
    assert "pip install 'httpx[socks]'" in rows["proxy"][1]


# --- repository ---------------------------------------------------------------------------------


def test_short_timeout_in_the_code_fails(repo: Path, scaffold: Scaffold) -> None:
    code = repo / "app" / "llm.py"
    code.write_text("import anthropic\n\nclient = anthropic.Anthropic(timeout=60)\n")
    run = scaffold("doctor", str(repo), "--json")
    assert run.exit_code == 1
    timeouts = _row(run, "timeouts")
    assert timeouts["status"] == "fail"
    assert "llm.py:3:" in timeouts["detail"]
    assert "60" in timeouts["detail"]
    code.write_text("import anthropic\n\nclient = anthropic.Anthropic(timeout=900)\n")
    assert _row(scaffold("doctor", str(repo), "--json"), "timeouts")["status"] == "pass"
    assert not (repo / ".scaffold_cache").exists()  # read-only


@pytest.mark.slow
def test_initialised_repository(repo: Path, scaffold: Scaffold) -> None:
    before = _rows(run_doctor(repo, env={}))
    assert before["runtime"][0] == "warn"
    assert "scaffold init" in before["runtime"][1]
    assert main(["init", "-y", str(repo)]) == 0

    rows = _rows(run_doctor(repo, env={}))
    assert rows["runtime"] == ("pass", "app/claude_stream.py present and current")
    assert rows["CLAUDE.md rule"][0] == "pass"
    assert rows["pre-commit hook"][0] == "warn"
    assert "pre-commit install" in rows["pre-commit hook"][1]

    pre_commit = Path(sys.executable).with_name("pre-commit")
    subprocess.run([str(pre_commit), "install"], cwd=repo, check=True, capture_output=True)
    rows = _rows(run_doctor(repo, env={}))
    assert rows["pre-commit hook"][0] == "pass"
    assert "scaffold-lint" in rows["pre-commit hook"][1]

    runtime = repo / "app" / "claude_stream.py"
    runtime.write_text(runtime.read_text() + "\n# my edit\n")
    status, detail = _rows(run_doctor(repo, env={}))["runtime"]
    assert status == "warn"
    assert "edited" in detail
    runtime.unlink()
    assert _rows(run_doctor(repo, env={}))["runtime"][0] == "fail"
    run = scaffold("doctor", str(repo))
    assert run.exit_code == 1
    assert "FAIL  runtime" in run.stdout


def test_node_only_repository(tmp_path: Path) -> None:
    """The Node module and @anthropic-ai/sdk are what a Node-only repository is checked for;
    no claude_stream.py is missing from it."""
    root = tmp_path / "web"
    (root / "src").mkdir(parents=True)
    (root / "src" / "index.ts").write_text("export {};\n")
    (root / "package.json").write_text('{"dependencies": {"@anthropic-ai/sdk": "^0.60.0"}}\n')
    _git(root, "init", "-q")
    assert main(["init", "-y", str(root)]) == 0
    rows = _rows(run_doctor(root, env={}))
    assert rows["runtime"] == ("pass", "src/claudeStream.ts present and current")
    assert rows["dependency"] == ("pass", "package.json: @anthropic-ai/sdk ^0.60.0")
    (root / "package.json").write_text('{"dependencies": {"@anthropic-ai/sdk": "^7.0.0"}}\n')
    status, detail = _rows(run_doctor(root, env={}))["dependency"]
    assert status == "warn"
    assert "outside the supported majors" in detail
    (root / "src" / "claudeStream.ts").unlink()
    status, detail = _rows(run_doctor(root, env={}))["runtime"]
    assert status == "fail"
    assert detail.startswith("src/claudeStream.ts is missing")


def test_foreign_git_hook_is_reported(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 0\n")
    status, detail = _rows(run_doctor(repo, env={}))["pre-commit hook"]
    assert status == "warn"
    assert "was not written by pre-commit" in detail


def test_outside_a_git_repository(tmp_path: Path) -> None:
    rows = _rows(run_doctor(tmp_path, env={}))
    assert rows["scaffold"][0] == "skip"
    assert "not inside a git repository" in rows["scaffold"][1]


# --- network ------------------------------------------------------------------------------------


def test_network_against_the_fake_api(
    repo: Path, scaffold: Scaffold, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = long_text(1500, seed=3)
    fake_anthropic.script(Fault.stall(1.5))
    run = scaffold(
        "doctor", str(repo), "--network", "--base-url", fake_anthropic.base_url, "--json"
    )
    names = [check["name"] for check in run.json()["checks"]]
    assert names[-3:] == ["network dns", "network tcp", "network stream"]  # http: no TLS step
    assert _row(run, "network dns")["detail"].startswith("127.0.0.1: ")
    stream = _row(run, "network stream")
    assert stream["status"] == "pass", stream
    gap = float(stream["detail"].split("longest idle gap survived ")[1].split(" s")[0])
    assert gap > 1.0  # the 1.5 s stall happened on one connection, and it survived it
    assert stream["detail"].endswith("no reconnect needed")


@pytest.mark.slow
def test_network_detects_a_proxy_that_cuts_idle_connections(
    repo: Path, scaffold: Scaffold, fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_anthropic.text = long_text(1500, seed=4)
    fake_anthropic.script(Fault.stall(4.0))
    with IdleCuttingProxy(idle_timeout=1.0) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        run = scaffold("doctor", str(repo), "--network", "--base-url", fake_anthropic.base_url)
    assert run.exit_code == 0, run.stdout  # a warning: the runtime recovered
    line = next(line for line in run.stdout.splitlines() if "network stream" in line)
    assert line.startswith("WARN")
    assert "the path cut the stream 1 time(s) and the runtime recovered" in line
    assert "RemoteProtocolError" in line
    assert f"via proxy {proxy.url} from HTTP_PROXY" in run.stdout
    assert proxy.cuts >= 1


def test_network_dns_failure(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unresolvable(monkeypatch, "api.anthropic.com")  # the real host is never contacted
    report = run_doctor(repo, network=True, env={})
    rows = _rows(report)
    assert rows["network dns"] == (
        "fail",
        "api.anthropic.com: cannot resolve api.anthropic.com: Name or service not known",
    )
    assert rows["network stream"][0] == "skip"
    assert not report.ok


def test_network_refused(repo: Path, closed_port: int) -> None:
    rows = _rows(run_doctor(repo, network=True, base_url=f"http://127.0.0.1:{closed_port}", env={}))
    assert rows["network tcp"][0] == "fail"
    assert "refused" in rows["network tcp"][1]


# --- TLS: a local https front with a throwaway CA -----------------------------------------------


@pytest.fixture
def tls_front(fake_anthropic: FakeAnthropic, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """https://localhost:PORT -> the fake API; yields (base_url, CA bundle path)."""
    import trustme

    ca = trustme.CA()
    server_ctx = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(server_ctx)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    target = ("127.0.0.1", fake_anthropic.port)
    with IdleCuttingProxy(target=target, tls=server_ctx) as front:
        yield f"https://localhost:{front.port}", bundle


def test_tls_probe_and_stream_with_a_trusted_ca(
    repo: Path, tls_front: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, bundle = tls_front
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    rows = _rows(run_doctor(repo, network=True, base_url=url))
    assert rows["network tls"][0] == "pass"
    assert "TLSv1." in rows["network tls"][1]
    assert rows["network stream"][0] == "pass", rows["network stream"]


def test_tls_probe_untrusted_certificate(repo: Path, tls_front: tuple[str, Path]) -> None:
    url, _ = tls_front
    rows = _rows(run_doctor(repo, network=True, base_url=url))
    assert rows["network tls"][0] == "fail"
    assert "not trusted" in rows["network tls"][1]
    assert "SSL_CERT_FILE" in rows["network tls"][1]


def test_tls_through_a_connect_tunnel(
    repo: Path, tls_front: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, bundle = tls_front
    with IdleCuttingProxy() as proxy:
        monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        rows = _rows(run_doctor(repo, network=True, base_url=url))
    assert rows["network dns"][1].startswith("127.0.0.1: ")  # the proxy is resolved, not the host
    assert rows["network tunnel"][0] == "pass"
    assert "200" in rows["network tunnel"][1]
    assert rows["network tls"][0] == "pass"
    assert rows["network stream"][0] == "pass", rows["network stream"]
    assert proxy.request_lines[0].startswith("CONNECT localhost:")


def test_python_option_and_bad_base_url(repo: Path, scaffold: Scaffold) -> None:
    run = scaffold("doctor", str(repo), "--python", sys.executable, "--json")
    assert _row(run, "python")["status"] == "pass"
    missing = scaffold("doctor", str(repo), "--python", str(repo / "no-python"), "--json")
    assert missing.exit_code == 1
    assert _row(missing, "python")["status"] == "fail"
    bad = scaffold("doctor", str(repo), "--network", "--base-url", "api.anthropic.com")
    assert bad.exit_code == 2
    assert "--base-url must be an http(s) URL" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_text_table(repo: Path, scaffold: Scaffold) -> None:
    run = scaffold("doctor", str(repo))
    assert run.exit_code == 0, run.stdout
    lines = run.stdout.splitlines()
    assert lines[0].startswith("PASS  python ")
    assert any(line.startswith("WARN  pre-commit hook ") for line in lines)
    assert lines[-1].startswith("0 failed, ")


def test_network_proxy_refusing_the_tunnel(repo: Path) -> None:
    with RefusingProxy() as proxy:
        proxy_url = proxy.url.replace("http://", "http://user:pw@")
        env = {"HTTPS_PROXY": proxy_url}
        report = run_doctor(repo, network=True, base_url="https://api.example.invalid", env=env)
    rows = _rows(report)
    assert rows["network tunnel"][0] == "fail"
    assert "the proxy refused the tunnel: HTTP/1.1 407" in rows["network tunnel"][1]
    assert "pw@" not in rows["network tunnel"][1]
    # The tunnel request carried the proxy credentials; the API host was never resolved here.
    assert proxy.requests == ["CONNECT api.example.invalid:443 HTTP/1.1"]
    assert b"Proxy-Authorization: Basic dXNlcjpwdw==\r\n" in proxy.heads[0]
    assert rows["network stream"][0] == "skip"


UNPROTECTED = (
    "import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef essay(msgs):\n"
    "    with client.messages.stream(model='m', max_tokens=9, messages=msgs) as s:\n"
    "        return s.get_final_text()\n"
)


def test_streams_row_is_the_lint_verdict(repo: Path, scaffold: Scaffold) -> None:
    # doctor used to report 0 failures where `scaffold lint` found an unprotected stream.
    (repo / "app" / "essay.py").write_text(UNPROTECTED)
    status, detail = _rows(run_doctor(repo, env={}))["streams"]
    assert status == "fail"
    assert "essay.py:7:10: SCF001" in detail
    assert main(["lint", "--no-cache", str(repo)]) == 1
    # The project's config counts for both: an excluded file is no finding for either.
    with (repo / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[tool.scaffold]\nexclude = ["app/essay.py"]\n')
    status, detail = _rows(run_doctor(repo, env={}))["streams"]
    assert status == "pass"
    assert "every Claude stream has recovery" in detail
    assert main(["lint", "--no-cache", str(repo)]) == 0
    assert not (repo / ".scaffold_cache").exists()  # read-only


def test_streams_row_warns_about_code_it_cannot_check(repo: Path) -> None:
    (repo / "app" / "__init__.py").unlink()
    (repo / "src").mkdir()
    (repo / "src" / "main.go").write_text('import "github.com/anthropics/anthropic-sdk-go"\n')
    status, detail = _rows(run_doctor(repo, env={}))["streams"]
    assert status == "warn"
    assert "no Python, TypeScript or JavaScript files found" in detail
    assert "1 file (.go: 1) mentions an Anthropic SDK and was not checked" in detail


def test_streams_row_fails_on_an_unprotected_typescript_stream(repo: Path) -> None:
    (repo / "src").mkdir()
    (repo / "src" / "index.ts").write_text(
        'import Anthropic from "@anthropic-ai/sdk";\n'
        "const client = new Anthropic();\n"
        'const s = client.messages.stream({ model: "m", max_tokens: 9, messages: [] });\n'
    )
    status, detail = _rows(run_doctor(repo, env={}))["streams"]
    assert status == "fail"
    assert "src/index.ts:3" in detail
    assert "SCF001" in detail


@pytest.mark.parametrize(
    ("files", "status", "says"),
    [
        ({"uv.lock": '[[package]]\nname = "anthropic"\nversion = "0.25.8"\n'}, "fail",
         "uv.lock locks anthropic 0.25.8"),
        ({"poetry.lock": '[[package]]\nname = "anthropic"\nversion = "3.1.0"\n'}, "fail",
         "poetry.lock locks anthropic 3.1.0"),
        ({"Pipfile.lock": '{"default": {"anthropic": {"version": "==0.39.0"}}}'}, "fail",
         "Pipfile.lock [default] locks anthropic 0.39.0"),
        ({"requirements-dev.txt": "pytest\nanthropic[bedrock]<0.30  # old\n"}, "fail",
         "requirements-dev.txt: anthropic<0.30 excludes every release"),
        ({"pyproject.toml": '[project]\nname = "app"\ndependencies = ["anthropic>=0.20"]\n'},
         "warn", "anthropic>=0.20 allows releases older than 0.40"),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nanthropic = "^0.30"\n'}, "fail",
         "[tool.poetry.dependencies]: anthropic^0.30 excludes every release"),
        ({"pyproject.toml": '[project]\nname = "app"\ndependencies = ["anthropic>=0.40,<3"]\n',
          "uv.lock": '[[package]]\nname = "anthropic"\nversion = "2.1.0"\n'}, "pass",
         "uv.lock: anthropic==2.1.0"),
        ({}, "warn", "anthropic is not declared"),
    ],
)  # fmt: skip
def test_dependency_row_reads_every_place_a_version_is_decided(
    repo: Path, files: dict[str, str], status: str, says: str
) -> None:
    for name, text in files.items():
        (repo / name).write_text(text)
    row = _rows(run_doctor(repo, env={}))["dependency"]
    assert row[0] == status, row
    assert says in row[1]


# --- --messages: a saved conversation an interruption damaged -----------------------------------


def test_messages_prints_the_repairs(scaffold: Scaffold, tmp_path: Path) -> None:
    saved = tmp_path / "chat.json"
    conversation = {
        "model": "claude-sonnet-4-6",
        "messages": [
            {"role": "user", "content": "Weather?"},
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "The user", "signature": ""},
                    {"type": "tool_use", "id": "toolu_01A", "name": "w", "input": {}},
                ],
            },
        ],
    }
    saved.write_text(json.dumps(conversation))
    before = saved.read_bytes()
    run = scaffold("doctor", "--messages", str(saved))
    assert run.exit_code == 1, run.stdout
    assert "without its signature" in run.stdout
    assert "toolu_01A had no tool_result" in run.stdout
    assert saved.read_bytes() == before  # the user's file is untouched
    run = scaffold("doctor", "--messages", str(saved), "--json")
    repaired = run.json()["messages"]
    assert repaired[-1]["content"][0]["is_error"] is True


def test_messages_clean_and_bad_files(scaffold: Scaffold, tmp_path: Path) -> None:
    saved = tmp_path / "chat.json"
    saved.write_text(json.dumps([{"role": "user", "content": "hi"}]))
    run = scaffold("doctor", "--messages", str(saved))
    assert run.exit_code == 0, run.stdout
    assert "nothing an interruption broke" in run.stdout
    saved.write_text("{not json")
    run = scaffold("doctor", "--messages", str(saved))
    assert run.exit_code == 2
    assert run.stderr.startswith("scaffold: error: ")
    assert "chat.json:1:2: not JSON" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
