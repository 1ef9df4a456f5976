"""## What it does
Reports a `# noqa: SCFxxx` directive that suppresses nothing: the line has no finding with
that code (as ruff's RUF100 does for its own codes). Codes of other tools (`# noqa: E501`)
and a bare `# noqa` are left alone: they may be meant for another linter.

This rule is opt-in, as RUF100 is in ruff: `select = ["SCF"]` does not enable it; select it
by its code (`--extend-select SCF100`, `extend-select = ["SCF100"]`) or with `ALL`. It is
checked in files that import `anthropic` (the others are never parsed).

## Why is this bad?
A stale suppression hides the next real finding on that line: once the code below it changes
(a retry removed, a timeout lowered), the linter stays silent. Directives that `--add-noqa`
added while adopting the linter should disappear as the code gets fixed.

## Example
```python
with recovering_stream(client, **params) as stream:  # noqa: SCF001
    ...
```

## Use instead
```python
with recovering_stream(client, **params) as stream:
    ...
```

## Fix safety
**Safe** fix: the unused codes are removed from the directive (`# noqa: SCF003, SCF001` ->
`# noqa: SCF003`), and a directive left without codes is removed with the whitespace before
it; the rest of the comment stays (`# type: ignore  # noqa: SCF001` -> `# type: ignore`), and
a comment that held only the directive goes, on a line of its own with its line. The codes
are unused for every rule, selected or not (the check runs all of them), so removing them
cannot bring back a finding under any selection.
"""

from __future__ import annotations

import re

CODE = "SCF100"
NAME = "unused-noqa"
SUMMARY = "`# noqa` directive for a scaffold code that suppresses nothing"
FIX = "remove the unused code from the `# noqa` directive"
FIX_AVAILABILITY = "always"
check = None

#: One or more rule codes in the list of a noqa directive.
CODES_PATTERN = r"(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)"
#: A noqa directive, with or without codes (anywhere in a comment).
NOQA = re.compile(rf"#\s*noqa(?::\s*{CODES_PATTERN})?", re.IGNORECASE)
_MESSAGE = re.compile(r"unused `noqa` directive: no (?P<codes>.+) finding on this line")


def message(unused: list[str]) -> str:
    return f"unused `noqa` directive: no {', '.join(unused)} finding on this line"


def unused_codes(text: str) -> list[str]:
    """The codes a finding's `message` names (what the fixer removes)."""
    match = _MESSAGE.fullmatch(text)
    return match.group("codes").split(", ") if match else []


def without_unused(comment: str, offset: int, unused: set[str]) -> tuple[str, str | None] | None:
    """(fix title, `comment` without the `unused` codes of its directive at `offset`, or None
    when nothing of the comment is left), or None when there is no such directive or code.

    A directive left without codes goes with the blanks before it; what came before or after
    it stays as a comment (`# type: ignore  # noqa: SCF001` -> `# type: ignore`). The
    `--fix` engines (text edits and libcst) both take their edit from here.
    """
    match = NOQA.match(comment, offset)
    if match is None or match.group("codes") is None:
        return None
    listed = re.split(r"[\s,]+", match.group("codes"))
    kept = [code for code in listed if code.upper() not in unused]
    if kept == listed:
        return None
    title = f"remove the unused {', '.join(sorted(unused))} from the `noqa` directive"
    if kept:
        directive = comment[match.start() : match.start("codes")] + ", ".join(kept)
        return title, comment[: match.start()] + directive + comment[match.end() :]
    before = comment[: match.start()].rstrip()
    after = comment[match.end() :].strip()
    if before or after:
        return title, _as_comment(
            f"{before}  {_as_comment(after)}" if before and after else before or after
        )
    return title, None


def _as_comment(text: str) -> str:
    """`text` as a comment: what followed the directive may have been its reason (`# noqa:
    SCF001 legacy code` -> `# legacy code`)."""
    return text if text.startswith("#") else f"# {text}"
