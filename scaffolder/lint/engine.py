"""Lint one file's bytes: prefilter, decode, parse, run the rules, apply `# noqa`.

`analyze_source` depends only on the file's bytes and the analysis settings (cacheable);
`select` applies `select`/`ignore`/`per-file-ignores`, which may differ between runs.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from pathlib import Path

from scaffolder.config import Settings
from scaffolder.lint import typescript
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.model import FileModel
from scaffolder.lint.prefilter import may_have_findings
from scaffolder.lint.rules import DECODE_ERROR, RULES, SYNTAX_ERROR
from scaffolder.lint.selection import select

_CODES = r"(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)"
_NOQA = re.compile(rf"#\s*noqa(?::\s*{_CODES})?", re.IGNORECASE)
_FILE_NOQA = re.compile(rf"#[ \t]*scaffold:[ \t]*noqa(?:[ \t]*:[ \t]*{_CODES})?", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lint_source(
    source: bytes, path: Path, settings: Settings, *, prefilter: bool = True
) -> list[Diagnostic]:
    """All selected findings for one file's bytes, sorted by position."""
    return select(analyze_source(source, path, settings, prefilter=prefilter), path, settings)


def analyze_source(
    source: bytes,
    path: Path,
    settings: Settings,
    *,
    prefilter: bool = True,
    assume_anthropic: bool = False,
) -> list[Diagnostic]:
    """Every rule's findings (after `# noqa`, before selection). Never raises for bad input.

    `assume_anthropic` treats the file as if it imported anthropic (to exercise the rules on
    any code, e.g. the standard library in the no-crash test).
    """
    if typescript.handles(str(path)):
        return typescript.analyze_source(source, path, settings, prefilter=prefilter)
    if prefilter and not assume_anthropic and not may_have_findings(source):
        return []
    try:
        text = _decode(source)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        line = _decode_error_line(source, exc)
        return [_diagnostic(path, DECODE_ERROR, f"cannot decode file: {_reason(exc)}", line, 1)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes etc.
            tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = exc.offset or 1
        return [_diagnostic(path, SYNTAX_ERROR, f"cannot parse file: {exc.msg}", line, col)]
    except (ValueError, RecursionError, MemoryError) as exc:
        return [_diagnostic(path, SYNTAX_ERROR, f"cannot parse file: {_reason(exc)}", 1, 1)]
    if not assume_anthropic and not _imports_anthropic(tree):
        return []  # the prefilter matched a docstring or a comment
    findings: list[tuple[str, ast.AST, str]] = []
    try:
        model = FileModel(tree, settings)
        for rule in RULES.values():
            if rule.check is not None:
                findings.extend((rule.code, node, message) for node, message in rule.check(model))
    except RecursionError:  # defensive: the model's walks are iterative and depth-capped
        return [_diagnostic(path, SYNTAX_ERROR, "cannot analyse file: nested too deeply", 1, 1)]
    if not findings:
        return []
    return _apply_noqa(_to_diagnostics(findings, path, text), text)


def _imports_anthropic(tree: ast.Module) -> bool:
    """Whether any statement imports `anthropic` (statements only: much cheaper than a walk)."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import):
            if any(alias.name.partition(".")[0] == "anthropic" for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").partition(".")[0] == "anthropic":
                return True
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    stack.extend(block)
    return False


def _decode(source: bytes) -> str:
    """Decode as Python does: a BOM or a PEP 263 coding declaration, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    return source.decode(encoding)  # "utf-8-sig" (with a BOM) strips the BOM


def _decode_error_line(source: bytes, exc: BaseException) -> int:
    if isinstance(exc, UnicodeDecodeError):
        return source.count(b"\n", 0, exc.start) + 1
    return getattr(exc, "lineno", None) or 1


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0] if text else type(exc).__name__


def _diagnostic(path: Path, code: str, message: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(path, line, col, code, message, line, col, RULES[code].fix)


def _to_diagnostics(
    findings: list[tuple[str, ast.AST, str]], path: Path, text: str
) -> list[Diagnostic]:
    lines = _LINE_BREAK.split(text)
    result = []
    for code, node, message in findings:
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = _char_col(lines, line, getattr(node, "col_offset", 0))
        end_col = _char_col(lines, end_line, getattr(node, "end_col_offset", None) or 0)
        result.append(
            Diagnostic(path, line, col, code, message, end_line, end_col, RULES[code].fix)
        )
    return result


def _char_col(lines: list[str], line: int, byte_offset: int) -> int:
    """1-based character column from the parser's UTF-8 byte offset."""
    if not 0 < line <= len(lines):
        return byte_offset + 1
    text = lines[line - 1]
    if text.isascii():
        return byte_offset + 1
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1


def _apply_noqa(diagnostics: list[Diagnostic], text: str) -> list[Diagnostic]:
    """Drop findings exempted by `# noqa` comments (real comments: never text in a string)."""
    if "noqa" not in text.lower():
        return diagnostics
    comments, own_line = _comments(text)
    file_codes: set[str] = set()
    for comment in own_line:
        match = _FILE_NOQA.match(comment)
        if match:
            if not match.group("codes"):
                return []  # `# scaffold: noqa`: the whole file
            file_codes |= _split_codes(match.group("codes"))
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.code in file_codes or _line_noqa(comments, diagnostic):
            continue
        kept.append(diagnostic)
    return kept


def _comments(text: str) -> tuple[dict[int, str], list[str]]:
    """Line number -> the comment on that line; and the comments alone on their line."""
    comments: dict[int, str] = {}
    own_line: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
                if token.line.lstrip().startswith("#"):
                    own_line.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        pass  # the file parsed, so this is not expected; keep what was read
    return comments, own_line


def _line_noqa(comments: dict[int, str], diagnostic: Diagnostic) -> bool:
    """`# noqa` (all codes) or `# noqa: CODE[, CODE]` on the first or last line of the finding."""
    for line_number in {diagnostic.line, diagnostic.end_line or diagnostic.line}:
        for match in _NOQA.finditer(comments.get(line_number, "")):
            codes = match.group("codes")
            if codes is None or diagnostic.code in _split_codes(codes):
                return True
    return False


def _split_codes(codes: str) -> set[str]:
    return set(re.split(r"[\s,]+", codes.upper()))
