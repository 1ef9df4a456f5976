"""What the rules need to know about one parsed file, computed once.

`FileModel` answers three questions for the rules:
- which expressions call (or take a reference to) `.messages.stream` / `.messages.create`;
- whether a receiver is an Anthropic client (`receiver_is_client`): it is, unless the file
  shows it is something else (another class's constructor, a non-Anthropic annotation, `self`
  of a class that is not a client);
- whether a call site is protected (`protection`): inside the vendored recovery module, passed
  to a recovery function, inside a retry loop whose handler covers transport errors, or in a
  non-generator function with a retry decorator.

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
import enum
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from scaffolder.lint.config import Settings

#: The recovery runtime's public entry points (see docs/runtime.md); calls inside them or
#: passed to them are protected.
RUNTIME_RECOVERY_FUNCTIONS = frozenset(
    {"recovering_stream", "async_recovering_stream", "stream_with_recovery"}
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

#: httpx / httpx2 classes that catch a mid-body disconnect or read timeout.
TRANSPORT_ERRORS = frozenset(
    {
        "HTTPError",
        "RequestError",
        "TransportError",
        "ProtocolError",
        "RemoteProtocolError",
        "NetworkError",
        "ReadError",
        "TimeoutException",
        "ReadTimeout",
    }
)
#: anthropic classes that catch `APIConnectionError` but never a raw httpx error.
NAIVE_ERRORS = frozenset({"APIConnectionError", "APITimeoutError", "APIError", "AnthropicError"})
#: `unittest.mock` classes and factories: a receiver made by one is a test double.
MOCK_CLASSES = frozenset(
    {"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock", "PropertyMock"}
)
_MOCK_FACTORIES = MOCK_CLASSES | {"create_autospec"}
_MOCK_MODULES = frozenset({"unittest", "mock", "pytest_mock"})
#: Attributes only a mock has; `<x>.return_value.messages.create(...)` configures a mock.
_MOCK_ATTRIBUTES = frozenset({"return_value", "side_effect"})
#: `client.messages.with_raw_response.create(stream=True)` streams like `create` does.
_RESPONSE_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})
TIMEOUT_CLASSES = frozenset({"httpx.Timeout", "httpx2.Timeout", "anthropic.Timeout"})
#: tenacity's decorator and iterators: they retry what `retry=` says, by default everything.
TENACITY_RETRY = frozenset(
    {"tenacity.retry", "tenacity.asyncio.retry", "tenacity.Retrying", "tenacity.AsyncRetrying"}
)
#: Retry helpers that take the exceptions to retry as an argument, (position, keyword), and
#: retry every exception without it; a keyword of None: only a predicate, not knowable here.
RETRY_EXCEPTIONS_ARGUMENT: dict[str, tuple[int | None, str | None]] = {
    "backoff.on_exception": (1, "exception"),
    "stamina.retry": (None, "on"),
    "stamina.retry_context": (None, "on"),
    "retry.retry": (0, "exceptions"),
    "retrying.retry": (None, None),
}

_MAX_DEPTH = 12
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.Module, ast.ClassDef, ast.Lambda, *_FUNCS, *_COMPREHENSIONS)
# The node types `FileModel._visit` records something for.
_INDEXED = frozenset(
    {
        ast.Import,
        ast.ImportFrom,
        ast.Call,
        ast.Attribute,
        ast.Assign,
        ast.AnnAssign,
        ast.NamedExpr,
        ast.With,
        ast.AsyncWith,
        ast.For,
        ast.AsyncFor,
        ast.comprehension,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.Lambda,
        ast.ClassDef,
        ast.ExceptHandler,
        ast.Global,
    }
)
# The ancestors that scope resolution and protection look at; everything else is skipped.
_WAYPOINTS = (ast.Call, ast.Try, *_LOOPS, *_SCOPES)


class Kind(enum.Enum):
    """What a receiver expression is, as far as the file shows."""

    CLIENT = "client"  # provably an Anthropic client
    OTHER = "other"  # provably something else
    UNKNOWN = "unknown"  # a parameter, a factory result...: counts as a client


class Protection(enum.IntEnum):
    NONE = 0
    WRONG_HTTPX = 1  # a retry that catches the other httpx generation's errors only (SCF004)
    NAIVE = 2  # a retry that only catches anthropic.APIConnectionError & co (SCF004)
    PROTECTED = 3


class Origin(NamedTuple):
    """Where a receiver's value comes from. `custom_timeout` is None when not knowable."""

    kind: Kind
    custom_timeout: bool | None = None


class Binding(NamedTuple):
    kind: str  # assign | ann | param | with | import | class | def | other
    site: ast.AST  # a node inside the binding's scope (for resolving names in `value`)
    value: ast.expr | None = None
    annotation: ast.expr | None = None


class MessageCall(NamedTuple):
    """`<receiver>.messages.<method>(...)` or `<receiver>.beta.messages.<method>(...)`."""

    node: ast.Call | ast.Attribute  # the Attribute for a method reference
    method: str  # "stream" | "create"
    receiver: ast.expr

    @property
    def is_reference(self) -> bool:
        return isinstance(self.node, ast.Attribute)


class FileModel:
    """The index of one module. Build it only for a file that imports anthropic."""

    def __init__(self, tree: ast.Module, settings: Settings, *, vendored: bool = False):
        self.tree = tree
        self.settings = settings
        self.parents: dict[ast.AST, ast.AST] = {}
        self.imports: dict[str, str] = {}  # local name -> dotted qualified name
        # local name -> the top-level modules it is imported from (`try: import httpx2 as
        # httpx / except ImportError: import httpx` binds one name to both generations)
        self.import_roots: dict[str, set[str]] = {}
        self.bindings: dict[ast.AST, dict[str, list[Binding]]] = {}
        self.globals_decl: dict[ast.AST, set[str]] = {}
        self.class_attrs: dict[ast.ClassDef, dict[str, list[Binding]]] = {}
        self.message_calls: list[MessageCall] = []
        self.calls: list[ast.Call] = []
        self._up_memo: dict[ast.AST, tuple[ast.AST, ast.AST] | None] = {}
        self._protection_memo: dict[ast.AST, Protection] = {}
        # Each binding and alias is resolved once: `a2 = a1 or a1 or a1` must not re-resolve
        # `a1` per use (exponential in the chain's length otherwise).
        self._binding_memo: dict[Binding, list[Origin]] = {}
        self._alias_memo: dict[ast.expr, Kind] = {}
        #: Trusted by name (configured); the runtime's names only when imported.
        self.configured_recovery = {name.rpartition(".")[2] for name in settings.recovery_functions}
        self.retry_decorator_names = {name.rpartition(".")[2] for name in settings.retry_decorators}
        self.transport_module = settings.sdk.httpx
        self._function_coverage_memo: dict[ast.AST, Protection] = {}
        self._patch_memo: dict[ast.AST | str, list[tuple[str, ...]]] | None = None
        self._changed_memo: dict[tuple[ast.AST, str], bool] = {}
        self._index()
        # The vendored runtime (known by its path or its header, see engine): its own calls are
        # the recovery.
        self.is_recovery_module = vendored

    # ---------------------------------------------------------------- indexing
    def _index(self) -> None:
        # Parents first: visiting a node may look at its ancestors (scopes) and descendants.
        # (A hand-rolled ast.iter_child_nodes: this loop is most of the cost of a large file.)
        nodes: list[ast.AST] = [self.tree]
        parents = self.parents
        node_type, context = ast.AST, ast.expr_context
        for node in nodes:  # grows while iterating: breadth-first
            for field in node._fields:
                value = getattr(node, field, None)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, node_type):
                            parents[item] = node
                            nodes.append(item)
                elif isinstance(value, node_type) and not isinstance(value, context):
                    parents[value] = node
                    nodes.append(value)
        visited = _INDEXED
        for node in nodes:
            if type(node) in visited:
                self._visit(node)

    def _visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.partition(".")[0]
                self.import_roots.setdefault(alias.asname or root, set()).add(root)
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                    self._bind(node, alias.asname, Binding("import", node))
                else:
                    self.imports[root] = root
                    self._bind(node, root, Binding("import", node))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                if alias.name == "*" and node.level == 0 and module == "anthropic":
                    for name in CLIENT_CLASSES:  # (and more: the ones that matter here)
                        self.imports.setdefault(name, f"anthropic.{name}")
                    continue
                local = alias.asname or alias.name
                if node.level == 0:
                    self.imports[local] = f"{module}.{alias.name}"
                    self.import_roots.setdefault(local, set()).add(module.partition(".")[0])
                self._bind(node, local, Binding("import", node))
        elif isinstance(node, ast.Call):
            self.calls.append(node)
        elif isinstance(node, ast.Attribute):
            self._visit_attribute(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind_target(target, node, node.value)
        elif isinstance(node, ast.AnnAssign):
            self._bind_target(node.target, node, node.value, node.annotation)
        elif isinstance(node, ast.NamedExpr):
            self._bind(node, node.target.id, Binding("assign", node, node.value))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, node, item.context_expr, kind="with")
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            self._bind_target(node.target, node.target, None, kind="other")
        elif isinstance(node, (*_FUNCS, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                self._bind(node, node.name, Binding("def", node))
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                self._bind_in(node, arg.arg, Binding("param", arg, annotation=arg.annotation))
            for star in (args.vararg, args.kwarg):
                if star is not None:
                    self._bind_in(node, star.arg, Binding("other", star))
        elif isinstance(node, ast.ClassDef):
            self._bind(node, node.name, Binding("class", node))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            self._bind(node, node.name, Binding("other", node))
        elif isinstance(node, ast.Global):
            self.globals_decl.setdefault(self.scope_of(node), set()).update(node.names)

    def _visit_attribute(self, node: ast.Attribute) -> None:
        if node.attr not in ("stream", "create") or not isinstance(node.ctx, ast.Load):
            return
        messages = node.value
        if (
            isinstance(messages, ast.Attribute)
            and messages.attr in _RESPONSE_WRAPPERS
            and isinstance(messages.value, ast.Attribute)
        ):
            messages = messages.value  # `client.messages.with_raw_response.create(...)`
        if not (isinstance(messages, ast.Attribute) and messages.attr == "messages"):
            return
        receiver = messages.value
        if isinstance(receiver, ast.Attribute) and receiver.attr == "beta":
            receiver = receiver.value
        parent = self.parents.get(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            self.message_calls.append(MessageCall(parent, node.attr, receiver))
        elif node.attr == "stream" and not isinstance(parent, ast.Attribute):
            # (`client.messages.stream.assert_called_once()`, `.call_args`, `.return_value`
            # read an attribute of the method: a mock's, never a reference to call.)
            self.message_calls.append(MessageCall(node, node.attr, receiver))

    def _bind_target(
        self,
        target: ast.expr,
        site: ast.AST,
        value: ast.expr | None,
        annotation: ast.expr | None = None,
        *,
        kind: str | None = None,
    ) -> None:
        if isinstance(target, ast.Name):
            binding_kind = kind or ("ann" if annotation is not None else "assign")
            self._bind(site, target.id, Binding(binding_kind, site, value, annotation))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            cls = self._class_of_self(target.value)
            if cls is not None:
                binding = Binding(
                    "ann" if annotation is not None else "assign", site, value, annotation
                )
                self.class_attrs.setdefault(cls, {}).setdefault(target.attr, []).append(binding)
        elif isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            # Unpacking: the value of each name is not knowable here.
            stack: list[ast.expr] = [target]
            while stack:
                item = stack.pop()
                if isinstance(item, ast.Name):
                    self._bind(site, item.id, Binding("other", site))
                elif isinstance(item, (ast.Tuple, ast.List)):
                    stack.extend(item.elts)
                elif isinstance(item, ast.Starred):
                    stack.append(item.value)

    def _bind(self, site: ast.AST, name: str, binding: Binding) -> None:
        scope = self.scope_of(site)
        if isinstance(site, ast.NamedExpr):
            while isinstance(scope, _COMPREHENSIONS):  # PEP 572: binds in the enclosing scope
                scope = self.scope_of(scope)
        if isinstance(scope, ast.ClassDef) and not isinstance(binding.site, ast.ClassDef):
            # A class-body name is also an attribute of the class (`client: Anthropic`).
            self.class_attrs.setdefault(scope, {}).setdefault(name, []).append(binding)
        self._bind_in(scope, name, binding)

    def _bind_in(self, scope: ast.AST, name: str, binding: Binding) -> None:
        self.bindings.setdefault(scope, {}).setdefault(name, []).append(binding)

    # ---------------------------------------------------------------- scopes
    def _up(self, node: ast.AST) -> tuple[ast.AST, ast.AST] | None:
        """(child, ancestor): the nearest waypoint above `node` and the node below it on the
        path. Memoised for the whole path, so walks up deep expressions stay linear."""
        memo = self._up_memo
        if node in memo:
            return memo[node]
        path = [node]
        result: tuple[ast.AST, ast.AST] | None = None
        child, current = node, self.parents.get(node)
        while current is not None:
            if isinstance(current, _WAYPOINTS):
                result = (child, current)
                break
            if current in memo:
                result = memo[current]
                break
            path.append(current)
            child, current = current, self.parents.get(current)
        for visited in path:
            memo[visited] = result
        return result

    def scope_of(self, node: ast.AST) -> ast.AST:
        """The scope a name used at `node` is looked up in first."""
        step = self._up(node)
        while step is not None:
            child, current = step
            if isinstance(current, _FUNCS):
                if child is current.args or any(child is stmt for stmt in current.body):
                    return current
            elif isinstance(current, ast.Lambda):
                if child is current.body or child is current.args:
                    return current
            elif isinstance(current, ast.ClassDef):
                if any(child is stmt for stmt in current.body):
                    return current
            elif isinstance(current, _COMPREHENSIONS):
                return current
            step = self._up(current)
        return self.tree

    def lookup(self, name: str, at: ast.AST) -> list[Binding]:
        scope = self.scope_of(at)
        first = True
        while True:
            if name in self.globals_decl.get(scope, ()):
                scope = self.tree
            if not (isinstance(scope, ast.ClassDef) and not first):
                found = self.bindings.get(scope, {}).get(name)
                if found:
                    return found
            if scope is self.tree:
                return []
            scope = self.scope_of(scope)
            first = False

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The nearest `def` around `node`, looking through lambdas and comprehensions."""
        scope = self.scope_of(node)
        while not isinstance(scope, (ast.Module, ast.ClassDef, *_FUNCS)):
            scope = self.scope_of(scope)
        return scope if isinstance(scope, _FUNCS) else None

    def _class_of_self(self, name: ast.Name) -> ast.ClassDef | None:
        """The class whose instance (or class, in a classmethod) `name` is, if it is `self`:
        the first parameter of a method, also seen from functions nested in that method."""
        scope = self.scope_of(name)
        while not isinstance(scope, (ast.Module, ast.ClassDef)):
            if isinstance(scope, _FUNCS):
                params = (*scope.args.posonlyargs, *scope.args.args)
                if params and params[0].arg == name.id:
                    cls = self.parents.get(scope)
                    if isinstance(cls, ast.ClassDef) and not any(
                        self.dotted(d) == "staticmethod" for d in scope.decorator_list
                    ):
                        return cls
                    return None
            if name.id in self.bindings.get(scope, {}):
                return None  # bound by this nested scope: not the method's `self`
            scope = self.scope_of(scope)
        return None

    # ---------------------------------------------------------------- names
    def dotted(self, expr: ast.AST) -> str | None:
        """`a.b.c` for a Name/Attribute chain (no import resolution)."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        parts.append(expr.id)
        return ".".join(reversed(parts))

    def qualname(self, expr: ast.AST) -> str | None:
        """The dotted name with its root resolved through the file's imports."""
        dotted = self.dotted(expr)
        if dotted is None:
            return None
        root, _, rest = dotted.partition(".")
        resolved = self.imports.get(root)
        if resolved is None:
            return None
        return f"{resolved}.{rest}" if rest else resolved

    def both_httpx_generations(self, expr: ast.AST) -> bool:
        """Whether the root name of `expr` is imported from `httpx` and from `httpx2` (a
        compatibility import: whichever the SDK uses)."""
        root = (self.dotted(expr) or "").partition(".")[0]
        return {"httpx", "httpx2"} <= self.import_roots.get(root, set())

    @staticmethod
    def last_name(expr: ast.AST) -> str | None:
        if isinstance(expr, ast.Attribute):
            return expr.attr
        if isinstance(expr, ast.Name):
            return expr.id
        return None

    def is_client_class(self, expr: ast.AST, depth: int = 0) -> bool:
        """`anthropic.Anthropic`, an alias of it, or a class in this file that subclasses one."""
        qualname = self.qualname(expr)
        if qualname is not None:
            root, _, _ = qualname.partition(".")
            return root == "anthropic" and qualname.rpartition(".")[2] in CLIENT_CLASSES
        if isinstance(expr, ast.Name) and depth < _MAX_DEPTH:
            for binding in self.lookup(expr.id, expr):
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
            for binding in self.lookup(expr.id, expr):
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
        for _ in range(_MAX_DEPTH):
            if isinstance(node, ast.Attribute):
                if node.attr in _MOCK_ATTRIBUTES:
                    return True
                node = node.value
            elif isinstance(node, ast.Call):
                node = node.func
            else:
                break
        qualname = self.qualname(node) or ""
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
        if depth > _MAX_DEPTH:
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
            cls = self._class_of_self(expr)
            if cls is not None and not self._rebound(expr):
                return [Origin(Kind.CLIENT if self._is_client_subclass(cls) else Kind.OTHER)]
            result: list[Origin] = []
            for binding in self.lookup(expr.id, expr):
                result.extend(self._binding_origins(binding, depth + 1))
            return result or [Origin(Kind.UNKNOWN, False)]
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            cls = self._class_of_self(expr.value)
            if cls is not None:
                result = []
                for binding in self.class_attrs.get(cls, {}).get(expr.attr, []):
                    result.extend(self._binding_origins(binding, depth + 1))
                return result or [Origin(Kind.UNKNOWN)]
        return [Origin(Kind.UNKNOWN)]

    def _rebound(self, name: ast.Name) -> bool:
        return any(b.kind != "param" for b in self.lookup(name.id, name))

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
        name = self.last_name(func)
        if self.local_class(func) is not None or (name is not None and _is_class_name(name)):
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
        dotted = self.dotted(func) or ""
        parts = dotted.split(".")
        if not (parts[-1] == "patch" or parts[-2:] == ["patch", "object"]):
            return False
        qualname = self.qualname(func) or ""
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
        for call in self.calls:
            dotted = self.dotted(call.func) or ""
            target = _patch_target(self, call) if self._is_patch(call.func) else None
            if target is None and dotted.endswith("monkeypatch.setattr"):
                target = _patch_target(self, call)
            if target is None:
                continue
            parent = self.parents.get(call)
            region: ast.AST | str | None
            if isinstance(parent, ast.withitem):
                region = self.parents.get(parent)
            elif isinstance(parent, _FUNCS) and call in parent.decorator_list:
                region = parent
            else:
                function = self.enclosing_function(call)
                region = function
                if function is not None and _is_fixture(self, function):
                    region = self.tree if _is_autouse(function) else function.name
            if region is not None:
                regions.setdefault(region, []).append(target)
        self._patch_memo = regions
        return regions

    def _is_patched(self, receiver: ast.expr) -> bool:
        regions = self._patched_targets()
        if not regions:
            return False
        outer: ast.AST = receiver
        while isinstance(self.parents.get(outer), ast.Attribute):
            outer = self.parents[outer]
        method = outer.attr if isinstance(outer, ast.Attribute) else None
        path = tuple((self.dotted(outer) or "").split("."))
        qualname = self.qualname(outer)
        for node in self._ancestors(receiver):
            targets = list(regions.get(node, ()))
            if isinstance(node, _FUNCS):  # the tests that use a patching fixture
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
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def _is_mock_factory(self, func: ast.expr) -> bool:
        return self.last_name(func) in _MOCK_FACTORIES or self._is_patch(func)

    def _local_factory_returns(self, func: ast.Name) -> list[Origin] | None:
        """A function of this file annotated `-> MagicMock` (a test double) or `-> Anthropic`;
        None when its annotation says neither."""
        for binding in self.lookup(func.id, func):
            if binding.kind == "def" and isinstance(binding.site, _FUNCS):
                returns = binding.site.returns
                if returns is None:
                    continue
                if self._is_mock_annotation(returns):
                    return [Origin(Kind.OTHER)]
                if self._annotation_kind(returns) is Kind.CLIENT:
                    return [Origin(Kind.CLIENT, None)]
        return None

    def _is_mock_annotation(self, annotation: ast.expr) -> bool:
        for node in _walk(annotation, limit=50):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if any(word in MOCK_CLASSES for word in re.findall(r"\w+", node.value)):
                    return True
            elif self.last_name(node) in MOCK_CLASSES:
                return True
        return False

    def _mock_parameter(self, param: ast.arg) -> bool:
        """A parameter that receives a test double: one injected by `@patch(...)` decorators
        (the first ones after `self`), or named after a pytest fixture of this file that
        returns one."""
        func = self.parents.get(self.parents.get(param, param))
        if not isinstance(func, _FUNCS):
            return False
        positional = [*func.args.posonlyargs, *func.args.args]
        if isinstance(self.parents.get(func), ast.ClassDef) and positional:
            positional = positional[1:]
        patches = sum(
            1
            for d in func.decorator_list
            if isinstance(d, ast.Call)
            and self._is_patch(d.func)
            and not _has_kwarg(d, "new")
            and not (self.last_name(d.func) == "patch" and len(d.args) > 1)
            and not (self.last_name(d.func) == "object" and len(d.args) > 2)
        )
        if any(param is p for p in positional[:patches]):
            return True
        return self._fixture_returns_mock(param.arg, func)

    def _fixture_returns_mock(self, name: str, user: ast.AST) -> bool:
        for binding in self.lookup(name, user):
            site = binding.site
            if binding.kind != "def" or not isinstance(site, _FUNCS):
                continue
            if not _is_fixture(self, site):
                continue
            if site.returns is not None and self._is_mock_annotation(site.returns):
                return True
            for node in _own_nodes(site):
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
            and isinstance(binding.site, _FUNCS)
            and any(self.last_name(d) in _PROPERTIES for d in binding.site.decorator_list)
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
        for node in _own_nodes(func):
            if isinstance(node, ast.Return) and node.value is not None:
                result.extend(self.origins(node.value, depth))
        return result or [Origin(Kind.UNKNOWN)]

    def _annotation_kind(self, annotation: ast.expr, depth: int = 0) -> Kind:
        informative = False
        for node in _walk(annotation, limit=200):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _CLIENT_WORD.search(node.value):
                    return Kind.CLIENT
                informative = True
            elif isinstance(node, (ast.Name, ast.Attribute)):
                if self.is_client_class(node):
                    return Kind.CLIENT
                if isinstance(node, ast.Name) and node.id not in _UNINFORMATIVE:
                    # A type alias (`AnyClient = Union[Anthropic, AsyncAnthropic]`): what it names.
                    alias = self.bound_value(node) if depth < _MAX_DEPTH else None
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

    # ---------------------------------------------------------------- protection
    def protection(self, node: ast.AST) -> Protection:
        if self.is_recovery_module:
            return Protection.PROTECTED
        if node not in self._protection_memo:
            self._protection_memo[node] = self._protection(node)
        return self._protection_memo[node]

    def _protection(self, node: ast.AST) -> Protection:
        best = Protection.NONE
        pending_trys: list[ast.Try] = []
        loops_open = True  # a `def` or `class` ends what enclosing loops and decorators mean
        decorators_checked = False
        step = self._up(node)
        while step is not None:
            child, current = step
            if isinstance(current, ast.Call) and child is not current.func:
                best = max(best, self._recovery_call(current))
            elif isinstance(current, _FUNCS):
                if current.name in self.configured_recovery:
                    return Protection.PROTECTED
                if not decorators_checked and (child is current.args or child in current.body):
                    decorators_checked = True
                    best = max(best, self._decorator_protection(current))
                loops_open = False
            elif isinstance(current, ast.ClassDef):
                loops_open = False
            elif loops_open and isinstance(current, ast.Try) and _in_list(child, current.body):
                pending_trys.append(current)
            elif loops_open and isinstance(current, _LOOPS) and _in_list(child, current.body):
                if isinstance(current, (ast.For, ast.AsyncFor)):
                    best = max(best, self._retry_helper(current.iter) or Protection.NONE)
                for try_node in pending_trys:
                    best = max(best, self._loop_protection(current, try_node))
                pending_trys.clear()
            if best is Protection.PROTECTED:
                return best
            step = self._up(current)
        return best

    def _recovery_call(self, call: ast.Call) -> Protection:
        """How a call that receives the streaming call (or a reference to it) protects it: a
        configured recovery function does; one of the runtime's names does when it is
        imported, and when it is defined in this file, as well as its own retry loop does."""
        func = call.func
        name = self.last_name(func)
        if name in self.configured_recovery:
            return Protection.PROTECTED
        if name not in RUNTIME_RECOVERY_FUNCTIONS:
            return Protection.NONE
        if not isinstance(func, ast.Name):
            return Protection.PROTECTED  # `claude_stream.recovering_stream(...)`
        best = Protection.NONE
        for binding in self.lookup(func.id, func):
            if binding.kind == "import":
                return Protection.PROTECTED
            if binding.kind == "def" and isinstance(binding.site, _FUNCS):
                best = max(best, self._function_retry_coverage(binding.site))
        return best

    def _function_retry_coverage(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Protection:
        """How well the retry loops in `func`'s own body protect what they run."""
        if func not in self._function_coverage_memo:
            self._function_coverage_memo[func] = Protection.NONE  # (recursion guard)
            best = self._decorator_protection(func)
            for node in _own_nodes(func):
                if isinstance(node, ast.Try):
                    step = self._up(node)
                    while step is not None and not isinstance(step[1], (*_FUNCS, ast.Lambda)):
                        if isinstance(step[1], _LOOPS):
                            best = max(best, self._loop_protection(step[1], node))
                        step = self._up(step[1])
            self._function_coverage_memo[func] = best
        return self._function_coverage_memo[func]

    def _loop_protection(self, loop: ast.stmt, try_node: ast.Try) -> Protection:
        if not try_node.handlers:
            return Protection.NONE
        rest = _statements_after(try_node, loop, self.parents)
        rest_outcomes = _outcomes(rest)
        success = _outcomes([*try_node.body, *try_node.orelse])
        leaves = bool(success & {"break", "return"}) or (
            "next" in success and bool(rest_outcomes & {"break", "return"})
        )
        if not leaves:
            return Protection.NONE  # e.g. a websocket loop: success waits for the next message
        best = Protection.NONE
        for handler in try_node.handlers:
            handler_outcomes = _outcomes(handler.body)
            goes_round = "continue" in handler_outcomes or (
                "next" in handler_outcomes and bool(rest_outcomes & {"next", "continue"})
            )
            if goes_round:
                best = max(best, self._exception_coverage(handler.type))
        return best

    def _decorator_protection(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Protection:
        best = Protection.NONE
        for decorator in func.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            verdict = self._retry_helper(decorator)
            if verdict is None and (
                self.last_name(target) in self.retry_decorator_names
                or self.qualname(target) in self.settings.retry_decorators
            ):
                verdict = Protection.PROTECTED
            best = max(best, verdict or Protection.NONE)
        # A retry cannot re-run an iteration that the caller drives.
        return Protection.NONE if best and _is_generator(func) else best

    def _retry_helper(self, expr: ast.expr) -> Protection | None:
        """How a known retry decorator (also a celery task with `autoretry_for=`), or the
        iterator of `for attempt in tenacity.Retrying(...)` / `stamina.retry_context(...)`,
        protects its body; None when `expr` is not one."""
        call = expr if isinstance(expr, ast.Call) else None
        qualname = self.qualname(call.func if call is not None else expr)
        if qualname in TENACITY_RETRY:
            return self._tenacity_retry(call)
        if qualname in RETRY_EXCEPTIONS_ARGUMENT:
            position, keyword = RETRY_EXCEPTIONS_ARGUMENT[qualname]
            if keyword is None:
                return Protection.PROTECTED
            # Without the argument they retry every exception, as a bare `except:` does.
            return self._exception_coverage(_argument(call, position, keyword))
        autoretry = _argument(call, None, "autoretry_for")  # a celery task
        return None if autoretry is None else self._exception_coverage(autoretry)

    def _tenacity_retry(self, call: ast.Call | None) -> Protection:
        strategy = _argument(call, None, "retry") if call else None
        if strategy is None:
            return Protection.PROTECTED  # tenacity retries on every exception by default
        best: Protection | None = None
        for part in _walk(strategy, limit=200):
            if not isinstance(part, ast.Call):
                continue
            qualname = self.qualname(part.func) or ""
            if qualname == "tenacity.retry_if_exception_type":
                coverage = (
                    self._exception_coverage(_argument(part, 0, "exception_types"))
                    if part.args or part.keywords
                    else Protection.PROTECTED
                )
                best = coverage if best is None else max(best, coverage)
        # Any other strategy (retry_if_result, a custom predicate): assume it retries.
        return Protection.PROTECTED if best is None else best

    def _exception_coverage(self, expr: ast.expr | None, depth: int = 0) -> Protection:
        """PROTECTED if `expr` (a handler's type) catches transport errors; NAIVE if it catches
        only anthropic connection errors; NONE if unrelated."""
        if expr is None:
            return Protection.PROTECTED  # bare `except:`
        if depth > _MAX_DEPTH:
            return Protection.PROTECTED
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            return max(
                (self._exception_coverage(e, depth + 1) for e in expr.elts),
                default=Protection.NONE,
            )
        qualname = self.qualname(expr)
        if qualname is not None:
            root, last = qualname.partition(".")[0], qualname.rpartition(".")[2]
            if root in ("httpx", "httpx2") and last in TRANSPORT_ERRORS:
                # The other generation's classes are unrelated: they catch nothing.
                if root == self.transport_module or self.both_httpx_generations(expr):
                    return Protection.PROTECTED
                return Protection.WRONG_HTTPX
            if root == "anthropic":
                return Protection.NAIVE if last in NAIVE_ERRORS else Protection.NONE
            if qualname in ("builtins.Exception", "builtins.BaseException"):
                return Protection.PROTECTED
            # An imported constant (RETRYABLE_ERRORS) cannot be seen from here; a class can.
            return Protection.NONE if _is_class_name(last) else Protection.PROTECTED
        if isinstance(expr, ast.Name):
            bindings = self.lookup(expr.id, expr)
            if not bindings:
                return (
                    Protection.PROTECTED
                    if expr.id in ("Exception", "BaseException")
                    else Protection.NONE
                )
            best = Protection.NONE
            for binding in bindings:
                if binding.value is not None and binding.kind in ("assign", "ann"):
                    best = max(best, self._exception_coverage(binding.value, depth + 1))
                elif binding.kind == "import":
                    # Relative (`from .errors import RetryableError`): an unknown name like
                    # any other, a class covers nothing the file shows; a constant may.
                    original = _imported_name(binding.site, expr.id)
                    if not _is_class_name(original):
                        return Protection.PROTECTED
                elif binding.kind in ("param", "other"):
                    return Protection.PROTECTED  # not knowable here: assume it covers
            return best
        # A predicate or a computed tuple: not knowable here, so assume it covers.
        return Protection.PROTECTED

    # ---------------------------------------------------------------- constants
    def constant_number(self, expr: ast.expr, depth: int = 0) -> float | None:
        """The value of a numeric constant expression or a name bound once to one."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Constant):
            value = expr.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            return None
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
            operand = self.constant_number(expr.operand, depth + 1)
            if operand is None:
                return None
            return -operand if isinstance(expr.op, ast.USub) else operand
        if isinstance(expr, ast.BinOp) and type(expr.op) in _ARITHMETIC:
            left = self.constant_number(expr.left, depth + 1)
            right = self.constant_number(expr.right, depth + 1)
            if left is None or right is None:
                return None
            try:
                return float(_ARITHMETIC[type(expr.op)](left, right))
            except (ZeroDivisionError, OverflowError):
                return None
        if isinstance(expr, ast.Name):
            bound = self.bound_value(expr)
            return self.constant_number(bound, depth + 1) if bound is not None else None
        return None

    def local_dict_literal(self, name: ast.Name) -> ast.Dict | None:
        """The dict literal `name` is bound to when it is assigned once, in the function that
        uses it, and never changed there (no item assignment, `update`, `|=`...)."""
        bindings = self.lookup(name.id, name)
        if len(bindings) != 1:
            return None
        binding = bindings[0]
        value = binding.value
        scope = self.scope_of(name)
        if not (
            binding.kind == "assign"
            and isinstance(value, ast.Dict)
            and isinstance(scope, _FUNCS)
            and self.scope_of(binding.site) is scope
        ):
            return None
        key = (scope, name.id)
        if key not in self._changed_memo:  # (one walk per function and name)
            self._changed_memo[key] = any(_changes_mapping(n, name.id) for n in _own_nodes(scope))
        return None if self._changed_memo[key] else value

    def bound_value(self, name: ast.Name) -> ast.expr | None:
        """The value of `name` when the file assigns it exactly once (`SHORT = 60`)."""
        bindings = self.lookup(name.id, name)
        if len(bindings) == 1 and bindings[0].kind in ("assign", "ann"):
            return bindings[0].value
        return None

    def is_timeout_class(self, expr: ast.expr) -> bool:
        return (self.qualname(expr) or "") in TIMEOUT_CLASSES


_UNINFORMATIVE = frozenset({"Any", "object", "Optional", "Union", "None"})
_PROPERTIES = frozenset({"property", "cached_property"})
_ARITHMETIC: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
}


def _combine(origins: Iterable[Origin]) -> Kind:
    kinds = {o.kind for o in origins}
    if Kind.CLIENT in kinds:
        return Kind.CLIENT
    if Kind.OTHER in kinds:
        return Kind.OTHER
    return Kind.UNKNOWN


def _is_class_name(name: str) -> bool:
    """CapWords (a class by PEP 8), not ALL_CAPS (a constant)."""
    return name[:1].isupper() and not name.isupper()


def _has_kwarg(call: ast.Call, *names: str) -> bool:
    return any(kw.arg is None or kw.arg in names for kw in call.keywords)


def _argument(call: ast.Call | None, position: int | None, keyword: str) -> ast.expr | None:
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if position is not None and len(call.args) > position:
        arg = call.args[position]
        return None if isinstance(arg, ast.Starred) else arg
    return None


def _patch_target(model: FileModel, call: ast.Call) -> tuple[str, ...] | None:
    """The dotted path `patch("a.b")`, `patch.object(a, "b")` or `setattr(a, "b", ...)` replaces."""
    if not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return tuple(first.value.split("."))
    owner = model.dotted(first)
    if owner is None or len(call.args) < 2:
        return None
    attr = call.args[1]
    if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
        return (*owner.split("."), attr.value)
    return None


def _is_fixture(model: FileModel, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        model.last_name(d.func if isinstance(d, ast.Call) else d) == "fixture"
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


_MUTATORS = frozenset({"update", "pop", "popitem", "setdefault", "clear", "__setitem__"})


def _changes_mapping(node: ast.AST, name: str) -> bool:
    """Whether `node` may change the dict bound to `name` (its "stream" key in particular)."""
    if isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
        key = node.slice
        return (
            isinstance(node.value, ast.Name)
            and node.value.id == name
            and not (isinstance(key, ast.Constant) and key.value != "stream")
        )
    if isinstance(node, ast.AugAssign):
        return isinstance(node.target, ast.Name) and node.target.id == name
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name) and node.value.id == name and node.attr in _MUTATORS
    return False


def _imported_name(site: ast.AST, local: str) -> str:
    """The name an import statement imports as `local` (`from .e import A as B`: `A`)."""
    if isinstance(site, (ast.Import, ast.ImportFrom)):
        for alias in site.names:
            if (alias.asname or alias.name) == local:
                return alias.name.rpartition(".")[2]
    return local


def _in_list(node: ast.AST, nodes: list[ast.stmt]) -> bool:
    return any(node is item for item in nodes)


def _walk(root: ast.AST, *, limit: int) -> Iterator[ast.AST]:
    """Iterative walk of a small subtree, bounded so a giant expression stays cheap."""
    stack = [root]
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _own_nodes(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions or classes defined in it."""
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*_FUNCS, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _is_generator(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in _own_nodes(func))


def _statements_after(
    try_node: ast.Try, loop: ast.stmt, parents: dict[ast.AST, ast.AST]
) -> list[ast.stmt]:
    """The statements that run after `try_node` completes, up to the end of the loop body."""
    rest: list[ast.stmt] = []
    node: ast.AST = try_node
    while node is not loop:
        parent = parents.get(node)
        if parent is None:
            break
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and _in_list(node, block):
                index = next(i for i, stmt in enumerate(block) if stmt is node)
                rest.extend(block[index + 1 :])
                break
        node = parent
    return rest


def _outcomes(statements: list[ast.stmt]) -> set[str]:
    """How a block can end: next (falls through), continue, break, return, raise."""
    current = {"next"}
    for stmt in statements:
        if "next" not in current:
            break
        current = (current - {"next"}) | _stmt_outcomes(stmt)
    return current


def _stmt_outcomes(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, ast.Return):
        return {"return"}
    if isinstance(stmt, ast.Raise):
        return {"raise"}
    if isinstance(stmt, ast.Break):
        return {"break"}
    if isinstance(stmt, ast.Continue):
        return {"continue"}
    if isinstance(stmt, ast.If):
        return _outcomes(stmt.body) | _outcomes(stmt.orelse)
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return _outcomes(stmt.body)
    if isinstance(stmt, _LOOPS):
        inner = _outcomes(stmt.body)
        result = inner & {"return", "raise"}
        if "break" in inner:
            result.add("next")
        infinite = (
            isinstance(stmt, ast.While)
            and isinstance(stmt.test, ast.Constant)
            and bool(stmt.test.value)
        )
        if not infinite:  # it runs out, through `else:`, whose break/continue are the outer loop's
            result |= _outcomes(stmt.orelse)
        return result
    if isinstance(stmt, ast.Try):
        result = _outcomes([*stmt.body, *stmt.orelse])
        for handler in stmt.handlers:
            result |= _outcomes(handler.body)
        if stmt.finalbody:
            final = _outcomes(stmt.finalbody)
            result = final if "next" not in final else result | (final - {"next"})
        return result
    if isinstance(stmt, ast.Match):
        result = {"next"}
        for case in stmt.cases:
            result |= _outcomes(case.body)
        return result
    return {"next"}
