"""The common fixes as edits of the file's text, found from the `ast` tree (ruff's model).

What it does: when every fixable finding of a file is an SCF001 in a safe form (a `with` /
`async with` / assigned `client.messages.stream(...)` whose stream is only read through
members the recovering stream has), an SCF003 with a literal read timeout or an SCF100 (an
unused code in a `# noqa` comment), `fix_text`
computes each fix as character ranges of the text from the `ast` node positions
(`lineno`/`col_offset` are UTF-8 byte offsets: converted per line), applies the edits, adds
or merges the `from <runtime> import ...` line, re-lints, in the engine's rounds (two
overlapping fixes are applied one per round), and compiles the result (never broken). The
tree is the one the lint just parsed when it kept it (`_trees`).

Why: importing libcst costs more than a whole plain `scaffold lint` of a large tree
(bench/fix_bench.py), and these fixes change a few characters at places `ast` names exactly.

Anything this module is not certain to fix exactly as the libcst fixers do (another fixable
code, a refused or unsafe fix, parentheses or comments where an edit goes, a header import
it cannot merge on one line) makes `fix_text` return None, and the libcst engine
(`_engine.py`) fixes the file from the start. So the two paths give the same bytes, fixes and
remaining findings; tests/lint/test_fix_text.py checks it on every fixture.

Example: `with client.messages.stream(model=m) as s:` -> the edits `client.messages.stream`
-> `recovering_stream` and, after `(`, insert `client, `; then
`from pkg.claude_stream import recovering_stream` after the file's leading imports.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix import _trees
from scaffolder.lint.fix._regions import (
    first_line,
    header_end,
    newline_of,
    shares_a_line,
    split_lines,
)
from scaffolder.lint.fix._runtime import STREAM_MEMBERS, Runtime, find_runtime
from scaffolder.lint.fix._source import compiles, decode
from scaffolder.lint.fix._types import TextEdit, TextFix
from scaffolder.lint.rules.scf100 import unused_codes, without_unused

if TYPE_CHECKING:
    from scaffolder.lint.fix import FileFix

#: The codes with text fixes.
TEXT_CODES = frozenset({"SCF001", "SCF003", "SCF100"})

_DOTTED = re.compile(r"\w+(?:\.\w+)*")
_OPEN_PAREN = re.compile(r"[ \t]*\(")
_BLANK = re.compile(r"[ \t\f\r\n]*")
_MULTILINE = re.compile(r"[ \t\f]*[\r\n]")  # libcst's ParenthesizedWhitespace
_KEYWORD = re.compile(r"\w+[ \t]*=[ \t]*")
_ASSIGN = re.compile(r"[ \t]*=[ \t]*")
_COMMA = re.compile(r"[ \t]*,[ \t]*")
_WITH = re.compile(r"with[ \t]+")
_ASYNC_WITH = re.compile(r"async[ \t]+with[ \t]+")


class _Unsure(Exception):
    """The text path cannot promise the libcst fixers' result: let them fix the file."""


def fix_text(
    source: bytes,
    path: Path,
    settings: Settings,
    *,
    runtime: Runtime | str | None,
    only: Collection[Diagnostic] | None,
    diagnostics: list[Diagnostic],
    fixable: Collection[str],
) -> FileFix | None:
    """`fix_source` for a file whose fixable findings all have text fixes (see the module), or
    None: then the libcst engine fixes it.

    The rounds are the engine's (`_engine.fix_file`): the fixes whose targets do not overlap
    one taken before them, the import, a re-lint, until nothing fixable is left."""
    from scaffolder.lint.fix import MAX_ROUNDS, FileFix

    decoded = decode(source)
    if decoded is None:
        return None
    result = FileFix(path, source, source)
    text = decoded.text
    tree = _trees.take(path, text)
    try:
        for _ in range(MAX_ROUNDS if only is None else 1):
            wanted = [d for d in diagnostics if d.code in fixable and (only is None or d in only)]
            if not wanted:
                break
            if any(d.code not in TEXT_CODES for d in wanted):
                raise _Unsure
            if runtime is None and any(d.code == "SCF001" for d in wanted):
                runtime = find_runtime(path)
            current = _Text(text, tree)
            chosen = _choose(current, [(d, _fix(current, d, settings, runtime)) for d in wanted])
            text = _edited(current, chosen, runtime)
            tree = _parse(text)  # (the engine's check of each round)
            result.new = decoded.encode(text)
            result.applied.extend(sorted(chosen, key=lambda pair: pair[0]))
            if len(chosen) == len(diagnostics):
                diagnostics = []  # all fixed
                break
            from scaffolder.lint.engine import lint_source

            diagnostics = lint_source(result.new, path, settings)
            tree = _trees.take(path, text) or tree
    except (_Unsure, SyntaxError, ValueError, RecursionError, MemoryError, IndexError):
        return None  # (ValueError covers UnicodeEncodeError: a name the encoding cannot hold)
    if not result.changed or not compiles(result.new, path):
        return None
    result.remaining = diagnostics
    return result


def _choose(
    text: _Text, proposed: list[tuple[Diagnostic, TextFix]]
) -> list[tuple[Diagnostic, TextFix]]:
    """The fixes of this round: each one whose target overlaps none taken before it (the
    engine's `_choose`; the others come back in the next round)."""
    chosen: list[tuple[Diagnostic, TextFix]] = []
    for diagnostic, fix in proposed:
        if not any(_overlap(fix.target, taken.target) for _, taken in chosen):
            chosen.append((diagnostic, fix))
    return chosen


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    contains = (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])
    return contains or (a[0] < b[1] and b[0] < a[1])


def _edited(text: _Text, chosen: list[tuple[Diagnostic, TextFix]], runtime: object) -> str:
    """The text with the chosen fixes and the runtime import they need."""
    edits = [edit for _, fix in chosen for edit in fix.edits]
    names = {name for _, fix in chosen for name in fix.imports}
    if not names:
        new_text = text.edited(edits)
    elif min(edit.start for edit in edits) >= _header_length(text, _module(runtime)):
        edit = _import_edit(text, _module(runtime), names)  # the header did not move
        new_text = text.edited([*edits, *([edit] if edit else [])])
    else:  # an edit in the header: find it again in the edited text (as the engine)
        edited = _Text(text.edited(edits))
        edit = _import_edit(edited, _module(runtime), names)
        new_text = edited.edited([edit] if edit else [])
    if new_text == text.text:
        raise _Unsure
    return new_text


def _module(runtime: object) -> str:
    assert isinstance(runtime, Runtime)  # (fixes that import exist only with a runtime)
    return runtime.module


def _fix(text: _Text, diagnostic: Diagnostic, settings: Settings, runtime: object) -> TextFix:
    if diagnostic.code == "SCF001":
        if not isinstance(runtime, Runtime):
            raise _Unsure  # the engine says why in the hint
        return _recovering_stream(text, diagnostic, runtime)
    if diagnostic.code == "SCF100":
        return _unused_noqa(text, diagnostic)
    return _min_timeout(text, diagnostic, settings)


def _parse(text: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes: the lint reported them
        return ast.parse(text)


def _first_line(node: ast.AST) -> int | None:
    """The node's first line, its decorators' included (the `def` line is its `lineno`)."""
    first: int | None = getattr(node, "lineno", None)
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min(first, *(d.lineno for d in decorators)) if first and decorators else first


class _Text:
    """The text, its `ast` tree, and the character offset of an `ast` position."""

    def __init__(self, text: str, tree: ast.Module | None = None) -> None:
        """`tree`: the one the lint parsed from `text`, when it kept it (`_trees`)."""
        self.text = text
        self.tree = tree if tree is not None else _parse(text)
        self.lines = split_lines(text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        #: child -> parent, for the nodes on the way to a finding and in the scopes walked
        self.parents: dict[ast.AST, ast.AST] = {}
        self._walked: set[ast.AST] = set()

    def offset(self, line: int, column: int) -> int:
        """The character offset of `line` (1-based) and `column` (UTF-8 bytes)."""
        text = self.lines[line - 1]
        if not text.isascii():
            column = len(text.encode("utf-8")[:column].decode("utf-8"))
        return self.starts[line - 1] + column

    def start(self, node: ast.expr | ast.stmt | ast.keyword | ast.alias) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: ast.expr | ast.stmt | ast.keyword | ast.alias) -> int:
        assert node.end_lineno is not None
        assert node.end_col_offset is not None
        return self.offset(node.end_lineno, node.end_col_offset)

    def node_at(self, diagnostic: Diagnostic) -> ast.expr:
        """The outermost expression spanning exactly the finding's range (columns in
        characters, as the libcst positions are). Only the nodes around the finding's lines
        are visited: walking a whole large module costs more than parsing it."""
        line, end_line = diagnostic.line, diagnostic.end_line or diagnostic.line
        start = self.starts[line - 1] + diagnostic.col - 1
        end = self.starts[end_line - 1] + (diagnostic.end_col or diagnostic.col) - 1
        stack: list[ast.AST] = [self.tree]
        while stack:
            node = stack.pop()
            for child in ast.iter_child_nodes(node):
                first = _first_line(child)
                last = getattr(child, "end_lineno", None)
                if first is not None and not (first <= line and (last or first) >= end_line):
                    continue
                self.parents[child] = node
                if (
                    isinstance(child, ast.expr)
                    and (first, last) == (line, end_line)
                    and (self.start(child), self.end(child)) == (start, end)
                ):
                    return child  # checked before its children: the outermost
                stack.append(child)
        raise _Unsure

    def edited(self, edits: Iterable[TextEdit]) -> str:
        text = self.text
        for edit in sorted(edits, reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
        return text

    # -- names, as FixContext.uses_after sees them -------------------------------------------

    def scope(self, node: ast.AST) -> ast.AST:
        """The function whose names `node` uses, or the module."""
        parent = self.parents.get(node)
        while parent is not None:
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return parent
            if isinstance(parent, ast.ClassDef):
                raise _Unsure  # the engine's scope is the class statement's lines then
            parent = self.parents.get(parent)
        return self.tree

    def in_async_function(self, node: ast.AST) -> bool:
        parent = self.parents.get(node)
        while parent is not None and not isinstance(
            parent, (ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            parent = self.parents.get(parent)
        return isinstance(parent, ast.AsyncFunctionDef)

    def uses_after(self, name: str, node: ast.stmt) -> list[ast.Name]:
        """The `Name`s spelling `name` in `node`'s scope that start after `node` starts.

        libcst also has a `Name` where `ast` keeps a string (`def name`, a parameter, `global
        name`, `import name`, a match capture): such a spelling after `node` makes the
        verdict the engine's. `except E as name` and `import x as name` rebind (skipped, as
        the engine skips them); attribute names and keywords are labels, never uses.
        """
        after = (node.lineno, node.col_offset)
        found = []
        for candidate in self._walk(self.scope(node)):
            if isinstance(candidate, ast.Name):
                if candidate.id == name and (candidate.lineno, candidate.col_offset) > after:
                    found.append(candidate)
            elif not isinstance(candidate, (ast.Constant, ast.Attribute, ast.keyword)):
                self._check_spellings(candidate, name, after)
        return found

    def _walk(self, root: ast.AST) -> list[ast.AST]:
        """Every node below `root`, their parents recorded."""
        nodes = list(ast.walk(root))
        if root not in self._walked:
            self._walked.add(root)
            for node in nodes:
                for child in ast.iter_child_nodes(node):
                    self.parents[child] = node
        return nodes

    def _check_spellings(self, node: ast.AST, name: str, after: tuple[int, int]) -> None:
        for field, value in ast.iter_fields(node):
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, str) or name not in item.split("."):
                    continue
                if (isinstance(node, ast.alias) and field == "asname") or isinstance(
                    node, ast.ExceptHandler
                ):
                    continue  # `as name`: a rebinding
                position = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
                if position == (0, 0) or position > after:
                    raise _Unsure

    def is_rebinding(self, name: ast.Name) -> bool:
        """`name` as an assignment target, an `as` name or a `for` target."""
        parent = self.parents.get(name)
        return (
            (isinstance(parent, ast.Assign) and any(t is name for t in parent.targets))
            or (isinstance(parent, ast.withitem) and parent.optional_vars is name)
            or (isinstance(parent, (ast.For, ast.AsyncFor)) and parent.target is name)
        )


# -- SCF001 ------------------------------------------------------------------------------------


def _recovering_stream(text: _Text, diagnostic: Diagnostic, runtime: Runtime) -> TextFix:
    """scf001.fix, for the safe forms: `client.messages.stream(...)` -> `recovering_stream(
    client, ...)` (or `async_recovering_stream`)."""
    call = text.node_at(diagnostic)
    if not isinstance(call, ast.Call):
        raise _Unsure
    func = call.func
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "messages"
    ):
        raise _Unsure
    receiver = func.value.value
    if isinstance(receiver, ast.Attribute) and receiver.attr == "beta":
        raise _Unsure  # no fix: the engine says why
    name = "async_recovering_stream" if _safe_use_is_async(text, call) else "recovering_stream"
    return TextFix(
        "SCF001",
        title=f"use `{name}(...)` from {runtime.module}",
        target=(text.start(call), text.end(call)),
        edits=_runtime_call(text, call, receiver, name),
        imports=(name,),
    )


def _runtime_call(
    text: _Text, call: ast.Call, receiver: ast.expr, name: str
) -> tuple[TextEdit, ...]:
    """_context.runtime_call as edits: the function becomes `name`, `receiver` the first
    argument (on a line of its own when the arguments are laid out one per line)."""
    source = text.text
    start, func_end = text.start(call), text.end(call.func)
    receiver_end = text.end(receiver)
    if text.start(receiver) != start or not _DOTTED.fullmatch(source, start, receiver_end):
        raise _Unsure  # a parenthesized or spaced-out client: kept verbatim by the engine
    assert isinstance(call.func, ast.Attribute)
    if source[receiver_end:func_end] != f".messages.{call.func.attr}":
        raise _Unsure
    paren = _OPEN_PAREN.match(source, func_end)
    if paren is None:
        raise _Unsure
    arguments: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    if any(isinstance(argument, ast.GeneratorExp) for argument in call.args):
        raise _Unsure  # `f(x for x in y)`: the parentheses are the generator's
    first = min((text.start(a) for a in arguments), default=text.end(call) - 1)
    before_args = source[paren.end() : first]
    if not _BLANK.fullmatch(before_args) or (not arguments and source[first] != ")"):
        raise _Unsure  # a comment after `(`: the engine's result repeats it
    if arguments:
        separator = before_args if _MULTILINE.match(before_args) else " "
        inserted = f"{source[start:receiver_end]},{separator}"
    else:
        inserted = source[start:receiver_end]
    return TextEdit(start, func_end, name), TextEdit(first, first, inserted)


def _safe_use_is_async(text: _Text, call: ast.Call) -> bool:
    """scf001._uses_verdict when it finds the fix safe: whether the code is async."""
    parent = text.parents.get(call)
    if isinstance(parent, ast.withitem) and parent.context_expr is call:
        statement = text.parents.get(parent)
        assert isinstance(statement, (ast.With, ast.AsyncWith))
        _check_bare_with_item(text, statement, parent)
        return _with_is_async(text, statement, parent)
    if (
        isinstance(parent, ast.Assign)
        and parent.value is call
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        target = parent.targets[0]
        if not _ASSIGN.fullmatch(text.text, text.end(target), text.start(call)) or text.end(
            parent
        ) != text.end(call):
            raise _Unsure  # `= (client.messages.stream(...))`
        return _manager_is_async(text, parent, target.id, text.in_async_function(call))
    raise _Unsure  # the engine's fix is unsafe here


def _check_bare_with_item(
    text: _Text, statement: ast.With | ast.AsyncWith, item: ast.withitem
) -> None:
    """`with client.messages.stream(...)` with nothing but blanks and commas around the call
    (no parentheses: the engine would see `(call)` or a tuple)."""
    source = text.text
    items = statement.items
    keyword = _ASYNC_WITH if isinstance(statement, ast.AsyncWith) else _WITH
    if not keyword.fullmatch(source, text.start(statement), text.start(items[0].context_expr)):
        raise _Unsure
    index = next(i for i, candidate in enumerate(items) if candidate is item)
    if index:
        previous = items[index - 1]
        end = text.end(previous.optional_vars or previous.context_expr)
        if not _COMMA.fullmatch(source, end, text.start(item.context_expr)):
            raise _Unsure


def _with_is_async(text: _Text, statement: ast.With | ast.AsyncWith, item: ast.withitem) -> bool:
    """scf001.with_verdict when safe."""
    is_async = isinstance(statement, ast.AsyncWith)
    target = item.optional_vars
    if target is None:
        return is_async
    if not isinstance(target, ast.Name):
        raise _Unsure
    _check_stream_uses(text, statement, target.id)
    return is_async


def _check_stream_uses(text: _Text, statement: ast.stmt, stream: str) -> None:
    """scf001._stream_verdict when safe: every later use reads a member the recovering stream
    has, or rebinds the name."""
    for use in text.uses_after(stream, statement):
        parent = text.parents.get(use)
        if isinstance(parent, ast.Attribute) and parent.value is use:
            if parent.attr in STREAM_MEMBERS:
                continue
            raise _Unsure  # no fix: the engine names the member
        if not text.is_rebinding(use):
            raise _Unsure  # raw events (no fix) or handed on (unsafe): the engine's


def _manager_is_async(text: _Text, assign: ast.Assign, manager: str, is_async: bool) -> bool:
    """scf001._manager_verdict when safe: each later use enters the manager with `with`."""
    kinds = set()
    for use in text.uses_after(manager, assign):
        item = text.parents.get(use)
        if isinstance(item, ast.withitem) and item.context_expr is use:
            statement = text.parents.get(item)
            assert isinstance(statement, (ast.With, ast.AsyncWith))
            kinds.add(_with_is_async(text, statement, item))
        elif not text.is_rebinding(use):
            raise _Unsure
    if len(kinds) > 1:
        raise _Unsure  # the engine takes the last `with` it walks
    return kinds.pop() if kinds else is_async


# -- SCF003 ------------------------------------------------------------------------------------


def _min_timeout(text: _Text, diagnostic: Diagnostic, settings: Settings) -> TextFix:
    """scf003.fix when the read timeout is a number written at the finding."""
    node = text.node_at(diagnostic)
    keyword = text.parents.get(node)
    if not isinstance(keyword, ast.keyword) or keyword.value is not node:
        raise _Unsure
    start, end = text.start(node), text.end(node)
    if text.end(keyword) != end or not _KEYWORD.fullmatch(text.text, text.start(keyword), start):
        raise _Unsure  # `timeout=(60)`: the engine's node spans the parentheses
    literal = _read_literal(node)
    minimum = settings.min_timeout
    if type(literal.value) is int and float(minimum).is_integer():
        value = str(int(minimum))
    else:
        value = repr(float(minimum))
    where = (text.start(literal), text.end(literal))
    return TextFix(
        "SCF003",
        title=f"raise the read timeout to min-timeout ({value} s)",
        target=where,  # (the engine's target is the number too)
        edits=(TextEdit(*where, value),),
    )


def _read_literal(node: ast.expr) -> ast.Constant:
    if _is_number(node):
        assert isinstance(node, ast.Constant)
        return node
    if isinstance(node, ast.Call):  # httpx.Timeout(...) / anthropic.Timeout(...)
        read = _keyword(node, "read") or _keyword(node, "timeout")
        if read is not None:
            value: ast.expr | None = read.value
        else:
            positional = [a for a in node.args if not isinstance(a, ast.Starred)]
            value = positional[0] if positional else None
        if value is not None and _is_number(value):
            assert isinstance(value, ast.Constant)
            return value
    raise _Unsure  # no fix: the engine's hint says where to set it


def _is_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


# -- SCF100 ------------------------------------------------------------------------------------


def _unused_noqa(text: _Text, diagnostic: Diagnostic) -> TextFix:
    """scf100.fix: the unused codes go from the directive; a comment left empty goes with the
    blanks before it, and a line that held only it goes whole."""
    unused = set(unused_codes(diagnostic.message))
    line = diagnostic.line
    line_start = text.starts[line - 1]
    physical = text.lines[line - 1]
    body = physical.rstrip("\r\n")
    start = _comment_start(text, line)
    column = diagnostic.col - 1
    if not unused or start is None or not start <= column < len(body):
        raise _Unsure
    edit = without_unused(body[start:], column - start, unused)
    if edit is None:
        raise _Unsure
    title, new = edit
    where = (line_start + start, line_start + len(body))
    if new is not None:
        return TextFix("SCF100", title, where, (TextEdit(*where, new),))
    if body[:start].strip(" \t\f"):  # after code: the blanks before it go too
        blank = len(body[:start]) - len(body[:start].rstrip(" \t\f"))
        where = (line_start + start - blank, line_start + len(body))
    else:  # a line of its own
        where = (line_start, line_start + len(physical))
    return TextFix("SCF100", title, where, (TextEdit(*where, ""),))


def _comment_start(text: _Text, line: int) -> int | None:
    """The column of the comment on `line`: its first `#` after the last code there (a `#` in
    a string ends before that: every string literal is a node of the tree)."""
    code_end = 0
    stack: list[ast.AST] = [text.tree]
    while stack:
        for child in ast.iter_child_nodes(stack.pop()):
            first = _first_line(child)
            last = getattr(child, "end_lineno", None)
            if first is not None and not (first <= line <= (last or first)):
                continue
            if last == line and isinstance(child, (ast.expr, ast.stmt, ast.arg, ast.keyword)):
                end = child.end_col_offset or 0
                code_end = max(code_end, text.offset(line, end) - text.starts[line - 1])
            stack.append(child)
    found = text.lines[line - 1].find("#", code_end)
    return found if found >= 0 else None


# -- the import --------------------------------------------------------------------------------


def _import_edit(text: _Text, module_name: str, names: Collection[str]) -> TextEdit | None:
    """_edit.add_imports_to_lines as an edit: the names merged into the header's one-line
    `from module_name import ...`, or that line added after the file's docstring and leading
    imports (after the comments, when the file starts with code); None: no change."""
    source = text.text
    body = text.tree.body
    end = header_end(text.tree, module_name, len(text.lines))
    header_length = text.starts[end]
    if header_length and not source[:header_length].endswith(("\n", "\r")):
        return None  # a one-line file without a final newline (as the engine)
    header = [s for s in body if first_line(s) <= end]
    if any(shares_a_line(body, index) for index in range(len(header))):
        raise _Unsure  # `import a; import b`: one libcst line of two statements
    wanted = sorted(set(names))
    for statement in header:
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.level == 0
            and statement.module == module_name
            and all(alias.name != "*" for alias in statement.names)
        ):
            present = {alias.asname or alias.name for alias in statement.names}
            missing = [name for name in wanted if name not in present]
            return _merged(text, statement, missing) if missing else None
    position = _import_position(header)
    if position:
        at = text.starts[header[position - 1].end_lineno or 0]
    elif header:
        raise _Unsure  # code first, yet a header (a star import further down)
    else:
        at = header_length  # after the comments above the first statement
    newline = newline_of("".join(text.lines[: end + 1]))
    return TextEdit(at, at, f"from {module_name} import {', '.join(wanted)}{newline}")


def _header_length(text: _Text, module_name: str) -> int:
    return text.starts[header_end(text.tree, module_name, len(text.lines))]


def _merged(text: _Text, statement: ast.ImportFrom, missing: list[str]) -> TextEdit:
    """`from m import a, b` + missing: `from m import a, b, c` (the engine writes the names
    apart by ", ")."""
    source = text.text
    first, last = text.start(statement.names[0]), text.end(statement.names[-1])
    if last != text.end(statement) or any(c in source[text.start(statement) : last] for c in "(\\"):
        raise _Unsure  # parenthesized or continued: the engine rewrites it on one line
    names = [source[text.start(alias) : text.end(alias)] for alias in statement.names]
    return TextEdit(first, last, ", ".join([*names, *missing]))


def _import_position(header: list[ast.stmt]) -> int:
    """_edit._import_position: after the leading docstring and imports."""
    position = 0
    for index, statement in enumerate(header):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            position = index + 1
        elif index == 0 and isinstance(statement, ast.Expr):
            value = statement.value
            if isinstance(value, ast.JoinedStr):
                raise _Unsure  # libcst counts `"a" f"b"` as a docstring, not `f"b"`
            if not (isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes))):
                break
            position = 1
        else:
            break
    return position
