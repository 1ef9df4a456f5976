"""## What it does
Finds `client.messages.create(..., stream=True)` calls (also `beta.messages`,
`messages.with_raw_response` / `with_streaming_response`, async clients,
and `stream=True` passed through a `**{"stream": True}` literal) that are not protected by
recovery. "Protected" means the same as for [SCF001](SCF001.md). `stream=<variable>` is not
reported: the linter cannot know whether it streams.

## Why is this bad?
`create(stream=True)` returns the raw event stream with the same failure modes as
`messages.stream()`: a mid-body disconnect raises a raw `httpx` error that the SDK does not
retry, and a clean end of the body before `message_stop` raises nothing, leaving a silently
truncated answer.

## Example
```python
events = client.messages.create(model="claude-sonnet-4-5", max_tokens=8000,
                                messages=msgs, stream=True)
for event in events:
    ...
```

## Use instead
```python
from myapp.claude_stream import recovering_stream

with recovering_stream(client, model="claude-sonnet-4-5", max_tokens=8000,
                       messages=msgs) as stream:
    for text in stream.text_stream:
        ...
```
or, when only the text matters, `stream_with_recovery(client, msgs, model=..., max_tokens=...)`.
In async code, `async with async_recovering_stream(client, **params) as stream:` and
`async for text in stream.text_stream:`.

## Fix safety
`scaffold lint --fix` rewrites the shape that reads text deltas only:
`events = client.messages.create(..., stream=True)` directly followed by `for event in events:`
(or the call written in the `for` itself), whose whole body is one `if` selecting text deltas
and reading only `event.delta.text`. It becomes
`with recovering_stream(client, ...) as events:` / `for event in events.text_stream:` with
`event.delta.text` replaced by `event` (`async with async_recovering_stream(...)` and
`async for` for an awaited call), importing the function from the vendored module. **Safe** when
the test is `event.type == "content_block_delta" and event.delta.type == "text_delta"`;
**unsafe** when it only checks `event.type == "content_block_delta"` (the original fails on a
non-text delta, the fix skips it). A loop that reads other events (usage, stop reason, tool
input) is not rewritten: the help line says so.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scaffolder.lint.model import FileModel, Protection
from scaffolder.lint.rules._common import stream_true

CODE = "SCF002"
NAME = "unprotected-create-stream"
SUMMARY = "`messages.create(stream=True)` not protected by recovery"
FIX = (
    "use `recovering_stream(client, **params)` or `stream_with_recovery(client, messages, ...)`"
    " from the vendored claude_stream module"
)
FIX_AVAILABILITY = "sometimes"
ASYNC_FIX = (
    "use `async with async_recovering_stream(client, **params)` from the vendored "
    "claude_stream module"
)


def check(model: FileModel) -> Iterator[tuple[ast.AST, str]]:
    for call in model.message_calls:
        if call.method != "create" or not isinstance(call.node, ast.Call):
            continue
        if not stream_true(call.node, model) or not model.receiver_is_client(call.receiver):
            continue
        if model.protection(call.node) is Protection.NONE:
            yield (
                call.node,
                (
                    "`messages.create(stream=True)` is not protected by recovery: an interrupted "
                    "stream raises a raw httpx error or ends silently truncated"
                ),
            )
