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
Not fixable automatically: delete the directive (or the code it names) by hand.
"""

from __future__ import annotations

CODE = "SCF100"
NAME = "unused-noqa"
SUMMARY = "`# noqa` directive for a scaffold code that suppresses nothing"
FIX = "remove the unused code from the `# noqa` directive"
check = None
