"""An offline stand-in for uv's `uvx`, for tests of files that run `uvx --from X scaffold ...`.

`uvx --from <requirement> scaffold ARGS` runs the scaffold under test and appends the
requirement to `uvx-requirements` next to the shim, so a test can see which release a
plugin or action asked for. Anything else exits 64.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

_SHIM = """\
#!/bin/sh
[ "$1" = --from ] || exit 64
printf '%s\\n' "$2" >> "$(dirname "$0")/uvx-requirements"
shift 2
[ "$1" = scaffold ] || exit 64
shift
exec {scaffold} "$@"
"""


def scaffold_executable() -> Path:
    """The `scaffold` console script of the interpreter running the tests."""
    return Path(sys.executable).with_name("scaffold")


def install_uvx_shim(directory: Path) -> Path:
    """Write the shim as `directory/uvx`; returns `directory` (to put first on PATH)."""
    directory.mkdir(parents=True, exist_ok=True)
    uvx = directory / "uvx"
    uvx.write_text(_SHIM.format(scaffold=shlex.quote(str(scaffold_executable()))))
    uvx.chmod(0o755)
    return directory


def requested(directory: Path) -> list[str]:
    """The requirements the shim was run with, in order."""
    log = directory / "uvx-requirements"
    return log.read_text().split() if log.exists() else []
