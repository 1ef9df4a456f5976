"""Test helpers for code that streams from the Anthropic API: a fake Messages API with faults.

```python
from scaffolder.testing import FakeAnthropic, Fault

with FakeAnthropic(text="The whole answer.") as api:
    client = anthropic.Anthropic(base_url=api.base_url, api_key="test")
    api.script(Fault.close(at=5), None)
```

Standard library only; see docs/testing.md. The pytest fixture `fake_anthropic` lives in
`scaffolder.testing.plugin`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scaffolder.testing._answer import supports_prefill
    from scaffolder.testing._faults import ERROR_TYPES, Fault
    from scaffolder.testing._script import ScriptedModel, ToolCall, Turn
    from scaffolder.testing._server import DEFAULT_TEXT, FakeAnthropic, RecordedRequest
    from scaffolder.testing._text import count_tokens, long_text, tokenize

__all__ = [
    "DEFAULT_TEXT",
    "ERROR_TYPES",
    "FakeAnthropic",
    "Fault",
    "RecordedRequest",
    "ScriptedModel",
    "ToolCall",
    "Turn",
    "count_tokens",
    "long_text",
    "supports_prefill",
    "tokenize",
]

# Loaded on first use: the pytest plugin imports this package in every test session of every
# project that installs scaffolder, and most of those sessions never start the server.
_HOMES = {
    "DEFAULT_TEXT": "_server",
    "ERROR_TYPES": "_faults",
    "FakeAnthropic": "_server",
    "Fault": "_faults",
    "RecordedRequest": "_server",
    "ScriptedModel": "_script",
    "ToolCall": "_script",
    "Turn": "_script",
    "count_tokens": "_text",
    "long_text": "_text",
    "supports_prefill": "_answer",
    "tokenize": "_text",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
