"""## What it does
Finds a non-streaming `client.messages.create(...)` whose literal `max_tokens` makes the SDK
refuse the request before sending it: above 21,333 tokens (the SDK expects 128,000 output
tokens per hour, so the request could take more than 10 minutes), or above 8,192 for the
Claude Opus 4 / 4.1 model ids the SDK lists. Reported only when the SDK would really refuse:
no `stream=True` (`stream=<variable>` is not reported), no `timeout=` on the request, and no
custom timeout on the client (the SDK skips its check then; a client from a factory function
is not reported because its timeout cannot be seen).

## Why is this bad?
The call raises `ValueError: Streaming is required for operations that may take longer than
10 minutes` every time it runs: the code cannot work as written.

## Example
```python
message = client.messages.create(model="claude-sonnet-4-5", max_tokens=64000, messages=msgs)
```

## Use instead
```python
from myapp.claude_stream import stream_with_recovery

text = stream_with_recovery(client, msgs, model="claude-sonnet-4-5", max_tokens=64000)
```

## Fix safety
**Unsafe** fix: `client.messages.create(...)` becomes
`recovering_stream(client, ...).get_final_message()` (for an awaited call
`await async_recovering_stream(client, ...).get_final_message()`), importing the function from
the vendored module. Unsafe because the request now streams and returns the recovering
stream's `Message`. Not offered for `beta.messages` or when the repository has no runtime.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scaffolder.lint.model import FileModel
from scaffolder.lint.rules._common import is_literal, keyword

CODE = "SCF005"
NAME = "non-streaming-max-tokens"
SUMMARY = "non-streaming `messages.create` whose `max_tokens` the SDK refuses"
FIX = "stream it: `stream_with_recovery(client, messages, max_tokens=...)` from claude_stream"
FIX_AVAILABILITY = "sometimes"

#: 10 minutes at the SDK's estimate of 128,000 output tokens per hour.
MAX_NONSTREAMING_TOKENS = 21_333
#: The SDK's per-model limits (anthropic._constants.MODEL_NONSTREAMING_TOKENS).
MODEL_NONSTREAMING_TOKENS = {
    "claude-opus-4-20250514": 8_192,
    "claude-opus-4-0": 8_192,
    "claude-4-opus-20250514": 8_192,
    "anthropic.claude-opus-4-20250514-v1:0": 8_192,
    "claude-opus-4@20250514": 8_192,
    "anthropic.claude-opus-4-1-20250805-v1:0": 8_192,
    "claude-opus-4-1@20250805": 8_192,
}


def check(model: FileModel) -> Iterator[tuple[ast.AST, str]]:
    for call in model.message_calls:
        node = call.node
        if call.method != "create" or not isinstance(node, ast.Call):
            continue
        stream = keyword(node, "stream", model)
        if stream.unknown or not (stream.absent or is_literal(stream.node, False)):
            continue
        if not keyword(node, "timeout", model).absent:
            continue
        max_tokens = keyword(node, "max_tokens", model).node
        value = model.constant_number(max_tokens) if max_tokens is not None else None
        if max_tokens is None or value is None:
            continue
        model_node = keyword(node, "model", model).node
        limit = MAX_NONSTREAMING_TOKENS
        if isinstance(model_node, ast.Constant) and isinstance(model_node.value, str):
            limit = MODEL_NONSTREAMING_TOKENS.get(model_node.value, limit)
        if value <= limit or not model.receiver_is_client(call.receiver):
            continue
        if model.client_has_custom_timeout(call.receiver) is False:
            yield (
                max_tokens,
                (
                    f"`max_tokens={value:.0f}` without streaming: the SDK refuses non-streaming "
                    "requests expected to take over 10 minutes (ValueError before sending)"
                ),
            )
