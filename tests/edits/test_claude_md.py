from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffolder.edits.claude_md import edit_memory_file
from scaffolder.edits.encoding import decode
from scaffolder.edits.managed_block import find_block, render_block
from scaffolder.errors import FileFormatError

BODY = "## Streaming\nUse recovering_stream.\n"


def test_statuses_added_unchanged_updated() -> None:
    added = edit_memory_file("# Notes\n", BODY, version=1)
    assert added.status == "added"
    assert edit_memory_file(added.text, BODY, version=1).status == "unchanged"
    updated = edit_memory_file(added.text, BODY + "More.\n", version=2)
    assert updated.status == "updated"
    assert updated.text.startswith("# Notes\n")


def test_a_block_the_user_edited_is_left_alone() -> None:
    text = "# Notes\n\n" + render_block(BODY, version=1).replace("Use", "Prefer") + "\n"
    edit = edit_memory_file(text, BODY + "new\n", version=2)
    assert edit.status == "edited"
    assert edit.text == text


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Grüße\r\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Grüße\n".encode(), "utf-8"),
        (codecs.BOM_UTF16_LE + "Grüße\n".encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "Grüße\n".encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_decode_encode_round_trips_bytes(data: bytes, encoding: str) -> None:
    decoded = decode(data, Path("CLAUDE.md"))
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff").startswith("Grüße")
    assert decoded.encode(decoded.text) == data


def test_undecodable_file_names_file_and_line() -> None:
    with pytest.raises(FileFormatError) as info:
        decode(b"fine\nstill fine\n\xff\xfe broken latin-1 \xe9\n", Path("CLAUDE.md"))
    assert str(info.value.message).startswith("CLAUDE.md:3: cannot decode as UTF-8")


_BOMS = st.sampled_from(
    [(b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")]
)


@given(
    # No NULs (refused as a sign of UTF-16/32 without a BOM) and no code fences (markers in
    # one are not markers): tests/security/test_claude_md_text.py covers both.
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=300,
    ).filter(lambda s: "scaffold:" not in s and "```" not in s and "~~~" not in s),
    bom=_BOMS,
    crlf=st.booleans(),
)
def test_file_bytes_outside_the_block_are_preserved(
    text: str, bom: tuple[bytes, str], crlf: bool
) -> None:
    # The path scaffold init takes: bytes -> decode -> edit -> encode, for arbitrary content.
    mark, encoding = bom
    if crlf:
        text = text.replace("\r", "").replace("\n", "\r\n")
    original = mark + text.encode(encoding)
    decoded = decode(original, Path("CLAUDE.md"))
    new = decoded.encode(edit_memory_file(decoded.text, BODY, version=1).text)
    assert new.startswith(original)
    added = new[len(original) :].decode(encoding)
    block = find_block(added)
    assert block is not None
    assert set(added[: block.start]) <= {"\r", "\n"}
    assert added[block.end :] in ("\n", "\r\n", "\r")
