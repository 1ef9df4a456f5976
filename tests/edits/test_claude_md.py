from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scaffolder.edits.claude_md import edit_memory_file
from scaffolder.edits.encoding import decode
from scaffolder.edits.managed_block import render_block
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
