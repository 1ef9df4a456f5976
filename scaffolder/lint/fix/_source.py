"""A Python file's bytes as text and back, keeping its encoding exactly (BOM, coding
declaration); line endings stay because the text is never split and re-joined."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from pathlib import Path
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


def parses(source: bytes, path: Path) -> bool:
    """Whether a fixed file still parses (checked before it is written: a fixer bug must never
    break a file)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def compiles(source: bytes, path: Path) -> bool:
    """Whether a fixed file compiles: `parses` for the text-edit fixes. Compiling to bytecode
    costs a third of `ast.parse` (no Python objects for the tree), and it checks more: a file
    that fails only that check (say, a `return` outside a function) goes to the libcst engine,
    which checks with `parses`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
