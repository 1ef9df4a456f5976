"""What scaffold recorded in a repository: the answers file and the digests of managed files.

`.scaffold-answers.yml` is rendered from the template (answers, `template_version`); scaffold
then appends `managed_files`, the sha256 of every whole file it wrote, so `scaffold check` can
tell an intact file from an edited one by hashing, without rendering the template (no copier).
Kept cheap to import: `scaffold check` runs in a pre-commit hook.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffolder.answers import ANSWERS_FILE, load_answers
from scaffolder.errors import FileFormatError, RepoError

DIGESTS_KEY = "managed_files"


def file_digest(data: bytes) -> str:
    """The digest recorded for a managed file: sha256 hex of its bytes, CRLF read as LF.

    A checkout with git's `core.autocrlf` turns scaffold's LF into CRLF; that is no edit (the
    managed block's hash ignores line endings for the same reason).
    """
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def with_digests(answers_text: str, digests: Mapping[str, str]) -> str:
    """The freshly rendered answers file with `managed_files` ({path: sha256 hex}) recorded."""
    import yaml

    if answers_text and not answers_text.endswith("\n"):
        answers_text += "\n"
    recorded = {DIGESTS_KEY: dict(sorted(digests.items()))}
    return answers_text + yaml.safe_dump(recorded, sort_keys=False, width=1000)


@dataclass(frozen=True)
class Recorded:
    """The parsed answers file."""

    root: Path
    template_version: int
    answers: dict[str, Any]  # every key but `managed_files`
    managed_files: dict[str, str] = field(default_factory=dict)  # path -> sha256 hex


def read_recorded(root: Path) -> Recorded:
    """Parse `root/.scaffold-answers.yml`; errors say what to do."""
    data = load_answers(root)
    if data is None:
        raise RepoError(
            f"{root} has no {ANSWERS_FILE}: scaffold was never set up here; run `scaffold init`"
        )
    version = data.get("template_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileFormatError(
            root / ANSWERS_FILE, "`template_version` is missing or not a positive integer"
        )
    digests = recorded_digests(data, root)
    data.pop(DIGESTS_KEY, None)
    return Recorded(root=root, template_version=version, answers=data, managed_files=digests)


def recorded_digests(answers: Mapping[str, Any], root: Path) -> dict[str, str]:
    """The `managed_files` of `root`'s parsed answers ({} when absent); errors name the file."""
    digests = answers.get(DIGESTS_KEY) or {}
    if not isinstance(digests, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in digests.items()
    ):
        raise FileFormatError(
            root / ANSWERS_FILE, f"`{DIGESTS_KEY}` must map paths to sha256 digests"
        )
    return digests
