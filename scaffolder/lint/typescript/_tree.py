"""tree-sitter parsing and the few node helpers the model needs."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import tree_sitter

Node = tree_sitter.Node

#: Nodes that start a new function (a `return`/`break` inside does not leave an outer loop).
FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function",
        "generator_function_declaration",
        "class_declaration",
        "class",
    }
)
LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})


@cache
def _parser(grammar: str) -> tree_sitter.Parser:
    if grammar == "javascript":
        import tree_sitter_javascript

        language = tree_sitter.Language(tree_sitter_javascript.language())
    else:
        import tree_sitter_typescript

        factory = (
            tree_sitter_typescript.language_tsx
            if grammar == "tsx"
            else tree_sitter_typescript.language_typescript
        )
        language = tree_sitter.Language(factory())
    return tree_sitter.Parser(language)


def grammar_for(name: str) -> str:
    if name.endswith(".tsx"):
        return "tsx"
    if name.endswith((".ts", ".mts", ".cts")):
        return "typescript"
    return "javascript"  # .js .jsx .mjs .cjs: the JavaScript grammar includes JSX


def parse(source: bytes, grammar: str) -> tree_sitter.Tree:
    return _parser(grammar).parse(source)


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def walk(root: Node) -> Iterator[Node]:
    """Every named node below `root` (punctuation and keywords skipped), depth first, without
    recursion."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.named_children))


def field(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)


def unwrap(node: Node | None) -> Node | None:
    """The expression inside parentheses, `await`, `x!`, `x as T`, `x satisfies T`."""
    while node is not None and node.type in (
        "parenthesized_expression",
        "await_expression",
        "non_null_expression",
        "as_expression",
        "satisfies_expression",
        "type_assertion",
    ):
        inner = [child for child in node.named_children if child.type != "comment"]
        node = (
            inner[-1] if node.type == "type_assertion" and inner else (inner[0] if inner else None)
        )
    return node


def string_value(node: Node | None) -> str | None:
    """The value of a string literal without escapes (module names, keys), else None."""
    if node is None or node.type != "string":
        return None
    return "".join(text(child) for child in node.named_children if child.type == "string_fragment")


def property_name(node: Node | None) -> str | None:
    """The name of an object key or member property: `a`, `"a"`, `#a`."""
    if node is None:
        return None
    if node.type in ("property_identifier", "private_property_identifier", "identifier"):
        return text(node)
    return string_value(node)


def object_pairs(node: Node | None) -> Iterator[tuple[str | None, Node]]:
    """(key, value) of an object literal: pairs, shorthand properties and spreads (key None)."""
    if node is None or node.type != "object":
        return
    for child in node.named_children:
        if child.type == "pair":
            value = field(child, "value")
            if value is not None:
                yield property_name(field(child, "key")), value
        elif child.type == "shorthand_property_identifier":
            yield text(child), child
        elif child.type == "spread_element" and child.named_children:
            yield None, child.named_children[0]


def arguments(call: Node) -> list[Node]:
    args = field(call, "arguments")
    if args is None:
        return []
    return [child for child in args.named_children if child.type != "comment"]


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent
