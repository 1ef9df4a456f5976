"""## What it does
Finds hand-written stream recovery whose retry catches only `anthropic.APIConnectionError`
(or its SDK relatives `APITimeoutError`, `APIError`, `AnthropicError`): a loop around a
streaming call whose `except anthropic.APIConnectionError:` goes round again, whatever the
wrapper is called, and retry decorators (`tenacity`, `backoff`, `stamina`) whose retry list
holds only those classes. Such a call is reported once, as SCF004, not also as SCF001/SCF002.

Also a retry whose handler names only the *other* httpx generation's transport errors: from
anthropic 1.0 on the SDK is built on `httpx2`, whose `RemoteProtocolError`, `ReadError`, ...
are not subclasses of `httpx`'s, so `except httpx.RemoteProtocolError:` catches nothing
there; before 1.0 the reverse holds. The SDK version is the project's (lock files, declared
dependencies, the installed distribution, else the current release; pin it with
`anthropic-version` in `[tool.scaffold]`).

## Why is this bad?
This is the recovery most often copied from the web, and it does not recover:
- a disconnect in the middle of the body raises a raw `httpx.RemoteProtocolError` /
  `httpx.ReadError` / `httpx.ReadTimeout` (or the `httpx2` equivalents), which is not an
  `anthropic.APIConnectionError` and escapes the handler;
- a clean end of the body before `message_stop` raises nothing: the answer is silently
  truncated and the loop reports success;
- the usual "Continue from where you left off." continuation duplicates text at the seam, and
  assistant prefill is rejected by newer models.

## Example
```python
for attempt in range(3):
    try:
        with client.messages.stream(**params) as stream:
            return stream.get_final_text()
    except anthropic.APIConnectionError:
        time.sleep(2 ** attempt)
```

## Use instead
```python
from myapp.claude_stream import recovering_stream

with recovering_stream(client, **params) as stream:
    return stream.get_final_text()
```
In async code: `async with async_recovering_stream(client, **params) as stream:`.

## Fix safety
**Unsafe** fix (the runtime's retry policy replaces the loop's own waiting, logging and giving
up), for the recognised shape: a `for`/`while` loop whose whole body is one `try` around
`with client.messages.stream(...) as stream:`, whose handlers catch only the anthropic
connection errors, whose success path leaves with `return` or a final `break`, and whose
variables (the loop's, the handlers') are not used after it. The loop becomes the
`with recovering_stream(client, ...) as stream:` block alone (`async_recovering_stream` under
`async with`). Other shapes get a help line instead.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scaffolder.lint.model import FileModel, Protection
from scaffolder.lint.rules._common import stream_true

CODE = "SCF004"
NAME = "connection-error-only-retry"
SUMMARY = "hand-written retry that only catches `anthropic.APIConnectionError`"
FIX = "replace the hand-written retry with `recovering_stream(client, **params)` from claude_stream"
FIX_AVAILABILITY = "sometimes"
ASYNC_FIX = (
    "replace the hand-written retry with `async with async_recovering_stream(client, **params)` "
    "from claude_stream"
)


def check(model: FileModel) -> Iterator[tuple[ast.AST, str]]:
    for call in model.message_calls:
        streaming = call.method == "stream" or (
            isinstance(call.node, ast.Call) and stream_true(call.node, model)
        )
        if not streaming or not model.receiver_is_client(call.receiver):
            continue
        protection = model.protection(call.node)
        if protection is Protection.NAIVE:
            yield (
                call.node,
                (
                    "retry around the stream only catches anthropic connection errors: mid-body "
                    "drops raise raw httpx errors and a truncated stream raises nothing"
                ),
            )
        elif protection is Protection.WRONG_HTTPX:
            sdk = model.settings.sdk
            other = "httpx" if sdk.httpx == "httpx2" else "httpx2"
            yield (
                call.node,
                (
                    f"retry around the stream catches `{other}` errors, but the project's "
                    f"anthropic ({sdk.source}) raises `{sdk.httpx}` errors, which are not "
                    f"subclasses of them: the retry never runs"
                ),
            )
