"""Argument helpers shared by the rules."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from scaffolder.lint.model import FileModel


class Argument(NamedTuple):
    """A keyword argument as the call site shows it.

    `node` is the value when the keyword is given (directly, in a `**{...}` literal, or, when
    a model is given, in `**kwargs` where `kwargs` is a dict literal assigned once in the same
    function and never changed); `unknown` is True when another `**mapping` could hold it.
    """

    node: ast.expr | None
    unknown: bool

    @property
    def absent(self) -> bool:
        return self.node is None and not self.unknown


def keyword(call: ast.Call, name: str, model: FileModel | None = None) -> Argument:
    unknown = False
    for kw in call.keywords:
        if kw.arg == name:
            return Argument(kw.value, False)
        if kw.arg is None:
            mapping = kw.value
            if model is not None and isinstance(mapping, ast.Name):
                mapping = model.local_dict_literal(mapping) or mapping
            if isinstance(mapping, ast.Dict):
                for key, value in zip(mapping.keys, mapping.values, strict=True):
                    if key is None:
                        unknown = True  # `**{**other}`
                    elif isinstance(key, ast.Constant) and key.value == name:
                        return Argument(value, False)
            else:
                unknown = True
    return Argument(None, unknown)


def is_literal(node: ast.expr | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def stream_true(call: ast.Call, model: FileModel) -> bool:
    """`stream=True` written at the call, in a `**{"stream": True}` literal, or in a local
    dict literal passed as `**kwargs`."""
    return is_literal(keyword(call, "stream", model).node, True)
