"""Decode a user's text file and encode it back exactly as it was stored (BOM included).

scaffold edits files as text but must give back the same bytes everywhere it did not edit:
a UTF-8 BOM stays, UTF-16 files stay UTF-16, and nothing is guessed from legacy code pages
(an undecodable file is an error naming the file, never silently re-encoded). Encodings that
cannot be told apart or round-tripped safely - UTF-32, UTF-16 without a BOM (NULs that decode
as UTF-8) - are refused rather than given a block in another encoding.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from scaffolder.errors import FileFormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bytes

    def encode(self, text: str) -> bytes:
        """`text` stored the way the original was (same BOM and encoding)."""
        return self.bom + text.encode(self.encoding)


def decode(data: bytes | None, path: Path) -> Decoded:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; else `FileFormatError`.

    `data` None (the file does not exist yet) is empty text, stored as UTF-8 without a BOM.
    """
    if data is None:
        return Decoded("", "utf-8", b"")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's: a prefix
        raise FileFormatError(path, "is UTF-32, which scaffold does not edit; save it as UTF-8")
    bom, encoding = b"", "utf-8"
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, encoding = mark, name
            break
    try:
        text = data[len(bom) :].decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: len(bom) + exc.start].count(b"\n") + 1
        raise FileFormatError(
            path,
            f"cannot decode as {encoding.upper()} (byte {exc.start + len(bom)}: {exc.reason}); "
            "save it as UTF-8 and run again",
            line=line,
        ) from None
    if "\x00" in text:
        # Valid UTF-8 to the decoder, but no text file: UTF-16/32 without a BOM (or binary).
        # Appending UTF-8 to it would leave a file in two encodings.
        raise FileFormatError(
            path,
            "contains NUL characters (UTF-16 or UTF-32 without a byte order mark, or not text); "
            "save it as UTF-8 and run again",
            line=text[: text.index("\x00")].count("\n") + 1,
        )
    return Decoded(text, encoding, bom)
