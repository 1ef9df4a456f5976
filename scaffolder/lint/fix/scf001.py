"""SCF001: `client.messages.stream(...)` -> `recovering_stream(client, ...)`.

Safe when every later use of the stream is a member the recovering stream has with the same
meaning (`text_stream`, `get_final_message()`, `get_final_text()`, `until_done()`, `close()`);
unsafe when the stream (or the unentered manager) is handed on to code the fixer cannot see;
no fix when the code iterates raw events or reads another member.
"""

from __future__ import annotations

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import (
    FixContext,
    client_of,
    runtime_call,
    with_statement_text,
)
from scaffolder.lint.fix._runtime import STREAM_MEMBERS, Runtime
from scaffolder.lint.fix._types import Fix, NoFix

CODE = "SCF001"


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    call = ctx.node_at(diagnostic, cst.Call)
    if call is None:
        attribute = ctx.node_at(diagnostic, cst.Attribute)
        if attribute is not None:
            name = (
                "async_recovering_stream"
                if ctx.in_async_function(attribute)
                else "recovering_stream"
            )
            return NoFix(
                CODE,
                "a reference to `messages.stream` cannot be rewritten automatically: call "
                f"`{name}(client, **params)` where the reference is called",
            )
        return None
    target = client_of(call)
    if target is None:
        return None
    client, beta = target
    if beta:
        return NoFix(
            CODE,
            "no automatic fix for `beta.messages.stream`: the recovering stream calls "
            "`client.messages`; pass the beta headers as `extra_headers=` and use "
            f"{with_statement_text(_is_async(ctx, call))} by hand",
        )
    if not isinstance(ctx.runtime, Runtime):
        return NoFix(CODE, ctx.runtime)
    verdict = _uses_verdict(ctx, call)
    if isinstance(verdict, NoFix):
        return verdict
    is_async, unsafe_reason = verdict
    name = "async_recovering_stream" if is_async else "recovering_stream"
    title = f"use `{name}(...)` from {ctx.runtime.module}"
    if unsafe_reason:
        title += f" (unsafe: {unsafe_reason})"
    return Fix(
        CODE,
        target=call,
        replacement=runtime_call(name, call, client),
        title=title,
        unsafe=bool(unsafe_reason),
        imports=(name,),
    )


def _is_async(ctx: FixContext, call: cst.Call) -> bool:
    parent = ctx.parent(call)
    if isinstance(parent, cst.WithItem):
        statement = ctx.parent(parent)
        return isinstance(statement, cst.With) and statement.asynchronous is not None
    return ctx.in_async_function(call)


def _uses_verdict(ctx: FixContext, call: cst.Call) -> tuple[bool, str] | NoFix:
    """(async?, why the fix is unsafe or "") from how the stream is used, or a `NoFix`."""
    parent = ctx.parent(call)
    if isinstance(parent, cst.WithItem) and parent.item is call:
        return with_verdict(ctx, parent)
    is_async = ctx.in_async_function(call)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        name = parent.targets[0].target
        if isinstance(name, cst.Name):
            return _manager_verdict(ctx, parent, name.value, is_async)
    return is_async, "the stream is not used in a `with` statement the fixer can follow"


def with_verdict(ctx: FixContext, item: cst.WithItem) -> tuple[bool, str] | NoFix:
    statement = ctx.parent(item)
    assert isinstance(statement, cst.With)
    is_async = statement.asynchronous is not None
    if item.asname is None:
        return is_async, ""
    target = item.asname.name
    if not isinstance(target, cst.Name):
        return NoFix(CODE, "the stream is unpacked in `as (...)`: rewrite it by hand")
    return _stream_verdict(ctx, statement, target.value, is_async)


def _manager_verdict(
    ctx: FixContext, assign: cst.Assign, manager: str, is_async: bool
) -> tuple[bool, str] | NoFix:
    """`manager = client.messages.stream(...)`: each later use must enter it with `with`."""
    unsafe = ""
    for use in ctx.uses_after(manager, assign):
        item = ctx.parent(use)
        if isinstance(item, cst.WithItem) and item.item is use:
            statement = ctx.parent(item)
            assert isinstance(statement, cst.With)
            is_async = statement.asynchronous is not None
            target = item.asname.name if item.asname is not None else None
            if target is None:
                continue
            if not isinstance(target, cst.Name):
                return NoFix(CODE, "the stream is unpacked in `as (...)`: rewrite it by hand")
            verdict = _stream_verdict(ctx, statement, target.value, is_async)
            if isinstance(verdict, NoFix):
                return verdict
            unsafe = unsafe or verdict[1]
        elif not _is_rebinding(ctx, use):
            unsafe = unsafe or f"`{manager}` is used outside a `with` statement"
    return is_async, unsafe


def _stream_verdict(
    ctx: FixContext, statement: cst.With, stream: str, is_async: bool
) -> tuple[bool, str] | NoFix:
    unsafe = ""
    for use in ctx.uses_after(stream, statement):
        parent = ctx.parent(use)
        if isinstance(parent, cst.Attribute) and parent.value is use:
            member = parent.attr.value
            if member in STREAM_MEMBERS:
                continue
            return NoFix(
                CODE,
                f"`{stream}.{member}` has no counterpart on the recovering stream (it has "
                f"{', '.join(sorted(STREAM_MEMBERS))}): rewrite the code around "
                "`recovering_stream(...)` by hand",
            )
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is use:
            return NoFix(
                CODE,
                f"`for ... in {stream}` reads raw stream events, which the recovering stream does "
                f"not expose: iterate `{stream}.text_stream` (the text, exactly once) or use "
                f"`{stream}.get_final_message()` after the loop, then run "
                "`scaffold lint --fix` again",
            )
        if _is_rebinding(ctx, use):
            continue
        unsafe = unsafe or f"`{stream}` is handed on to code the fixer cannot see"
    return is_async, unsafe


def _is_rebinding(ctx: FixContext, name: cst.Name) -> bool:
    """`name` as an assignment target or an `as` name (a new value, not a use)."""
    parent = ctx.parent(name)
    return isinstance(parent, (cst.AssignTarget, cst.AsName)) or (
        isinstance(parent, cst.For) and parent.target is name
    )
