"""SCF001-SCF005 for TypeScript/JavaScript: the Python rules' semantics on the file model."""

from __future__ import annotations

from collections.abc import Iterator

from scaffolder.lint.typescript._model import FileModel, MessageCall, Protection
from scaffolder.lint.typescript._tree import (
    Node,
    ancestors,
    arguments,
    field,
    object_pairs,
    string_value,
    text,
    unwrap,
)

Finding = tuple[str, Node, str]

#: 10 minutes at the SDK's estimate of 128,000 output tokens per hour (`client.js`,
#: `calculateNonstreamingTimeout`), as in the Python SDK.
MAX_NONSTREAMING_TOKENS = 21_333
#: `MODEL_NONSTREAMING_TOKENS` of @anthropic-ai/sdk (internal/constants.js, 0.137 and 1.16):
#: shorter than the Python SDK's list, so ids only that one lists are not refused here.
MODEL_NONSTREAMING_TOKENS = {
    "claude-opus-4@20250514": 8_192,
    "anthropic.claude-opus-4-1-20250805-v1:0": 8_192,
    "claude-opus-4-1@20250805": 8_192,
}

#: The hint printed under a finding (the Python rules' hints name Python functions).
FIXES = {
    "SCF001": "use `recoveringStream(client, params)` from the vendored claudeStream module",
    "SCF002": "use `recoveringStream(client, params)` from the vendored claudeStream module",
    "SCF003": "use `makeClient()` from the vendored claudeStream module, or a longer timeout",
    "SCF004": "replace the loop with `recoveringStream(client, params)` from claudeStream",
    "SCF005": "stream it: `recoveringStream(client, params)` from claudeStream, `finalMessage()`",
}
_MAX_DEPTH = 8

_UNPROTECTED = {
    "SCF001": (
        "`{call}` is not protected by recovery: a dropped connection mid-body (TypeError: "
        "terminated) or a body that ends early loses the rest of the answer"
    ),
    "SCF002": (
        "`{call}` with `stream: true` is not protected by recovery: a dropped connection "
        "mid-body or a body that ends early loses the rest of the answer"
    ),
}
_CONNECTION_ONLY = (
    "retry loop around `{call}` only retries APIConnectionError: mid-body disconnects "
    "(TypeError: terminated) and silent truncation are not retried"
)


def check(model: FileModel) -> Iterator[Finding]:
    for call in model.message_calls:
        yield from _streaming(model, call)
        yield from _request_timeout(model, call)
        yield from _non_streaming_max_tokens(model, call)
    yield from _client_timeouts(model)


def _shown(call: MessageCall) -> str:
    receiver = " ".join(text(call.receiver).split())
    if len(receiver) > 40:
        receiver = receiver[:37] + "..."
    return f"{receiver}.messages.{call.method}" + ("(...)" if call.call else "")


def _streaming(model: FileModel, call: MessageCall) -> Iterator[Finding]:
    if call.method == "stream":
        code = "SCF001"
    elif call.call is not None and _stream_flag(model, call.call) is True:
        code = "SCF002"
    else:
        return
    where = call.call if call.call is not None else call.member
    protection = model.protection(where)
    if protection is Protection.PROTECTED:
        return
    if protection is Protection.CONNECTION_ONLY:
        yield "SCF004", where, _CONNECTION_ONLY.format(call=_shown(call))
    else:
        yield code, where, _UNPROTECTED[code].format(call=_shown(call))


def _params(model: FileModel, call: Node) -> Node | None:
    args = arguments(call)
    return _object(model, args[0], 0) if args else None


def _object(model: FileModel, node: Node | None, depth: int) -> Node | None:
    """The object literal `node` is (or a `const` it names is bound to)."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    if node.type == "object":
        return node
    if node.type == "identifier":
        values = [value for value, _ in model.lookup(node)]
        if len(values) == 1:
            return _object(model, values[0], depth + 1)
    return None


def _key(model: FileModel, obj: Node, key: str, depth: int = 0) -> tuple[bool, Node | None]:
    """(certain, value of `key`): the last pair wins; a spread of an unknown object makes
    the absence of `key` uncertain."""
    certain, value = True, None
    for name, node in object_pairs(obj):
        if name == key:
            certain, value = True, node
        elif name is None:
            inner = _object(model, node, depth + 1)
            if inner is None:
                certain = value is not None
            else:
                inner_certain, inner_value = _key(model, inner, key, depth + 1)
                if inner_value is not None:
                    value = inner_value
                certain = certain and (inner_certain or value is not None)
    return certain, value


def _stream_flag(model: FileModel, call: Node) -> bool | None:
    """True for `stream: true`, False when absent or `false`, None when unknown."""
    params = _params(model, call)
    if params is None:
        return None
    certain, value = _key(model, params, "stream")
    value = unwrap(value)
    if value is None:
        return False if certain else None
    if value.type in ("true", "false"):
        return value.type == "true"
    return None


def _number(model: FileModel, node: Node | None, depth: int = 0) -> float | None:
    """The value of a numeric constant expression (`600_000`, `10 * 60 * 1000`, a const)."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    if node.type == "number":
        raw = text(node).replace("_", "").rstrip("n")
        try:
            return float(int(raw, 0)) if raw[:2].lower() in ("0x", "0o", "0b") else float(raw)
        except ValueError:
            return None
    if node.type == "unary_expression" and text(field(node, "operator")) in ("-", "+"):
        inner = _number(model, field(node, "argument"), depth + 1)
        if inner is None:
            return None
        return -inner if text(field(node, "operator")) == "-" else inner
    if node.type == "binary_expression":
        left = _number(model, field(node, "left"), depth + 1)
        right = _number(model, field(node, "right"), depth + 1)
        if left is None or right is None:
            return None
        operator = text(field(node, "operator"))
        if operator == "*":
            return left * right
        if operator == "+":
            return left + right
        if operator == "-":
            return left - right
        if operator == "/" and right:
            return left / right
        return None
    if node.type == "identifier":
        bindings = model.lookup(node)
        if len(bindings) == 1 and not model.assigned.get(text(node)):
            declarator = bindings[0][0]
            if declarator is not None and _is_const(declarator):
                return _number(model, declarator, depth + 1)
    return None


def _is_const(value: Node) -> bool:
    for ancestor in ancestors(value):
        if ancestor.type == "lexical_declaration":
            return text(ancestor).startswith("const")
        if ancestor.type not in ("variable_declarator",):
            return False
    return False


def _timeout_finding(model: FileModel, value: Node) -> Iterator[Finding]:
    ms = _number(model, value)
    minimum = model.settings.min_timeout
    if ms is not None and ms < minimum * 1000:
        yield (
            "SCF003",
            value,
            (
                f"timeout {ms:g} ms is below min-timeout {minimum:g} s: the SDK aborts (and "
                "retries from scratch) every request whose response takes longer to start"
            ),
        )


def _options_timeout(model: FileModel, options: Node | None) -> Iterator[Finding]:
    obj = _object(model, options, 0)
    if obj is None:
        return
    _, value = _key(model, obj, "timeout")
    if value is not None:
        yield from _timeout_finding(model, value)


def _client_timeouts(model: FileModel) -> Iterator[Finding]:
    for construction in model.client_constructions:
        args = arguments(construction)
        if args:
            yield from _options_timeout(model, args[0])
    for call in model.with_options:
        args = arguments(call)
        if args:
            yield from _options_timeout(model, args[0])


def _request_timeout(model: FileModel, call: MessageCall) -> Iterator[Finding]:
    if call.call is None:
        return
    args = arguments(call.call)
    if len(args) >= 2:
        yield from _options_timeout(model, args[1])


def _non_streaming_max_tokens(model: FileModel, call: MessageCall) -> Iterator[Finding]:
    if call.method != "create" or call.call is None:
        return
    if _stream_flag(model, call.call) is not False:
        return
    args = arguments(call.call)
    if len(args) >= 2:
        options = _object(model, args[1], 0)
        if options is None or _key(model, options, "timeout") != (True, None):
            return  # a request timeout (or options the linter cannot see)
    params = _params(model, call.call)
    if params is None:
        return
    _, max_tokens = _key(model, params, "max_tokens")
    value = _number(model, max_tokens)
    if max_tokens is None or value is None:
        return
    _, model_name = _key(model, params, "model")
    limit = MODEL_NONSTREAMING_TOKENS.get(
        string_value(unwrap(model_name)) or "", MAX_NONSTREAMING_TOKENS
    )
    if value > limit and model.client_has_custom_timeout(call.receiver) is False:
        yield (
            "SCF005",
            max_tokens,
            (
                f"`max_tokens: {value:.0f}` without streaming: the SDK refuses non-streaming "
                "requests expected to take over 10 minutes (it throws before sending)"
            ),
        )
