"""The cheap text test run on every file before anything is parsed."""

from __future__ import annotations

import re

# A file that cannot import anthropic cannot have findings; this must never miss one
# (`import os, anthropic`, `from anthropic.types import X`), so it is deliberately loose.
_MAY_IMPORT_ANTHROPIC = re.compile(rb"\bfrom\s+anthropic\b|\bimport\b[^\n]*\banthropic\b")


def may_have_findings(source: bytes) -> bool:
    return b"anthropic" in source and _MAY_IMPORT_ANTHROPIC.search(source) is not None
