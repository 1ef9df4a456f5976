"""`add_noqa(text, diagnostics)`: where a directive can go, and what it keeps."""

from __future__ import annotations

import textwrap
from pathlib import Path

from scaffolder.lint.add_noqa import add_noqa
from scaffolder.lint.diagnostics import Diagnostic


def finding(line: int, end_line: int, code: str = "SCF001") -> Diagnostic:
    return Diagnostic(Path("x.py"), line, 1, code, "m", end_line, 2, None)


def test_a_line_ending_inside_an_fstring_or_with_a_backslash_gets_none() -> None:
    text = textwrap.dedent(
        '''\
        x = call(f"""{a}
        b""", 1)
        y = 1 + \\
            call()
        '''
    )
    new, count = add_noqa(text, [finding(1, 2), finding(3, 4, "SCF002")])
    assert count == 2
    assert new.splitlines() == [
        'x = call(f"""{a}',
        'b""", 1)  # noqa: SCF001',
        "y = 1 + \\",
        "    call()  # noqa: SCF002",
    ]


def test_codes_on_one_line_are_merged_sorted_into_an_existing_directive() -> None:
    text = "x = 1  # keep  # NOQA: SCF005\n"
    new, count = add_noqa(text, [finding(1, 1, "SCF003"), finding(1, 1, "SCF001")])
    assert (new, count) == ("x = 1  # keep  # noqa: SCF001, SCF003, SCF005\n", 1)


def test_lines_are_counted_as_the_parser_counts_them() -> None:
    text = "a = 1\x0c  # form feed\nb = 2\n"  # str.splitlines would see three lines
    new, _ = add_noqa(text, [finding(2, 2)])
    assert new == "a = 1\x0c  # form feed\nb = 2  # noqa: SCF001\n"


def test_no_room_anywhere_leaves_the_text_alone() -> None:
    text = 'x = f("""a\nb\n""")\n'
    assert add_noqa(text, [finding(2, 2)]) == (text, 0)
