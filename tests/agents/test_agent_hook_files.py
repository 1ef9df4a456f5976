"""`.codex/hooks.json` and `.gemini/settings.json`: scaffold's hook is spliced in, the rest kept.

The same engine edits `.claude/settings.json` (test_claude_settings.py); these tables hold the
cases each agent's file adds: Codex's `apply_patch` group, Gemini's comments and `AfterTool`,
hostile documents, and the refresh of a value an earlier scaffold wrote.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffolder.edits import _hook_json, codex_hooks, gemini_settings
from scaffolder.edits._hook_json import HOOK_COMMAND, HookEntry
from scaffolder.errors import FileFormatError

from .test_claude_settings import _json


@dataclasses.dataclass(frozen=True)
class Agent:
    name: str
    entry: HookEntry
    add: Callable[..., str]
    has: Callable[..., bool]
    current: Callable[..., str]
    drift: Callable[..., str | None]


CODEX = Agent(
    "codex",
    codex_hooks.ENTRY,
    codex_hooks.add_codex_hook,
    codex_hooks.has_codex_hook,
    codex_hooks.current_codex_hook,
    codex_hooks.codex_hook_drift,
)
GEMINI = Agent(
    "gemini",
    gemini_settings.ENTRY,
    gemini_settings.add_gemini_hook,
    gemini_settings.has_gemini_hook,
    gemini_settings.current_gemini_hook,
    gemini_settings.gemini_hook_drift,
)
BOTH = pytest.mark.parametrize("agent", [CODEX, GEMINI], ids=lambda a: a.name)


def _with_ours(data: dict[str, Any], entry: HookEntry) -> dict[str, Any]:
    expected = json.loads(json.dumps(data))
    expected.setdefault("hooks", {}).setdefault(entry.event, []).append(entry.group())
    return expected


def test_the_groups_are_the_ones_each_cli_documents() -> None:
    # Codex: codex-rs/config/src/hook_config.rs (timeout in seconds); exact matcher on the
    # canonical tool name (codex-rs/hooks/src/events/common.rs).
    assert codex_hooks.hook_group() == {
        "matcher": "apply_patch",
        "hooks": [{"type": "command", "command": "scaffold lint --claude-hook", "timeout": 60}],
    }
    # Gemini: packages/cli/src/config/settingsSchema.ts HookDefinitionArray (timeout in ms).
    assert gemini_settings.hook_group() == {
        "matcher": "^(write_file|replace)$",
        "hooks": [
            {
                "type": "command",
                "name": "scaffold-lint",
                "command": "scaffold lint --claude-hook",
                "timeout": 60000,
            }
        ],
    }


@BOTH
@pytest.mark.parametrize(
    "text", [None, "", " \n", "\ufeff\n"], ids=["absent", "empty", "ws", "bom"]
)
def test_absent_or_blank_file_gets_a_new_document(agent: Agent, text: str | None) -> None:
    new = agent.add(text)
    assert json.loads(new) == {"hooks": {agent.entry.event: [agent.entry.group()]}}
    assert new.endswith("}\n")
    assert agent.has(new)
    assert agent.drift(new) is None


@BOTH
def test_empty_object_keeps_its_bom_and_line_endings(agent: Agent) -> None:
    new = agent.add("\ufeff{}\r\n")
    assert new.startswith("\ufeff{\r\n")
    assert "\n" not in new.replace("\r\n", "")
    assert json.loads(new[1:]) == {"hooks": {agent.entry.event: [agent.entry.group()]}}


@BOTH
def test_user_hooks_stay_first_and_ours_goes_last(agent: Agent) -> None:
    event = agent.entry.event
    original = (
        "{\n"
        '    "hooks": {\n'
        '        "SessionStart": [{"hooks": [{"type": "command", "command": "./start.sh"}]}],\n'
        f'        "{event}": [\n'
        "            {\n"
        '                "matcher": "Bash",\n'
        '                "hooks": [{"type": "command", "command": "./audit.sh 1.50"}]\n'
        "            }\n"
        "        ]\n"
        "    }\n"
        "}\n"
    )
    new = agent.add(original)
    parsed = json.loads(new)
    groups = parsed["hooks"][event]
    # The user's group keeps index 0 (Codex keys a hook's trust by its position).
    assert groups[0]["hooks"][0]["command"] == "./audit.sh 1.50"
    assert groups[1] == agent.entry.group()
    assert list(parsed["hooks"]) == ["SessionStart", event]
    # A pure insertion in the file's 4-space style, the user's bytes around it untouched.
    head = original[: original.index("\n        ]\n")]
    assert new.startswith(head + ',\n            {\n                "matcher": ')
    assert new.endswith("\n        ]\n    }\n}\n")
    assert agent.add(new) == new


@BOTH
def test_a_customised_command_is_ours_and_is_left_alone(agent: Agent) -> None:
    group = {**agent.entry.group(), "matcher": "my|own"}
    group["hooks"] = [
        {**group["hooks"][0], "command": "uvx --from claude-scaffold " + HOOK_COMMAND}
    ]
    text = json.dumps({"hooks": {agent.entry.event: [group]}})
    assert agent.has(text)
    assert agent.add(text) == text
    assert agent.current(text) == text
    assert agent.drift(text) is None


@BOTH
def test_our_command_under_another_event_does_not_count(agent: Agent) -> None:
    other = "Stop" if agent is CODEX else "BeforeTool"
    text = json.dumps({"hooks": {other: [agent.entry.group()]}})
    assert not agent.has(text)
    assert agent.drift(text) == f"the {agent.entry.agent} hook `{HOOK_COMMAND}` is missing"
    assert json.loads(agent.add(text))["hooks"][other] == [agent.entry.group()]


@BOTH
@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{\n  "hooks": {},\n}\n', ":3:1: not valid JSON"),
        ('{"hooks": tru}', ":1:11: not valid JSON"),
        ("[1, 2]", ":1:1: expected a JSON object"),
        ('"hooks"', ":1:1: expected a JSON object"),
        ('{"a": ' + "[" * 100_000, ": JSON nested too deeply"),
        ('{"a": "' + "x" * 1_000_001 + '"}', ": over 1,000,000 characters"),
    ],
    ids=["trailing-comma", "bad-literal", "array", "string", "deep", "huge"],
)
def test_invalid_or_hostile_json_is_a_one_line_error_with_position(
    agent: Agent, text: str, where: str
) -> None:
    for call in (agent.add, agent.has, agent.current, agent.drift):
        with pytest.raises(FileFormatError) as info:
            call(text)
        message = info.value.format_message()
        assert message.startswith(agent.entry.path + where), message
        assert "\n" not in message


@BOTH
@pytest.mark.parametrize(
    "shape",
    [
        {"hooks": []},
        {"hooks": "scaffold lint --claude-hook"},
        {"hooks": {"@event": {"matcher": "x"}}},
        {"hooks": {"@event": "scaffold lint --claude-hook"}},
    ],
)
def test_shapes_the_cli_rejects_are_errors_not_guesses(agent: Agent, shape: dict[str, Any]) -> None:
    text = json.dumps(shape).replace("@event", agent.entry.event)
    with pytest.raises(FileFormatError, match=r'"hooks(\.\w+)?" must be'):
        agent.add(text)


@BOTH
def test_odd_members_of_the_event_list_are_kept_and_skipped(agent: Agent) -> None:
    # Not ours to judge: nothing in them runs scaffold, so our group is added after them.
    text = json.dumps({"hooks": {agent.entry.event: [1, "x", None, {"hooks": "no"}]}})
    new = agent.add(text)
    assert json.loads(new)["hooks"][agent.entry.event][:4] == [1, "x", None, {"hooks": "no"}]
    assert agent.has(new)


def test_duplicate_keys_follow_the_last_one_like_json_parse() -> None:
    text = '{"hooks": {"AfterTool": []}, "hooks": {"BeforeTool": []}}'
    new = gemini_settings.add_gemini_hook(text)
    assert new.startswith('{"hooks": {"AfterTool": []}, "hooks": {"BeforeTool": [], "AfterTool"')
    assert json.loads(new)["hooks"]["AfterTool"] == [gemini_settings.hook_group()]


# --- Gemini reads JSON with comments; Codex does not ----------------------------------------

GEMINI_WITH_COMMENTS = """\
// Project settings for Gemini CLI
{
  "general": {"vimMode": true}, // my editor
  /* hooks: "scaffold lint --claude-hook" is not run here, this is a comment */
  "hooks": {
    "BeforeTool": [
      {"matcher": "run_shell_command", "hooks": [{"type": "command", "command": "./guard.sh"}]}
    ]
  },
  "context": {"fileName": "GEMINI.md"} /* trailing */
}
"""


def test_gemini_comments_are_kept_byte_for_byte() -> None:
    new = gemini_settings.add_gemini_hook(GEMINI_WITH_COMMENTS)
    assert new.startswith(GEMINI_WITH_COMMENTS[: GEMINI_WITH_COMMENTS.index("\n    ]\n  },")])
    assert new.endswith('    ]\n  },\n  "context": {"fileName": "GEMINI.md"} /* trailing */\n}\n')
    for comment in ("// Project settings", "// my editor", "/* hooks:", "/* trailing */"):
        assert new.count(comment) == 1
    # A command named only in a comment is not a hook.
    assert not gemini_settings.has_gemini_hook(GEMINI_WITH_COMMENTS)
    assert gemini_settings.has_gemini_hook(new)
    assert gemini_settings.add_gemini_hook(new) == new


def test_gemini_comment_inside_an_empty_object_stays() -> None:
    new = gemini_settings.add_gemini_hook('{\n  "hooks": { /* none yet */ }\n}\n')
    assert "/* none yet */" in new
    assert gemini_settings.has_gemini_hook(new)


def test_gemini_comment_markers_inside_strings_are_text() -> None:
    text = '{"ui": {"theme": "a // b /* c */"}}'
    new = gemini_settings.add_gemini_hook(text)
    assert json.loads(new)["ui"]["theme"] == "a // b /* c */"


@pytest.mark.parametrize(
    "text",
    ['{"a": 1 ' + "/*" * 450_000, '{"a": "' + '"/*' * 300_000, "{ /* never closed"],
    ids=["many-openers", "strings-and-openers", "unterminated"],
)
def test_gemini_unterminated_comments_are_errors_read_in_one_pass(text: str) -> None:
    # An unterminated `/*` runs to the end, as in strip-json-comments; read once, not once per
    # opener (the first two would take hours if every `/*` rescanned the rest).
    with pytest.raises(FileFormatError, match=r"^\.gemini/settings\.json:1:\d+: not valid JSON"):
        gemini_settings.add_gemini_hook(text)


def test_codex_reads_plain_json_so_a_comment_is_an_error() -> None:
    with pytest.raises(FileFormatError, match=r"^\.codex/hooks\.json:1:1: not valid JSON"):
        codex_hooks.add_codex_hook('// mine\n{"hooks": {}}\n')


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ("{}", None),
        ('{"context": {"fileName": "AGENTS.md"}}', ("AGENTS.md",)),
        ('{"context": {"fileName": ["AGENTS.md", "GEMINI.md"]}} // x', ("AGENTS.md", "GEMINI.md")),
        ('{"context": {"fileName": []}}', None),
        ('{"context": {"fileName": 3}}', None),
        ('{"context": "GEMINI.md"}', None),
        ('{"context": {"fileName": ["CONTEXT.md", 7]}}', ("CONTEXT.md",)),
    ],
)
def test_gemini_context_file_names(settings: str, names: tuple[str, ...] | None) -> None:
    assert gemini_settings.context_file_names(settings) == names


# --- refresh: an earlier scaffold's exact value is updated, a user's choice is not ----------

EARLIER = dataclasses.replace(
    codex_hooks.ENTRY,
    earlier_matchers=("Edit|Write",),
    earlier_commands=("scaffold lint --agent-hook",),
)


def test_an_earlier_command_and_matcher_are_refreshed_in_place() -> None:
    old = (
        '{"hooks": {"PostToolUse": [\n'
        '  {"matcher": "Bash", "hooks": [{"type": "command", "command": "./audit.sh"}]},\n'
        '  {"matcher": "Edit|Write", "hooks": [\n'
        '    {"type": "command", "command": "scaffold lint --agent-hook", "timeout": 60}]}\n'
        "]}}\n"
    )
    assert _hook_json.has_hook(old, EARLIER)
    assert _hook_json.stale_values(old, EARLIER) == {
        "matcher": "Edit|Write",
        "command": "scaffold lint --agent-hook",
    }
    assert _hook_json.hook_drift(old, EARLIER) == (
        "the Codex CLI hook's matcher `Edit|Write` is an earlier scaffold's (now `apply_patch`)"
    )
    new = _hook_json.current_hook(old, EARLIER)
    assert new == old.replace('"Edit|Write"', '"apply_patch"').replace(
        "scaffold lint --agent-hook", HOOK_COMMAND
    )
    assert _hook_json.stale_values(new, EARLIER) == {}
    assert _hook_json.current_hook(new, EARLIER) == new  # nothing removed, nothing added
    assert _hook_json.hook_drift(new, EARLIER) is None


def test_a_stale_command_alone_is_drift_and_a_users_matcher_stays() -> None:
    old = json.dumps(
        {
            "hooks": {
                "PostToolUse": [
                    {
                        "matcher": "apply_patch|Bash",
                        "hooks": [{"type": "command", "command": "scaffold lint --agent-hook"}],
                    }
                ]
            }
        }
    )
    assert _hook_json.hook_drift(old, EARLIER) == (
        "the Codex CLI hook's command `scaffold lint --agent-hook` is an earlier scaffold's "
        f"(now `{HOOK_COMMAND}`)"
    )
    new = _hook_json.current_hook(old, EARLIER)
    assert json.loads(new)["hooks"]["PostToolUse"][0] == {
        "matcher": "apply_patch|Bash",
        "hooks": [{"type": "command", "command": HOOK_COMMAND}],
    }


@BOTH
def test_current_hook_today_only_adds(agent: Agent) -> None:
    # No earlier scaffold wrote these files: `current` is `add`, and our written group is final.
    text = '{"hooks": {}}'
    assert agent.current(text) == agent.add(text)
    assert agent.current(agent.add(text)) == agent.add(text)


# --- property: any document keeps its keys, values, order and bytes; adding twice is a no-op --

_settings = st.dictionaries(
    st.text(max_size=6).filter(lambda key: key != "hooks"), _json, max_size=4
).flatmap(
    lambda d: st.one_of(
        st.just(d),
        st.tuples(
            st.dictionaries(
                st.sampled_from(["SessionStart", "PostToolUse", "AfterTool", "Stop"]),
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "matcher": st.sampled_from(["Bash", "", "write_file"]),
                            "hooks": st.lists(
                                st.fixed_dictionaries(
                                    {"type": st.just("command"), "command": st.text(max_size=9)}
                                ),
                                max_size=2,
                            ),
                        }
                    ),
                    max_size=2,
                ),
                max_size=3,
            ),
            st.integers(0, len(d)),
        ).map(
            lambda hp: dict(
                [*list(d.items())[: hp[1]], ("hooks", hp[0]), *list(d.items())[hp[1] :]]
            )
        ),
    )
)


@BOTH
@given(
    data=_settings,
    indent=st.sampled_from([None, 2, 4, "\t"]),
    crlf=st.booleans(),
    bom=st.booleans(),
)
def test_adding_keeps_every_byte_of_the_user_and_is_idempotent(
    agent: Agent, data: dict[str, Any], indent: int | str | None, crlf: bool, bom: bool
) -> None:
    body = json.dumps(data, indent=indent) + "\n"
    if crlf:
        body = body.replace("\n", "\r\n")
    original = ("\ufeff" if bom else "") + body
    new = agent.add(original)
    assert json.dumps(json.loads(new.removeprefix("\ufeff"))) == json.dumps(
        _with_ours(data, agent.entry)
    )
    assert agent.add(new) == new
    assert agent.drift(new) is None
    if data:  # `{}` is rewritten whole: it held nothing of the user's
        prefix = len(os.path.commonprefix([original, new]))  # noqa: RUF071 - text, not paths
        assert new.endswith(original[prefix:])
