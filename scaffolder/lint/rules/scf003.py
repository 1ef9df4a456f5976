"""## What it does
Finds a read timeout below `min-timeout` (default 300 s) given to an Anthropic client or
request: `Anthropic(timeout=60)` (and the async, Bedrock and Vertex clients),
`Anthropic(http_client=httpx.Client(timeout=60))` (the SDK adopts a custom transport's
timeout unless it is httpx's default of 5 s), `client.with_options(timeout=...)`,
`client.messages.create(..., timeout=...)` / `messages.stream(..., timeout=...)`, and
`recovering_stream(client, ..., timeout=...)` (the runtime passes it on to the request).

Only the *read* timeout counts: a number, `httpx.Timeout(x)` or `Timeout(x, read=y)`
(`httpx`, `httpx2` or `anthropic.Timeout`); `Timeout(900, connect=5)` is fine. `None`, values
at or above `min-timeout`, and values the linter cannot evaluate (a function call, a setting
read at run time) are not reported. Timeouts given to other libraries never count.

## Why is this bad?
The read timeout applies to every chunk of the response body. Long generations pause between
chunks (extended thinking, tool use, an overloaded server), and a short read timeout turns a
slow but healthy stream into an `httpx.ReadTimeout` in the middle of the answer. The SDK's
default is 600 s; lowering it below a few minutes cuts long streams.

## Example
```python
client = anthropic.Anthropic(timeout=60)
client = anthropic.Anthropic(timeout=httpx.Timeout(30.0, connect=5.0))
```

## Use instead
```python
from myapp.claude_stream import make_client

client = make_client()  # the timeout from `scaffold init` (>= 300 s)
client = anthropic.Anthropic(timeout=httpx.Timeout(600.0, connect=5.0))
```
Set `min-timeout` in `[tool.scaffold]` to change the threshold.

## Fix safety
**Safe** fix: a read timeout written as a number at the finding (`timeout=60`,
`httpx.Timeout(30.0, connect=5.0)`, `Timeout(600, read=45)`, `timeout=` of a request) is raised
to `min-timeout`; everything else in the expression stays. A timeout read from a variable or a
transport is not rewritten: the help line says to change it where it is defined.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scaffolder.lint._protection import RUNTIME_RECOVERY_FUNCTIONS
from scaffolder.lint.model import FileModel
from scaffolder.lint.rules._common import keyword

CODE = "SCF003"
NAME = "short-read-timeout"
SUMMARY = "client or request read timeout below `min-timeout`"
FIX = "use `make_client()` from the vendored claude_stream module, or a read timeout >= min-timeout"
FIX_AVAILABILITY = "sometimes"

_MAX_DEPTH = 8
#: Transports whose `timeout=` the SDK adopts when it is given as `http_client=`.
TRANSPORT_CLASSES = frozenset(
    f"{module}.{name}"
    for module, names in (
        ("httpx", ("Client", "AsyncClient")),
        ("httpx2", ("Client", "AsyncClient")),
        ("anthropic", ("DefaultHttpxClient", "DefaultAsyncHttpxClient")),
    )
    for name in names
)
HTTPX_DEFAULT_TIMEOUT = 5.0


def check(model: FileModel) -> Iterator[tuple[ast.AST, str]]:
    minimum = model.settings.min_timeout
    for where, value in _timeout_values(model):
        seconds = _read_timeout(model, value, 0)
        if seconds is not None and seconds < minimum:
            yield (
                where,
                (
                    f"read timeout {seconds:g} s is below min-timeout {minimum:g} s: a long stream "
                    "that pauses between chunks is cut mid-answer"
                ),
            )


def _timeout_values(model: FileModel) -> Iterator[tuple[ast.expr, ast.expr]]:
    """(where to report, the timeout expression) for each client and request timeout."""
    for call in model.calls:
        func = call.func
        if model.is_client_class(func):
            timeout = keyword(call, "timeout")
            if timeout.absent:
                yield from _transport_timeout(model, call)
            node = timeout.node
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "with_options"
            and model.receiver_is_client(func.value)
        ):
            node = keyword(call, "timeout").node
        else:
            continue
        if node is not None:
            yield node, node
    for message_call in model.message_calls:
        if isinstance(message_call.node, ast.Call) and model.receiver_is_client(
            message_call.receiver
        ):
            node = keyword(message_call.node, "timeout").node
            if node is not None:
                yield node, node
    for call in model.calls:
        # The runtime passes its keyword arguments on to `client.messages.stream(...)`: a short
        # `timeout=` there is the request's read timeout, cut and resumed over and over.
        if model.names.last_name(call.func) in RUNTIME_RECOVERY_FUNCTIONS:
            node = keyword(call, "timeout").node
            if node is not None:
                yield node, node


def _transport_timeout(
    model: FileModel, client_call: ast.Call
) -> Iterator[tuple[ast.expr, ast.expr]]:
    """`Anthropic(http_client=httpx.Client(timeout=...))`: the SDK takes the transport's
    timeout, unless it equals httpx's default (5 s), which it replaces by its own 600 s."""
    where = transport = keyword(client_call, "http_client").node
    if isinstance(transport, ast.Name):
        transport = model.bound_value(transport)
    if where is None or not (
        isinstance(transport, ast.Call)
        and (model.qualname(transport.func) or "") in TRANSPORT_CLASSES
    ):
        return
    node = keyword(transport, "timeout").node
    if node is not None and _read_timeout(model, node, 0) != HTTPX_DEFAULT_TIMEOUT:
        yield where, node


def _read_timeout(model: FileModel, value: ast.expr, depth: int) -> float | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, ast.Call) and model.is_timeout_class(value.func):
        read = keyword(value, "read")
        if read.node is not None:
            return model.constant_number(read.node)
        default = keyword(value, "timeout").node or (value.args[0] if value.args else None)
        if default is None or isinstance(default, ast.Starred):
            return None
        return _read_timeout(model, default, depth + 1)
    if isinstance(value, ast.Name):
        bound = model.bound_value(value)
        if isinstance(bound, ast.Call):
            return _read_timeout(model, bound, depth + 1)
    return model.constant_number(value)
