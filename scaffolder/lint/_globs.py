"""Glob patterns for `exclude` and `per-file-ignores`, matched against posix paths.

`*` and `?` stay within one path component, `**` spans components, `[...]` is a class.
A pattern without a `/` also matches a file or directory name anywhere (`*_pb2.py`).
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    anchored = "/" in pattern
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            if body.startswith("!"):
                body = "^" + body[1:]
            parts.append(f"[{body}]")
            i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    body = "".join(parts)
    # Anchored patterns match from the project root; a bare name matches at any depth.
    # Either also matches everything below a matching directory.
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"{prefix}{body}(?:/.*)?")


def matches(pattern: str, relative_path: str) -> bool:
    return compile_glob(pattern).fullmatch(relative_path) is not None
