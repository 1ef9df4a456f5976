"""The cheap text test run on every file before anything is parsed."""

from __future__ import annotations

import re

# A file that cannot import anthropic cannot have findings. This must never miss one
# (`import os, anthropic`, `from anthropic.types import X`, `x = 1; import anthropic`), so it
# only asks whether a line that mentions anthropic also looks like an import.
_IMPORT_LINE = re.compile(rb"\bfrom\s+anthropic\b|\bimport\b.*\banthropic\b")


def may_have_findings(source: bytes) -> bool:
    start = source.find(b"anthropic")
    while start != -1:
        line_start = source.rfind(b"\n", 0, start) + 1
        line_end = source.find(b"\n", start)
        if line_end == -1:
            line_end = len(source)
        line = source[line_start:line_end]
        if b"import" in line and _IMPORT_LINE.search(line):
            return True
        start = source.find(b"anthropic", line_end)
    return False
