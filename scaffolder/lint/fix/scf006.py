"""SCF006: an `httpx` object given to an SDK built on `httpx2` (or the reverse) becomes the
SDK's own class, which is always the right generation.

- `httpx.Timeout(...)` -> `anthropic.Timeout(...)`, same arguments: safe when the first
  argument is a number (or `None`, or arithmetic on numbers); a name or a call there may be
  another `Timeout` object of the wrong package, so the fix is unsafe then.
- `http_client=httpx.Client(...)` -> `anthropic.DefaultHttpxClient(...)` (`AsyncClient` ->
  `DefaultAsyncHttpxClient`): unsafe, the SDK's class fills in its own defaults (timeout,
  connection limits, redirects, keep-alive) for what the call leaves out.
- No fix for transports (the SDK has no transport class), for objects passed by name, and
  for calls whose arguments hold other objects of the wrong package.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._context import FixContext, keyword
from scaffolder.lint.fix._types import Fix, NoFix
from scaffolder.lint.rules.scf006 import object_and_argument

CODE = "SCF006"
_CLIENTS = {"Client": "DefaultHttpxClient", "AsyncClient": "DefaultAsyncHttpxClient"}
_TRANSPORTS = frozenset({"HTTPTransport", "AsyncHTTPTransport"})
#: `httpx.Client` keywords that httpx 0.28 removed; httpx2 (forked from 0.28) has none of them.
_REMOVED_KEYWORDS = frozenset({"proxies", "app"})
_NUMBERS = (cst.Integer, cst.Float)


def fix(ctx: FixContext, diagnostic: Diagnostic) -> Fix | NoFix | None:
    found = object_and_argument(diagnostic.message)
    node = ctx.expression_at(diagnostic)
    if found is None or node is None:
        return None
    made, argument = found
    package, _, kind = made.partition(".")
    right = "httpx2" if package == "httpx" else "httpx"
    if kind in _TRANSPORTS:
        return NoFix(
            CODE,
            f"the SDK has no transport class of its own: build it with `{right}.{kind}(...)`",
        )
    sdk_class = "Timeout" if kind == "Timeout" else _CLIENTS.get(kind)
    if sdk_class is None or (kind in _CLIENTS and argument != "http_client"):
        return None
    if not isinstance(node, cst.Call):
        return NoFix(
            CODE,
            f"`{ctx.code(node)}` is built elsewhere: build it with `anthropic.{sdk_class}(...)` "
            "where it is defined",
        )
    sdk = _anthropic(ctx)
    if sdk is None:
        return NoFix(
            CODE,
            f"`anthropic` names something else in this file: use the SDK's `{sdk_class}` class "
            f"instead of `{made}`",
        )
    prefix, modules = sdk
    if kind == "Timeout":
        return _timeout(ctx, node, package, prefix, modules)
    return _client(ctx, node, package, prefix + "." + sdk_class, modules)


def _timeout(
    ctx: FixContext, call: cst.Call, package: str, prefix: str, modules: tuple[str, ...]
) -> Fix | NoFix:
    if _mentions(ctx, call.args, package):
        return NoFix(
            CODE,
            f"its arguments use other `{package}` objects: build it with "
            f"`{prefix}.Timeout(...)` from numbers",
        )
    replacement = _sdk_timeout(call, prefix)
    first = _first_argument(call)
    if first is None or _is_number(first):
        return Fix(
            CODE,
            target=call,
            replacement=replacement,
            title=f"use the SDK's own `{prefix}.Timeout(...)`",
            modules=modules,
        )
    return Fix(
        CODE,
        target=call,
        replacement=replacement,
        title=(
            f"use the SDK's own `{prefix}.Timeout(...)` (unsafe: if `{ctx.code(first)}` is a "
            f"`{package}.Timeout`, build that one with `{prefix}.Timeout` too)"
        ),
        unsafe=True,
        modules=modules,
    )


def _client(
    ctx: FixContext, call: cst.Call, package: str, sdk_class: str, modules: tuple[str, ...]
) -> Fix | NoFix:
    removed = sorted(
        arg.keyword.value
        for arg in call.args
        if arg.keyword is not None and arg.keyword.value in _REMOVED_KEYWORDS
    )
    if removed and package == "httpx":
        return NoFix(
            CODE,
            f"`{removed[0]}=` is gone from httpx 0.28 and httpx2: build the client with "
            f"`{sdk_class}(...)` and `proxy=` / `transport=` by hand",
        )
    args = list(call.args)
    timeout = keyword(call, "timeout")
    prefix = sdk_class.rpartition(".")[0]
    if timeout is not None and _qualname(ctx, timeout.value) == f"{package}.Timeout":
        assert isinstance(timeout.value, cst.Call)
        if _mentions(ctx, timeout.value.args, package):
            return NoFix(CODE, f"its timeout uses other `{package}` objects: rewrite it by hand")
        args[args.index(timeout)] = timeout.with_changes(value=_sdk_timeout(timeout.value, prefix))
        others: Sequence[cst.Arg] = [a for a in call.args if a is not timeout]
    else:
        others = call.args
    if _mentions(ctx, others, package):
        return NoFix(
            CODE,
            f"its arguments use other `{package}` objects: build the client with "
            f"`{sdk_class}(...)` and `{'httpx2' if package == 'httpx' else 'httpx'}` objects",
        )
    return Fix(
        CODE,
        target=call,
        replacement=call.with_changes(func=_dotted(sdk_class), args=args),
        title=(
            f"use `{sdk_class}(...)` (unsafe: it adds the SDK's defaults for what the call does "
            "not set: a 600 s timeout, its connection limits, redirects, TCP keep-alive)"
        ),
        unsafe=True,
        modules=modules,
    )


def _anthropic(ctx: FixContext) -> tuple[str, tuple[str, ...]] | None:
    """How this file names the `anthropic` module, and the imports that needs: `anthropic`
    (or its alias) when imported, else `anthropic` with `import anthropic` added; None when
    the name means something else here."""
    if ctx.imported.get("anthropic") == "anthropic":
        return "anthropic", ()
    alias = next((name for name, what in ctx.imported.items() if what == "anthropic"), None)
    if alias is not None:
        return alias, ()
    if "anthropic" in ctx.imported:
        return None
    return "anthropic", ("anthropic",)


def _sdk_timeout(call: cst.Call, prefix: str) -> cst.Call:
    return call.with_changes(func=_dotted(f"{prefix}.Timeout"))


def _dotted(name: str) -> cst.Attribute:
    expression = cst.parse_expression(name)
    assert isinstance(expression, cst.Attribute)
    return expression


def _first_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The `timeout` argument of `Timeout(timeout, *, connect, read, write, pool)`."""
    named = keyword(call, "timeout")
    if named is not None:
        return named.value
    positional = [a for a in call.args if a.keyword is None]
    return positional[0].value if positional and not positional[0].star else None


def _is_number(node: cst.BaseExpression) -> bool:
    if isinstance(node, _NUMBERS) or (isinstance(node, cst.Name) and node.value == "None"):
        return True
    if isinstance(node, cst.UnaryOperation):
        return _is_number(node.expression)
    if isinstance(node, cst.BinaryOperation):
        return _is_number(node.left) and _is_number(node.right)
    return False


def _qualname(ctx: FixContext, node: cst.BaseExpression) -> str | None:
    """`httpx.Timeout` for a call of `httpx.Timeout`, `hx.Timeout` or an imported `Timeout`."""
    func = node.func if isinstance(node, cst.Call) else None
    if isinstance(func, cst.Name):
        return ctx.imported.get(func.value)
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        module = ctx.imported.get(func.value.value)
        return f"{module}.{func.attr.value}" if module else None
    return None


def _mentions(ctx: FixContext, args: Sequence[cst.Arg], package: str) -> bool:
    """Whether the arguments name anything the file imported from `package`."""
    return any(
        ctx.imported.get(name.value, "").partition(".")[0] == package
        for arg in args
        for name in _names(arg.value)
    )


def _names(node: cst.CSTNode) -> Iterator[cst.Name]:
    """The names `node` reads (not attribute names after a dot, not keyword labels)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        else:
            stack.extend(current.children)
