"""What the rules need to know about one parsed file, computed once.

`FileModel` answers three questions for the rules, each from its own part:
- which expressions call (or take a reference to) `.messages.stream` / `.messages.create`,
  and what a name is: `_names.py` (`Names`: one walk indexing parents, scopes, bindings,
  imports and calls);
- whether a receiver is an Anthropic client (`receiver_is_client`): `_clients.py`
  (`Clients`): it is, unless the file shows it is something else (another class's
  constructor, a non-Anthropic annotation, `self` of a class that is not a client, a mock);
- whether a call site is protected (`protection`): `_protection.py` (`ProtectionAnalysis`):
  inside the vendored recovery module, passed to a recovery function, inside a retry loop
  whose handler covers transport errors, or in a non-generator function with a retry
  decorator.

A function is never trusted for its name alone: the runtime's names count when they are
imported (from the vendored module) and the body of a function with such a name defined in
the file is judged like any other code; only `recovery-functions` are trusted by name. Which
httpx generation counts as a transport error follows the project's anthropic version
(`Settings.sdk`): `httpx2` from 1.0 on, `httpx` before.

Every walk over the tree is iterative (an explicit stack or a parent chain) and every
recursive helper carries a depth cap, so a pathologically deep expression cannot overflow the
checker's own stack.
"""

from __future__ import annotations

import ast

from scaffolder.lint._clients import CLIENT_CLASSES, Clients, Kind, Origin
from scaffolder.lint._names import Binding, MessageCall, Names
from scaffolder.lint._protection import Protection, ProtectionAnalysis
from scaffolder.lint.config import Settings

__all__ = ["Binding", "FileModel", "Kind", "MessageCall", "Origin", "Protection"]

# `from anthropic import *` binds (among others) the client classes.
_STAR_NAMES = {"anthropic": CLIENT_CLASSES}


class FileModel:
    """The index of one module. Build it only for a file that imports anthropic.

    Composes the three parts (`names`, `clients`, `protections`) and offers the rules the
    questions they ask, so a rule does not need to know which part answers.
    """

    def __init__(self, tree: ast.Module, settings: Settings, *, vendored: bool = False):
        self.tree = tree
        self.settings = settings
        self.names = Names(tree, star_names=_STAR_NAMES)
        self.clients = Clients(self.names)
        self.protections = ProtectionAnalysis(self.names, settings, vendored=vendored)
        self.parents = self.names.parents
        self.message_calls = self.names.message_calls
        self.calls = self.names.calls

    # ---------------------------------------------------------------- names
    def dotted(self, expr: ast.AST) -> str | None:
        """`a.b.c` for a Name/Attribute chain (no import resolution)."""
        return self.names.dotted(expr)

    def qualname(self, expr: ast.AST) -> str | None:
        """The dotted name with its root resolved through the file's imports."""
        return self.names.qualname(expr)

    @staticmethod
    def last_name(expr: ast.AST) -> str | None:
        return Names.last_name(expr)

    def lookup(self, name: str, at: ast.AST) -> list[Binding]:
        return self.names.lookup(name, at)

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The nearest `def` around `node`, looking through lambdas and comprehensions."""
        return self.names.enclosing_function(node)

    def both_httpx_generations(self, expr: ast.AST) -> bool:
        """Whether the root name of `expr` is imported from `httpx` and from `httpx2`."""
        return self.names.both_httpx_generations(expr)

    def bound_value(self, name: ast.Name) -> ast.expr | None:
        """The value of `name` when the file assigns it exactly once (`SHORT = 60`)."""
        return self.names.bound_value(name)

    def constant_number(self, expr: ast.expr) -> float | None:
        """The value of a numeric constant expression or a name bound once to one."""
        return self.names.constant_number(expr)

    def local_dict_literal(self, name: ast.Name) -> ast.Dict | None:
        """The dict literal `name` is bound to, once and never changed, in its function."""
        return self.names.local_dict_literal(name)

    # ---------------------------------------------------------------- clients
    def is_client_class(self, expr: ast.AST) -> bool:
        """`anthropic.Anthropic`, an alias of it, or a class in this file that subclasses one."""
        return self.clients.is_client_class(expr)

    def receiver_is_client(self, receiver: ast.expr) -> bool:
        return self.clients.receiver_is_client(receiver)

    def origins(self, expr: ast.expr) -> list[Origin]:
        """Where `expr`'s value may come from (distinct origins)."""
        return self.clients.origins(expr)

    def client_has_custom_timeout(self, receiver: ast.expr) -> bool | None:
        """True/False when the file shows it; None when it cannot (e.g. a factory's client)."""
        return self.clients.client_has_custom_timeout(receiver)

    def is_timeout_class(self, expr: ast.expr) -> bool:
        return self.clients.is_timeout_class(expr)

    # ---------------------------------------------------------------- protection
    def protection(self, node: ast.AST) -> Protection:
        return self.protections.protection(node)
