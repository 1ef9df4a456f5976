"""Property: whatever the user and the template change, the user's lines survive an update."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scaffolder.artifacts.template_files import _update_file

BASE = [f"line {i}\n" for i in range(30)]

# An edit of BASE: {index: replacement lines} (an empty list deletes the line).
edits = st.dictionaries(st.integers(0, len(BASE) - 1), st.integers(0, 3), max_size=6)


def apply(edit: dict[int, int], who: str, *, deletes: bool) -> tuple[str, list[str]]:
    lines: list[str] = []
    added: list[str] = []
    for i, line in enumerate(BASE):
        count = edit.get(i)
        if count is None:
            lines.append(line)
            continue
        if count == 0 and not deletes:
            count = 1
        new = [f"{who} {i}.{n}\n" for n in range(count)]
        lines += new
        added += new
    return "".join(lines), added


@settings(max_examples=60, deadline=None)
@given(ours_edit=edits, theirs_edit=edits)
def test_no_user_line_is_ever_dropped(
    ours_edit: dict[int, int], theirs_edit: dict[int, int]
) -> None:
    ours, mine = apply(ours_edit, "ours", deletes=False)
    theirs, new = apply(theirs_edit, "theirs", deletes=True)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch, "managed.py")
        path.write_text(ours)
        step, _ = _update_file(
            path,
            "managed.py",
            "".join(BASE),
            theirs,
            labels=("managed.py", "template v1", "template v2"),
            was_managed=True,
            recorded_digest=None,
        )
    change, outcome = step.change, step.outcome
    result = change.new.decode() if change is not None else ours
    assert all(line in result for line in mine), "a user line was dropped"
    conflict = outcome is not None and outcome.action == "conflict"
    assert conflict == ("<<<<<<< managed.py\n" in result)
    if not conflict:
        assert all(line in result for line in new), "a template change was lost"
