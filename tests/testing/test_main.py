"""`python -m scaffolder.testing`: a fake API for manual runs and `scaffold verify --simulate`."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import anthropic
import pytest

from .conftest import params


@pytest.fixture
def serve() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()  # reaps it and closes its pipes


def test_serves_until_terminated(serve: list[subprocess.Popen[str]]) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scaffolder.testing",
            "--port",
            "0",
            "--text",
            "Hi there, CLI.",
            "--fault",
            "529",
            "--fault",
            "none",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    serve.append(process)
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    assert base_url.startswith("http://127.0.0.1:")
    client = anthropic.Anthropic(base_url=base_url, api_key="t", max_retries=1, timeout=10)
    with client, client.messages.stream(**params()) as stream:
        assert "".join(stream.text_stream) == "Hi there, CLI."
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert process.stderr is not None
    assert "Traceback" not in process.stderr.read()


def test_unknown_fault_name_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scaffolder.testing", "--fault", "gremlins"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown fault name 'gremlins'" in result.stderr
