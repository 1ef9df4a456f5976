"""CLAUDE.md: markers quoted in a code fence are not the block; encodings scaffold cannot
round-trip are refused, never given a block in another encoding (#12)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scaffolder.cli import main
from scaffolder.edits.managed_block import MalformedBlockError, find_block, upsert_block
from tests.init.repos import make_repo, snapshot

QUOTED = (
    "# Notes\n\nscaffold keeps a block like this one:\n\n"
    "```markdown\n<!-- scaffold:begin v1 sha256:0123456789ab -->\nquoted\n"
    "<!-- scaffold:end -->\n```\n"
)
PYPROJECT = '[project]\nname = "x"\n'


def test_markers_in_a_fence_are_not_the_block() -> None:
    assert find_block(QUOTED) is None
    text = upsert_block(QUOTED, "the rule\n", version=1)
    assert text.startswith(QUOTED)  # the quotation is left alone
    block = find_block(text)
    assert block is not None
    assert block.body == "the rule\n"
    assert upsert_block(text, "the rule\n", version=1) == text  # idempotent


def test_tilde_fence_and_a_real_block_after_it() -> None:
    fenced = "~~~~\n<!-- scaffold:end -->\n~~~~\n"
    text = upsert_block(fenced, "body\n", version=2)
    block = find_block(text)
    assert block is not None
    assert block.version == 2
    assert text.startswith(fenced)


def test_block_appended_into_an_unclosed_fence_is_refused() -> None:
    with pytest.raises(MalformedBlockError, match="never closed"):
        upsert_block("# Notes\n```\ncode\n", "body\n", version=1)


def test_init_on_a_claude_md_quoting_the_block(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, "CLAUDE.md": QUOTED})
    assert main(["init", "--yes", str(root)]) == 0
    text = (root / "CLAUDE.md").read_text()
    assert text.startswith(QUOTED)
    assert main(["check", str(root)]) == 0


@pytest.mark.parametrize(
    "data",
    [
        "# Notes\n".encode("utf-16-le"),  # no BOM
        "# Notes\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "# Notes\n".encode("utf-32-le"),
        codecs.BOM_UTF32_BE + "# Notes\n".encode("utf-32-be"),
        "# Notes\n".encode("utf-32-le"),
    ],
)
def test_claude_md_in_an_encoding_scaffold_cannot_round_trip(
    tmp_path: Path, data: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, "CLAUDE.md": data})
    before = snapshot(root)
    assert main(["init", "--yes", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "CLAUDE.md" in err[0]
    assert "UTF-8" in err[0]
    assert snapshot(root) == before


def test_utf16_with_bom_still_round_trips(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "# Notes\n".encode("utf-16-le")
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, "CLAUDE.md": data})
    assert main(["init", "--yes", str(root)]) == 0
    new = (root / "CLAUDE.md").read_bytes()
    assert new.startswith(data)
    assert "scaffold:begin" in new[2:].decode("utf-16-le")
