"""## What it does
Finds an `httpx.Timeout`, `httpx.Client` / `httpx.AsyncClient` or `httpx.HTTPTransport` /
`httpx.AsyncHTTPTransport` given to an anthropic SDK built on `httpx2` (anthropic 1.0 and
later): as `timeout=` or `http_client=` of a client (`Anthropic(...)`, the async, Bedrock and
Vertex clients), of `client.with_options(...)` or of a request
(`messages.create(..., timeout=...)`), or as `transport=` of `anthropic.DefaultHttpxClient`.
For anthropic before 1.0 (built on `httpx`) it finds the reverse: `httpx2` objects given to
it.

The SDK version is the project's: `anthropic-version` in `[tool.scaffold]`, else the lock
files (uv.lock, poetry.lock, pdm.lock, Pipfile.lock), else the declared dependency
(pyproject.toml, Pipfile, requirements*.txt; `anthropic<1` or `==0.49.*` means before 1.0,
an open `>=0.40` installs the newest), else the installed distribution, else the current
release. `scaffold lint --show-settings` prints which was used.

## Why is this bad?
anthropic 1.0 moved its transport from `httpx` to `httpx2`. The two packages have separate
classes, and the SDK rejects the other package's objects with a `TypeError` ("`httpx.Timeout`
is from the `httpx` package, but this SDK uses `httpx2`", `_reject_httpx_object` in
anthropic 2.16's `_base_client.py`): when the client is built for `timeout=`,
`http_client=` and `transport=`, when the request is built for a per-request `timeout=`. Code
upgraded from an older SDK fails at start-up, or, on a path the tests do not cover, in
production.

## Example
```python
import anthropic
import httpx

client = anthropic.Anthropic(timeout=httpx.Timeout(600.0, connect=5.0))  # anthropic >= 1.0
```

## Use instead
```python
import anthropic

client = anthropic.Anthropic(timeout=anthropic.Timeout(600.0, connect=5.0))
```
or `make_client()` from the vendored claude_stream module, which builds the right one for the
installed SDK.

## Fix safety
**Safe** fix for a timeout: `httpx.Timeout(...)` written at the finding becomes
`anthropic.Timeout(...)` with the same arguments (`import anthropic` is added when the file
has no such import). `anthropic.Timeout` is the SDK's own `Timeout` class in every release
(`httpx2.Timeout` from 1.0, `httpx.Timeout` before), and both take the same arguments
(`timeout, *, connect, read, write, pool`), so the value is the same. The fix is **unsafe**
when the first argument is a name or a call (`httpx.Timeout(BASE, connect=5)`): that may be
another `httpx.Timeout`, which the SDK's class does not read as one.

**Unsafe** fix for a client: `http_client=httpx.Client(...)` becomes
`anthropic.DefaultHttpxClient(...)` (`AsyncClient` -> `DefaultAsyncHttpxClient`), with a
`timeout=httpx.Timeout(...)` among its arguments rewritten as above. The SDK's class is the
right generation's client, but it also fills in what the call leaves out: the SDK's timeout
(600 s instead of httpx's 5 s), its connection limits, `follow_redirects=True` and TCP
keep-alive (`_DefaultHttpxClient` in anthropic 2.16's `_base_client.py`). Review the result.

No fix, and the help line says what to write, for an object built elsewhere and passed by
name (`timeout=TIMEOUT`: change it where it is defined), for a transport
(`transport=httpx.HTTPTransport(...)`: the SDK has no transport class of its own, use
`httpx2.HTTPTransport(...)`), for a client whose other arguments are objects of the same
wrong package (`limits=httpx.Limits(...)`), and for `proxies=` / `app=`, which httpx 0.28
removed and httpx2 does not have.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from scaffolder.lint.model import FileModel
from scaffolder.lint.rules._common import keyword

CODE = "SCF006"
NAME = "httpx-generation-mismatch"
SUMMARY = "`httpx` object given to an SDK built on `httpx2` (or the reverse)"
FIX = (
    "use `anthropic.Timeout(...)` / `anthropic.DefaultHttpxClient(...)`, which follow the SDK's "
    "own httpx generation"
)
FIX_AVAILABILITY = "sometimes"

_OBJECTS = ("Timeout", "Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport")
_ARGUMENTS = ("timeout", "http_client", "transport")
#: The SDK's own transports, which check `transport=`.
_SDK_TRANSPORTS = frozenset({"anthropic.DefaultHttpxClient", "anthropic.DefaultAsyncHttpxClient"})


def check(model: FileModel) -> Iterator[tuple[ast.AST, str]]:
    sdk = model.settings.sdk
    wrong = "httpx" if sdk.httpx == "httpx2" else "httpx2"
    for call in _sdk_calls(model):
        for argument in _ARGUMENTS:
            value = keyword(call, argument).node
            if value is None:
                continue
            made = _constructor(model, value)
            if made is None:
                continue
            root, _, name = made.partition(".")
            if root == wrong and name in _OBJECTS:
                yield value, message(made, argument, sdk.source, sdk.httpx)


def message(made: str, argument: str, source: str, httpx: str) -> str:
    wrong = "httpx" if httpx == "httpx2" else "httpx2"
    return (
        f"`{made}` given as `{argument}=`: the project's anthropic ({source}) is built on "
        f"`{httpx}` and rejects `{wrong}` objects with a TypeError"
    )


_MESSAGE = re.compile(r"`(?P<made>[\w.]+)` given as `(?P<argument>\w+)=`")


def object_and_argument(text: str) -> tuple[str, str] | None:
    """(`httpx.Timeout`, `timeout`) from a finding's message (what the fixer rewrites)."""
    match = _MESSAGE.match(text)
    return (match.group("made"), match.group("argument")) if match else None


def _sdk_calls(model: FileModel) -> Iterator[ast.Call]:
    """Client constructors, `with_options(...)` on a client, and requests."""
    for call in model.calls:
        func = call.func
        if (
            model.is_client_class(func)
            or (model.qualname(func) or "") in _SDK_TRANSPORTS
            or (
                isinstance(func, ast.Attribute)
                and func.attr in ("with_options", "copy")
                and model.receiver_is_client(func.value)
            )
        ):
            yield call
    for message_call in model.message_calls:
        if isinstance(message_call.node, ast.Call) and model.receiver_is_client(
            message_call.receiver
        ):
            yield message_call.node


def _constructor(model: FileModel, value: ast.expr) -> str | None:
    """`httpx.Timeout` for `httpx.Timeout(...)` or a name bound once to one."""
    if isinstance(value, ast.Name):
        bound = model.bound_value(value)
        value = bound if bound is not None else value
    if isinstance(value, ast.Call) and not model.both_httpx_generations(value.func):
        return model.qualname(value.func)
    return None
