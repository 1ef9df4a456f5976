"""SCF002: `create(..., stream=True)` iterated for its text deltas -> the recovering stream.

The recognised shape: `events = client.messages.create(..., stream=True)` directly followed by
`for event in events:` (or the call written in the `for` itself), whose whole body is one
`if` that selects text deltas and reads only `event.delta.text`. It becomes

    with recovering_stream(client, ...) as events:
        for event in events.text_stream:
            ...  # `event.delta.text` is now `event`

Safe when the `if` is `event.type == "content_block_delta" and event.delta.type ==
"text_delta"`; unsafe when it only checks `event.type == "content_block_delta"` (the original
fails on a non-text delta, the fix skips it). Loops that read other events are not rewritten.
"""

from __future__ import annotations

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import (
    FixContext,
    client_of,
    keyword,
    runtime_call,
    with_statement_text,
)
from scaffolder.lint.fix._edit import replace_in
from scaffolder.lint.fix._runtime import Runtime
from scaffolder.lint.fix._types import Fix, NoFix

CODE = "SCF002"


def _hint(ctx: FixContext, call: cst.Call) -> str:
    is_async = isinstance(ctx.parent(call), cst.Await) or ctx.in_async_function(call)
    loop = (
        "`async for text in stream.text_stream`" if is_async else "`for text in stream.text_stream`"
    )
    return f"use {with_statement_text(is_async)} and {loop} by hand"


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    call = ctx.node_at(diagnostic, cst.Call)
    target = client_of(call) if call is not None else None
    if call is None or target is None:
        return None
    client, beta = target
    hint = _hint(ctx, call)
    if beta:
        return NoFix(CODE, f"{hint} (pass the beta headers as `extra_headers=`)")
    stream_arg = keyword(call, "stream")
    if stream_arg is None:
        return NoFix(CODE, f"{hint}; `stream=True` is not written as a keyword here")
    shape = _shape(ctx, call)
    if isinstance(shape, str):
        return NoFix(CODE, f"{hint}; not rewritten because {shape}")
    if not isinstance(ctx.runtime, Runtime):
        return NoFix(CODE, ctx.runtime)
    statement, loop, variable = shape
    verdict = _loop_verdict(loop)
    if isinstance(verdict, str):
        return NoFix(CODE, f"{hint}; not rewritten because {verdict}")
    branch, unsafe = verdict
    is_async = loop.asynchronous is not None
    name = "async_recovering_stream" if is_async else "recovering_stream"
    event = loop.target
    assert isinstance(event, cst.Name)
    texts = _delta_texts(branch.body, event.value)
    body = replace_in(branch.body, {text: cst.Name(event.value) for text in texts})
    new_loop = loop.with_changes(
        iter=cst.Attribute(value=cst.Name(variable), attr=cst.Name("text_stream")),
        body=body,
        leading_lines=(),
    )
    new_with = cst.With(
        items=[
            cst.WithItem(
                item=runtime_call(name, call, client, drop="stream"),
                asname=cst.AsName(name=cst.Name(variable)),
            )
        ],
        body=cst.IndentedBlock(body=[new_loop]),
        asynchronous=cst.Asynchronous() if is_async else None,
        leading_lines=statement.leading_lines,
    )
    title = f"iterate `{name}(...).text_stream`"
    if unsafe:
        title += " (unsafe: non-text deltas the loop would fail on are skipped)"
    return Fix(
        CODE,
        target=statement,
        replacement=new_with,
        title=title,
        unsafe=unsafe,
        imports=(name,),
        removals=(loop,) if loop is not statement else (),
    )


def _shape(
    ctx: FixContext, call: cst.Call
) -> tuple[cst.SimpleStatementLine | cst.For, cst.For, str] | str:
    """(the statement to replace, the loop over the events, the stream's name) or why not."""
    parent = ctx.parent(call)
    if isinstance(parent, cst.Await):
        parent = ctx.parent(parent)
    if isinstance(parent, cst.For) and parent.orelse is None:
        return parent, parent, _fresh_name(ctx, parent)
    if not (isinstance(parent, cst.Assign) and len(parent.targets) == 1):
        return "the event stream is not assigned to a name and iterated right away"
    variable = parent.targets[0].target
    line = ctx.parent(parent)
    block = ctx.parent(line) if line is not None else None
    if not (
        isinstance(variable, cst.Name)
        and isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
        and isinstance(block, (cst.IndentedBlock, cst.Module))
    ):
        return "the event stream is not assigned to a name on a line of its own"
    statements = list(block.body)
    index = statements.index(line)
    loop = statements[index + 1] if index + 1 < len(statements) else None
    if not (
        isinstance(loop, cst.For)
        and loop.orelse is None
        and isinstance(loop.iter, cst.Name)
        and loop.iter.value == variable.value
    ):
        return f"`{variable.value}` is not iterated by the next statement"
    others = [u for u in ctx.uses_after(variable.value, line) if u is not loop.iter]
    if any(ctx.parent(u) is not parent.targets[0] for u in others):
        return f"`{variable.value}` is used again after the loop"
    return line, loop, variable.value


def _fresh_name(ctx: FixContext, near: cst.CSTNode) -> str:
    for candidate in ("stream", "recovered", "recovered_stream"):
        if not ctx.uses_after(candidate, ctx.scope(near)):
            return candidate
    return "recovered_stream_"


_TYPE = "content_block_delta"


def _loop_verdict(loop: cst.For) -> tuple[cst.If, bool] | str:
    """(the text-delta branch, whether the fix is unsafe), or what else the loop does."""
    event = loop.target
    if not isinstance(event, cst.Name) or not isinstance(loop.body, cst.IndentedBlock):
        return "the loop does not bind one event variable"
    body = loop.body.body
    if len(body) != 1 or not isinstance(body[0], cst.If) or body[0].orelse is not None:
        return "the loop handles events other than text deltas"
    branch = body[0]
    name = event.value
    test = branch.test
    if (
        isinstance(test, cst.BooleanOperation)
        and isinstance(test.operator, cst.And)
        and _compares(test.left, (name, "type"), _TYPE)
        and _compares(test.right, (name, "delta", "type"), "text_delta")
    ):
        unsafe = False
    elif _compares(test, (name, "type"), _TYPE):
        unsafe = True
    else:
        return "its `if` is not the usual text-delta test"
    if len(_delta_texts(branch.body, name)) != len(_names(branch.body, name)):
        return f"the loop reads more of `{name}` than `{name}.delta.text`"
    return branch, unsafe


def _compares(node: cst.BaseExpression, dotted: tuple[str, ...], value: str) -> bool:
    """`node` is `<dotted> == "<value>"`."""
    if not (isinstance(node, cst.Comparison) and len(node.comparisons) == 1):
        return False
    target = node.comparisons[0]
    return (
        isinstance(target.operator, cst.Equal)
        and isinstance(target.comparator, cst.SimpleString)
        and target.comparator.evaluated_value == value
        and _dotted(node.left) == dotted
    )


def _dotted(node: cst.BaseExpression) -> tuple[str, ...] | None:
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    return (node.value, *reversed(parts))


def _walk(root: cst.CSTNode) -> list[cst.CSTNode]:
    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.children)
    return nodes


def _names(root: cst.CSTNode, name: str) -> list[cst.Name]:
    return [n for n in _walk(root) if isinstance(n, cst.Name) and n.value == name]


def _delta_texts(root: cst.CSTNode, name: str) -> list[cst.Attribute]:
    return [
        n
        for n in _walk(root)
        if isinstance(n, cst.Attribute) and _dotted(n) == (name, "delta", "text")
    ]
