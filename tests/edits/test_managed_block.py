from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffolder.edits.managed_block import (
    MalformedBlockError,
    body_hash,
    find_block,
    render_block,
    upsert_block,
)

BODY = "## Streaming\nUse recovering_stream.\n"


def test_block_format_matches_the_contract() -> None:
    digest = hashlib.sha256(BODY.encode()).hexdigest()[:12]
    assert render_block(BODY, version=3) == (
        f"<!-- scaffold:begin v3 sha256:{digest} -->\n{BODY}<!-- scaffold:end -->"
    )


def test_hash_is_line_ending_independent() -> None:
    assert body_hash("a\r\nb\r\n") == body_hash("a\nb\n")


def test_no_markers_means_no_block() -> None:
    assert find_block("# Project\n\nNotes.\n") is None


def test_upsert_into_empty_text_gives_just_the_block() -> None:
    text = upsert_block("", BODY, version=1)
    assert text.startswith("<!-- scaffold:begin v1 ")
    assert text.endswith("<!-- scaffold:end -->\n")
    block = find_block(text)
    assert block is not None
    assert block.body == BODY
    assert not block.edited


def test_append_keeps_text_without_trailing_newline_as_a_prefix() -> None:
    text = upsert_block("# Notes\nlast line", BODY, version=1)
    assert text.startswith("# Notes\nlast line\n\n<!-- scaffold:begin")


def test_crlf_file_gets_a_crlf_block() -> None:
    text = upsert_block("# Notes\r\n", BODY, version=1)
    assert "\n" not in text.replace("\r\n", "")
    block = find_block(text)
    assert block is not None
    assert not block.edited


def test_replace_in_place_keeps_surroundings() -> None:
    before = "# Mine\n\n"
    after = "\n## Also mine\n"
    text = before + render_block("old\n", version=1) + after
    new = upsert_block(text, BODY, version=2)
    assert new == before + render_block(BODY, version=2) + after
    block = find_block(new)
    assert block is not None
    assert block.version == 2


def test_edited_block_is_detected() -> None:
    text = upsert_block("", BODY, version=1).replace("Use recovering_stream", "Use whatever")
    block = find_block(text)
    assert block is not None
    assert block.edited


@pytest.mark.parametrize(
    "text",
    [
        "<!-- scaffold:begin v1 sha256:0123456789ab -->\nno end\n",
        "<!-- scaffold:end -->\n",
        render_block("a\n", version=1) + "\n" + render_block("b\n", version=1),
        "<!-- scaffold:begin v1 sha256:nothex -->\nx\n<!-- scaffold:end -->\n",
    ],
)
def test_broken_markers_are_refused(text: str) -> None:
    with pytest.raises(MalformedBlockError):
        find_block(text)
    with pytest.raises(MalformedBlockError):
        upsert_block(text, BODY, version=1)


# No code fences: markers inside one are not markers (tests/security/test_claude_md_text.py).
_user_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300).filter(
    lambda s: "scaffold:" not in s and "```" not in s and "~~~" not in s
)
_bodies = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120).filter(
    lambda s: "scaffold:" not in s and "\r" not in s and "```" not in s and "~~~" not in s
)


@given(text=_user_text, body=_bodies)
def test_append_preserves_every_character_of_the_user_text(text: str, body: str) -> None:
    new = upsert_block(text, body, version=1)
    block = find_block(new)
    assert block is not None
    assert new.startswith(text)
    # Only line breaks are added between the user's text and the block, and one after it.
    assert set(new[len(text) : block.start]) <= {"\r", "\n"}
    assert new[block.end :] in ("\n", "\r\n", "\r")
    assert upsert_block(new, body, version=1) == new  # idempotent


@given(before=_user_text, after=_user_text, body=_bodies, new_body=_bodies)
def test_replace_preserves_every_character_outside_the_block(
    before: str, after: str, body: str, new_body: str
) -> None:
    # A block is a whole line: the user text before it ends a line, the text after starts one.
    before = before + "\n" if before and not before.endswith(("\n", "\r")) else before
    after = "\n" + after
    text = before + render_block(body, version=1) + after
    new = upsert_block(text, new_body, version=2)
    block = find_block(new)
    assert block is not None
    assert new[: block.start] == before
    assert new[block.end :] == after
    assert not block.edited
