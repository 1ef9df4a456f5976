"""What one TypeScript/JavaScript file shows: SDK imports, bindings, clients, protection.

The semantics are the Python model's (scaffolder/lint/model.py): a receiver of `.messages.*`
is an Anthropic client unless the file shows it is something else (bound to another class's
constructor, annotated with another type, `this` of a class that is not a client); unannotated
parameters and factory results count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from enum import Enum
from typing import NamedTuple

from scaffolder.lint.config import Settings
from scaffolder.lint.typescript._tree import (
    FUNCTIONS,
    LOOPS,
    Node,
    ancestors,
    arguments,
    field,
    object_pairs,
    property_name,
    string_value,
    text,
    unwrap,
    walk,
)

SDK_PREFIX = "@anthropic-ai/"
#: `instanceof` classes a catch may retry that do not cover mid-body transport errors.
CONNECTION_ERRORS = frozenset({"APIConnectionError", "APIConnectionTimeoutError"})
#: Classes that include what node's fetch throws when a body is cut (`TypeError: terminated`).
TRANSPORT_ERRORS = frozenset({"Error", "TypeError"})
#: Promise-retry helpers that retry any error by default: a call inside their callback is
#: retried as a whole (a stream is re-requested, not continued, but nothing is lost).
RETRY_LIBRARIES = frozenset(
    {"p-retry", "async-retry", "exponential-backoff", "promise-retry", "ts-retry-promise"}
)
# The vendored runtime, however the project imports it: ./claudeStream, ../lib/claude-stream.js
_RUNTIME_MODULE = re.compile(r"(?:^|/)claude[-_]?stream(?:\.[cm]?[jt]sx?)?$", re.IGNORECASE)
_MAX_DEPTH = 8
_SCOPES = (
    frozenset({"program", "statement_block", "class_body", "for_statement", "for_in_statement"})
    | FUNCTIONS
)


class Kind(Enum):
    CLIENT = "client"
    OTHER = "other"
    UNKNOWN = "unknown"


class Origin(NamedTuple):
    kind: Kind
    custom_timeout: bool | None = None  # None: the file does not show it


class MessageCall(NamedTuple):
    """`<receiver>.messages.<method>` (or `.beta.messages.`); `call` is None for a reference."""

    member: Node
    method: str
    receiver: Node
    call: Node | None


class Protection(Enum):
    PROTECTED = "protected"
    CONNECTION_ONLY = "connection-only"  # SCF004: the loop retries APIConnectionError only


def _key(node: Node) -> tuple[int, int, str]:
    return (node.start_byte, node.end_byte, node.type)


class FileModel:
    def __init__(self, root: Node, settings: Settings) -> None:
        self.settings = settings
        self.imports_sdk = False
        self.client_classes: set[str] = set()
        self.sdk_namespaces: set[str] = set()
        self.recovery_names: set[str] = set(settings.recovery_functions)
        self.runtime_namespaces: set[str] = set()
        self.retry_helpers: set[str] = set()
        self.message_calls: list[MessageCall] = []
        self.client_constructions: list[Node] = []  # `new Anthropic(...)` and friends
        self.with_options: list[Node] = []  # `<x>.withOptions(...)` calls
        # (scope key, name) -> declarations: (value, type annotation)
        self._bindings: dict[
            tuple[tuple[int, int, str], str], list[tuple[Node | None, Node | None]]
        ]
        self._bindings = defaultdict(list)
        self.assigned: dict[str, list[Node]] = defaultdict(list)  # `x = ...` anywhere
        # class key -> field name -> (value, type annotation)
        self._fields: dict[tuple[int, int, str], dict[str, list[tuple[Node | None, Node | None]]]]
        self._fields = defaultdict(lambda: defaultdict(list))
        self._class_bases: dict[tuple[int, int, str], Node | None] = {}
        self._collect(root)
        self.message_calls = [c for c in self.message_calls if self.receiver_is_client(c.receiver)]

    # -- collection (one walk) --

    def _collect(self, root: Node) -> None:
        news: list[Node] = []
        with_options: list[Node] = []
        for node in walk(root):
            kind = node.type
            if kind == "import_statement":
                self._import(node)
            elif kind == "call_expression":
                self._call(node)
                func = unwrap(field(node, "function"))
                if (
                    func is not None
                    and func.type == "member_expression"
                    and property_name(field(func, "property")) == "withOptions"
                ):
                    with_options.append(node)
            elif kind == "new_expression":
                news.append(node)
            elif kind == "variable_declarator":
                self._declarator(node)
            elif kind == "assignment_expression":
                self._assignment(node)
            elif kind in ("required_parameter", "optional_parameter"):
                self._parameter(node)
            elif kind in ("public_field_definition", "field_definition"):
                self._field(node)
            elif kind in ("class_declaration", "class", "abstract_class_declaration"):
                self._class(node)
            elif kind == "member_expression":
                self._member(node)
        # Constructors are known once every import has been seen.
        self.client_constructions = [
            n for n in news if self.is_client_class(field(n, "constructor"))
        ]
        self.with_options = [
            call
            for call in with_options
            if (func := field(call, "function")) is not None
            and self.receiver_is_client(field(func, "object") or func)
        ]

    def _import(self, node: Node) -> None:
        source = string_value(field(node, "source"))
        if source is None:
            for child in node.named_children:  # `import x = require("...")`
                if child.type == "import_require_clause":
                    module = string_value(field(child, "source"))
                    name = child.named_children[0] if child.named_children else None
                    if module is not None and name is not None:
                        self._module_binding(module, default=text(name), namespace=text(name))
            return
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if source.startswith(SDK_PREFIX):
            self.imports_sdk = True
        if clause is None:
            return
        default: str | None = None
        namespace: str | None = None
        named: list[tuple[str, str]] = []
        for child in clause.named_children:
            if child.type == "identifier":
                default = text(child)
            elif child.type == "namespace_import":
                namespace = text(child.named_children[-1]) if child.named_children else None
            elif child.type == "named_imports":
                for spec in child.named_children:
                    if spec.type == "import_specifier":
                        imported = text(field(spec, "name"))
                        named.append((imported, text(field(spec, "alias")) or imported))
        self._module_binding(source, default=default, namespace=namespace, named=named)

    def _module_binding(
        self,
        source: str,
        *,
        default: str | None = None,
        namespace: str | None = None,
        named: list[tuple[str, str]] | None = None,
    ) -> None:
        named = named or []
        if source.startswith(SDK_PREFIX):
            self.imports_sdk = True
            if default:
                self.client_classes.add(default)
            if namespace:
                self.sdk_namespaces.add(namespace)
            for name, alias in named:
                if name.startswith("Anthropic") or name == "default":
                    self.client_classes.add(alias)
        elif _RUNTIME_MODULE.search(source):
            if namespace:
                self.runtime_namespaces.add(namespace)
            if default:
                self.runtime_namespaces.add(default)
            self.recovery_names.update(alias for _, alias in named)
        elif source in RETRY_LIBRARIES:
            if default:
                self.retry_helpers.add(default)
            self.retry_helpers.update(alias for _, alias in named)

    def _call(self, node: Node) -> None:
        func = field(node, "function")
        if func is None or func.type not in ("identifier", "import"):
            return
        if func.type == "identifier" and text(func) != "require":
            return
        args = arguments(node)
        module = string_value(args[0]) if args else None
        if module is None:
            return
        if module.startswith(SDK_PREFIX):
            self.imports_sdk = True
        # `const X = require(m)`, `const { A, B: C } = require(m)`, `require(m).Anthropic`
        target: Node | None = node
        parent = node.parent
        while parent is not None and parent.type in (
            "await_expression",
            "parenthesized_expression",
        ):
            target, parent = parent, parent.parent
        if parent is None or target is None:
            return
        if parent.type == "member_expression" and field(parent, "object") == target:
            member = property_name(field(parent, "property"))
            declarator = parent.parent
            if declarator is not None and declarator.type == "variable_declarator":
                name = field(declarator, "name")
                if name is not None and name.type == "identifier" and member:
                    if member in ("default", "Anthropic") or member.startswith("Anthropic"):
                        self._module_binding(module, default=text(name))
                    else:
                        self._module_binding(module, named=[(member, text(name))])
            return
        if parent.type != "variable_declarator":
            return
        name = field(parent, "name")
        if name is None:
            return
        if name.type == "identifier":
            # CommonJS: the module object, also callable/constructible as the client class.
            self._module_binding(module, default=text(name), namespace=text(name))
        elif name.type == "object_pattern":
            named = []
            for child in name.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    named.append((text(child), text(child)))
                elif child.type == "pair_pattern":
                    key = property_name(field(child, "key"))
                    value = field(child, "value")
                    if key and value is not None and value.type == "identifier":
                        named.append((key, text(value)))
            self._module_binding(module, named=named)

    def _declarator(self, node: Node) -> None:
        name = field(node, "name")
        if name is not None and name.type == "identifier":
            scope = _scope_of(node)
            if scope is not None:
                self._bindings[(_key(scope), text(name))].append(
                    (field(node, "value"), field(node, "type"))
                )

    def _assignment(self, node: Node) -> None:
        left, right = field(node, "left"), field(node, "right")
        if left is None or right is None:
            return
        if left.type == "identifier":
            self.assigned[text(left)].append(right)
        elif left.type == "member_expression" and _is_this(field(left, "object")):
            cls = _enclosing_class(node)
            name = property_name(field(left, "property"))
            if cls is not None and name:
                self._fields[_key(cls)][name].append((right, None))

    def _parameter(self, node: Node) -> None:
        pattern = field(node, "pattern")
        if pattern is None or pattern.type != "identifier":
            return
        annotation = field(node, "type")
        function = node.parent.parent if node.parent is not None else None
        if function is not None:
            self._bindings[(_key(function), text(pattern))].append(
                (field(node, "value"), annotation)
            )
        # `constructor(private client: Anthropic)`: also a field of the class
        if any(child.type == "accessibility_modifier" for child in node.children) or any(
            text(child) == "readonly" for child in node.children
        ):
            cls = _enclosing_class(node)
            if cls is not None:
                self._fields[_key(cls)][text(pattern)].append((None, annotation))

    def _field(self, node: Node) -> None:
        cls = _enclosing_class(node)
        name = property_name(field(node, "name") or field(node, "property"))
        if cls is not None and name:
            self._fields[_key(cls)][name].append((field(node, "value"), field(node, "type")))

    def _class(self, node: Node) -> None:
        base = None
        for child in node.named_children:
            if child.type == "class_heritage":
                for clause in walk(child):
                    if clause.type == "extends_clause":
                        base = field(clause, "value") or (
                            clause.named_children[0] if clause.named_children else None
                        )
                        break
                else:
                    # JavaScript: `class_heritage` holds the expression itself
                    expressions = [c for c in child.named_children if c.type != "comment"]
                    base = expressions[0] if expressions else None
        self._class_bases[_key(node)] = base

    def _member(self, node: Node) -> None:
        method = property_name(field(node, "property"))
        if method not in ("stream", "create"):
            return
        messages = unwrap(field(node, "object"))
        if messages is None or messages.type != "member_expression":
            return
        if property_name(field(messages, "property")) != "messages":
            return
        receiver = unwrap(field(messages, "object"))
        if receiver is None:
            return
        if (
            receiver.type == "member_expression"
            and property_name(field(receiver, "property")) == "beta"
        ):
            receiver = unwrap(field(receiver, "object"))
            if receiver is None:
                return
        if _in_type(node):
            return
        parent = node.parent
        call = None
        if (
            parent is not None
            and parent.type == "call_expression"
            and field(parent, "function") == node
        ):
            call = parent
        elif not _is_used_reference(node):
            return
        self.message_calls.append(MessageCall(node, method, receiver, call))

    # -- questions --

    def is_client_class(self, node: Node | None) -> bool:
        node = unwrap(node)
        if node is None:
            return False
        if node.type == "identifier":
            return text(node) in self.client_classes
        if node.type == "member_expression":
            obj = unwrap(field(node, "object"))
            prop = property_name(field(node, "property")) or ""
            return (
                obj is not None
                and obj.type == "identifier"
                and text(obj) in (self.sdk_namespaces | self.client_classes)
                and (prop == "default" or prop.startswith("Anthropic"))
            )
        return False

    def receiver_is_client(self, receiver: Node) -> bool:
        origins = self.origins(receiver)
        return not origins or any(o.kind is not Kind.OTHER for o in origins)

    def client_has_custom_timeout(self, receiver: Node) -> bool | None:
        values = {o.custom_timeout for o in self.origins(receiver) if o.kind is not Kind.OTHER}
        if True in values:
            return True
        if None in values or not values:
            return None
        return False

    def origins(self, expr: Node | None, depth: int = 0) -> list[Origin]:
        return list(dict.fromkeys(self._origins(expr, depth)))

    def _origins(self, expr: Node | None, depth: int) -> list[Origin]:
        node = unwrap(expr)
        if node is None or depth > _MAX_DEPTH:
            return [Origin(Kind.UNKNOWN)]
        kind = node.type
        if kind in ("null", "undefined"):
            return []
        if kind in ("object", "array", "string", "number", "template_string"):
            return [Origin(Kind.OTHER)]  # a literal (a test double's `{ messages: ... }`)
        if kind == "new_expression":
            if not self.is_client_class(field(node, "constructor")):
                return [Origin(Kind.OTHER)]
            return [Origin(Kind.CLIENT, _has_timeout(arguments(node)))]
        if kind == "call_expression":
            func = unwrap(field(node, "function"))
            if func is not None and self.is_client_class(func):
                return [Origin(Kind.CLIENT, _has_timeout(arguments(node)))]
            if (
                func is not None
                and func.type == "member_expression"
                and property_name(field(func, "property")) == "withOptions"
            ):
                inner = self.origins(field(func, "object"), depth + 1)
                if _has_timeout(arguments(node)):
                    return [o._replace(custom_timeout=True) for o in inner]
                return inner
            return [Origin(Kind.UNKNOWN)]
        if kind == "identifier":
            if text(node) == "undefined":
                return []
            result: list[Origin] = []
            for value, annotation in self.lookup(node):
                if annotation is not None:
                    result.extend(self._type_origins(annotation))
                elif value is not None:
                    result.extend(self.origins(value, depth + 1))
                else:
                    result.append(Origin(Kind.UNKNOWN))
            for value in self.assigned.get(text(node), []):
                result.extend(self.origins(value, depth + 1))
            return result or [Origin(Kind.UNKNOWN)]
        if kind == "this":
            cls = _enclosing_class(node)
            if cls is None:
                return [Origin(Kind.UNKNOWN)]
            return [Origin(Kind.CLIENT if self._is_client_subclass(cls) else Kind.OTHER)]
        if kind == "member_expression":
            obj = unwrap(field(node, "object"))
            if _is_this(obj):
                cls = _enclosing_class(node)
                name = property_name(field(node, "property")) or ""
                if cls is None:
                    return [Origin(Kind.UNKNOWN)]
                result = []
                for value, annotation in self._fields.get(_key(cls), {}).get(name, []):
                    if annotation is not None:
                        result.extend(self._type_origins(annotation))
                    elif value is not None:
                        result.extend(self.origins(value, depth + 1))
                return result or [Origin(Kind.UNKNOWN)]
            root = obj
            while root is not None and root.type == "member_expression":
                root = unwrap(field(root, "object"))
            if root is not None and root.type == "identifier":
                inner = self.origins(root, depth + 1)
                if inner and all(o.kind is Kind.OTHER for o in inner):
                    return [Origin(Kind.OTHER)]
            return [Origin(Kind.UNKNOWN)]
        if kind == "ternary_expression":
            return self.origins(field(node, "consequence"), depth + 1) + self.origins(
                field(node, "alternative"), depth + 1
            )
        if kind == "binary_expression" and text(field(node, "operator")) in ("??", "||", "&&"):
            return self.origins(field(node, "left"), depth + 1) + self.origins(
                field(node, "right"), depth + 1
            )
        return [Origin(Kind.UNKNOWN)]

    def _type_origins(self, annotation: Node) -> list[Origin]:
        node: Node | None = annotation
        if node is not None and node.type == "type_annotation":
            node = node.named_children[0] if node.named_children else None
        if node is None:
            return [Origin(Kind.UNKNOWN)]
        kind = node.type
        if kind == "type_identifier":
            name = text(node)
            return [Origin(Kind.CLIENT if name in self.client_classes else Kind.OTHER)]
        if kind == "nested_type_identifier":
            module = node.named_children[0] if node.named_children else None
            name = text(node.named_children[-1]) if node.named_children else ""
            if (
                module is not None
                and text(module) in (self.sdk_namespaces | self.client_classes)
                and name.startswith("Anthropic")
            ):
                return [Origin(Kind.CLIENT)]
            return [Origin(Kind.OTHER)]
        if kind == "union_type":
            result: list[Origin] = []
            for member in node.named_children:
                if member.type == "literal_type" or text(member) in ("null", "undefined"):
                    continue
                result.extend(self._type_origins(member))
            return result
        if kind == "parenthesized_type" and node.named_children:
            return self._type_origins(node.named_children[0])
        return [Origin(Kind.UNKNOWN)]  # any, unknown, generics, typeof ...

    def lookup(self, name: Node) -> list[tuple[Node | None, Node | None]]:
        identifier = text(name)
        for scope in ancestors(name):
            found = self._bindings.get((_key(scope), identifier))
            if found:
                return found
        return []

    def _is_client_subclass(self, cls: Node) -> bool:
        return self.is_client_class(self._class_bases.get(_key(cls)))

    # -- protection --

    def protection(self, node: Node) -> Protection | None:
        """How the call (or reference) at `node` is protected, if it is."""
        found: Protection | None = None
        crossed_function = False
        previous = node
        for ancestor in ancestors(node):
            kind = ancestor.type
            if kind == "call_expression" and previous.type == "arguments":
                if self._is_recovery(field(ancestor, "function")):
                    return Protection.PROTECTED
            elif kind == "try_statement" and not crossed_function:
                if field(ancestor, "body") == previous:
                    retry = self._retry_loop(ancestor)
                    if retry is Protection.PROTECTED:
                        return retry
                    found = found or retry
            elif kind in FUNCTIONS:
                crossed_function = True
            previous = ancestor
        return found

    def _is_recovery(self, func: Node | None) -> bool:
        func = unwrap(func)
        if func is None:
            return False
        if func.type == "identifier":
            name = text(func)
            return name in self.recovery_names or name in self.retry_helpers
        if func.type == "member_expression":
            obj = unwrap(field(func, "object"))
            prop = property_name(field(func, "property")) or ""
            if (
                obj is not None
                and obj.type == "identifier"
                and text(obj) in self.runtime_namespaces
            ):
                return True
            return text(func) in self.recovery_names or prop in self.settings.recovery_functions
        return False

    def _retry_loop(self, try_node: Node) -> Protection | None:
        """A loop around `try_node` whose success path leaves and whose catch goes round."""
        loop = None
        inside = try_node
        for ancestor in ancestors(try_node):
            if ancestor.type in LOOPS:
                loop = ancestor
                break
            if ancestor.type in FUNCTIONS:
                return None
            inside = ancestor
        if loop is None:
            return None
        handler = field(try_node, "handler")
        if handler is None:
            return None  # try/finally
        body = field(try_node, "body")
        # The statements after the try in the loop body: `try { ... } catch { ... } break;`
        rest_exits = False
        if inside.type == "statement_block":
            after = False
            for statement in inside.named_children:
                if after and _exits(statement):
                    rest_exits = True
                after = after or _contains(statement, try_node)
        if not (body is not None and _leaves(body)) and not rest_exits:
            return None  # e.g. a message loop: success waits for the next one
        if rest_exits and not _has_continue(field(handler, "body")):
            return None  # the catch falls through to the exit after the try
        return _catch_retries(handler)


# Where a method reference is taken to be called later: `const f = client.messages.stream`,
# `run(client.messages.stream)`, `client.messages.stream.bind(...)`. Not: a mock's
# `client.messages.stream.mockReturnValue(...)`, `expect(client.messages.stream)`, an
# assignment to it, `typeof`.
_REFERENCE_PARENTS = frozenset({"return_statement", "pair", "array", "arrow_function"})
_TEST_HELPERS = ("expect", "assert", "vi.", "jest.", "mocked", "sinon.")


def _is_used_reference(node: Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    kind = parent.type
    if kind == "assignment_expression":
        return field(parent, "right") == node
    if kind == "member_expression":
        return property_name(field(parent, "property")) in ("bind", "call", "apply")
    if kind == "arguments":
        call = parent.parent
        callee = text(field(call, "function")) if call is not None else ""
        return not callee.startswith(_TEST_HELPERS)
    if kind == "variable_declarator":
        return field(parent, "value") == node
    return kind in _REFERENCE_PARENTS


def _has_timeout(args: list[Node]) -> bool | None:
    """Whether the options object (first argument) sets `timeout`; None if it cannot be seen."""
    if not args:
        return False
    options = unwrap(args[0])
    if options is None or options.type != "object":
        return None
    keys = [key for key, _ in object_pairs(options)]
    if None in keys:
        return None  # a spread may carry one
    return "timeout" in keys


def _scope_of(node: Node) -> Node | None:
    for ancestor in ancestors(node):
        if ancestor.type in _SCOPES:
            return ancestor
    return None


def _is_this(node: Node | None) -> bool:
    return node is not None and node.type == "this"


def _enclosing_class(node: Node) -> Node | None:
    for ancestor in ancestors(node):
        if ancestor.type in ("class_declaration", "class", "abstract_class_declaration"):
            return ancestor
    return None


def _in_type(node: Node) -> bool:
    """Inside a type (`typeof client.messages.stream`): not a call or a reference."""
    for ancestor in ancestors(node):
        if ancestor.type in ("type_annotation", "type_query", "type_alias_declaration"):
            return True
        if ancestor.type in ("statement_block", "program"):
            return False
    return False


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _statements(block: Node) -> list[Node]:
    return [child for child in block.named_children if child.type != "comment"]


def _leaves(body: Node) -> bool:
    """A `break` or `return` in `body` that leaves the enclosing loop (not an inner one's)."""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "return_statement":
            return True
        if node.type == "break_statement" and field(node, "label") is None:
            return True
        if node.type in FUNCTIONS or node.type in LOOPS or node.type == "switch_statement":
            continue
        stack.extend(node.named_children)
    return False


def _exits(node: Node) -> bool:
    """Whether `node` (a statement) always throws, returns or breaks."""
    if node.type in ("throw_statement", "return_statement", "break_statement"):
        return True
    if node.type == "statement_block":
        return any(_exits(statement) for statement in _statements(node))
    return False


def _has_throw(node: Node | None) -> bool:
    if node is None:
        return False
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "throw_statement":
            return True
        if current.type in FUNCTIONS:
            continue
        stack.extend(current.named_children)
    return False


def _class_name(node: Node | None) -> str:
    node = unwrap(node)
    if node is not None and node.type == "member_expression":
        return property_name(field(node, "property")) or ""
    return text(node)


def _catch_retries(handler: Node) -> Protection | None:
    """PROTECTED when the catch goes round for transport errors, CONNECTION_ONLY when it goes
    round only for `APIConnectionError`, None when it leaves (rethrows, returns, breaks)."""
    body = field(handler, "body")
    if body is None:
        return None
    parameter = field(handler, "parameter")
    name = text(parameter) if parameter is not None and parameter.type == "identifier" else None
    statements = _statements(body)
    exit_at = next((i for i, s in enumerate(statements) if _exits(s)), None)
    if exit_at is not None:
        # `if (e instanceof C) { ...; continue; } throw e;`: only what an earlier `if` sends
        # round with `continue` is retried.
        rounds = [
            s
            for s in statements[:exit_at]
            if s.type == "if_statement" and _has_continue(field(s, "consequence"))
        ]
        if not rounds:
            return None
        retried = {
            cls
            for s in rounds
            for cls, negated in _instanceof_tests(field(s, "condition"), name)
            if not negated
        }
        return _classify(retried)
    if not _has_throw(body):
        return Protection.PROTECTED  # catches everything and goes round
    retried = set()
    for node in walk(body):
        if node.type != "binary_expression" or text(field(node, "operator")) != "instanceof":
            continue
        left = unwrap(field(node, "left"))
        if name is None or left is None or text(left) != name:
            continue
        cls = _class_name(field(node, "right"))
        statement, negated = _condition_of(node, body)
        if statement is None:
            continue
        then_throws = _has_throw(field(statement, "consequence"))
        else_throws = _has_throw(field(statement, "alternative"))
        if negated and then_throws:
            retried.add(cls)  # `if (!(e instanceof C)) throw e`: only C goes round
        elif not negated and not then_throws and (else_throws or _throw_follows(statement, body)):
            retried.add(cls)  # `if (e instanceof C) { ... } else throw e`
    return _classify(retried)


def _classify(retried: set[str]) -> Protection | None:
    """What a catch that goes round only for `retried` classes (empty: for all) protects."""
    if not retried or retried & TRANSPORT_ERRORS:
        return Protection.PROTECTED  # rethrows some errors, retries the rest
    if retried <= CONNECTION_ERRORS:
        return Protection.CONNECTION_ONLY
    return None  # retries other errors only (e.g. RateLimitError): not a transport retry


def _has_continue(node: Node | None) -> bool:
    if node is None:
        return False
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "continue_statement":
            return True
        if current.type in FUNCTIONS or current.type in LOOPS:
            continue
        stack.extend(current.named_children)
    return False


def _instanceof_tests(condition: Node | None, name: str | None) -> list[tuple[str, bool]]:
    """(class, negated) of each `name instanceof Class` in `condition`."""
    if condition is None or name is None:
        return []
    tests = []
    for node in walk(condition):
        if node.type != "binary_expression" or text(field(node, "operator")) != "instanceof":
            continue
        left = unwrap(field(node, "left"))
        if left is None or text(left) != name:
            continue
        negated = False
        for ancestor in ancestors(node):
            if ancestor == condition:
                break
            if ancestor.type == "unary_expression" and text(field(ancestor, "operator")) == "!":
                negated = not negated
        tests.append((_class_name(field(node, "right")), negated))
    return tests


def _condition_of(test: Node, body: Node) -> tuple[Node | None, bool]:
    """The `if` whose condition holds `test`, and whether the test is negated there."""
    negated = False
    previous = test
    for ancestor in ancestors(test):
        if ancestor == body:
            return None, False
        if ancestor.type == "unary_expression" and text(field(ancestor, "operator")) == "!":
            negated = not negated
        if ancestor.type == "if_statement":
            if field(ancestor, "condition") == previous:
                return ancestor, negated
            return None, False
        previous = ancestor
    return None, False


def _throw_follows(statement: Node, body: Node) -> bool:
    after = False
    for sibling in _statements(body):
        if after and sibling.type == "throw_statement":
            return True
        after = after or sibling == statement
    return False
