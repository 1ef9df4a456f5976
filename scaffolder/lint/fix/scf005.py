"""SCF005: `client.messages.create(...)` with a large `max_tokens` ->
`recovering_stream(client, ...).get_final_message()` (unsafe: the request now streams, and
the result is the recovering stream's `Message`, not the SDK's exact return value)."""

from __future__ import annotations

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import FixContext, client_of, runtime_call
from scaffolder.lint.fix._runtime import Runtime
from scaffolder.lint.fix._types import Fix, NoFix

CODE = "SCF005"


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    value = ctx.expression_at(diagnostic)
    call = ctx.enclosing(value, cst.Call) if value is not None else None
    target = client_of(call) if call is not None else None
    if call is None or target is None:
        return None
    client, beta = target
    if beta:
        name = "async_recovering_stream" if ctx.in_async_function(call) else "recovering_stream"
        return NoFix(
            CODE,
            f"no automatic fix for `beta.messages.create`: stream it with `{name}(client, "
            "**params)` and pass the beta headers as `extra_headers=`",
        )
    if not isinstance(ctx.runtime, Runtime):
        return NoFix(CODE, ctx.runtime)
    parent = ctx.parent(call)
    is_async = isinstance(parent, cst.Await)
    if not is_async and ctx.in_async_function(call):
        return NoFix(
            CODE,
            "a non-awaited `messages.create` in an async function: rewrite it by hand with "
            "`recovering_stream(client, ...)` (sync client) or `async_recovering_stream` (async)",
        )
    name = "async_recovering_stream" if is_async else "recovering_stream"
    # `stream=False` goes: the recovering stream streams (it passes `stream=True` itself).
    stream = runtime_call(name, call, client, drop="stream").with_changes(lpar=(), rpar=())
    replacement = cst.Call(
        func=cst.Attribute(value=stream, attr=cst.Name("get_final_message")),
        lpar=call.lpar,
        rpar=call.rpar,
    )
    return Fix(
        CODE,
        target=call,
        replacement=replacement,
        title=f"stream it: `{name}(...).get_final_message()` (unsafe: the request now streams)",
        unsafe=True,
        imports=(name,),
    )
