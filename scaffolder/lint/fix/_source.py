"""A Python file's bytes as text and back, keeping its encoding exactly (BOM, coding
declaration); line endings stay because the text is never split and re-joined."""

from __future__ import annotations

import io
import tokenize
from typing import NamedTuple


class SourceText(NamedTuple):
    text: str
    encoding: str  # "utf-8-sig" when the file starts with a BOM (encoding writes it back)

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def decode(source: bytes) -> SourceText | None:
    """The text of `source`, or None when decoding and encoding again would not give the same
    bytes (then the file is not touched)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        text = source.decode(encoding)
        if text.encode(encoding) != source:
            return None
    except (SyntaxError, LookupError, UnicodeError):
        return None
    return SourceText(text, encoding)
