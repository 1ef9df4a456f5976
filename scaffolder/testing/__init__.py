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

from scaffolder.testing._answer import supports_prefill
from scaffolder.testing._faults import ERROR_TYPES, Fault
from scaffolder.testing._server import DEFAULT_TEXT, FakeAnthropic, RecordedRequest
from scaffolder.testing._text import count_tokens, long_text, tokenize

__all__ = [
    "DEFAULT_TEXT",
    "ERROR_TYPES",
    "FakeAnthropic",
    "Fault",
    "RecordedRequest",
    "count_tokens",
    "long_text",
    "supports_prefill",
    "tokenize",
]
