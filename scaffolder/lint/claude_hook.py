"""`scaffold lint --claude-hook`: lint the file Claude Code just edited, inside the agent's turn.

Claude Code runs the hook after every Edit and Write (the matcher `Edit|Write`; MultiEdit
events of older releases are handled too), a PostToolUse hook (docs/agents.md), with one JSON
event on stdin:

    {"session_id": ..., "transcript_path": ..., "cwd": ..., "hook_event_name": "PostToolUse",
     "tool_name": "Edit", "tool_input": {"file_path": ..., "old_string": ..., ...},
     "tool_response": {...}}

Exit code 2 feeds stderr back to the model, which fixes the code in the same turn; exit 0 says
nothing. So the hook exits 2 only for findings *this edit introduced* in a Python file of the
project (findings that were already in the file are pre-commit's business: an agent told to fix
code it did not touch wanders off its task), and exits 0 on everything else, including its own
failures: a broken config or a bug in scaffold must never leave the agent stuck behind a hook.

Codex CLI's `apply_patch` and Gemini CLI's `write_file` / `replace` events have the same
contract and are restated as Claude Code's first (`_agent_events`); a Codex patch may edit
several files, each linted like one edit.

This runs after every edit, so it stays on the light path: no copier, no anthropic, no PyYAML
import; nothing but the edited file (and, to explain a finding, the answers file) is read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffolder.errors import EXIT_OK, ScaffoldError

if TYPE_CHECKING:
    from scaffolder.lint.config import Settings
    from scaffolder.lint.diagnostics import Diagnostic

EXIT_BLOCK = 2  # Claude Code's "show stderr to the model"
EDIT_TOOLS = frozenset({"Edit", "MultiEdit", "Write"})
# Gemini CLI's file tools and Codex CLI's patch tool: restated as Claude Code's (_agent_events).
_OTHER_AGENTS_TOOLS = frozenset({"write_file", "replace", "apply_patch"})

# The runtime's public functions (DESIGN.md); the fix hints of the rules name the ones to use.
# (Patterns stay strings, compiled by `re` only when a finding needs them: the hook pays for
# every import on every edit.)
_RUNTIME_API = (
    r"\b(recovering_stream|async_recovering_stream|stream_with_recovery|make_client|"
    r"make_async_client|recoveringStream|makeClient)\b"
)
# SCF9xx mean "this file could not be checked" (syntax or encoding error): an agent midway
# through a multi-step change often leaves one behind for a moment, and the interpreter and
# the agent's own tools report it better. The hook is about streams.
_CANNOT_CHECK = "SCF9"


@dataclass(frozen=True)
class HookResult:
    """What the hook tells Claude Code: an exit code and the text for stderr ("" = silent)."""

    exit_code: int
    message: str = ""


@dataclass(frozen=True)
class _Event:
    tool: str
    path: Path
    project: Path
    tool_input: Mapping[str, Any]
    tool_response: Mapping[str, Any]


def run_claude_hook(
    payload: bytes | str,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    config_file: Path | None = None,
) -> HookResult:
    """Handle one PostToolUse event; never raises (except KeyboardInterrupt).

    `env` defaults to `os.environ` (for `CLAUDE_PROJECT_DIR`), `cwd` to the process's directory.
    """
    try:
        events = _parse(payload, env if env is not None else os.environ, cwd or Path.cwd())
        if isinstance(events, HookResult):
            return events
        return _combined([_lint(event, config_file) for event in events])
    except ScaffoldError as exc:  # a broken config or answers file: the user's to fix, later
        return _warn(f"{exc.format_message()}; the Claude Code hook did not check this edit")
    except Exception as exc:  # never block the agent on a bug of ours
        return _warn(
            f"the Claude Code hook failed ({exc!r}) and did not check this edit. This is a bug "
            "in scaffold; please report it"
        )


def _combined(results: Sequence[HookResult]) -> HookResult:
    """One answer for an edit of several files (a Codex patch): blocked if any file is."""
    blocking = [r for r in results if r.exit_code == EXIT_BLOCK]
    shown = blocking or results
    return HookResult(
        EXIT_BLOCK if blocking else EXIT_OK, "".join(r.message for r in shown if r.message)
    )


def _warn(text: str) -> HookResult:
    return HookResult(EXIT_OK, f"scaffold: warning: {text}\n")


def _parse(payload: bytes | str, env: Mapping[str, str], cwd: Path) -> list[_Event] | HookResult:
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return _warn(f"the Claude Code hook input on stdin is not JSON ({exc})")
    if not isinstance(data, dict):
        return _warn("the Claude Code hook input on stdin is not a JSON object")
    if data.get("tool_name") in _OTHER_AGENTS_TOOLS:
        from scaffolder.lint._agent_events import restate

        restated = restate(data)
    else:
        restated = [data]
    events: list[_Event] = []
    for item in restated:
        event = _parse_event(item, env, cwd)
        if isinstance(event, HookResult):
            if event.message or len(restated) == 1:
                return event
            continue
        events.append(event)
    return events


def _parse_event(data: Mapping[str, Any], env: Mapping[str, str], cwd: Path) -> _Event | HookResult:
    event_name = data.get("hook_event_name", "PostToolUse")
    if event_name == "AfterTool":  # Gemini CLI, a tool other than its file edits
        return HookResult(EXIT_OK)
    if event_name != "PostToolUse":
        return _warn(
            f"`scaffold lint --claude-hook` runs as a PostToolUse hook, not {event_name}; "
            "see .claude/settings.json"
        )
    tool = data.get("tool_name")
    tool_input = data.get("tool_input")
    if tool not in EDIT_TOOLS or not isinstance(tool_input, dict):
        return HookResult(EXIT_OK)  # a matcher wider than ours: not an edit, nothing to say
    file_path = tool_input.get("file_path")
    if not isinstance(file_path, str) or not file_path:
        return _warn(f"the {tool} event has no tool_input.file_path")
    session_dir = Path(data["cwd"]) if isinstance(data.get("cwd"), str) else cwd
    project = Path(env.get("CLAUDE_PROJECT_DIR") or env.get("GEMINI_PROJECT_DIR") or session_dir)
    response = data.get("tool_response")
    return _Event(
        tool=tool,
        path=session_dir / file_path,  # an absolute file_path replaces session_dir
        project=project,
        tool_input=tool_input,
        tool_response=response if isinstance(response, dict) else {},
    )


def _lint(event: _Event, config_file: Path | None) -> HookResult:
    from scaffolder.lint import typescript
    from scaffolder.lint.codes import LINTED_SUFFIXES

    node = typescript.handles(event.path.name)
    if not event.path.name.endswith(LINTED_SUFFIXES):  # as `scaffold lint` on a directory
        return HookResult(EXIT_OK)
    project = event.project.resolve()
    path = event.path.resolve()
    try:
        rel = path.relative_to(project)
    except ValueError:
        return HookResult(EXIT_OK)  # outside the project: a scratch file, another checkout
    if not path.is_file():
        return HookResult(EXIT_OK)

    from scaffolder.lint.prefilter import may_have_findings

    source = path.read_bytes()
    prefilter = typescript.may_have_findings if node else may_have_findings
    if not prefilter(source):  # most edits: no config read, no rule engine imported
        return HookResult(EXIT_OK)

    from scaffolder.lint import lint_source
    from scaffolder.lint.config import load_config
    from scaffolder.lint.discovery import is_excluded

    settings = load_config(path, config_file=config_file)  # the nearest config, as `scaffold lint`
    if is_excluded(path, settings):  # as `scaffold lint --force-exclude` (the pre-commit hook)
        return HookResult(EXIT_OK)
    after = _checked(lint_source(source, path, settings))
    if not after:
        return HookResult(EXIT_OK)
    before_text = _text_before_edit(event, source)
    before = (
        _checked(lint_source(before_text.encode("utf-8"), path, settings)) if before_text else []
    )
    new, old = _introduced(after, source, before, before_text)
    if not new:
        return HookResult(EXIT_OK)
    # The exact edit comes from `lint --fix`, which rewrites Python only.
    suggestion = "" if node else _suggestion(source, path, rel, settings, new, project)
    return HookResult(EXIT_BLOCK, _message(new, old, rel, project, suggestion, node=node))


def _suggestion(
    source: bytes,
    path: Path,
    rel: Path,
    settings: Settings,
    new: Sequence[Diagnostic],
    project: Path,
) -> str:
    """The exact replacement lines for the new findings (`scaffold lint --fix`'s), or "".

    Only here, when the hook is about to block, is libcst imported.
    """
    try:
        from scaffolder.lint.fix._runtime import NO_RUNTIME, Runtime
        from scaffolder.lint.fix._suggest import suggested_edit

        recorded = _recorded_module(project)
        runtime: Runtime | str = NO_RUNTIME
        if recorded is not None and (not recorded[1] or (project / recorded[1]).is_file()):
            runtime = Runtime(recorded[0], project / recorded[1] if recorded[1] else None)
        return suggested_edit(source, path, rel.as_posix(), settings, new, runtime)
    except Exception:  # the findings and hints still go out without the exact edit
        return ""


def _checked(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if not d.code.startswith(_CANNOT_CHECK)]


# --- which findings did this edit introduce? ---------------------------------------------------


def _text_before_edit(event: _Event, source: bytes) -> str | None:
    """The file as it was before the tool ran, or None when that cannot be known.

    Claude Code's tool_response carries it (`originalFile`, `originalFileContents`; a Write
    that created the file has `type: create`). Without it, an Edit or MultiEdit is undone by
    swapping each new_string back, when that string occurs exactly once.
    """
    response = event.tool_response
    if event.tool == "Write" and response.get("type") == "create":
        return ""
    for key in ("originalFile", "originalFileContents"):
        if isinstance(response.get(key), str):
            return str(response[key])
    edits: Sequence[Any]
    if event.tool == "Edit":
        edits = [event.tool_input]
    elif event.tool == "MultiEdit" and isinstance(event.tool_input.get("edits"), list):
        edits = event.tool_input["edits"]
    else:
        return None
    try:
        text = source.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    for edit in reversed(edits):  # MultiEdit applies its edits in order; undo them backwards
        if not isinstance(edit, dict):
            return None
        old, new = edit.get("old_string"), edit.get("new_string")
        if not isinstance(old, str) or not isinstance(new, str) or text.count(new) != 1 or not new:
            return None
        text = text.replace(new, old, 1)
    return text


def _introduced(
    after: Sequence[Diagnostic],
    source: bytes,
    before: Sequence[Diagnostic],
    before_text: str | None,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Split `after` into findings new with this edit and findings the file already had.

    Line numbers move when lines are added above a finding, so a finding is identified by its
    code and the text of its line; a multiset difference keeps a second copy of a line new.
    """
    if before_text is None:
        return list(after), []
    after_lines = _lines(source.decode("utf-8-sig", errors="replace"))
    before_lines = _lines(before_text)
    seen: dict[tuple[str, str], int] = {}
    for diagnostic in before:
        key = _identity(diagnostic, before_lines)
        seen[key] = seen.get(key, 0) + 1
    new: list[Diagnostic] = []
    old: list[Diagnostic] = []
    for diagnostic in after:
        key = _identity(diagnostic, after_lines)
        if seen.get(key):
            seen[key] -= 1
            old.append(diagnostic)
        else:
            new.append(diagnostic)
    return new, old


def _lines(text: str) -> list[str]:
    # The parser's line numbering: str.splitlines() would also break at \f, \v or U+2028.
    return re.split(r"\r\n|\r|\n", text)


def _identity(diagnostic: Diagnostic, lines: Sequence[str]) -> tuple[str, str]:
    line = diagnostic.line
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return diagnostic.code, text


# --- the message the model reads ---------------------------------------------------------------


def _message(
    new: Sequence[Diagnostic],
    old: Sequence[Diagnostic],
    rel: Path,
    project: Path,
    suggestion: str = "",
    *,
    node: bool = False,
) -> str:
    shown = rel.as_posix()
    count = f"{len(new)} problem{'s' if len(new) != 1 else ''}"
    out = [f"scaffold lint: this edit added {count} to {shown} (Claude streams need recovery):"]
    names: list[str] = []
    for d in new:
        out.append(f"  {shown}:{d.line}:{d.col}: {d.code} {d.message}")
        if d.fix_hint:
            out.append(f"    fix: {d.fix_hint}")
            names += [n for n in re.findall(_RUNTIME_API, d.fix_hint) if n not in names]
    out.append("")
    out.append(_node_import_line(project, names) if node else _import_line(project, names))
    out.append("")
    if suggestion:
        out.append(suggestion)
        out.append("")
    comment = "//" if node else "#"
    out.append(
        "Fix it now with another edit; this check runs again after it. If a call is "
        f"deliberately unprotected, end its line with `{comment} noqa: <code>` and say why."
    )
    if old:
        several = len(old) != 1
        out.append(
            f"({len(old)} older finding{'s' if several else ''} in this file "
            f"{'predate' if several else 'predates'} this edit; `scaffold lint {shown}` lists "
            f"{'them' if several else 'it'}.)"
        )
    return "\n".join(out) + "\n"


def _import_line(project: Path, names: Sequence[str]) -> str:
    """Where the vendored module lives in this project, and the import to write."""
    answers = _recorded_module(project)
    if answers is None:
        return (
            "This project has no vendored recovery module yet: run `scaffold init` to add "
            "claude_stream.py, then import these functions from it."
        )
    module, where = answers
    located = f" ({where})" if where else ""
    imported = ", ".join(names or ["recovering_stream"])
    return f"The recovery module of this project is {module}{located}:\n" + (
        f"    from {module} import {imported}"
    )


def _node_import_line(project: Path, names: Sequence[str]) -> str:
    """Where the vendored Node module lives in this project (answer `node_module_path`)."""
    from scaffolder.answers import load_answers

    try:
        answers = load_answers(project) or {}
    except ScaffoldError:
        answers = {}
    where = answers.get("node_module_path")
    imported = ", ".join(names or ["recoveringStream"])
    if not isinstance(where, str) or not answers.get("node_runtime"):
        return (
            "This project has no vendored Node recovery module yet (claudeStream.ts, see "
            f"scaffold's docs/typescript.md); import {{ {imported} }} from it."
        )
    return f"The recovery module of this project is {where}: import {{ {imported} }} from it."


# `module_import: pkg.claude_stream` as the template writes it: a plain or quoted scalar.
_ANSWER_LINE = (
    r"^(module_import|module_path):[ \t]*"
    r"(?:'([^'\n]*)'|\"([^\"\\\n]*)\"|([^\s'\"#>|\[{&*!%@`][^\n#]*?))"
    r"[ \t]*(?:#[^\n]*)?$"
)


def _recorded_module(project: Path) -> tuple[str, str] | None:
    """(module_import, module_path) from the answers file, or None when it has none.

    Importing PyYAML costs more than the whole lint of a file, so the two keys are read from
    the lines the template writes; anything fancier (hand-edited YAML) goes to the YAML parser.
    """
    from scaffolder.answers import ANSWERS_FILE, load_answers

    try:
        text = (project / ANSWERS_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    found = {
        m.group(1): next(g for g in m.groups()[1:] if g is not None)
        for m in re.finditer(_ANSWER_LINE, text, re.MULTILINE)
    }
    if "module_import" not in found:
        try:
            answers = load_answers(project) or {}
        except ScaffoldError:
            return None
        found = {k: v for k, v in answers.items() if isinstance(v, str)}
    module = found.get("module_import", "").strip()
    return (module, found.get("module_path", "").strip()) if module else None
