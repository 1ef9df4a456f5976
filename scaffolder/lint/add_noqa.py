"""`scaffold lint --add-noqa`: suppress every current finding in place, as ruff's `--add-noqa`.

For adopting the linter on a large old code base: each finding gets `# noqa: CODE` at the end
of its first line (its last line when the first ends inside a string or with a backslash
continuation, where a comment cannot go). An existing `# noqa: X` on that line gets the new
codes added to it; any other comment stays and the directive follows it. Running it again
adds nothing: the findings are suppressed now. Files are written all-or-nothing, in their own
encoding and line endings.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from scaffolder.lint.codes import DECODE_ERROR, SYNTAX_ERROR, UNUSED_NOQA
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.prefilter import wide_encoding

#: Findings a line comment cannot suppress (the whole file is at fault) or should not (a
#: directive added for an unused directive would itself be unused).
_NOT_SUPPRESSIBLE = frozenset({SYNTAX_ERROR, DECODE_ERROR, UNUSED_NOQA})
#: A line with its ending, counted as the parser counts lines (not `str.splitlines`, which
#: also breaks at form feeds and Unicode separators).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_CODED_NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)", re.I)


def add_noqa_to_files(diagnostics: Iterable[Diagnostic]) -> int:
    """Add the directives; the number of lines that got one."""
    from scaffolder._fs import Change, apply_changes
    from scaffolder.errors import FileFormatError

    by_file: dict[Path, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.code not in _NOT_SUPPRESSIBLE:
            by_file[d.path].append(d)
    changes = []
    added = 0
    for path, found in by_file.items():
        try:
            old = path.read_bytes()
            encoding = _encoding(old)
            text = old.decode(encoding)
        except (OSError, SyntaxError, LookupError, UnicodeDecodeError) as exc:
            detail = f"cannot add noqa directives ({exc}); nothing was written"
            raise FileFormatError(path, detail) from exc
        if text.encode(encoding) != old:
            continue  # (does not round-trip exactly: leave the file as it is)
        new_text, count = add_noqa(text, found)
        if count:
            new = new_text.encode(encoding)
            changes.append(Change(path, old, new))
            added += count
    apply_changes(changes)
    return added


def add_noqa(text: str, diagnostics: Iterable[Diagnostic]) -> tuple[str, int]:
    """`text` with `# noqa: CODES` added for `diagnostics`; and how many lines changed."""
    lines = _LINE.findall(text)
    unsafe = _lines_without_room_for_a_comment(text)
    codes_by_line: dict[int, set[str]] = defaultdict(set)
    for d in diagnostics:
        for line in (d.line, d.end_line or d.line):
            if 0 < line <= len(lines) and line not in unsafe:
                codes_by_line[line].add(d.code)
                break
    for line, codes in codes_by_line.items():
        lines[line - 1] = _with_directive(lines[line - 1], codes)
    return "".join(lines), len(codes_by_line)


def _with_directive(line: str, codes: set[str]) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    existing = _CODED_NOQA.search(body)
    if existing:
        old = re.split(r"[\s,]+", existing.group("codes").upper())
        merged = ", ".join(sorted({*old, *codes}))
        return body[: existing.start()] + f"# noqa: {merged}" + body[existing.end() :] + ending
    return f"{body.rstrip()}  # noqa: {', '.join(sorted(codes))}{ending}"


def _lines_without_room_for_a_comment(text: str) -> set[int]:
    """Lines that end inside a (triple-quoted) string or continue with a backslash."""
    unsafe: set[int] = set()
    for number, line in enumerate(_LINE.findall(text), start=1):
        if line.rstrip().endswith("\\"):
            unsafe.add(number)
    fstring_starts: list[int] = []  # Python 3.12+ tokenizes f-strings in parts
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                unsafe.update(range(token.start[0], token.end[0]))
            elif token.type == _FSTRING_START:
                fstring_starts.append(token.start[0])
            elif token.type == _FSTRING_END and fstring_starts:
                unsafe.update(range(fstring_starts.pop(), token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        pass  # findings come from files that parse; keep what was read
    return unsafe


_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)


def _encoding(data: bytes) -> str:
    """A codec that decodes and re-encodes `data` to the same bytes (a wide encoding's byte
    order mark stays in the text as U+FEFF, so its byte order is kept)."""
    wide = wide_encoding(data)
    if wide is not None:
        big_endian = data.startswith((b"\xfe\xff", b"\x00\x00\xfe\xff"))
        return f"{wide}-{'be' if big_endian else 'le'}"
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return encoding
