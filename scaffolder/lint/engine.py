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

from scaffolder.lint import typescript
from scaffolder.lint.codes import DECODE_ERROR, SYNTAX_ERROR, UNUSED_NOQA
from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix import _trees
from scaffolder.lint.model import FileModel
from scaffolder.lint.prefilter import may_have_findings, wide_encoding
from scaffolder.lint.rules import RULES, scf100
from scaffolder.lint.selection import select

_NOQA = scf100.NOQA
_FILE_NOQA = re.compile(
    rf"#[ \t]*scaffold:[ \t]*noqa(?:[ \t]*:[ \t]*{scf100.CODES_PATTERN})?", re.IGNORECASE
)
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
    findings: list[tuple[str, ast.AST, str, bool]] = []
    try:
        model = FileModel(tree, settings, vendored=is_vendored_runtime(path, text, tree))
        for rule in RULES.values():
            if rule.check is not None:
                findings.extend(
                    (rule.code, node, message, _in_async_code(model, node))
                    for node, message in rule.check(model)
                )
    except RecursionError:  # defensive: the model's walks are iterative and depth-capped
        return [_diagnostic(path, SYNTAX_ERROR, "cannot analyse file: nested too deeply", 1, 1)]
    if not findings and "noqa" not in text.lower():
        return []
    if _trees.active() and any(RULES[code].fix_availability for code, *_ in findings):
        _trees.remember(path, text, tree)  # for `scaffold lint --fix`, when it is on
    return _apply_noqa(_to_diagnostics(findings, path, text), text, path)


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
    """Decode as Python does: a BOM or a PEP 263 coding declaration, else UTF-8. A file an
    editor saved as UTF-16/32 (with a BOM) is read as such: its code is still the code."""
    wide = wide_encoding(source)
    if wide is not None:
        return source.decode(wide)  # the codec consumes the BOM
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    return source.decode(encoding)  # "utf-8-sig" (with a BOM) strips the BOM


#: The header `scaffold init` writes at the top of the vendored recovery module.
VENDORED_MARKER = "# Vendored by `scaffold init`"
VENDORED_NAME = "claude_stream.py"


def is_vendored_runtime(path: Path, text: str, tree: ast.Module) -> bool:
    """The vendored recovery module: its header says so, or it is `claude_stream.py` and
    defines the runtime's entry point. Nothing else is trusted for a function's name."""
    if VENDORED_MARKER in text[:2000]:
        return True
    return path.name == VENDORED_NAME and any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name == "recovering_stream"
        for node in tree.body
    )


def _decode_error_line(source: bytes, exc: BaseException) -> int:
    if isinstance(exc, UnicodeDecodeError):
        return source.count(b"\n", 0, exc.start) + 1
    return getattr(exc, "lineno", None) or 1


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0] if text else type(exc).__name__


def _diagnostic(path: Path, code: str, message: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(path, line, col, code, message, line, col, RULES[code].fix)


def _in_async_code(model: FileModel, node: ast.AST) -> bool:
    """Whether the fix must use the async API: the finding is awaited, used in `async with` /
    `async for`, or sits in an `async def`."""
    parent = model.parents.get(node)
    if isinstance(parent, ast.withitem):
        parent = model.parents.get(parent)
    if isinstance(parent, (ast.Await, ast.AsyncWith, ast.AsyncFor)):
        return True
    return isinstance(model.enclosing_function(node), ast.AsyncFunctionDef)


def _to_diagnostics(
    findings: list[tuple[str, ast.AST, str, bool]], path: Path, text: str
) -> list[Diagnostic]:
    lines = _LINE_BREAK.split(text)
    result = []
    for code, node, message, in_async in findings:
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = _char_col(lines, line, getattr(node, "col_offset", 0))
        end_col = _char_col(lines, end_line, getattr(node, "end_col_offset", None) or 0)
        fix = RULES[code].fix_for(in_async=in_async)
        result.append(Diagnostic(path, line, col, code, message, end_line, end_col, fix))
    return result


def _char_col(lines: list[str], line: int, byte_offset: int) -> int:
    """1-based character column from the parser's UTF-8 byte offset."""
    if not 0 < line <= len(lines):
        return byte_offset + 1
    text = lines[line - 1]
    if text.isascii():
        return byte_offset + 1
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1


def _apply_noqa(diagnostics: list[Diagnostic], text: str, path: Path) -> list[Diagnostic]:
    """Drop findings exempted by `# noqa` comments (real comments: never text in a string),
    and report the directives for scaffold codes that exempt nothing (SCF100)."""
    if "noqa" not in text.lower():
        return diagnostics
    comments, own_line, columns = _comments(text)
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
    kept.extend(_unused_noqa(diagnostics, comments, columns, file_codes, path))
    return kept


def _unused_noqa(
    diagnostics: list[Diagnostic],
    comments: dict[int, str],
    columns: dict[int, int],
    file_codes: set[str],
    path: Path,
) -> list[Diagnostic]:
    """A `# noqa: SCFxxx` whose line has no SCFxxx finding. Other tools' codes and a bare
    `# noqa` are not judged: they may be meant for another linter."""
    found: dict[int, set[str]] = {}
    for d in diagnostics:
        for line in (d.line, d.end_line or d.line):
            found.setdefault(line, set()).add(d.code)
    unused_noqa = []
    for line, comment in comments.items():
        for match in _NOQA.finditer(comment):
            codes = match.group("codes")
            if codes is None:
                continue
            listed = sorted(_split_codes(codes))
            if UNUSED_NOQA in listed:
                continue  # a directive that lists SCF100 itself is kept on purpose
            unused = [
                code
                for code in listed
                if code.startswith("SCF")
                and code not in found.get(line, ())
                and code not in file_codes
            ]
            if unused:
                col = columns[line] + match.start() + 1
                message = scf100.message(unused)
                unused_noqa.append(_diagnostic(path, UNUSED_NOQA, message, line, col))
    return unused_noqa


def _comments(text: str) -> tuple[dict[int, str], list[str], dict[int, int]]:
    """Line number -> the comment on that line; the comments alone on their line; line
    number -> the comment's 0-based column."""
    comments: dict[int, str] = {}
    own_line: list[str] = []
    columns: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
                columns[token.start[0]] = token.start[1]
                if token.line.lstrip().startswith("#"):
                    own_line.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        pass  # the file parsed, so this is not expected; keep what was read
    return comments, own_line, columns


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
