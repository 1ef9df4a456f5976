"""The exact edit for the Claude Code hook: the lines a fix changes, before and after, as
fenced blocks the agent can copy into one Edit (old_string / new_string)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic
from scaffolder.lint.fix import fix_source
from scaffolder.lint.fix._runtime import Runtime


def suggested_edit(
    source: bytes,
    path: Path,
    shown: str,
    settings: Settings,
    findings: Sequence[Diagnostic],
    runtime: Runtime | str,
) -> str:
    """The replacement text for `findings` (safe and unsafe fixes), or "" when none has one."""
    result = fix_source(source, path, settings, unsafe=True, runtime=runtime, only=findings)
    if not result.changed:
        return ""
    encoding = "utf-8-sig" if source.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        old = _lines(result.old.decode(encoding))
        new = _lines(result.new.decode(encoding))
    except UnicodeDecodeError:
        return ""
    out = ["The exact fix (copy each block into one edit):"]
    for fixed, fix in result.applied:
        out.append(f"  {fixed.code} (line {fixed.line}): {fix.title}")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            out.append(f"After line {i1} of {shown}, insert:")
        else:
            where = f"line {i1 + 1}" if i2 - i1 == 1 else f"lines {i1 + 1}-{i2}"
            out.append(f"Replace {where} of {shown}:")
            out.extend(["```python", *old[i1:i2], "```"])
            out.append("with:" if tag == "replace" else "with nothing.")
        if j2 > j1:
            out.extend(["```python", *new[j1:j2], "```"])
    return "\n".join(out)


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)
