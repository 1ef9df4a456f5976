"""The cheap text test run on every file before anything is parsed."""

from __future__ import annotations

import re

# A file that cannot import anthropic cannot have findings. This must never miss one
# (`import os, anthropic`, `from anthropic.types import X`, `x = 1; import anthropic`), so it
# only asks whether a line that mentions anthropic also looks like an import.
_IMPORT_LINE = re.compile(rb"\bfrom\s+anthropic\b|\bimport\b.*\banthropic\b")


#: Byte order marks of encodings in which ASCII text is not ASCII bytes (UTF-32 first: its
#: little-endian mark starts with UTF-16's).
WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def wide_encoding(source: bytes) -> str | None:
    """`utf-16`/`utf-32` when the source starts with one of their byte order marks."""
    if source[:1] in (b"\xff", b"\xfe", b"\x00"):
        for bom, encoding in WIDE_BOMS:
            if source.startswith(bom):
                return encoding
    return None


def may_have_findings(source: bytes) -> bool:
    encoding = wide_encoding(source)
    if encoding is not None:
        # Saved as UTF-16/32: search the text, not the bytes (undecodable: let it through).
        try:
            source = source.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            return True
    start = source.find(b"anthropic")
    while start != -1:
        line_start = source.rfind(b"\n", 0, start) + 1
        line_end = source.find(b"\n", start)
        if line_end == -1:
            line_end = len(source)
        line = source[line_start:line_end]
        if b"import" in line and _IMPORT_LINE.search(line):
            return True
        start = source.find(b"anthropic", line_end)
    return False
