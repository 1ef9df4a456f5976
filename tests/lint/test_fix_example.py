"""The proof that `scaffold lint --fix` fixes: an unprotected program loses its answer when the
stream drops mid-body; after `--fix` the same program, run against the fake Messages API (the
real SDK over real HTTP), recovers and prints every character exactly once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffolder.cli import cli
from scaffolder.render import render_files
from scaffolder.testing import FakeAnthropic, Fault

EXAMPLE = Path(__file__).parent / "fixtures" / "fix_example" / "write.py"
ANSWERS = (
    "_src_path: scaffolder\ntemplate_version: 1\ntimeout: 600\n"
    "module_path: essay/claude_stream.py\nmodule_import: essay.claude_stream\n"
)


@pytest.fixture(scope="module")
def runtime_source() -> str:
    """claude_stream.py as `scaffold init` renders it."""
    return render_files({"timeout": 600})["claude_stream.py"]


@pytest.fixture
def project(tmp_path: Path, runtime_source: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "essay"\n', encoding="utf-8")
    package = tmp_path / "essay"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "claude_stream.py").write_text(runtime_source, encoding="utf-8")
    (tmp_path / ".scaffold-answers.yml").write_text(ANSWERS, encoding="utf-8")
    shutil.copy(EXAMPLE, package / "write.py")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(project: Path, api: FakeAnthropic, mode: str) -> subprocess.CompletedProcess[str]:
    api.script(Fault.close(at=8), None)  # the first response drops mid-body
    return subprocess.run(
        [sys.executable, "-m", "essay.write", api.base_url, mode],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("mode", ["sync", "async", "events"])
def test_the_fixed_program_recovers_with_exactly_once_text(
    mode: str, project: Path, fake_anthropic: FakeAnthropic
) -> None:
    before = run(project, fake_anthropic, mode)
    assert before.stdout != fake_anthropic.text  # the drop cuts the unprotected program short

    result = CliRunner().invoke(cli, ["lint", "--no-cache", "--fix", "--show-fixes", "."])
    assert result.exit_code == 0, result.output
    fixed = (project / "essay" / "write.py").read_text(encoding="utf-8")
    assert "from essay.claude_stream import async_recovering_stream, recovering_stream" in fixed
    assert "async with async_recovering_stream(client, **PARAMS) as stream:" in fixed
    assert "timeout=300" in fixed

    after = run(project, fake_anthropic, mode)
    assert after.returncode == 0, after.stderr
    assert after.stdout == fake_anthropic.text


TRANSPORT = EXAMPLE.with_name("transport.py")


@pytest.mark.skipif(
    int(version("anthropic").split(".")[0]) < 1,
    reason="the SDK installed here is built on httpx: the example's httpx objects are right",
)
def test_the_fixed_transport_program_runs_on_an_httpx2_sdk(
    project: Path, fake_anthropic: FakeAnthropic
) -> None:
    """SCF006's fixes (the safe `anthropic.Timeout` and the unsafe `DefaultHttpxClient`) turn a
    program the installed SDK refuses into one that talks to the API."""
    shutil.copy(TRANSPORT, project / "essay" / "transport.py")
    fake_anthropic.script(None)
    before = run_module(project, "essay.transport", fake_anthropic.base_url)
    assert before.returncode != 0
    assert "httpx" in before.stderr  # no httpx installed, or the SDK's TypeError naming it

    result = CliRunner().invoke(
        cli, ["lint", "--no-cache", "--fix", "--unsafe-fixes", "--select", "SCF006", "."]
    )
    assert result.exit_code == 0, result.output
    fixed = (project / "essay" / "transport.py").read_text(encoding="utf-8")
    assert "http_client=anthropic.DefaultHttpxClient(timeout=anthropic.Timeout(600.0" in fixed
    assert "with_options(timeout=anthropic.Timeout(900.0, connect=2.0))" in fixed
    # `import httpx` is now unused: `--fix` leaves it to the user's formatter, as documented.
    subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--fix", "--select", "F401", "--quiet", "."],
        cwd=project,
        check=True,
    )

    fake_anthropic.script(None)
    after = run_module(project, "essay.transport", fake_anthropic.base_url)
    assert after.returncode == 0, after.stderr
    assert after.stdout == fake_anthropic.text
    assert [r.path for r in fake_anthropic.message_requests][-1] == "/v1/messages"


def run_module(project: Path, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
