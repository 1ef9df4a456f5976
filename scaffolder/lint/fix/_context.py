"""One parsed file for the fixers: the libcst tree, node positions and parents, the runtime."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TypeVar

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix._runtime import Runtime

N = TypeVar("N", bound=cst.CSTNode)


class FixContext:
    def __init__(
        self,
        module: cst.Module,
        path: Path,
        settings: Settings,
        runtime: Runtime | str,
        imported: Mapping[str, str] | None = None,
    ) -> None:
        self.module = module  # the lines being fixed (a top-level statement, or the file)
        self.path = path
        self.settings = settings
        self.runtime = runtime  # a `Runtime`, or why the repository has none
        #: the whole file's module-level imports: bound name -> what it names
        self.imported: Mapping[str, str] = imported or {}
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.positions: Mapping[cst.CSTNode, CodeRange] = wrapper.resolve(PositionProvider)
        self.parents = _parents(module)  # a plain walk: ParentNodeProvider costs 3x as much
        self._by_start: dict[tuple[int, int], list[cst.CSTNode]] = {}
        for node, where in self.positions.items():
            self._by_start.setdefault((where.start.line, where.start.column), []).append(node)

    def node_at(self, diagnostic: Diagnostic, kind: type[N]) -> N | None:
        """The outermost `kind` node spanning exactly the finding's range."""
        found = [node for node in self._spanning(diagnostic) if isinstance(node, kind)]
        return found[0] if found else None

    def expression_at(self, diagnostic: Diagnostic) -> cst.BaseExpression | None:
        found = [n for n in self._spanning(diagnostic) if isinstance(n, cst.BaseExpression)]
        return found[0] if found else None

    def _spanning(self, diagnostic: Diagnostic) -> list[cst.CSTNode]:
        """The nodes spanning exactly the finding's range, outermost first."""
        end = (diagnostic.end_line or diagnostic.line, diagnostic.end_col or diagnostic.col)
        nodes = [
            node
            for node in self._by_start.get((diagnostic.line, diagnostic.col - 1), ())
            if (self.positions[node].end.line, self.positions[node].end.column + 1) == end
        ]
        nodes.sort(key=lambda node: sum(1 for _ in self.ancestors(node)))
        return nodes

    def contains(self, outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
        a, b = self.positions[outer], self.positions[inner]
        return (a.start.line, a.start.column) <= (b.start.line, b.start.column) and (
            a.end.line,
            a.end.column,
        ) >= (b.end.line, b.end.column)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        parent = self.parents.get(node)
        while parent is not None:
            yield parent
            parent = self.parents.get(parent)

    def enclosing(self, node: cst.CSTNode, kind: type[N]) -> N | None:
        return next((a for a in self.ancestors(node) if isinstance(a, kind)), None)

    def scope(self, node: cst.CSTNode) -> cst.CSTNode:
        """The function (or module) whose names `node` uses."""
        scope = self.enclosing(node, cst.FunctionDef)
        return scope if scope is not None else self.module

    def in_async_function(self, node: cst.CSTNode) -> bool:
        function = self.enclosing(node, cst.FunctionDef)
        return function is not None and function.asynchronous is not None

    def uses_after(self, name: str, node: cst.CSTNode) -> list[cst.Name]:
        """Every `Name` node spelling `name` in `node`'s scope that starts after `node` starts."""
        start = self.positions[node].start
        scope = self.scope(node)
        return [
            candidate
            for candidate in _names(scope, name)
            if (self.positions[candidate].start.line, self.positions[candidate].start.column)
            > (start.line, start.column)
            and not self._is_label(candidate)
        ]

    def uses_after_end(self, name: str, node: cst.CSTNode) -> list[cst.Name]:
        """Every `Name` spelling `name` in `node`'s scope after the end of `node`."""
        end = self.positions[node].end
        return [
            candidate
            for candidate in _names(self.scope(node), name)
            if (self.positions[candidate].start.line, self.positions[candidate].start.column)
            >= (end.line, end.column)
            and not self._is_label(candidate)
        ]

    def _is_label(self, name: cst.Name) -> bool:
        """`name` spells an attribute or a keyword (`x.name`, `f(name=...)`), not a variable."""
        parent = self.parents.get(name)
        return (isinstance(parent, cst.Attribute) and parent.attr is name) or (
            isinstance(parent, cst.Arg) and parent.keyword is name
        )

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)


def module_imports(tree: ast.Module) -> dict[str, str]:
    """Name -> dotted name for the imports at module level (also in a module-level `if` or
    `try`): `import httpx as hx` -> {"hx": "httpx"}, `from httpx import Timeout` ->
    {"Timeout": "httpx.Timeout"}; a name bound by two different imports is `AMBIGUOUS`.
    Relative imports are left out."""
    names: dict[str, str] = {}
    stack: list[ast.stmt] = list(reversed(tree.body))
    while stack:
        statement = stack.pop()
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    _bind(names, alias.asname, alias.name)
                else:
                    root = alias.name.partition(".")[0]
                    _bind(names, root, root)
        elif isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
            for alias in statement.names:
                if alias.name != "*":
                    _bind(names, alias.asname or alias.name, f"{statement.module}.{alias.name}")
        elif isinstance(statement, (ast.If, ast.Try)):
            blocks = [statement.body, statement.orelse]
            if isinstance(statement, ast.Try):
                blocks += [h.body for h in statement.handlers] + [statement.finalbody]
            for block in reversed(blocks):
                stack.extend(reversed(block))
    return names


#: What `module_imports` records for a name imported from two places (`try: import httpx2 as
#: transport` / `except ImportError: import httpx as transport`).
AMBIGUOUS = "?"


def _bind(names: dict[str, str], name: str, value: str) -> None:
    names[name] = value if names.get(name, value) == value else AMBIGUOUS


def with_statement_text(is_async: bool) -> str:
    """The runtime's `with` line for hints, in the API that fits the code (sync or async)."""
    if is_async:
        return "`async with async_recovering_stream(client, **params) as stream:`"
    return "`with recovering_stream(client, **params) as stream:`"


def _parents(root: cst.CSTNode) -> dict[cst.CSTNode, cst.CSTNode]:
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            parents[child] = node
            stack.append(child)
    return parents


def _names(root: cst.CSTNode, name: str) -> Iterator[cst.Name]:
    stack: list[cst.CSTNode] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name) and node.value == name:
            yield node
        stack.extend(node.children)


def client_of(call: cst.Call) -> tuple[cst.BaseExpression, bool] | None:
    """(`client`, is beta) of `client[.beta].messages.<method>(...)`, else None."""
    func = call.func
    if not isinstance(func, cst.Attribute) or not isinstance(func.value, cst.Attribute):
        return None
    messages = func.value
    if messages.attr.value != "messages":
        return None
    receiver = messages.value
    if isinstance(receiver, cst.Attribute) and receiver.attr.value == "beta":
        return receiver.value, True
    return receiver, False


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def runtime_call(
    name: str, call: cst.Call, client: cst.BaseExpression, *, drop: str | None = None
) -> cst.Call:
    """`call` rewritten as `name(client, <its arguments>)`, without the keyword `drop`.

    The arguments keep their formatting and comments; on a call laid out one argument per
    line, `client` gets a line of its own.
    """
    args = list(call.args)
    dropped = keyword(call, drop) if drop else None
    if dropped is not None:
        index = args.index(dropped)
        del args[index]
        if index == len(args) and args:  # it was last: its comma (or none) ends the list now
            args[-1] = args[-1].with_changes(
                comma=dropped.comma, whitespace_after_arg=dropped.whitespace_after_arg
            )
    before = call.whitespace_before_args
    multiline = isinstance(before, cst.ParenthesizedWhitespace)
    separator = before if multiline else cst.SimpleWhitespace(" ")
    first = cst.Arg(
        value=client,
        comma=cst.Comma(whitespace_after=separator) if args else cst.MaybeSentinel.DEFAULT,
    )
    return call.with_changes(func=cst.Name(name), args=[first, *args])
