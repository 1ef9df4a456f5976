"""Apply chosen fixes to the libcst tree, and import what they use from the runtime module."""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar, cast

import libcst as cst
from libcst import CSTNodeT

from scaffolder.lint.fix._regions import header_end, newline_of, split_lines

N = TypeVar("N", bound=cst.CSTNode)


Replacement = cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement]


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: Mapping[cst.CSTNode, Replacement]) -> None:
        super().__init__()
        self._replacements = replacements

    def on_leave(
        self, original_node: CSTNodeT, updated_node: CSTNodeT
    ) -> CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[CSTNodeT]:
        # A fixer may replace a node by one of another type (a call by a call of a method):
        # libcst checks that the result fits where the node was.
        return cast("CSTNodeT", self._replacements.get(original_node, updated_node))


def replace_nodes(
    module: cst.Module, replacements: Mapping[cst.CSTNode, Replacement]
) -> cst.Module:
    """`module` with each key node replaced by its value (keys must not nest)."""
    return module.visit(_Replace(replacements))


def replace_in(node: N, replacements: Mapping[cst.CSTNode, Replacement]) -> N:
    """`node` (a statement) with the given nodes inside it replaced."""
    return cast("N", node.visit(_Replace(replacements)))


def add_imports(module: cst.Module, module_name: str, names: Collection[str]) -> cst.Module:
    """`from module_name import names` added to the module's imports (merged into an existing
    `from module_name import ...`); names already imported from there are left alone."""
    body = list(module.body)
    wanted = sorted(set(names))
    for index, statement in enumerate(body):
        found = _import_from(statement, module_name)
        if found is None:
            continue
        present = {a.evaluated_alias or a.evaluated_name for a in found.names}  # type: ignore[union-attr]
        missing = [n for n in wanted if n not in present]
        if not missing:
            return module
        assert isinstance(statement, cst.SimpleStatementLine)
        aliases = [*found.names, *(cst.ImportAlias(cst.Name(n)) for n in missing)]  # type: ignore[misc]
        aliases = [
            alias.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if i < len(aliases) - 1
                else cst.MaybeSentinel.DEFAULT
            )
            for i, alias in enumerate(aliases)
        ]
        merged = found.with_changes(names=aliases, lpar=None, rpar=None)
        body[index] = statement.with_changes(body=[merged])
        return module.with_changes(body=body)
    line = cst.parse_statement(
        f"from {module_name} import {', '.join(wanted)}", module.config_for_parsing
    )
    body.insert(_import_position(body), line)
    return module.with_changes(body=body)


def add_module_imports(module: cst.Module, modules: Collection[str]) -> cst.Module:
    """`import <module>` for each of `modules` the module's statements do not import yet, after
    its docstring and leading imports."""
    present = {
        cst.helpers.get_full_name_for_node(alias.name)
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, cst.Import)
        for alias in small.names
        if alias.asname is None
    }
    missing = sorted(set(modules) - present)
    if not missing:
        return module
    body = list(module.body)
    position = _import_position(body)
    for offset, name in enumerate(missing):
        line = cst.parse_statement(f"import {name}", module.config_for_parsing)
        body.insert(position + offset, line)
    return module.with_changes(body=body)


def _import_from(statement: cst.CSTNode, module_name: str) -> cst.ImportFrom | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if (
        isinstance(node, cst.ImportFrom)
        and not node.relative
        and node.module is not None
        and cst.helpers.get_full_name_for_node(node.module) == module_name
        and not isinstance(node.names, cst.ImportStar)
    ):
        return node
    return None


def _import_position(body: Sequence[cst.BaseStatement]) -> int:
    """After the file's leading docstring and imports (never between code that runs first)."""
    position = 0
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        small = statement.body
        if all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small):
            position = index + 1
        elif (
            index == 0
            and len(small) == 1
            and isinstance(small[0], cst.Expr)
            and isinstance(small[0].value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            position = 1  # the docstring
        else:
            break
    return position


def add_imports_to_lines(
    lines: list[str],
    end: int,
    module_name: str,
    names: Collection[str],
    modules: Collection[str] = (),
) -> None:
    """Add `import modules` and `from module_name import names` (with libcst) to the header
    `lines[:end]`."""
    header = "".join(lines[:end])
    if header and not header.endswith(("\n", "\r")):
        return  # a one-line file without a final newline: nothing to anchor the import to
    newline = newline_of("".join(lines[: end + 1]))
    module = cst.parse_module(header).with_changes(
        default_newline=newline, has_trailing_newline=True
    )
    module = add_module_imports(module, modules)
    if names:
        module = add_imports(module, module_name, names)
    lines[:end] = [module.code]


def add_imports_to_text(
    text: str, module_name: str, names: Collection[str], modules: Collection[str] = ()
) -> str:
    lines = split_lines(text)
    end = header_end(ast.parse(text), module_name, len(lines))
    add_imports_to_lines(lines, end, module_name, names, modules)
    return "".join(lines)
