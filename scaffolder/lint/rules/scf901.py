"""## What it does
Reports a file that cannot be read or decoded: bytes that are not valid in the file's
encoding (UTF-8 unless a PEP 263 coding declaration or a BOM says otherwise), an unknown
encoding in the coding declaration, or a read error. The run goes on with the other files;
exit code 1.

## Why is this bad?
A file that cannot be decoded cannot be checked, and Python itself refuses to import it.

## Example
```python
# -*- coding: utf-8 -*-
import anthropic
name = "caf\xe9"   # a Latin-1 byte in a UTF-8 file
```

## Use instead
Save the file as UTF-8, or declare its real encoding on the first or second line
(`# -*- coding: latin-1 -*-`).

## Fix safety
Not fixable automatically.
"""

from __future__ import annotations

CODE = "SCF901"
NAME = "decode-error"
SUMMARY = "file could not be read or decoded"
FIX = None
check = None
