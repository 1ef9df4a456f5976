"""The lint cache: skip files whose results are known.

One file per (scaffold version, Python version, analysis settings) under the cache directory
(`.scaffold_cache/` at the project root). Like ruff, `CACHEDIR.TAG` and a `.gitignore` of `*`
go only into a directory the cache created itself: marking an existing directory would hide it
from git and from backups. The default directory is not followed out of the project through a
committed symlink. An entry maps a file's absolute path to (mtime_ns, size, content hash,
findings): a matching stat skips reading the file; a changed stat with an unchanged content
checksum (a `touch`, a checkout) skips the analysis. Findings are stored after `# noqa` and before
`select`/`ignore`, so changing the selection keeps the cache valid. `marshal` is used because
it is the fastest loader in the standard library and cannot run code.
"""

from __future__ import annotations

import marshal
import sys
import zlib
from typing import Any

import scaffolder
from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Row

# path -> (mtime_ns, size, blake2b digest or None if the prefilter skipped it, rows)
Entry = tuple[int, int, "bytes | None", tuple[Row, ...]]

_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by scaffold.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def content_hash(data: bytes) -> bytes:
    """64 bits (CRC-32 + Adler-32): consulted only when a file's stat changed, so a collision
    needs a changed file whose two checksums both match the old ones. `zlib` imports in
    microseconds; `hashlib` (OpenSSL) would cost a one-file run more than its checks."""
    return (zlib.crc32(data) << 32 | zlib.adler32(data)).to_bytes(8, "big")


class LintCache:
    def __init__(self, settings: Settings) -> None:
        key = f"{zlib.crc32(repr((sys.hexversion, settings.analysis_key())).encode()):08x}"
        self.directory = settings.resolved_cache_dir
        self._default = settings.cache_dir is None
        self._project_root = settings.project_root
        self.file = self.directory / f"lint-{scaffolder.__version__}-{key}.marshal"

    def load(self) -> dict[str, Entry]:
        try:
            data: Any = marshal.loads(self.file.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, entries: dict[str, Entry]) -> None:
        """Write atomically; a cache that cannot be written is not an error."""
        from scaffolder._fs import write_atomic

        try:
            self._prepare()
            write_atomic(self.file, marshal.dumps(entries), fsync=False)  # lost: a re-lint
        except OSError:
            pass

    def _prepare(self) -> None:
        if self._default and self._project_root.resolve() not in self.directory.resolve().parents:
            raise OSError(f"{self.directory} leads outside the project")  # a committed symlink
        try:
            self.directory.mkdir(parents=True)
        except FileExistsError:
            if not self.directory.is_dir():
                raise
            return  # not ours to tag
        (self.directory / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")
        (self.directory / ".gitignore").write_text("# Created by scaffold.\n*\n", encoding="utf-8")
