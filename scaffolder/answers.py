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
claude_md: CLAUDE.md           # memory file with the managed block ("" = none)
pre_commit: true               # whether the hooks were added to .pre-commit-config.yaml
agents_md: AGENTS.md           # other agents' files with the same rule ("" = none) ...
cursor_rule: ""                # ... see scaffolder/agents.py
copilot_md: ""
claude_hook: true              # whether .claude/settings.json got the PostToolUse hook
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scaffolder.errors import FileFormatError

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
    return parse_answers(text, path)
