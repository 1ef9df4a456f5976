"""The managed block scaffold keeps inside a Markdown file it shares with the user.

```
<!-- scaffold:begin v1 sha256:0123456789ab -->
...body...
<!-- scaffold:end -->
```

`v1` is the template version that wrote the block; the hash is the first 12 hex digits of the
SHA-256 of the body (the text between the marker lines, LF-normalised, UTF-8), so a reader can
tell whether the user edited the block. HTML comments are stripped before Claude Code shows a
memory file to the model, so the markers cost no tokens. Everything outside the block belongs to
the user and is preserved byte for byte (BOM, CRLF, a missing trailing newline).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# A line start is the text start or a position after any line terminator (CR-only files too).
_LINE_START = r"(?:\A|(?<=[\r\n]))"
_BEGIN = re.compile(
    _LINE_START
    + r"[ \t]*<!--[ \t]*scaffold:begin[ \t]+v(?P<version>\d+)[ \t]+sha256:(?P<hash>[0-9a-f]{12})"
    r"[ \t]*-->[ \t]*(?:\r\n|\n|\r|\Z)"
)
_END = re.compile(_LINE_START + r"[ \t]*<!--[ \t]*scaffold:end[ \t]*-->[ \t]*(?=\r\n|\n|\r|\Z)")
# Anything that looks like a marker, well-formed or not: used to refuse ambiguous files.
_ANY_MARKER = re.compile(r"<!--[ \t]*scaffold:(?:begin|end)\b")


class MalformedBlockError(ValueError):
    """The text has scaffold markers that do not form exactly one well-formed block."""


@dataclass(frozen=True)
class ManagedBlock:
    """One managed block found in a text.

    `start`/`end` delimit the block in the text: from the first character of the begin marker's
    line to the end of the end marker (its line terminator, if any, is not part of the block).
    """

    start: int
    end: int
    version: int
    recorded_hash: str
    body: str  # exactly as in the file (original line endings)

    @property
    def actual_hash(self) -> str:
        return body_hash(self.body)

    @property
    def edited(self) -> bool:
        """True when the body no longer matches the hash scaffold recorded when writing it."""
        return self.actual_hash != self.recorded_hash


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def body_hash(body: str) -> str:
    """First 12 hex digits of the SHA-256 of `body`, LF-normalised, UTF-8."""
    return hashlib.sha256(_lf(body).encode("utf-8")).hexdigest()[:12]


# A fenced code block's opening line: up to three spaces, then three or more ` or ~ (CommonMark).
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})", re.MULTILINE)


def _outside_fences(text: str) -> str:
    """`text` with the content of fenced code blocks blanked (same length, same line breaks):
    a CLAUDE.md that quotes scaffold's block in a code fence is documentation, not the block."""
    out: list[str] = []
    position = 0
    while (opening := _FENCE.search(text, position)) is not None:
        fence = opening.group("fence")
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        line_end = text.find("\n", opening.end())
        start = len(text) if line_end < 0 else line_end + 1
        close = closing.search(text, start)
        stop = len(text) if close is None else close.end()  # an unclosed fence runs to the end
        out.append(text[position : opening.start()])
        out.append(re.sub(r"[^\r\n]", " ", text[opening.start() : stop]))
        position = stop
    out.append(text[position:])
    return "".join(out)


def find_block(text: str) -> ManagedBlock | None:
    """The managed block in `text`, or None. Raises `MalformedBlockError` if markers are broken.

    Markers count only outside fenced code blocks."""
    if not _ANY_MARKER.search(text):
        return None
    visible = _outside_fences(text)
    markers = _ANY_MARKER.findall(visible)
    if not markers:
        return None
    begin = _BEGIN.search(visible)
    end = _END.search(visible, begin.end()) if begin else None
    if begin is None or end is None or len(markers) != 2:
        raise MalformedBlockError(
            "scaffold's managed block markers are broken (expected exactly one "
            "'<!-- scaffold:begin vN sha256:... -->' line followed by one "
            "'<!-- scaffold:end -->' line); fix or remove them and run again"
        )
    return ManagedBlock(
        start=begin.start(),
        end=end.end(),
        version=int(begin.group("version")),
        recorded_hash=begin.group("hash"),
        body=text[begin.end() : end.start()],
    )


def newline_of(text: str) -> str:
    """The line terminator `text` uses (its first one), LF when it has none."""
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def render_block(body: str, *, version: int, newline: str = "\n") -> str:
    """The block text for `body` (without a line terminator after the end marker)."""
    body = _lf(body)
    if body and not body.endswith("\n"):
        body += "\n"
    lines = (
        f"<!-- scaffold:begin v{version} sha256:{body_hash(body)} -->\n{body}<!-- scaffold:end -->"
    )
    return lines.replace("\n", newline)


def upsert_block(text: str, body: str, *, version: int) -> str:
    """`text` with the managed block set to `body`: replaced in place, or appended at the end.

    Pure: every character outside the block is kept; the block uses the text's line endings.
    Appending never changes existing characters (it may add a line break and a blank line).
    """
    newline = newline_of(text)
    block = render_block(body, version=version, newline=newline)
    found = find_block(text)
    if found is not None:
        return text[: found.start] + block + text[found.end :]
    if not text:
        return block + newline
    separator = "" if text.endswith(("\n", "\r")) else newline
    appended = text + separator + newline + block + newline
    if find_block(appended) is None:  # it would land inside a code fence left open
        raise MalformedBlockError(
            "the file ends inside a code fence that is never closed; close it (```) and run again"
        )
    return appended
