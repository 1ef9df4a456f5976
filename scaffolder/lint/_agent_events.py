"""Codex CLI's and Gemini CLI's after-tool hook events, restated as Claude Code's.

Both CLIs run command hooks with one JSON event on stdin and feed the stderr of exit code 2
back to the model, like Claude Code (see docs/agents.md for the sources):

- Gemini CLI: `hook_event_name: "AfterTool"`; its file tools are `write_file` (`file_path`,
  `content`) and `replace` (`file_path`, `old_string`, `new_string`), the shapes of Claude
  Code's Write and Edit. Exit 2 replaces the tool's result with stderr.
- Codex CLI: `hook_event_name: "PostToolUse"`; every file edit is one `apply_patch` call whose
  raw patch is `tool_input.command`: `*** Add File: <path>` followed by `+` lines, or
  `*** Update File: <path>` (optionally `*** Move to: <path>`) followed by hunks of ` `
  context, `-` removed and `+` added lines separated by `@@` lines. One patch may touch
  several files.

`restate` turns such an event into Claude Code events, one per edited file: a Gemini tool
becomes Write or Edit, an added Codex file a Write that created it, an updated one a MultiEdit
whose edits are the hunks (old: context and removed lines, new: context and added lines), so
the hook can undo them to tell new findings from old ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

GEMINI_TOOLS = {"write_file": "Write", "replace": "Edit"}
_FILE_HEADER = re.compile(r"^\*\*\* (Add|Update|Delete) File: (.+?)\s*$")
_MOVE = re.compile(r"^\*\*\* Move to: (.+?)\s*$")


def restate(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Claude Code events for a Gemini or Codex event; `[data]` for anything else."""
    tool, tool_input = data.get("tool_name"), data.get("tool_input")
    if data.get("hook_event_name") == "AfterTool" and tool in GEMINI_TOOLS:
        return [{**data, "hook_event_name": "PostToolUse", "tool_name": GEMINI_TOOLS[tool]}]
    if tool == "apply_patch" and isinstance(tool_input, dict):
        patch = _patch_text(tool_input.get("command"))
        if patch is not None:
            return [{**data, **edit} for edit in _patch_edits(patch)]
    return [dict(data)]


def _patch_text(command: Any) -> str | None:
    # The hook sees the patch body itself; a shell-style call is ["apply_patch", "<patch>"].
    if isinstance(command, list):
        command = next((c for c in command if isinstance(c, str) and "*** " in c), None)
    return command if isinstance(command, str) else None


def _patch_edits(patch: str) -> list[dict[str, Any]]:
    """One Write or MultiEdit event part (tool_name, tool_input, tool_response) per file."""
    files: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    hunk: tuple[list[str], list[str]] | None = None
    for line in patch.splitlines():
        header = _FILE_HEADER.match(line)
        if header:
            kind, path = header.groups()
            current = {"kind": kind, "path": path, "added": [], "hunks": []}
            hunk = None
            files.append(current)
            continue
        if current is None or line.startswith("*** End"):
            continue
        move = _MOVE.match(line)
        if move:
            current["path"] = move.group(1)
        elif current["kind"] == "Add":
            if line.startswith("+"):
                current["added"].append(line[1:])
        elif current["kind"] == "Update":
            if line.startswith("@@"):
                hunk = None
                continue
            if line[:1] not in (" ", "-", "+") and line:
                continue
            if hunk is None:
                hunk = ([], [])
                current["hunks"].append(hunk)
            old, new = hunk
            mark, text = (line[:1] or " "), line[1:]
            if mark in (" ", "-"):
                old.append(text)
            if mark in (" ", "+"):
                new.append(text)
    return [_event_part(f) for f in files if f["kind"] != "Delete"]


def _event_part(file: Mapping[str, Any]) -> dict[str, Any]:
    if file["kind"] == "Add":
        content = "".join(f"{line}\n" for line in file["added"])
        return {
            "tool_name": "Write",
            "tool_input": {"file_path": file["path"], "content": content},
            "tool_response": {"type": "create"},
        }
    edits = [
        {"old_string": "\n".join(old) + "\n", "new_string": "\n".join(new) + "\n"}
        for old, new in file["hunks"]
    ]
    return {
        "tool_name": "MultiEdit",
        "tool_input": {"file_path": file["path"], "edits": edits},
        "tool_response": {},
    }
