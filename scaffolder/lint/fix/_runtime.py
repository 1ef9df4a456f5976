"""Where the repository's vendored recovery module is: `module_import` of the answers file
`scaffold init` wrote (`.scaffold-answers.yml`, see scaffolder/answers.py)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from scaffolder.answers import ANSWERS_FILE, load_answers
from scaffolder.errors import ScaffoldError

NO_RUNTIME = (
    "this repository has no vendored recovery module: run `scaffold init` to add "
    "claude_stream.py, then `scaffold lint --fix` again"
)


#: Members of the SDK's MessageStream that the recovering stream has too (same meaning).
STREAM_MEMBERS = frozenset(
    {"text_stream", "get_final_message", "get_final_text", "until_done", "close"}
)


class Runtime(NamedTuple):
    module: str  # how code imports it, e.g. `pkg.claude_stream`
    path: Path | None  # the vendored file, when the answers name it


def find_runtime(path: Path) -> Runtime | str:
    """The runtime module for the file `path`, or the reason there is none (a `NoFix` text)."""
    return _runtime_for(path.resolve().parent)


@lru_cache(maxsize=256)
def _runtime_for(directory: Path) -> Runtime | str:
    for root in (directory, *directory.parents):
        if (root / ANSWERS_FILE).is_file():
            return _from_answers(root)
        if (root / ".git").exists():
            break  # the repository's root: an answers file further up belongs to another
    return NO_RUNTIME


def _from_answers(root: Path) -> Runtime | str:
    try:
        answers = load_answers(root) or {}
    except ScaffoldError as exc:
        return f"{exc.format_message()}; fix it or run `scaffold init` again"
    module = answers.get("module_import")
    if not isinstance(module, str) or not module.strip():
        return f"{root / ANSWERS_FILE} names no `module_import`: run `scaffold init` again"
    module_path = answers.get("module_path")
    vendored = root / module_path if isinstance(module_path, str) and module_path else None
    if vendored is not None and not vendored.is_file():
        return (
            f"the recovery module {module_path} named in {ANSWERS_FILE} is missing: run "
            "`scaffold init` to add it again"
        )
    return Runtime(module.strip(), vendored)
