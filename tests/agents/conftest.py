"""A small project a coding agent edits, and Claude Code hook events replayed against it.

`payloads/*.json` hold one PostToolUse event per tool (Edit, Write, MultiEdit) in the shape
Claude Code sends on stdin (common fields, `tool_input`, `tool_response` with the original
file), written for the project at `/home/dev/chat-app`. `Replay` moves an event to a temporary
project, puts the file on disk as it was *before* the tool ran, then applies the tool the way
Claude Code does, so the hook sees exactly what it would see in a session.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .claude_code import install_claude_code

PAYLOADS = Path(__file__).parent / "payloads"
RECORDED_PROJECT = "/home/dev/chat-app"

PYPROJECT = """\
[project]
name = "chat-app"
version = "0.1.0"
dependencies = ["anthropic>=0.40"]

[tool.scaffold]
exclude = ["scripts"]
"""

# What `scaffold init` records for this layout (see scaffolder/answers.py).
ANSWERS = """\
# Written by `scaffold init`; `scaffold update` and `scaffold check` read it. Do not edit by hand.
_src_path: scaffolder
template_version: 1
timeout: 600
module_path: chat_app/claude_stream.py
module_import: chat_app.claude_stream
source_globs:
- chat_app/**/*.py
claude_md: CLAUDE.md
pre_commit: true
"""


@dataclass
class Replay:
    project: Path

    def event(self, name: str, **overrides: Any) -> dict[str, Any]:
        """The recorded event `name`, moved to this project (not yet applied to disk)."""
        text = (PAYLOADS / f"{name}.json").read_text(encoding="utf-8")
        event: dict[str, Any] = json.loads(text.replace(RECORDED_PROJECT, str(self.project)))
        event.update(overrides)
        return event

    def apply(self, event: dict[str, Any]) -> bytes:
        """Put the file in its before-state, run the tool on it, return the event as stdin."""
        tool_input, response = event["tool_input"], event.get("tool_response", {})
        path = Path(tool_input["file_path"])
        before = response.get("originalFile", response.get("originalFileContents"))
        if before is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(before, encoding="utf-8", newline="")
        if event["tool_name"] == "Write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(tool_input["content"], encoding="utf-8", newline="")
        else:
            edits = tool_input.get("edits") or [tool_input]
            text = path.read_bytes().decode("utf-8")
            for edit in edits:
                assert edit["old_string"] in text, "the recorded edit must apply"
                text = text.replace(edit["old_string"], edit["new_string"], 1)
            path.write_text(text, encoding="utf-8", newline="")
        return json.dumps(event).encode("utf-8")

    def edit(self, rel: str, old: str, new: str, *, with_response: bool = True) -> bytes:
        """A fresh Edit event for `rel` (replacing `old` by `new`), applied to disk."""
        path = self.project / rel
        original = path.read_text(encoding="utf-8")
        event = self.event("edit")
        event["tool_input"] = {
            "file_path": str(path),
            "old_string": old,
            "new_string": new,
            "replace_all": False,
        }
        if with_response:
            event["tool_response"] = {"filePath": str(path), "originalFile": original}
        else:
            event.pop("tool_response")
        return self.apply(event)

    def line_of(self, rel: str, needle: str) -> int:
        lines = (self.project / rel).read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.fixture
def replay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Replay:
    """A git project `chat-app` set up by scaffold, the session's working directory."""
    project = tmp_path / "chat-app"
    (project / "chat_app").mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (project / ".scaffold-answers.yml").write_text(ANSWERS, encoding="utf-8")
    (project / "chat_app" / "__init__.py").write_text("", encoding="utf-8")
    (project / "chat_app" / "claude_stream.py").write_text(
        '"""Stands in for the vendored recovery module."""\n', encoding="utf-8"
    )
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    monkeypatch.chdir(project)
    monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(project))
    return Replay(project)


@pytest.fixture(scope="session")
def claude() -> Path:
    """The real Claude Code executable (installed from npm into a cache on first use)."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the real Claude Code (npm) cannot run here")
    return install_claude_code()
