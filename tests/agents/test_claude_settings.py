"""`.claude/settings.json`: scaffold's hook is spliced in, everything of the user's is kept."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffolder.edits.claude_settings import (
    HOOK_COMMAND,
    add_claude_hook,
    has_claude_hook,
    hook_group,
)
from scaffolder.errors import FileFormatError


def _expected(data: dict[str, Any]) -> dict[str, Any]:
    """What the merged document must parse to: the user's data plus one matcher group."""
    expected = json.loads(json.dumps(data))
    expected.setdefault("hooks", {}).setdefault("PostToolUse", []).append(hook_group())
    return expected


def _ordered(value: Any) -> str:
    # json.dumps keeps insertion order, so equal strings mean equal keys in equal order.
    return json.dumps(value)


def test_absent_file_gets_a_new_document() -> None:
    text = add_claude_hook(None)
    assert json.loads(text) == {"hooks": {"PostToolUse": [hook_group()]}}
    assert text.endswith("}\n")
    assert add_claude_hook("") == text


def test_real_settings_keep_permissions_env_and_other_hooks() -> None:
    original = """{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "permissions": {
    "allow": ["Bash(npm run lint)", "Read(~/.zshrc)"],
    "deny": ["Read(./.env)"]
  },
  "env": {"FOO": "1.50"},
  "hooks": {
    "PreToolUse": [
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh"}]}
    ],
    "PostToolUse": [
      {
        "matcher": "Write",
        "hooks": [{"type": "command", "command": "prettier --write \\"$FILE\\""}]
      }
    ]
  },
  "model": "claude-opus-4-6"
}
"""
    merged = add_claude_hook(original)
    assert _ordered(json.loads(merged)) == _ordered(_expected(json.loads(original)))
    # A pure insertion: the user's bytes before and after it are untouched.
    assert merged.startswith(original[: original.index("      }\n    ]\n  },")])
    assert merged.endswith('\n    ]\n  },\n  "model": "claude-opus-4-6"\n}\n')
    assert '            "command": "scaffold lint --claude-hook"\n' in merged


@pytest.mark.parametrize(
    ("indent", "unit"), [(2, "  "), (4, "    "), ("\t", "\t")], ids=["2", "4", "tab"]
)
def test_indentation_style_is_followed(indent: int | str, unit: str) -> None:
    original = json.dumps({"permissions": {"allow": []}}, indent=indent) + "\n"
    merged = add_claude_hook(original)
    assert f'\n{unit}"hooks": {{\n{unit}{unit}"PostToolUse": [\n' in merged
    assert json.loads(merged) == _expected(json.loads(original))


def test_crlf_bom_and_non_ascii_are_kept() -> None:
    original = '\ufeff{\r\n  "env": {"GREETING": "grüß dich — こんにちは"}\r\n}\r\n'
    merged = add_claude_hook(original)
    assert merged.startswith('\ufeff{\r\n  "env": {"GREETING": "grüß dich — こんにちは"},\r\n')
    assert "\n" not in merged.replace("\r\n", "")
    assert merged.endswith("\r\n}\r\n")
    assert json.loads(merged.removeprefix("\ufeff")) == _expected(json.loads(original[1:]))


def test_compact_one_line_document_stays_on_one_line() -> None:
    merged = add_claude_hook('{"model":"opus","hooks":{"PostToolUse":[]}}')
    assert "\n" not in merged
    assert merged.startswith('{"model":"opus","hooks":{"PostToolUse":[{"matcher":')


def test_empty_hook_containers_are_expanded_in_a_pretty_file() -> None:
    merged = add_claude_hook('{\n  "hooks": {}\n}\n')
    assert merged == add_claude_hook(None)


def test_idempotent_and_recognises_a_customised_command() -> None:
    once = add_claude_hook('{"a": 1}')
    assert add_claude_hook(once) == once
    custom = json.dumps(
        {
            "hooks": {
                "PostToolUse": [
                    {
                        "matcher": "Edit|Write",
                        "hooks": [{"type": "command", "command": ".venv/bin/" + HOOK_COMMAND}],
                    }
                ]
            }
        }
    )
    assert has_claude_hook(custom)
    assert add_claude_hook(custom) == custom
    assert not has_claude_hook('{"hooks": {"PostToolUse": []}}')


def test_duplicate_keys_follow_json_parse_last_one_wins() -> None:
    merged = add_claude_hook('{"hooks": {"Stop": []}, "hooks": {"PostToolUse": []}}')
    parsed = json.loads(merged)
    assert parsed["hooks"]["PostToolUse"] == [hook_group()]
    assert merged.startswith('{"hooks": {"Stop": []}, "hooks": {"PostToolUse": [{')


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{\n  "a": 1,\n}\n', ".claude/settings.json:3:1"),
        ('{"a": tru}', ".claude/settings.json:1:7"),
        ("[1, 2]", ".claude/settings.json:1:1"),
    ],
)
def test_invalid_json_is_a_file_format_error_with_position(text: str, where: str) -> None:
    with pytest.raises(FileFormatError) as info:
        add_claude_hook(text)
    assert info.value.format_message().startswith(where + ": ")


@pytest.mark.parametrize(
    "text", ['{"hooks": []}', '{"hooks": {"PostToolUse": {"matcher": "Edit"}}}']
)
def test_shapes_claude_code_rejects_are_errors_not_guesses(text: str) -> None:
    with pytest.raises(FileFormatError):
        add_claude_hook(text)


# --- property: any settings document keeps its keys, values and order; merging twice is a no-op

_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_json = st.recursive(
    _scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
_group = st.fixed_dictionaries(
    {
        "matcher": st.sampled_from(["Bash", "Edit", "Write|Edit", ""]),
        "hooks": st.lists(
            st.fixed_dictionaries({"type": st.just("command"), "command": st.text(max_size=12)}),
            max_size=2,
        ),
    }
)
_hooks = st.dictionaries(
    st.sampled_from(["PreToolUse", "PostToolUse", "Stop", "Notification"]),
    st.lists(_group, max_size=2),
    max_size=3,
)
_settings = st.dictionaries(
    # `hooks` comes from `_hooks` below: any other value is a shape error (tested above).
    (
        st.sampled_from(["permissions", "env", "model", "statusLine", "x-é"]) | st.text(max_size=6)
    ).filter(lambda key: key != "hooks"),
    _json,
    min_size=1,
    max_size=5,
).flatmap(
    lambda d: st.one_of(
        st.just(d),
        st.tuples(_hooks, st.integers(0, len(d))).map(lambda hp: _with_hooks(d, *hp)),
    )
)


def _with_hooks(data: dict[str, Any], hooks: dict[str, Any], position: int) -> dict[str, Any]:
    items = list(data.items())
    items.insert(position, ("hooks", hooks))
    return dict(items)


@given(
    data=_settings,
    indent=st.sampled_from([None, 0, 2, 4, "\t"]),
    ensure_ascii=st.booleans(),
    crlf=st.booleans(),
    bom=st.booleans(),
    trailing=st.sampled_from(["", "\n", "\n\n"]),
)
def test_merge_keeps_every_key_and_order_and_is_idempotent(
    data: dict[str, Any],
    indent: int | str | None,
    ensure_ascii: bool,
    crlf: bool,
    bom: bool,
    trailing: str,
) -> None:
    body = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii) + trailing
    if crlf:
        body = body.replace("\n", "\r\n")
    original = ("\ufeff" if bom else "") + body

    merged = add_claude_hook(original)

    assert _ordered(json.loads(merged.removeprefix("\ufeff"))) == _ordered(_expected(data))
    assert add_claude_hook(merged) == merged
    assert has_claude_hook(merged)
    # Nothing of the user's text changed: it is the merged text minus one inserted span.
    prefix = len(os.path.commonprefix([original, merged]))  # noqa: RUF071 - text, not paths
    assert len(merged) > len(original)
    assert merged.endswith(original[prefix:])
    if crlf:
        assert "\n" not in merged.replace("\r\n", "")


def test_the_matcher_is_edit_or_write_and_an_earlier_one_is_updated_in_place() -> None:
    from scaffolder.edits.claude_settings import current_claude_hook, stale_matcher

    fresh = current_claude_hook(None)
    assert json.loads(fresh)["hooks"]["PostToolUse"][0]["matcher"] == "Edit|Write"
    earlier = (
        '{"permissions": {"allow": []},\r\n "hooks": {"PostToolUse": [\r\n'
        '  {"matcher": "Bash", "hooks": [{"type": "command", "command": "echo hi"}]},\r\n'
        '  {"matcher":"Edit|MultiEdit|Write","hooks":[{"type":"command",'
        '"command":".venv/bin/scaffold lint --claude-hook"}]}]}}\r\n'
    )
    assert stale_matcher(earlier) == "Edit|MultiEdit|Write"
    updated = current_claude_hook(earlier)
    assert updated == earlier.replace('"Edit|MultiEdit|Write"', '"Edit|Write"')
    assert stale_matcher(updated) is None
    assert current_claude_hook(updated) == updated
