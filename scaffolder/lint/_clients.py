"""Client detection: whether a receiver is an Anthropic client, as far as one file shows.

What it does: `receiver_is_client` follows a receiver back to where its value may come from
(`origins`: constructors, aliases, annotations, `self` attributes, properties, local factories)
and answers True unless the file shows it is something else: another class's instance, a
non-Anthropic annotation, `self` of a class that is not a client, or a test double (a mock
factory's result, `@patch`/`mocker.patch`/`monkeypatch.setattr` in the region, a parameter
injected by `@patch` or a fixture returning a mock). `client_has_custom_timeout` says whether
the client was built with `timeout=` / `http_client=`.

Why: a parameter or a factory result counts as a client (most real code gets its client that
way), so only evidence to the contrary clears a call site; the rules share this one judgement.

Example: in ``c = anthropic.Anthropic(timeout=30)``, `origins(c)` is
``[Origin(Kind.CLIENT, True)]``; ``m = MagicMock()`` gives ``[Origin(Kind.OTHER)]``.
"""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from scaffolder.lint._names import (
    FUNCS,
    MAX_DEPTH,
    Binding,
    Names,
    is_class_name,
    own_nodes,
    walk,
)

CLIENT_CLASSES = frozenset(
    {
        "Anthropic",
        "AsyncAnthropic",
        "AnthropicBedrock",
        "AsyncAnthropicBedrock",
        "AnthropicVertex",
        "AsyncAnthropicVertex",
        "AnthropicFoundry",
        "AsyncAnthropicFoundry",
        "Client",
        "AsyncClient",
    }
)
_CLIENT_WORD = re.compile(r"\b(?:" + "|".join(sorted(CLIENT_CLASSES)) + r")\b")
#: `unittest.mock` classes and factories: a receiver made by one is a test double.
MOCK_CLASSES = frozenset(
    {"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock", "PropertyMock"}
)
_MOCK_FACTORIES = MOCK_CLASSES | {"create_autospec"}
_MOCK_MODULES = frozenset({"unittest", "mock", "pytest_mock"})
#: Attributes only a mock has; `<x>.return_value.messages.create(...)` configures a mock.
_MOCK_ATTRIBUTES = frozenset({"return_value", "side_effect"})
TIMEOUT_CLASSES = frozenset({"httpx.Timeout", "httpx2.Timeout", "anthropic.Timeout"})
_UNINFORMATIVE = frozenset({"Any", "object", "Optional", "Union", "None"})
_PROPERTIES = frozenset({"property", "cached_property"})


class Kind(enum.Enum):
    """What a receiver expression is, as far as the file shows."""

    CLIENT = "client"  # provably an Anthropic client
    OTHER = "other"  # provably something else
    UNKNOWN = "unknown"  # a parameter, a factory result...: counts as a client


class Origin(NamedTuple):
    """Where a receiver's value comes from. `custom_timeout` is None when not knowable."""

    kind: Kind
    custom_timeout: bool | None = None


class Clients:
    """Client detection over one file's `Names` (see the module docstring)."""

    def __init__(self, names: Names):
        self.names = names
        # Each binding and alias is resolved once: `a2 = a1 or a1 or a1` must not re-resolve
        # `a1` per use (exponential in the chain's length otherwise).
        self._binding_memo: dict[Binding, list[Origin]] = {}
        self._alias_memo: dict[ast.expr, Kind] = {}
        self._patch_memo: dict[ast.AST | str, list[tuple[str, ...]]] | None = None

    def is_client_class(self, expr: ast.AST, depth: int = 0) -> bool:
        """`anthropic.Anthropic`, an alias of it, or a class in this file that subclasses one."""
        qualname = self.names.qualname(expr)
        if qualname is not None:
            root, _, _ = qualname.partition(".")
            return root == "anthropic" and qualname.rpartition(".")[2] in CLIENT_CLASSES
        if isinstance(expr, ast.Name) and depth < MAX_DEPTH:
            for binding in self.names.lookup(expr.id, expr):
                if binding.kind == "class" and isinstance(binding.site, ast.ClassDef):
                    candidates: list[ast.expr] = binding.site.bases
                elif binding.kind == "assign" and binding.value is not None:
                    candidates = [binding.value]  # an alias: `ClientClass = anthropic.Anthropic`
                else:
                    continue
                if any(self.is_client_class(c, depth + 1) for c in candidates):
                    return True
        return False

    def local_class(self, expr: ast.AST) -> ast.ClassDef | None:
        if isinstance(expr, ast.Name):
            for binding in self.names.lookup(expr.id, expr):
                if binding.kind == "class" and isinstance(binding.site, ast.ClassDef):
                    return binding.site
        return None

    # ---------------------------------------------------------------- receivers
    def receiver_is_client(self, receiver: ast.expr) -> bool:
        if self._configures_a_mock(receiver) or self._is_patched(receiver):
            return False
        return _combine(self.origins(receiver)) is not Kind.OTHER

    def _configures_a_mock(self, receiver: ast.expr) -> bool:
        """`m.return_value.messages...`, `m.side_effect...` or `unittest.mock.call.messages...`:
        only a mock has these attributes."""
        node: ast.expr = receiver
        for _ in range(MAX_DEPTH):
            if isinstance(node, ast.Attribute):
                if node.attr in _MOCK_ATTRIBUTES:
                    return True
                node = node.value
            elif isinstance(node, ast.Call):
                node = node.func
            else:
                break
        qualname = self.names.qualname(node) or ""
        return qualname.partition(".")[0] in _MOCK_MODULES

    def client_has_custom_timeout(self, receiver: ast.expr) -> bool | None:
        """True/False when the file shows it; None when it cannot (e.g. a factory's client)."""
        values = {o.custom_timeout for o in self.origins(receiver) if o.kind is not Kind.OTHER}
        if True in values:
            return True
        if None in values or not values:
            return None
        return False

    def origins(self, expr: ast.expr, depth: int = 0) -> list[Origin]:
        """Where `expr`'s value may come from: a few distinct origins (duplicates dropped, so
        `a2 = a1 or a1 or a1` chains stay small)."""
        return list(dict.fromkeys(self._origins(expr, depth)))

    def _origins(self, expr: ast.expr, depth: int) -> list[Origin]:
        if depth > MAX_DEPTH:
            return [Origin(Kind.UNKNOWN)]
        if isinstance(expr, (ast.Await, ast.NamedExpr)):
            return self.origins(expr.value, depth + 1)
        if isinstance(expr, ast.IfExp):
            return self.origins(expr.body, depth + 1) + self.origins(expr.orelse, depth + 1)
        if isinstance(expr, ast.BoolOp):
            return [o for value in expr.values for o in self.origins(value, depth + 1)]
        if isinstance(expr, ast.Constant) and expr.value is None:
            return []
        if isinstance(expr, ast.Call):
            return self._call_origins(expr, depth)
        if isinstance(expr, ast.Name):
            cls = self.names.class_of_self(expr)
            if cls is not None and not self._rebound(expr):
                return [Origin(Kind.CLIENT if self._is_client_subclass(cls) else Kind.OTHER)]
            result: list[Origin] = []
            for binding in self.names.lookup(expr.id, expr):
                result.extend(self._binding_origins(binding, depth + 1))
            return result or [Origin(Kind.UNKNOWN, False)]
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            cls = self.names.class_of_self(expr.value)
            if cls is not None:
                result = []
                for binding in self.names.class_attrs.get(cls, {}).get(expr.attr, []):
                    result.extend(self._binding_origins(binding, depth + 1))
                return result or [Origin(Kind.UNKNOWN)]
        return [Origin(Kind.UNKNOWN)]

    def _rebound(self, name: ast.Name) -> bool:
        return any(b.kind != "param" for b in self.names.lookup(name.id, name))

    def _is_client_subclass(self, cls: ast.ClassDef) -> bool:
        return any(self.is_client_class(base) for base in cls.bases)

    def _call_origins(self, call: ast.Call, depth: int) -> list[Origin]:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in ("with_options", "copy"):
            inner = self.origins(func.value, depth + 1)
            if _has_kwarg(call, "timeout", "http_client"):
                return [o._replace(custom_timeout=True) for o in inner]
            return inner
        if self.is_client_class(func):
            return [Origin(Kind.CLIENT, _has_kwarg(call, "timeout", "http_client"))]
        name = self.names.last_name(func)
        if self.local_class(func) is not None or (name is not None and is_class_name(name)):
            return [Origin(Kind.OTHER)]  # another class's constructor
        if self._is_mock_factory(func):
            return [Origin(Kind.OTHER)]  # `create_autospec(Anthropic)`, `mocker.patch(...)`
        if isinstance(func, ast.Name):
            returns = self._local_factory_returns(func)
            if returns is not None:
                return returns
        return [Origin(Kind.UNKNOWN, None)]  # a factory: counts as a client

    def _is_patch(self, func: ast.expr) -> bool:
        """`patch(...)` / `patch.object(...)` of `unittest.mock`, `mock` or pytest-mock's
        `mocker` (not `requests.patch` or a web framework's `@router.patch`)."""
        dotted = self.names.dotted(func) or ""
        parts = dotted.split(".")
        if not (parts[-1] == "patch" or parts[-2:] == ["patch", "object"]):
            return False
        qualname = self.names.qualname(func) or ""
        return qualname.partition(".")[0] in _MOCK_MODULES or parts[0] == "mocker"

    def _patched_targets(self) -> dict[ast.AST | str, list[tuple[str, ...]]]:
        """Region -> the dotted targets patched in it: `patch("app.llm.client")`,
        `patch.object(client.messages, "stream")`, `mocker.patch(...)`,
        `monkeypatch.setattr(...)`. A region is a `with` block, a function (decorated with
        `@patch`, or calling a patcher), or, for a patch made in a pytest fixture, the
        fixture's name (its tests: the functions that take it) or the module (`autouse`)."""
        if self._patch_memo is not None:
            return self._patch_memo
        regions: dict[ast.AST | str, list[tuple[str, ...]]] = {}
        for call in self.names.calls:
            dotted = self.names.dotted(call.func) or ""
            target = _patch_target(self.names, call) if self._is_patch(call.func) else None
            if target is None and dotted.endswith("monkeypatch.setattr"):
                target = _patch_target(self.names, call)
            if target is None:
                continue
            parent = self.names.parents.get(call)
            region: ast.AST | str | None
            if isinstance(parent, ast.withitem):
                region = self.names.parents.get(parent)
            elif isinstance(parent, FUNCS) and call in parent.decorator_list:
                region = parent
            else:
                function = self.names.enclosing_function(call)
                region = function
                if function is not None and _is_fixture(self.names, function):
                    region = self.names.tree if _is_autouse(function) else function.name
            if region is not None:
                regions.setdefault(region, []).append(target)
        self._patch_memo = regions
        return regions

    def _is_patched(self, receiver: ast.expr) -> bool:
        regions = self._patched_targets()
        if not regions:
            return False
        outer: ast.AST = receiver
        while isinstance(self.names.parents.get(outer), ast.Attribute):
            outer = self.names.parents[outer]
        method = outer.attr if isinstance(outer, ast.Attribute) else None
        path = tuple((self.names.dotted(outer) or "").split("."))
        qualname = self.names.qualname(outer)
        for node in self._ancestors(receiver):
            targets = list(regions.get(node, ()))
            if isinstance(node, FUNCS):  # the tests that use a patching fixture
                for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                    targets.extend(regions.get(arg.arg, ()))
            for target in targets:
                if _is_client_path(target) or any(
                    path[:i] == target[-i:] for i in range(1, len(path) + 1)
                ):
                    return True
                # `patch.object(anthropic.resources.Messages, "stream")`: the method itself
                method_patched = len(target) > 1 and target[-1] == method
                if method_patched and target[-2].lower().endswith("messages"):
                    return True
                if qualname and tuple(qualname.split("."))[: len(target)] == target:
                    return True
        return False

    def _ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.names.parents.get(node)
        while current is not None:
            yield current
            current = self.names.parents.get(current)

    def _is_mock_factory(self, func: ast.expr) -> bool:
        return self.names.last_name(func) in _MOCK_FACTORIES or self._is_patch(func)

    def _local_factory_returns(self, func: ast.Name) -> list[Origin] | None:
        """A function of this file annotated `-> MagicMock` (a test double) or `-> Anthropic`;
        None when its annotation says neither."""
        for binding in self.names.lookup(func.id, func):
            if binding.kind == "def" and isinstance(binding.site, FUNCS):
                returns = binding.site.returns
                if returns is None:
                    continue
                if self._is_mock_annotation(returns):
                    return [Origin(Kind.OTHER)]
                if self._annotation_kind(returns) is Kind.CLIENT:
                    return [Origin(Kind.CLIENT, None)]
        return None

    def _is_mock_annotation(self, annotation: ast.expr) -> bool:
        for node in walk(annotation, limit=50):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if any(word in MOCK_CLASSES for word in re.findall(r"\w+", node.value)):
                    return True
            elif self.names.last_name(node) in MOCK_CLASSES:
                return True
        return False

    def _mock_parameter(self, param: ast.arg) -> bool:
        """A parameter that receives a test double: one injected by `@patch(...)` decorators
        (the first ones after `self`), or named after a pytest fixture of this file that
        returns one."""
        func = self.names.parents.get(self.names.parents.get(param, param))
        if not isinstance(func, FUNCS):
            return False
        positional = [*func.args.posonlyargs, *func.args.args]
        if isinstance(self.names.parents.get(func), ast.ClassDef) and positional:
            positional = positional[1:]
        patches = sum(
            1
            for d in func.decorator_list
            if isinstance(d, ast.Call)
            and self._is_patch(d.func)
            and not _has_kwarg(d, "new")
            and not (self.names.last_name(d.func) == "patch" and len(d.args) > 1)
            and not (self.names.last_name(d.func) == "object" and len(d.args) > 2)
        )
        if any(param is p for p in positional[:patches]):
            return True
        return self._fixture_returns_mock(param.arg, func)

    def _fixture_returns_mock(self, name: str, user: ast.AST) -> bool:
        for binding in self.names.lookup(name, user):
            site = binding.site
            if binding.kind != "def" or not isinstance(site, FUNCS):
                continue
            if not _is_fixture(self.names, site):
                continue
            if site.returns is not None and self._is_mock_annotation(site.returns):
                return True
            for node in own_nodes(site):
                value = node.value if isinstance(node, (ast.Return, ast.Yield)) else None
                if value is not None and _combine(self.origins(value)) is Kind.OTHER:
                    return True
        return False

    def _binding_origins(self, binding: Binding, depth: int) -> list[Origin]:
        if binding not in self._binding_memo:
            self._binding_memo[binding] = self._resolve_binding(binding, depth)
        return self._binding_memo[binding]

    def _resolve_binding(self, binding: Binding, depth: int) -> list[Origin]:
        if (
            binding.kind == "def"
            and isinstance(binding.site, FUNCS)
            and any(self.names.last_name(d) in _PROPERTIES for d in binding.site.decorator_list)
        ):
            return self._property_origins(binding.site, depth)
        if binding.kind in ("class", "def"):
            return [Origin(Kind.OTHER)]
        result: list[Origin] = []
        if binding.annotation is not None:
            kind = self._annotation_kind(binding.annotation)
            result.append(Origin(kind, False))
        if binding.value is not None and binding.kind in ("assign", "ann", "with"):
            result.extend(self.origins(binding.value, depth))
        if binding.kind == "param" and binding.annotation is None:
            if isinstance(binding.site, ast.arg) and self._mock_parameter(binding.site):
                return [Origin(Kind.OTHER)]
            result.append(Origin(Kind.UNKNOWN, False))
        if binding.kind in ("import", "other"):
            result.append(Origin(Kind.UNKNOWN))
        return result

    def _property_origins(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, depth: int
    ) -> list[Origin]:
        """`self.client` where `client` is a property: its return annotation and values."""
        result: list[Origin] = []
        if func.returns is not None:
            result.append(Origin(self._annotation_kind(func.returns), None))
        for node in own_nodes(func):
            if isinstance(node, ast.Return) and node.value is not None:
                result.extend(self.origins(node.value, depth))
        return result or [Origin(Kind.UNKNOWN)]

    def _annotation_kind(self, annotation: ast.expr, depth: int = 0) -> Kind:
        informative = False
        for node in walk(annotation, limit=200):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _CLIENT_WORD.search(node.value):
                    return Kind.CLIENT
                informative = True
            elif isinstance(node, (ast.Name, ast.Attribute)):
                if self.is_client_class(node):
                    return Kind.CLIENT
                if isinstance(node, ast.Name) and node.id not in _UNINFORMATIVE:
                    # A type alias (`AnyClient = Union[Anthropic, AsyncAnthropic]`): what it names.
                    alias = self.names.bound_value(node) if depth < MAX_DEPTH else None
                    if alias is None:
                        kind = Kind.OTHER
                    elif alias in self._alias_memo:
                        kind = self._alias_memo[alias]
                    else:
                        kind = self._alias_memo[alias] = self._annotation_kind(alias, depth + 1)
                    if kind is Kind.CLIENT:
                        return kind
                    informative = informative or kind is Kind.OTHER
        return Kind.OTHER if informative else Kind.UNKNOWN

    def is_timeout_class(self, expr: ast.expr) -> bool:
        return (self.names.qualname(expr) or "") in TIMEOUT_CLASSES


def _combine(origins: Iterable[Origin]) -> Kind:
    kinds = {o.kind for o in origins}
    if Kind.CLIENT in kinds:
        return Kind.CLIENT
    if Kind.OTHER in kinds:
        return Kind.OTHER
    return Kind.UNKNOWN


def _has_kwarg(call: ast.Call, *names: str) -> bool:
    return any(kw.arg is None or kw.arg in names for kw in call.keywords)


def _patch_target(names: Names, call: ast.Call) -> tuple[str, ...] | None:
    """The dotted path `patch("a.b")`, `patch.object(a, "b")` or `setattr(a, "b", ...)` replaces."""
    if not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return tuple(first.value.split("."))
    owner = names.dotted(first)
    if owner is None or len(call.args) < 2:
        return None
    attr = call.args[1]
    if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
        return (*owner.split("."), attr.value)
    return None


def _is_fixture(names: Names, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        names.last_name(d.func if isinstance(d, ast.Call) else d) == "fixture"
        for d in func.decorator_list
    )


def _is_autouse(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call)
        and any(
            kw.arg == "autouse" and isinstance(kw.value, ast.Constant) and kw.value.value is True
            for kw in d.keywords
        )
        for d in func.decorator_list
    )


def _is_client_path(target: tuple[str, ...]) -> bool:
    """`patch("anthropic.Anthropic")`: every client made in the region is a mock."""
    return target[:1] == ("anthropic",) and target[-1] in CLIENT_CLASSES
