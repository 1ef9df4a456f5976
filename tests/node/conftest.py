"""Fixtures for the Node runtime: the real `@anthropic-ai/sdk` (current and previous major) from
the npm registry, the runtime as `scaffold init` renders it, and node running it against the fake
Messages API (`scaffolder.testing`) over real HTTP.

Skipped, with the reason, where node 20+ or npm is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scaffolder.render import render_files
from scaffolder.testing import FakeAnthropic

from . import npm

DRIVER = Path(__file__).with_name("driver.mjs")
#: The rendered file name of each variant of the Node runtime.
VARIANT_FILES = {"ts": "claudeStream.ts", "esm": "claudeStream.mjs", "cjs": "claudeStream.cjs"}
TIMEOUT = 750  # seconds, the init answer these renders use


@dataclass(frozen=True)
class NodeSDK:
    """One installed SDK major and a scratch directory that resolves it from node_modules."""

    major: str
    version: str
    root: Path  # the cache directory holding node_modules
    work: Path  # rendered runtimes live here

    def runtime(self, variant: str) -> Path:
        return self.work / VARIANT_FILES[variant]


@pytest.fixture(scope="session", params=npm.SDK_MAJORS, ids=lambda major: f"sdk{major}")
def node_sdk(request: pytest.FixtureRequest) -> Iterator[NodeSDK]:
    reason = npm.missing_node()
    if reason is not None:
        pytest.skip(reason)
    major = str(request.param)
    root = npm.sdk_dir(major)
    # Inside the cache directory, so that node and tsc find its node_modules from the file.
    work = Path(tempfile.mkdtemp(prefix="run-", dir=root))
    for variant, name in VARIANT_FILES.items():
        rendered = render_files({"timeout": TIMEOUT, "node_runtime": variant})
        (work / name).write_text(rendered[name], encoding="utf-8")
    yield NodeSDK(major, npm.sdk_version(root), root, work)
    shutil.rmtree(work, ignore_errors=True)


def run_node(
    sdk: NodeSDK,
    api: FakeAnthropic,
    params: dict[str, Any],
    *,
    variant: str = "esm",
    options: dict[str, Any] | None = None,
    testing: bool = True,
    runtime: Path | None = None,
) -> dict[str, Any]:
    """Stream `params` through the rendered runtime in node (`runtime`: another copy of it,
    e.g. the one `scaffold init` placed); what `driver.mjs` reports."""
    config = {
        "baseURL": api.base_url,
        "params": params,
        "options": options or {},
        "testing": testing,
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANTHROPIC_")}
    env.pop("CLAUDE_STREAM_TESTING", None)
    result = subprocess.run(
        ["node", str(DRIVER), str(runtime or sdk.runtime(variant)), json.dumps(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    report["stderr"] = result.stderr
    return report
