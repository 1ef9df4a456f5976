"""## What it does
Reports a file that mentions `anthropic` but is not valid Python: a syntax error, a null byte,
or an expression nested so deeply that the parser gives up (`RecursionError`). The run goes
on with the other files; exit code 1.

## Why is this bad?
A file that cannot be parsed cannot be checked: its streaming calls would go unreported.

## Example
```python
import anthropic
def broken(:
```

## Use instead
Fix the syntax error (`python -m py_compile FILE` shows the same message), or exclude the file
(`exclude` in `[tool.scaffold]`) if it is not Python.

## Fix safety
Not fixable automatically.
"""

from __future__ import annotations

CODE = "SCF900"
NAME = "syntax-error"
SUMMARY = "file could not be parsed"
FIX = None
check = None
