"""Hide credentials in anything scaffold prints: the userinfo of URLs.

Proxy variables and base URLs carry `user:password@` (a password may hold `/` or `@`, a proxy
may be written without a scheme); verify and doctor show those values, and error messages quote
them. Everything they print passes through `redact_text`, so no code path can forget.
"""

from __future__ import annotations

import re

# scheme://userinfo@ : the userinfo runs to the last `@` of the token (a password may hold `@`)
_WITH_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^\s'\"<>]*)@(?=[^\s'\"<>@]+)")
# user:password@host without a scheme (`HTTPS_PROXY=user:pw@proxy:3128`)
_WITHOUT_SCHEME = re.compile(r"(?<![\w.+%-])([\w.%+-]+):(?!//)([^\s'\"<>]*)@(?=[\w.\[-])")


def redact_text(text: str) -> str:
    """`text` with every URL's password (or bare token) replaced by `***`."""
    if "@" not in text:
        return text

    def scheme(match: re.Match[str]) -> str:
        user, colon, _ = match.group(2).partition(":")
        return f"{match.group(1)}{user}:***@" if colon else f"{match.group(1)}***@"

    text = _WITH_SCHEME.sub(scheme, text)
    return _WITHOUT_SCHEME.sub(lambda m: f"{m.group(1)}:***@", text)
