"""## What it does
Finds `client.messages.stream(...)` calls (also `client.beta.messages.stream`, async clients,
and references such as `fn = client.messages.stream`) that are not protected by recovery.

A call is protected when it is inside the vendored recovery module (known by the header
`scaffold init` writes, or as `claude_stream.py`), passed to a recovery function
(`recovering_stream`, `async_recovering_stream`, `stream_with_recovery` imported from the
vendored module, or a name in `recovery-functions`; a function is never trusted for its name
alone: one defined in the file is judged by what it does), inside a retry loop whose handler
catches transport errors (those of the httpx generation of the project's anthropic: `httpx2`
from 1.0 on, `httpx` before; `Exception`, `BaseException`, a bare `except`) and goes round
again while the success path leaves the loop, or inside a non-generator function decorated with a
retry decorator (`tenacity.retry`, `backoff.on_exception`, `stamina.retry`, `retry.retry`,
`retrying.retry`, a celery task's `autoretry_for=`, or a name in `retry-decorators`) that
retries transport errors.

## Why is this bad?
Streams break: idle proxies cut connections after 60-120 s, Wi-Fi drops, servers get
overloaded. The SDK retries only until the response headers arrive. A drop in the middle of
the body surfaces as a raw `httpx.RemoteProtocolError` / `httpx.ReadError` (not an
`anthropic` exception), and a clean end of the body before `message_stop` raises nothing at
all: the answer is silently truncated.

## Example
```python
import anthropic

client = anthropic.Anthropic()
with client.messages.stream(model="claude-sonnet-4-5", max_tokens=8000, messages=msgs) as stream:
    for text in stream.text_stream:
        print(text, end="")
```

## Use instead
```python
from myapp.claude_stream import make_client, recovering_stream

client = make_client()
with recovering_stream(client, model="claude-sonnet-4-5", max_tokens=8000, messages=msgs) as stream:
    for text in stream.text_stream:
        print(text, end="")
```
In async code (an `AsyncAnthropic` client), use the async API:
```python
from myapp.claude_stream import async_recovering_stream, make_async_client

client = make_async_client()
async with async_recovering_stream(client, model="claude-sonnet-4-5", max_tokens=8000,
                                   messages=msgs) as stream:
    async for text in stream.text_stream:
        print(text, end="")
```

## Fix safety
`scaffold lint --fix` rewrites `client.messages.stream(...)` to `recovering_stream(client, ...)`
(`async_recovering_stream(client, ...)` under `async with`) and adds the import from the
repository's vendored module (its import path comes from `.scaffold-answers.yml`; without the
runtime there is no fix, and the help line says to run `scaffold init`). The `with` form and the
assigned form (`manager = client.messages.stream(...)`, later `with manager as stream:`) are
rewritten. The fix is **safe** when every later use of the stream is a member the recovering
stream has with the same meaning: `text_stream`, `get_final_message()`, `get_final_text()`,
`until_done()`, `close()`. It is **unsafe** (applied only with `--unsafe-fixes`) when the stream
is handed on to code the fixer cannot see. There is no fix, and the help line says what to do by
hand, when the code iterates raw events (`for event in stream`) or reads another member
(`current_message_snapshot`, ...), for `beta.messages.stream`, and for method references.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scaffolder.lint.model import FileModel, Protection

CODE = "SCF001"
NAME = "unprotected-stream"
SUMMARY = "`messages.stream()` not protected by recovery"
FIX = "use `recovering_stream(client, **params)` from the vendored claude_stream module"
FIX_AVAILABILITY = "sometimes"
ASYNC_FIX = (
    "use `async with async_recovering_stream(client, **params)` from the vendored "
    "claude_stream module"
)


def check(model: FileModel) -> Iterator[tuple[ast.AST, str]]:
    for call in model.message_calls:
        if call.method != "stream" or not model.receiver_is_client(call.receiver):
            continue
        if model.protection(call.node) is Protection.NONE:
            if call.is_reference:
                yield call.node, "reference to `messages.stream` is not protected by recovery"
            else:
                yield (
                    call.node,
                    (
                        "`messages.stream()` is not protected by recovery: an interrupted stream "
                        "raises a raw httpx error or ends silently truncated"
                    ),
                )
