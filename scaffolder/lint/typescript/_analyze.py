"""Lint one TypeScript/JavaScript file: decode, parse, run the rules, apply `// noqa`."""

from __future__ import annotations

import re
from pathlib import Path

from scaffolder.lint.codes import DECODE_ERROR, SYNTAX_ERROR
from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.typescript import _rules
from scaffolder.lint.typescript._model import FileModel
from scaffolder.lint.typescript._tree import Node, grammar_for, parse, walk

_CODES = r"(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)"
_NOQA = re.compile(rf"(?://|/\*)\s*noqa(?::\s*{_CODES})?", re.IGNORECASE)
_FILE_NOQA = re.compile(rf"^(?://|/\*)[ \t]*scaffold:[ \t]*noqa(?:[ \t]*:[ \t]*{_CODES})?", re.I)
# The vendored runtime itself (its header): the one place that streams without a wrapper.
_VENDORED = b"Vendored by `scaffold init`"


def analyze(source: bytes, path: Path, settings: Settings) -> list[Diagnostic]:
    if source.startswith(b"\xef\xbb\xbf"):
        source = source[3:]
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        return [
            Diagnostic(path, line, 1, DECODE_ERROR, f"cannot decode file: {exc.reason}", line, 1)
        ]
    if _VENDORED in source[:400]:
        return []
    try:
        return _analyze(source, path, settings)
    except RecursionError:  # defensive: the walks are iterative and depth-capped
        return [Diagnostic(path, 1, 1, SYNTAX_ERROR, "cannot analyse file: nested too deeply")]


def _analyze(source: bytes, path: Path, settings: Settings) -> list[Diagnostic]:
    tree = parse(source, grammar_for(path.name))
    root = tree.root_node
    model = FileModel(root, settings)
    if not model.imports_sdk:
        return []  # the package name was in a comment or a string
    lines = source.split(b"\n")
    diagnostics = [
        _diagnostic(path, lines, code, node, message)
        for code, node, message in _rules.check(model)
        if not (root.has_error and _in_error(node))
    ]
    error = _hiding_error(root) if root.has_error else None
    if error is not None:
        diagnostics.append(
            _diagnostic(path, lines, SYNTAX_ERROR, error, "cannot parse file: syntax error")
        )
    return _apply_noqa(sorted(set(diagnostics)), root, lines)


def _in_error(node: Node) -> bool:
    """Inside what the parser could not read: positions and meaning are guesses there."""
    current: Node | None = node
    while current is not None:
        if current.type == "ERROR":
            return True
        current = current.parent
    return False


def _hiding_error(root: Node) -> Node | None:
    """The first part the parser could not read that holds a `.messages` access, if any.

    The grammar lags the language here and there (`import("m").T` in a type); an error that
    cannot hide a call the rules look at is not worth a finding that cries wolf."""
    for node in walk(root):
        if node.type == "ERROR" and node.text is not None and b".messages" in node.text:
            return node
    return None


def _column(lines: list[bytes], row: int, byte: int) -> int:
    """1-based character column from a 0-based row and UTF-8 byte offset."""
    if row >= len(lines):
        return byte + 1
    return len(lines[row][:byte].decode("utf-8", "replace")) + 1


def _diagnostic(path: Path, lines: list[bytes], code: str, node: Node, message: str) -> Diagnostic:
    (row, col), (end_row, end_col) = node.start_point, node.end_point
    return Diagnostic(
        path,
        row + 1,
        _column(lines, row, col),
        code,
        message,
        end_row + 1,
        _column(lines, end_row, end_col),
        _rules.FIXES.get(code),
    )


def _apply_noqa(diagnostics: list[Diagnostic], root: Node, lines: list[bytes]) -> list[Diagnostic]:
    """Drop findings exempted by `// noqa[: CODES]` on their first or last line, or by a
    `// scaffold: noqa[: CODES]` comment on a line of its own (real comments only)."""
    if not diagnostics or not any(b"noqa" in line.lower() for line in lines):
        return diagnostics
    by_line: dict[int, list[str]] = {}
    file_codes: set[str] = set()
    for node in walk(root):
        if node.type != "comment" or node.text is None:
            continue
        comment = node.text.decode("utf-8", "replace")
        row = node.start_point[0]
        by_line.setdefault(row + 1, []).append(comment)
        for end in range(row + 1, node.end_point[0] + 1):
            by_line.setdefault(end + 1, []).append(comment)
        own_line = lines[row][: node.start_point[1]].strip() == b""
        match = _FILE_NOQA.match(comment)
        if own_line and match:
            if not match.group("codes"):
                return []
            file_codes |= set(re.split(r"[\s,]+", match.group("codes").upper()))
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.code in file_codes:
            continue
        if any(
            _suppresses(comment, diagnostic.code)
            for number in {diagnostic.line, diagnostic.end_line or diagnostic.line}
            for comment in by_line.get(number, [])
        ):
            continue
        kept.append(diagnostic)
    return kept


def _suppresses(comment: str, code: str) -> bool:
    for match in _NOQA.finditer(comment):
        codes = match.group("codes")
        if codes is None or code in set(re.split(r"[\s,]+", codes.upper())):
            return True
    return False
