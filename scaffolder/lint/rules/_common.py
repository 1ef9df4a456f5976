"""Argument helpers shared by the rules."""

from __future__ import annotations

import ast
from typing import NamedTuple


class Argument(NamedTuple):
    """A keyword argument as the call site shows it.

    `node` is the value when the keyword is given (directly or in a `**{...}` literal);
    `unknown` is True when a `**mapping` that is not a literal could hold it.
    """

    node: ast.expr | None
    unknown: bool

    @property
    def absent(self) -> bool:
        return self.node is None and not self.unknown


def keyword(call: ast.Call, name: str) -> Argument:
    unknown = False
    for kw in call.keywords:
        if kw.arg == name:
            return Argument(kw.value, False)
        if kw.arg is None:
            if isinstance(kw.value, ast.Dict):
                for key, value in zip(kw.value.keys, kw.value.values, strict=True):
                    if key is None:
                        unknown = True  # `**{**other}`
                    elif isinstance(key, ast.Constant) and key.value == name:
                        return Argument(value, False)
            else:
                unknown = True
    return Argument(None, unknown)


def is_literal(node: ast.expr | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def stream_true(call: ast.Call) -> bool:
    """`stream=True` written at the call (or in a `**{"stream": True}` literal)."""
    return is_literal(keyword(call, "stream").node, True)
