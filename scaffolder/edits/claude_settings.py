"""Add scaffold's PostToolUse hook to Claude Code's `.claude/settings.json`.

settings.json is the user's file: permissions, env, other hooks, their key order and their
formatting must survive. Re-serialising the whole document would reorder nothing but would still
rewrite number spellings, escapes and spacing the user chose, so the edit is a *textual insertion*:
the document is parsed once to validate it and to locate the one container that gains a member,
and the new text is spliced in with the file's own indentation and line endings. Every byte
outside the insertion is kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from scaffolder.errors import FileFormatError

SETTINGS_PATH = ".claude/settings.json"
HOOK_EVENT = "PostToolUse"
# Current Claude Code edits files with Edit and Write only (no MultiEdit tool); the hook still
# accepts MultiEdit events from older releases (scaffolder.lint.claude_hook.EDIT_TOOLS).
HOOK_MATCHER = "Edit|Write"
# Matchers earlier scaffold releases wrote; `current_claude_hook` brings them to HOOK_MATCHER.
_OLD_MATCHERS = ("Edit|MultiEdit|Write",)
HOOK_COMMAND = "scaffold lint --claude-hook"

# Users may point the hook at a specific executable (`.venv/bin/scaffold`, `uvx ... scaffold`);
# any command that runs scaffold's lint with --claude-hook is ours, so we never add a second one.
_OURS = re.compile(r"\bscaffold\b.*\blint\b.*--claude-hook\b")

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\r\n]*")
_INDENT = re.compile(r"[ \t]*")
_BOM = "\ufeff"


def hook_group() -> dict[str, Any]:
    """The matcher group scaffold adds under `hooks.PostToolUse`."""
    return {"matcher": HOOK_MATCHER, "hooks": [{"type": "command", "command": HOOK_COMMAND}]}


def has_claude_hook(text: str, *, path: str = SETTINGS_PATH) -> bool:
    """Whether the settings document already runs `scaffold lint --claude-hook` after edits."""
    return _find_ours(_load(text, path))


def add_claude_hook(text: str | None, *, path: str = SETTINGS_PATH) -> str:
    """Return `text` with scaffold's PostToolUse hook added; unchanged when it is already there.

    `text` None (or blank) means the file does not exist yet: a new document is returned.
    Raises `FileFormatError` (with line and column) when the text is not a JSON object, or when
    `hooks` / `hooks.PostToolUse` have a shape Claude Code itself would reject.
    """
    fresh = json.dumps({"hooks": {HOOK_EVENT: [hook_group()]}}, indent=2) + "\n"
    if text is None or not text.strip(_BOM + " \t\r\n"):
        return fresh
    data = _load(text, path)
    if _find_ours(data):
        return text
    bom = _BOM if text.startswith(_BOM) else ""
    if not data:  # `{}`: nothing of the user's to keep but a BOM and the line ending
        return bom + (fresh.replace("\n", "\r\n") if "\r\n" in text else fresh)

    body = text[len(bom) :]
    root = _scan(body, _skip_ws(body, 0))
    hooks = root.member("hooks")
    if hooks is None:
        return bom + _insert(body, root, "hooks", {HOOK_EVENT: [hook_group()]})
    hooks_obj = _scan(body, hooks.value_start)
    event = hooks_obj.member(HOOK_EVENT)
    if event is None:
        return bom + _insert(body, hooks_obj, HOOK_EVENT, [hook_group()])
    return bom + _insert(body, _scan(body, event.value_start), None, hook_group())


def stale_matcher(text: str, *, path: str = SETTINGS_PATH) -> str | None:
    """The matcher of scaffold's hook group when an earlier scaffold wrote it, else None."""
    for group in _our_groups(_load(text, path)):
        matcher = group.get("matcher")
        if isinstance(matcher, str) and matcher in _OLD_MATCHERS:
            return matcher
    return None


def current_claude_hook(text: str | None, *, path: str = SETTINGS_PATH) -> str:
    """`add_claude_hook`, and an earlier release's matcher of scaffold's group brought to
    HOOK_MATCHER (only that string is replaced; a matcher the user chose is theirs)."""
    text = add_claude_hook(text, path=path)
    if stale_matcher(text, path=path) is None:
        return text
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    hooks = _scan(body, _skip_ws(body, 0)).member("hooks")
    assert hooks is not None  # add_claude_hook made sure our group is there
    event = _scan(body, hooks.value_start).member(HOOK_EVENT)
    assert event is not None
    for element in reversed(_scan(body, event.value_start).members):
        if not body.startswith("{", element.value_start):
            continue
        group = json.loads(body[element.value_start : element.value_end])
        matcher = _scan(body, element.value_start).member("matcher")
        ours = bool(_our_groups({"hooks": {HOOK_EVENT: [group]}}))
        if ours and matcher is not None and group.get("matcher") in _OLD_MATCHERS:
            new = json.dumps(HOOK_MATCHER)
            body = body[: matcher.value_start] + new + body[matcher.value_end :]
    return bom + body


def _load(text: str, path: str) -> dict[str, Any]:
    try:
        data = json.loads(text.removeprefix(_BOM))
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
    if not isinstance(hooks.get(HOOK_EVENT, []), list):
        raise FileFormatError(path, f'"hooks.{HOOK_EVENT}" must be a list of matcher groups')
    return data


def _find_ours(data: dict[str, Any]) -> bool:
    return bool(_our_groups(data))


def _our_groups(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The PostToolUse matcher groups that run `scaffold lint --claude-hook`."""
    hooks = data.get("hooks")
    groups = hooks.get(HOOK_EVENT) if isinstance(hooks, dict) else None
    ours = []
    for group in groups or []:
        handlers = group.get("hooks") if isinstance(group, dict) else None
        for handler in handlers if isinstance(handlers, list) else []:
            command = handler.get("command") if isinstance(handler, dict) else None
            if isinstance(command, str) and _OURS.search(command):
                ours.append(group)
                break
    return ours


@dataclass(frozen=True)
class _Member:
    key: str | None  # None for array elements
    start: int  # where the member's text begins (the key's quote, or the element's value)
    value_start: int
    value_end: int


@dataclass(frozen=True)
class _Container:
    open_at: int  # index of `{` or `[`
    close_at: int  # index of the matching `}` or `]`
    members: tuple[_Member, ...]

    def member(self, key: str) -> _Member | None:
        # JSON.parse (which Claude Code uses) keeps the last of duplicate keys; so do we.
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


def _insert(text: str, container: _Container, key: str | None, value: Any) -> str:
    """Add `key: value` (or an array element) as the container's last member."""
    root = _scan(text, _skip_ws(text, 0))
    newline = "\r\n" if "\r\n" in text else "\n"
    last = container.members[-1] if container.members else None
    multiline = "\n" in text[container.open_at : container.close_at] or (
        last is None and "\n" in text[root.open_at : root.close_at]
    )
    if not multiline:
        # Follow the file's spacing (`{"a": 1, "b": 2}` or `{"a":1,"b":2}`).
        item_sep = ", " if ", " in text else ","
        key_sep = ": " if '": ' in text else ":"
        rendered = json.dumps(value, ensure_ascii=False, separators=(item_sep, key_sep))
        prefix = json.dumps(key, ensure_ascii=False) + key_sep if key is not None else ""
        member = prefix + rendered
        if last is None:
            return text[: container.open_at + 1] + member + text[container.close_at :]
        return text[: last.value_end] + item_sep + member + text[last.value_end :]

    unit = _indent_unit(text, root)
    if last is not None and "\n" in text[container.open_at : last.start]:
        indent = _line_indent(text, last.start)
    else:
        indent = _line_indent(text, container.open_at) + unit
    rendered = json.dumps(value, ensure_ascii=False, indent=unit).replace("\n", newline + indent)
    prefix = json.dumps(key, ensure_ascii=False) + ": " if key is not None else ""
    member = indent + prefix + rendered
    if last is None:
        closing = newline + _line_indent(text, container.open_at)
        return (
            text[: container.open_at + 1] + newline + member + closing + text[container.close_at :]
        )
    return text[: last.value_end] + "," + newline + member + text[last.value_end :]
