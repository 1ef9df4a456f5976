"""Name resolution for one parsed module: parents, scopes, bindings, imports, constants.

What it does: one breadth-first walk records every node's parent, each scope's bindings
(assignments, parameters, imports, `with` targets, defs, classes), the attributes assigned on
`self` per class, every call and every `.messages.stream` / `.messages.create` site. On that
index it answers `lookup(name, at)` (Python's scope rules, `global` included), `qualname`
(a dotted name resolved through the file's imports) and the value of simple constants.

Why: client detection and protection analysis (`_clients.py`, `_protection.py`) both ask
"what is this name?"; the index is built once per file and every walk is iterative or
depth-capped, so a pathological file cannot overflow the checker's stack.

Example::

    names = Names(ast.parse("import anthropic as a\nc = a.Anthropic()"))
    names.qualname(<the `a.Anthropic` node>)  # "anthropic.Anthropic"
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple

MAX_DEPTH = 12
FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.Module, ast.ClassDef, ast.Lambda, *FUNCS, *_COMPREHENSIONS)
# The node types `Names._visit` records something for.
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
_WAYPOINTS = (ast.Call, ast.Try, *LOOPS, *_SCOPES)

#: `client.messages.with_raw_response.create(stream=True)` streams like `create` does.
_RESPONSE_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})


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


class Names:
    """The name index of one module (see the module docstring)."""

    def __init__(self, tree: ast.Module, *, star_names: Mapping[str, Iterable[str]]):
        """`star_names`: the names `from MODULE import *` binds, for the modules that matter
        (any other star import binds nothing the file shows)."""
        self.tree = tree
        self._star_names = star_names
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
        self._changed_memo: dict[tuple[ast.AST, str], bool] = {}
        self._index()

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
                if alias.name == "*" and node.level == 0 and module in self._star_names:
                    for name in self._star_names[module]:
                        self.imports.setdefault(name, f"{module}.{name}")
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
        elif isinstance(node, (*FUNCS, ast.Lambda)):
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
            cls = self.class_of_self(target.value)
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
    def up(self, node: ast.AST) -> tuple[ast.AST, ast.AST] | None:
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
        step = self.up(node)
        while step is not None:
            child, current = step
            if isinstance(current, FUNCS):
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
            step = self.up(current)
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
        while not isinstance(scope, (ast.Module, ast.ClassDef, *FUNCS)):
            scope = self.scope_of(scope)
        return scope if isinstance(scope, FUNCS) else None

    def class_of_self(self, name: ast.Name) -> ast.ClassDef | None:
        """The class whose instance (or class, in a classmethod) `name` is, if it is `self`:
        the first parameter of a method, also seen from functions nested in that method."""
        scope = self.scope_of(name)
        while not isinstance(scope, (ast.Module, ast.ClassDef)):
            if isinstance(scope, FUNCS):
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

    # ---------------------------------------------------------------- constants
    def constant_number(self, expr: ast.expr, depth: int = 0) -> float | None:
        """The value of a numeric constant expression or a name bound once to one."""
        if depth > MAX_DEPTH:
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
            and isinstance(scope, FUNCS)
            and self.scope_of(binding.site) is scope
        ):
            return None
        key = (scope, name.id)
        if key not in self._changed_memo:  # (one walk per function and name)
            self._changed_memo[key] = any(_changes_mapping(n, name.id) for n in own_nodes(scope))
        return None if self._changed_memo[key] else value

    def bound_value(self, name: ast.Name) -> ast.expr | None:
        """The value of `name` when the file assigns it exactly once (`SHORT = 60`)."""
        bindings = self.lookup(name.id, name)
        if len(bindings) == 1 and bindings[0].kind in ("assign", "ann"):
            return bindings[0].value
        return None


_ARITHMETIC: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
}


def is_class_name(name: str) -> bool:
    """CapWords (a class by PEP 8), not ALL_CAPS (a constant)."""
    return name[:1].isupper() and not name.isupper()


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


def walk(root: ast.AST, *, limit: int) -> Iterator[ast.AST]:
    """Iterative walk of a small subtree, bounded so a giant expression stays cheap."""
    stack = [root]
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        yield node
        stack.extend(ast.iter_child_nodes(node))


def own_nodes(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions or classes defined in it."""
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*FUNCS, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
