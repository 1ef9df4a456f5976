"""Splice scaffold's command hook into a coding agent's JSON hook configuration.

Claude Code (`.claude/settings.json`), Codex CLI (`.codex/hooks.json`) and Gemini CLI
(`.gemini/settings.json`) keep command hooks in one shape:

    {"hooks": {"<event>": [{"matcher": "<tools>",
                            "hooks": [{"type": "command", "command": "<shell command>"}]}]}}

These files are the user's: other settings, other hooks, their key order and their formatting
must survive. Re-serialising the whole document would reorder nothing but would still rewrite
number spellings, escapes and spacing the user chose, so every edit is *textual*: the document
is parsed once to validate it and to locate the one container that gains a member (or the one
string that changes), and the new text is spliced in with the file's own indentation and line
endings. Every byte outside the edit is kept. Our matcher group always goes *last* in its event's
list: Codex CLI keys the trust a user gave each hook by its position, so the user's hooks keep
their places (and their trust).

Gemini CLI reads its settings as JSON with comments (strip-json-comments): comments are blanked
to spaces of the same length before parsing, so an offset found in the blanked view is the same
offset in the user's text, and the comments themselves are never touched.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from scaffolder._fs import with_line_endings_of
from scaffolder.errors import FileFormatError

# Every agent runs the same command: the hook tells them apart by the event on stdin
# (scaffolder.lint._agent_events).
HOOK_COMMAND = "scaffold lint --claude-hook"
# Settings files are a few kilobytes; a bigger one is refused before it is parsed.
MAX_CHARS = 1_000_000

# Users may point the hook at a specific executable (`.venv/bin/scaffold`, `uvx ... scaffold`);
# any command that runs scaffold's lint with --claude-hook is ours, so we never add a second one.
_OURS = re.compile(r"\bscaffold\b.*\blint\b.*--claude-hook\b")

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\r\n]*")
_INDENT = re.compile(r"[ \t]*")
# A string (kept) or a comment (blanked); strings first, so `//` inside one is no comment.
# An unterminated block comment runs to the end (as in strip-json-comments): matched once,
# not retried from every `/*` in it, so hostile text costs linear time.
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?(?:\*/|\Z)', re.DOTALL)
_BOM = "\ufeff"


@dataclasses.dataclass(frozen=True)
class HookEntry:
    """Where one agent's hook goes and what scaffold writes there."""

    path: str  # the file, relative to the repository root (error messages name it)
    event: str  # "PostToolUse", "AfterTool"
    matcher: str
    handler: Mapping[str, Any]  # {"type": "command", "command": HOOK_COMMAND, ...}
    # Values earlier scaffold releases wrote: `current` brings exactly these strings up to date
    # (a matcher or command the user chose is theirs).
    earlier_matchers: tuple[str, ...] = ()
    earlier_commands: tuple[str, ...] = ()
    comments: bool = False  # the agent reads the file as JSON with comments
    agent: str = dataclasses.field(default="", compare=False)  # "Codex CLI", for messages

    def group(self) -> dict[str, Any]:
        """The matcher group scaffold adds under `hooks.<event>`."""
        return {"matcher": self.matcher, "hooks": [dict(self.handler)]}

    @property
    def command(self) -> str:
        return str(self.handler["command"])


def has_hook(text: str, entry: HookEntry) -> bool:
    """Whether the document already runs scaffold's hook command on `entry.event`."""
    return bool(_our_groups(_parse(text, entry).data, entry))


def add_hook(text: str | None, entry: HookEntry) -> str:
    """Return `text` with scaffold's matcher group added; unchanged when one is already there.

    `text` None (or blank) means the file does not exist yet: a new document is returned.
    Raises `FileFormatError` (with line and column) when the text is not a JSON object, or when
    `hooks` / `hooks.<event>` have a shape the agent itself would reject.
    """
    fresh = json.dumps({"hooks": {entry.event: [entry.group()]}}, indent=2) + "\n"
    if text is None or not text.strip(_BOM + " \t\r\n"):
        return fresh
    doc = _parse(text, entry)
    if _our_groups(doc.data, entry):
        return text
    if not doc.data and doc.view == doc.text:  # `{}`: nothing to keep but a BOM and line ending
        return doc.bom + with_line_endings_of(doc.text, fresh)

    root = _scan(doc.view, _skip_ws(doc.view, 0))
    hooks = root.member("hooks")
    if hooks is None:
        return doc.splice(_insertion(doc, root, "hooks", {entry.event: [entry.group()]}))
    hooks_obj = _scan(doc.view, hooks.value_start)
    event = hooks_obj.member(entry.event)
    if event is None:
        return doc.splice(_insertion(doc, hooks_obj, entry.event, [entry.group()]))
    events = _scan(doc.view, event.value_start)
    return doc.splice(_insertion(doc, events, None, entry.group()))


def stale_values(text: str, entry: HookEntry) -> dict[str, str]:
    """{"matcher" / "command": the value} for each earlier scaffold's value in our group."""
    found: dict[str, str] = {}
    for group in _our_groups(_parse(text, entry).data, entry):
        if group.get("matcher") in entry.earlier_matchers:
            found.setdefault("matcher", group["matcher"])
        for handler in _handlers(group):
            if handler.get("command") in entry.earlier_commands:
                found.setdefault("command", handler["command"])
    return found


def current_hook(text: str | None, entry: HookEntry) -> str:
    """`add_hook`, and an earlier release's matcher or command in scaffold's group brought to
    `entry`'s (only those exact strings are replaced; nothing is removed)."""
    text = add_hook(text, entry)
    if not stale_values(text, entry):
        return text
    doc = _parse(text, entry)
    root = _scan(doc.view, _skip_ws(doc.view, 0))
    hooks = root.member("hooks")
    assert hooks is not None  # add_hook made sure our group is there
    event = _scan(doc.view, hooks.value_start).member(entry.event)
    assert event is not None
    edits: list[tuple[int, int, str]] = []
    for element in _scan(doc.view, event.value_start).members:
        if not doc.view.startswith("{", element.value_start):
            continue
        group = json.loads(doc.view[element.value_start : element.value_end])
        if not _our_groups({"hooks": {entry.event: [group]}}, entry):
            continue
        scanned = _scan(doc.view, element.value_start)
        matcher = scanned.member("matcher")
        if matcher is not None and group.get("matcher") in entry.earlier_matchers:
            edits.append((matcher.value_start, matcher.value_end, json.dumps(entry.matcher)))
        handlers = scanned.member("hooks")
        if handlers is None or not doc.view.startswith("[", handlers.value_start):
            continue
        for item in _scan(doc.view, handlers.value_start).members:
            if not doc.view.startswith("{", item.value_start):
                continue
            command = _scan(doc.view, item.value_start).member("command")
            if command is None:
                continue
            value = json.loads(doc.view[command.value_start : command.value_end])
            if value in entry.earlier_commands:
                edits.append((command.value_start, command.value_end, json.dumps(entry.command)))
    body = doc.text
    for start, end, new in sorted(edits, reverse=True):
        body = body[:start] + new + body[end:]
    return doc.bom + body


def earlier_value(text: str, entry: HookEntry) -> tuple[str, str, str] | None:
    """(field, the earlier value, today's) for a value of scaffold's group that an earlier
    release wrote, the matcher before the command; None when the group is current or absent."""
    stale = stale_values(text, entry)
    if "matcher" in stale:
        return "matcher", stale["matcher"], entry.matcher
    if "command" in stale:
        return "command", stale["command"], entry.command
    return None


def hook_drift(text: str, entry: HookEntry) -> str | None:
    """Why the document does not hold scaffold's current hook (one clause), or None."""
    if not has_hook(text, entry):
        return f"the {entry.agent} hook `{entry.command}` is missing"
    earlier = earlier_value(text, entry)
    if earlier is None:
        return None
    field, old, now = earlier
    return f"the {entry.agent} hook's {field} `{old}` is an earlier scaffold's (now `{now}`)"


def load_object(text: str, entry: HookEntry) -> dict[str, Any]:
    """The parsed document (validated as `add_hook` validates it)."""
    return _parse(text, entry).data


def replace_path(entry: HookEntry, path: str) -> HookEntry:
    """`entry` for the same agent's file under another name (error messages name `path`)."""
    return dataclasses.replace(entry, path=path)


# --- parsing -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Document:
    bom: str
    text: str  # the document after its BOM, as the user wrote it
    view: str  # `text` with comments blanked (the same length, the same line breaks)
    data: dict[str, Any]

    def splice(self, edit: tuple[int, int, str]) -> str:
        start, end, new = edit
        return self.bom + self.text[:start] + new + self.text[end:]


def _parse(text: str, entry: HookEntry) -> _Document:
    path = entry.path
    if len(text) > MAX_CHARS:
        raise FileFormatError(
            path, f"over {MAX_CHARS:,} characters, too large for a settings file; fix the file"
        )
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    view = _blank_comments(body) if entry.comments else body
    try:
        data = json.loads(view)
    except RecursionError:
        raise FileFormatError(path, "JSON nested too deeply to read; fix the file") from None
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            path,
            f"not valid JSON ({exc.msg}); fix the file and run again",
            line=exc.lineno,
            col=exc.colno,
        ) from None
    if not isinstance(data, dict):
        raise FileFormatError(path, "expected a JSON object at the top level", line=1, col=1)
    hooks = data.get("hooks", {})
    if not isinstance(hooks, dict):
        raise FileFormatError(path, '"hooks" must be an object mapping event names to lists')
    if not isinstance(hooks.get(entry.event, []), list):
        raise FileFormatError(path, f'"hooks.{entry.event}" must be a list of matcher groups')
    return _Document(bom, body, view, data)


def _blank_comments(text: str) -> str:
    def blank(match: re.Match[str]) -> str:
        found = match.group()
        return found if found.startswith('"') else re.sub(r"[^\r\n]", " ", found)

    return _STRING_OR_COMMENT.sub(blank, text)


def _our_groups(data: dict[str, Any], entry: HookEntry) -> list[dict[str, Any]]:
    """The matcher groups of `entry.event` that run scaffold's hook command."""
    hooks = data.get("hooks")
    groups = hooks.get(entry.event) if isinstance(hooks, dict) else None
    ours = []
    for group in groups if isinstance(groups, list) else []:
        for handler in _handlers(group):
            command = handler.get("command")
            if isinstance(command, str) and (
                _OURS.search(command) or command in entry.earlier_commands
            ):
                ours.append(group)
                break
    return ours


def _handlers(group: object) -> list[dict[str, Any]]:
    handlers = group.get("hooks") if isinstance(group, dict) else None
    return [h for h in handlers if isinstance(h, dict)] if isinstance(handlers, list) else []


# --- text positions ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Member:
    key: str | None  # None for array elements
    start: int  # where the member's text begins (the key's quote, or the element's value)
    value_start: int
    value_end: int


@dataclasses.dataclass(frozen=True)
class _Container:
    open_at: int  # index of `{` or `[`
    close_at: int  # index of the matching `}` or `]`
    members: tuple[_Member, ...]

    def member(self, key: str) -> _Member | None:
        # JSON.parse (which Claude Code and Gemini CLI use) keeps the last of duplicate keys.
        found = [m for m in self.members if m.key == key]
        return found[-1] if found else None


def _skip_ws(text: str, idx: int) -> int:
    match = _WS.match(text, idx)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _scan(text: str, idx: int) -> _Container:
    """Member spans of the object or array opening at `idx` (the text is known to be valid)."""
    is_object = text[idx] == "{"
    closer = "}" if is_object else "]"
    members: list[_Member] = []
    pos = _skip_ws(text, idx + 1)
    while text[pos] != closer:
        start = pos
        key: str | None = None
        if is_object:
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            pos = _skip_ws(text, pos) + 1  # the colon
            pos = _skip_ws(text, pos)
        _, end = _DECODER.raw_decode(text, pos)
        members.append(_Member(key, start, pos, end))
        pos = _skip_ws(text, end)
        if text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
    return _Container(idx, pos, tuple(members))


def _line_indent(text: str, idx: int) -> str:
    match = _INDENT.match(text, text.rfind("\n", 0, idx) + 1)
    assert match is not None  # the pattern matches the empty string
    return match.group()


def _indent_unit(text: str, root: _Container) -> str:
    """The file's indentation step, read from the first root member on a line of its own."""
    for member in root.members:
        if "\n" in text[root.open_at : member.start]:
            unit = _line_indent(text, member.start)
            if unit:
                return unit
    return "  "


def _insertion(
    doc: _Document, container: _Container, key: str | None, value: Any
) -> tuple[int, int, str]:
    """(start, end, text): `key: value` (or an array element) as the container's last member.

    Positions and style are read from the view (comments blanked); the span start..end of the
    user's text holds nothing but whitespace.
    """
    view = doc.view
    root = _scan(view, _skip_ws(view, 0))
    newline = "\r\n" if "\r\n" in view else "\n"
    last = container.members[-1] if container.members else None
    multiline = "\n" in view[container.open_at : container.close_at] or (
        last is None and "\n" in view[root.open_at : root.close_at]
    )
    if not multiline:
        # Follow the file's spacing (`{"a": 1, "b": 2}` or `{"a":1,"b":2}`).
        item_sep = ", " if ", " in view else ","
        key_sep = ": " if '": ' in view else ":"
        rendered = json.dumps(value, ensure_ascii=False, separators=(item_sep, key_sep))
        prefix = json.dumps(key, ensure_ascii=False) + key_sep if key is not None else ""
        member = prefix + rendered
        if last is None:
            return _inside_empty(doc, container, member)
        return last.value_end, last.value_end, item_sep + member

    unit = _indent_unit(view, root)
    if last is not None and "\n" in view[container.open_at : last.start]:
        indent = _line_indent(view, last.start)
    else:
        indent = _line_indent(view, container.open_at) + unit
    rendered = json.dumps(value, ensure_ascii=False, indent=unit).replace("\n", newline + indent)
    prefix = json.dumps(key, ensure_ascii=False) + ": " if key is not None else ""
    member = indent + prefix + rendered
    if last is None:
        closing = newline + _line_indent(view, container.open_at)
        return _inside_empty(doc, container, newline + member + closing)
    return last.value_end, last.value_end, "," + newline + member


def _inside_empty(doc: _Document, container: _Container, new: str) -> tuple[int, int, str]:
    # The whitespace between the brackets of an empty container is replaced; a comment there
    # is kept, the member going in before it.
    start, end = container.open_at + 1, container.close_at
    return (start, start, new) if doc.text[start:end] != doc.view[start:end] else (start, end, new)
