"""The answers file, `.scaffold-answers.yml`: what `scaffold init` chose, for update and check.

It is rendered by copier from `template/files/{{_copier_conf.answers_file}}.jinja` (one source of
truth) and holds, in this order:

```yaml
_src_path: scaffolder          # a stable name for the bundled template, never a temp path
template_version: 1            # the template version the files were rendered from
timeout: 600                   # client timeout of make_client(), seconds (>= 300)
module_path: src/pkg/claude_stream.py   # posix, relative to the repository root
module_import: pkg.claude_stream        # how code imports it
source_globs: [src/**/*.py]    # the Claude Code rule's `paths:`
python_runtime: false          # only in a repository with Node code: false when Node only;
node_runtime: ts               #   the Node module ("ts", "esm", "cjs"), where it lives and
node_module_path: src/lib/claudeStream.ts  # how a file of the source root imports it
node_import: ./lib/claudeStream.js
claude_md: CLAUDE.md           # memory file with the managed block ("" = none)
pre_commit: true               # whether the hooks were added to .pre-commit-config.yaml
agents_md: AGENTS.md           # other agents' files with the same rule ("" = none) ...
cursor_rule: ""                # ... see scaffolder/agents.py
copilot_md: ""
claude_hook: true              # whether .claude/settings.json got the PostToolUse hook
gemini_md: GEMINI.md           # only when Gemini CLI or Codex CLI files are managed: Gemini's
codex_hook: true               #   rule file, and whether .codex/hooks.json and
gemini_hook: true              #   .gemini/settings.json got the hook (absent = "" / false)
managed_files: {path: sha256}  # appended by scaffold: the digest of every whole file it wrote
```

The file is committed, so anyone can edit it: it is data, validated key by key before use
(`validate_answers`). Paths must be the known target of their key and stay inside the
repository on a regular file; `module_import` must be a dotted identifier (it is written into
the memory block agents read as instructions); a bad value is one error naming the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from scaffolder._node_project import EXTENSIONS
from scaffolder.errors import FileFormatError, RepoError

ANSWERS_FILE = ".scaffold-answers.yml"


def parse_answers(text: str, path: Path) -> dict[str, Any]:
    """The answers in `text`; `FileFormatError` (with line and column) when it is not a mapping."""
    from scaffolder._yaml import parse_yaml

    data = parse_yaml(text, path)
    if not isinstance(data, dict):
        raise FileFormatError(path, "expected a YAML mapping of answers")
    return data


def load_answers(root: Path) -> dict[str, Any] | None:
    """The answers recorded in `root`'s answers file, or None when scaffold was never run there."""
    path = root / ANSWERS_FILE
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise FileFormatError(path, f"not UTF-8 ({exc.reason})") from None
    answers = parse_answers(text, path)
    validate_answers(answers, root, path)
    return answers


_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: The only places each optional agent file may be ("" = not managed); see scaffolder/agents.py.
_FIXED_TARGETS = {
    "claude_md": ("", "CLAUDE.md", ".claude/CLAUDE.md"),
    "agents_md": ("", "AGENTS.md"),
    "cursor_rule": ("", ".cursor/rules/claude-streaming.mdc"),
    "copilot_md": ("", ".github/copilot-instructions.md"),
    "gemini_md": ("", "GEMINI.md"),
}
_WHOLE_FILES = (".claude/rules/claude-streaming.md",)  # whole template files besides the runtime


def validate_answers(answers: dict[str, Any], root: Path, path: Path) -> None:
    """Raise `FileFormatError` naming the first key whose value scaffold must not use."""
    for key, value in answers.items():
        check = _SCHEMA.get(key, _check_extension) if isinstance(key, str) else None
        problem = "is not a known answer" if check is None else check(value, answers)
        if problem is None and key in _PATH_KEYS and value:
            problem = _check_place(root, str(value))
        if problem is not None:
            raise FileFormatError(path, f"`{key}` {problem}; fix it or run `scaffold init` again")
    for rel in answers.get("managed_files") or {}:
        problem = _check_place(root, rel)
        if problem is not None:
            raise FileFormatError(path, f"`managed_files` entry {rel!r} {problem}")


def _check_place(root: Path, rel: str) -> str | None:
    """Why `rel` is no place for scaffold to read or write (outside, special file), or None."""
    from scaffolder.repo import check_inside

    try:
        target = check_inside(root, rel)
    except RepoError:
        return "leads outside the repository"
    if (target.exists() or target.is_symlink()) and not target.is_file():
        return "is not a regular file"
    return None


def _check_str(value: object) -> str | None:
    if not isinstance(value, str) or _CONTROL.search(value):
        return f"must be a one-line string, not {_shown(value)}"
    return None


def _check_positive_int(value: object, minimum: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        return f"must be a whole number >= {minimum}, not {_shown(value)}"
    return None


def _check_bool(value: object, _: dict[str, Any]) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, not {_shown(value)}"


def _check_module_path(value: object, _: dict[str, Any]) -> str | None:
    if _check_str(value) is not None or not str(value).endswith(".py"):
        return f"must be the relative path of a Python module file, not {_shown(value)}"
    pure = PurePosixPath(str(value))
    if pure.is_absolute() or ".." in pure.parts or not pure.stem.isidentifier():
        return f"must be the relative path of a Python module file, not {_shown(value)}"
    return None


_NODE_RUNTIMES = {"": "", **EXTENSIONS}  # "": no Node module
# What an import specifier of a relative file looks like: no quotes, spaces or backslashes (it
# is written into the texts agents read as instructions).
_NODE_IMPORT = re.compile(r"\./[A-Za-z0-9_@./-]+")


def _check_node_runtime(value: object, _: dict[str, Any]) -> str | None:
    if value in _NODE_RUNTIMES:
        return None
    return f"must be one of {', '.join(map(repr, _NODE_RUNTIMES))}, not {_shown(value)}"


def _check_node_module_path(value: object, answers: dict[str, Any]) -> str | None:
    suffix = _NODE_RUNTIMES.get(str(answers.get("node_runtime") or "")) or None
    wanted = f"the relative path of the Node recovery module ({suffix or '.ts, .mjs or .cjs'})"
    if _check_str(value) is not None:
        return f"must be {wanted}, not {_shown(value)}"
    pure = PurePosixPath(str(value))
    suffixes = (suffix,) if suffix else tuple(s for s in _NODE_RUNTIMES.values() if s)
    if pure.is_absolute() or ".." in pure.parts or pure.suffix not in suffixes:
        return f"must be {wanted}, not {_shown(value)}"
    return None


def _check_node_import(value: object, _: dict[str, Any]) -> str | None:
    if isinstance(value, str) and _NODE_IMPORT.fullmatch(value) and ".." not in value:
        return None
    return f"must be a relative import specifier (./lib/claudeStream.js), not {_shown(value)}"


def _check_module_import(value: object, _: dict[str, Any]) -> str | None:
    if not isinstance(value, str) or not all(p.isidentifier() for p in value.split(".")):
        return f"must be a dotted Python import path (pkg.claude_stream), not {_shown(value)}"
    return None


def _check_globs(value: object, _: dict[str, Any]) -> str | None:
    if not isinstance(value, list) or not value:
        return f"must be a list of glob patterns, not {_shown(value)}"
    for glob in value:
        if _check_str(glob) is not None or not glob or any(c in glob for c in "\"'\\"):
            return f"holds {_shown(glob)}, which is not a glob pattern"
    return None


def _check_digests(value: object, answers: dict[str, Any]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return "must map managed file paths to sha256 digests"
    allowed = {
        str(answers.get(key))
        for key in ("module_path", "node_module_path", "cursor_rule")
        if answers.get(key)
    }
    allowed.update(_WHOLE_FILES)
    for rel, digest in value.items():
        if rel not in allowed:
            return f"lists {_shown(rel)}, which is not a file scaffold writes"
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            return f"holds {_shown(digest)} for {rel}, which is not a sha256 digest"
    return None


def _fixed(key: str) -> Callable[[object, dict[str, Any]], str | None]:
    allowed = _FIXED_TARGETS[key]

    def check(value: object, _: dict[str, Any]) -> str | None:
        if value in allowed:
            return None
        choices = ", ".join(repr(a) for a in allowed)
        return f"must be one of {choices}, not {_shown(value)}"

    return check


def _check_extension(value: object, _: dict[str, Any]) -> str | None:
    """A key of another template version: a plain scalar, never text spanning lines."""
    if isinstance(value, (bool, int)) or (isinstance(value, str) and not _CONTROL.search(value)):
        return None
    return f"must be a plain one-line value, not {_shown(value)}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_SCHEMA: dict[str, Callable[[object, dict[str, Any]], str | None]] = {
    "_src_path": lambda value, _: _check_str(value),
    "template_version": lambda value, _: _check_positive_int(value, 1),
    "timeout": lambda value, _: _check_positive_int(value, 300),
    "module_path": _check_module_path,
    "module_import": _check_module_import,
    "python_runtime": _check_bool,
    "node_runtime": _check_node_runtime,
    "node_module_path": _check_node_module_path,
    "node_import": _check_node_import,
    "source_globs": _check_globs,
    "pre_commit": _check_bool,
    "claude_hook": _check_bool,
    "codex_hook": _check_bool,
    "gemini_hook": _check_bool,
    "managed_files": _check_digests,
    **{key: _fixed(key) for key in _FIXED_TARGETS},
}
_PATH_KEYS = ("module_path", "node_module_path", *_FIXED_TARGETS)
