"""Three-way text merge with `git merge-file`: git's own algorithm and conflict markers.

scaffold update already needs git (it refuses to touch managed files with uncommitted changes),
and `git merge-file` is the merge users know from `git merge`: the same hunks, the same
`<<<<<<<` / `=======` / `>>>>>>>` markers their editors and `git diff --check` understand.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scaffolder._fs import lf, with_line_endings_of
from scaffolder.errors import RepoError


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: int  # number of conflicting hunks; 0 means a clean merge


def merge3(ours: str, base: str, theirs: str, *, labels: tuple[str, str, str]) -> MergeResult:
    """Merge the change base -> theirs into ours.

    `labels` name ours, base and theirs in the markers. The template renders LF; when the
    user's file uses CRLF (e.g. git `core.autocrlf` on Windows), base and theirs get CRLF too,
    so line endings alone never conflict.
    """
    base, theirs = (with_line_endings_of(ours, lf(text)) for text in (base, theirs))
    with tempfile.TemporaryDirectory(prefix="scaffold-merge-") as scratch:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(scratch, name)
            path.write_bytes(text.encode("utf-8"))
            paths.append(str(path))
        argv = ["git", "merge-file", "-p"]
        for label in labels:
            argv += ["-L", label]
        try:
            proc = subprocess.run(argv + paths, capture_output=True, cwd=scratch, check=False)
        except FileNotFoundError as exc:
            raise RepoError("git is not installed (scaffold update merges with git)") from exc
    # merge-file exits with the number of conflicts (capped at 127), negative on error.
    if not 0 <= proc.returncode <= 127:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise RepoError(f"git merge-file failed: {detail}")
    return MergeResult(proc.stdout.decode("utf-8"), proc.returncode)
