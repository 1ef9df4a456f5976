"""`merge3`: git's three-way merge with git's conflict markers."""

from __future__ import annotations

from scaffolder._merge import merge3

BASE = "".join(f"line {i}\n" for i in range(1, 21))
LABELS = ("yours", "template v1", "template v2")


def edit(text: str, number: int, new: str) -> str:
    return text.replace(f"line {number}\n", new)


def test_changes_in_different_regions_merge_cleanly() -> None:
    ours = edit(BASE, 3, "line 3 (mine)\n")
    theirs = edit(BASE, 17, "line 17 (v2)\n")
    result = merge3(ours, BASE, theirs, labels=LABELS)
    assert result.conflicts == 0
    assert result.text == edit(edit(BASE, 3, "line 3 (mine)\n"), 17, "line 17 (v2)\n")


def test_changes_to_the_same_lines_conflict_with_git_markers() -> None:
    ours = edit(BASE, 10, "line 10 (mine)\n")
    theirs = edit(BASE, 10, "line 10 (v2)\n")
    result = merge3(ours, BASE, theirs, labels=LABELS)
    assert result.conflicts == 1
    assert "<<<<<<< yours\nline 10 (mine)\n" in result.text
    assert "line 10 (v2)\n>>>>>>> template v2\n" in result.text
    assert "=======\n" in result.text


def test_crlf_files_merge_without_line_ending_conflicts() -> None:
    ours = edit(BASE, 3, "line 3 (mine)\n").replace("\n", "\r\n")
    theirs = edit(BASE, 17, "line 17 (v2)\n")
    result = merge3(ours, BASE, theirs, labels=LABELS)
    assert result.conflicts == 0
    assert result.text == edit(edit(BASE, 3, "line 3 (mine)\n"), 17, "line 17 (v2)\n").replace(
        "\n", "\r\n"
    )


def test_non_ascii_text_survives() -> None:
    ours = edit(BASE, 2, "zwei — ü\n")
    result = merge3(ours, BASE, BASE, labels=LABELS)
    assert result == type(result)(ours, 0)
