"""Fixtures for the recovery runtime: the module exactly as `scaffold init` renders it.

The template is rendered once per session with `scaffolder.render.render_files` (the code path
`scaffold init` uses), written to a temporary directory and imported from there, so every test
exercises the vendored file and never a copy kept in the repository.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anthropic
import pytest

from scaffolder.render import render_files
from scaffolder.testing import FakeAnthropic

#: A model that accepts an assistant prefill, and one that rejects it (Claude 4.6+).
PREFILL_MODEL = "claude-haiku-4-5"
NO_PREFILL_MODEL = "claude-sonnet-4-6"

# Extended thinking arrived in anthropic 0.47; CI also runs this suite on 0.40.
needs_thinking = pytest.mark.skipif(
    not hasattr(anthropic.types, "ThinkingConfigParam"), reason="SDK without extended thinking"
)


@pytest.fixture(scope="session")
def rendered_runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The path of `claude_stream.py` as `scaffold init` renders it (timeout 600)."""
    source = render_files({"timeout": 600})["claude_stream.py"]
    path = tmp_path_factory.mktemp("vendored") / "claude_stream.py"
    path.write_text(source, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def cs(rendered_runtime: Path) -> Iterator[ModuleType]:
    """The rendered runtime module, imported from the rendered file, backoff sleeps off."""
    # A name of its own, so other areas' tests importing their own render cannot collide.
    name = "_runtime_tests_claude_stream"
    spec = importlib.util.spec_from_file_location(name, rendered_runtime)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up in sys.modules
    spec.loader.exec_module(module)
    module.set_testing(True)
    yield module
    sys.modules.pop(name, None)


@pytest.fixture
def client(fake_anthropic: FakeAnthropic) -> Iterator[anthropic.Anthropic]:
    """A real SDK client talking to the fake API over HTTP."""
    with anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test") as sdk:
        yield sdk


@pytest.fixture
async def aclient(fake_anthropic: FakeAnthropic) -> AsyncIterator[anthropic.AsyncAnthropic]:
    """A real async SDK client talking to the fake API over HTTP."""
    async with anthropic.AsyncAnthropic(base_url=fake_anthropic.base_url, api_key="test") as sdk:
        yield sdk


@pytest.fixture
def policy(cs: ModuleType) -> Any:
    """A policy for tests: a 1 s idle watchdog, so the 3 s stalls of the tests are caught fast.

    (Not shorter: on a loaded machine the first byte of a healthy response can take a while.)
    """
    return cs.RecoveryPolicy(idle_timeout=1.0)


def request_params(model: str = PREFILL_MODEL, **extra: Any) -> dict[str, Any]:
    """The keyword arguments of a typical messages.stream() call."""
    params: dict[str, Any] = {
        "model": model,
        "max_tokens": 100_000,
        "messages": [{"role": "user", "content": "Tell me everything."}],
    }
    params.update(extra)
    return params
