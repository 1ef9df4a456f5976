"""SCF004: the hand-written `except anthropic.APIConnectionError` retry loop -> the runtime call
(unsafe: the loop's own waiting, logging and giving up are replaced by the runtime's policy).

The recognised shape: a `for`/`while` loop whose whole body is one `try` around a
`with client.messages.stream(...) as stream:` block, whose handlers only catch the anthropic
connection errors, and whose success path leaves with `return` or a final `break`. The loop
becomes the `with recovering_stream(client, ...) as stream:` block alone.
"""

from __future__ import annotations

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import FixContext, client_of, runtime_call, with_statement_text
from scaffolder.lint.fix._edit import replace_in
from scaffolder.lint.fix._runtime import Runtime
from scaffolder.lint.fix._types import Fix, NoFix
from scaffolder.lint.fix.scf001 import with_verdict

CODE = "SCF004"


def _hint(ctx: FixContext, call: cst.Call) -> str:
    item = ctx.parent(call)
    statement = ctx.parent(item) if item is not None else None
    is_async = (
        isinstance(statement, cst.With) and statement.asynchronous is not None
    ) or ctx.in_async_function(call)
    return (
        f"replace the retry loop by hand with {with_statement_text(is_async)} (it retries "
        "mid-body drops and truncation, with backoff and a budget)"
    )


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    call = ctx.node_at(diagnostic, cst.Call)
    target = client_of(call) if call is not None else None
    if call is None or target is None:
        return None
    client, beta = target
    item = ctx.parent(call)
    hint = _hint(ctx, call)
    if beta or not isinstance(item, cst.WithItem) or item.item is not call:
        return NoFix(CODE, f"{hint}; only `with client.messages.stream(...)` is rewritten")
    with_statement = ctx.parent(item)
    assert isinstance(with_statement, cst.With)
    shape = _loop_shape(ctx, with_statement)
    if isinstance(shape, str):
        return NoFix(CODE, f"{hint}; not rewritten because {shape}")
    if not isinstance(ctx.runtime, Runtime):
        return NoFix(CODE, ctx.runtime)
    verdict = with_verdict(ctx, item)
    if isinstance(verdict, NoFix):
        return NoFix(CODE, verdict.reason)
    is_async = with_statement.asynchronous is not None
    loop, statements = shape
    name = "async_recovering_stream" if is_async else "recovering_stream"
    new_call = runtime_call(name, call, client)
    body = [replace_in(statement, {call: new_call}) for statement in statements]
    body[0] = body[0].with_changes(leading_lines=loop.leading_lines)
    return Fix(
        CODE,
        target=loop,
        replacement=cst.FlattenSentinel(body),
        title=f"replace the retry loop with `{name}(...)` (unsafe: the runtime's retry policy "
        "replaces the loop's)",
        unsafe=True,
        imports=(name,),
    )


def _loop_shape(
    ctx: FixContext, with_statement: cst.With
) -> tuple[cst.For | cst.While, list[cst.BaseStatement]] | str:
    """(the loop, the statements that replace it), or why the shape is not the recognised one."""
    block = ctx.parent(with_statement)
    try_statement = ctx.parent(block) if block is not None else None
    if not isinstance(try_statement, cst.Try) or try_statement.body is not block:
        return "the stream is not directly inside the `try`"
    loop_block = ctx.parent(try_statement)
    loop = ctx.parent(loop_block) if loop_block is not None else None
    if not isinstance(loop, (cst.For, cst.While)) or not isinstance(loop_block, cst.IndentedBlock):
        return "the `try` is not directly inside the loop"
    if len(loop_block.body) != 1:
        return "the loop does more than the `try`"
    if try_statement.orelse is not None or try_statement.finalbody is not None:
        return "the `try` has an `else` or `finally` block"
    if loop.orelse is not None and not _only_raises(loop.orelse.body):
        return "the loop's `else` block does more than raise"
    if not isinstance(try_statement.body, cst.IndentedBlock):
        return "the `try` block is on one line"
    statements = list(try_statement.body.body)
    if statements and _is_break(statements[-1]):
        statements.pop()
    if not statements:
        return "the `try` block is empty"
    leftover = _leaves_loop(statements)
    if leftover:
        return leftover
    bound = _bound_in_loop(loop, try_statement)
    used = sorted(n for n in bound if ctx.uses_after_end(n, loop))
    if used:
        return f"{', '.join(f'`{n}`' for n in used)} set by the loop is used after it"
    return loop, statements


def _is_break(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Break) for s in statement.body
    )


def _only_raises(statements: object) -> bool:
    return isinstance(statements, (list, tuple)) and all(
        isinstance(s, cst.SimpleStatementLine) and all(isinstance(x, cst.Raise) for x in s.body)
        for s in statements
    )


def _leaves_loop(statements: list[cst.BaseStatement]) -> str:
    """Why a `break`/`continue` left in `statements` would no longer be inside a loop."""
    stack: list[cst.CSTNode] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Break, cst.Continue)):
            return "a `break` or `continue` in the `try` block would be left without its loop"
        if not isinstance(node, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(node.children)
    return ""


def _bound_in_loop(loop: cst.For | cst.While, try_statement: cst.Try) -> set[str]:
    """Names the loop header or the handlers bind: gone once the loop is replaced."""
    targets: list[cst.CSTNode] = [loop.target] if isinstance(loop, cst.For) else []
    stack: list[cst.CSTNode] = list(try_statement.handlers)
    while stack:
        node = stack.pop()
        if isinstance(node, cst.ExceptHandler) and node.name is not None:
            targets.append(node.name.name)
        if isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)):
            targets.append(node.target)
        else:
            stack.extend(node.children)
    names: set[str] = set()
    while targets:
        target = targets.pop()
        if isinstance(target, cst.Name):
            names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            targets.extend(element.value for element in target.elements)
        elif isinstance(target, cst.StarredElement):
            targets.append(target.value)
    return names
