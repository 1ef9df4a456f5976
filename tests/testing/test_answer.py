"""The fake model's decisions, without HTTP: validation, continuations, tokens, texts, faults."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffolder.testing import (
    ERROR_TYPES,
    Fault,
    count_tokens,
    long_text,
    supports_prefill,
    tokenize,
)
from scaffolder.testing._answer import Answer, ApiError, overlap_start, plan_answer

TEXT = "Alpha beta gamma delta epsilon."


def plan(*messages: dict[str, object], **body: object) -> Answer | ApiError:
    request = {"model": "claude-haiku-4-5", "max_tokens": 1000, "messages": list(messages)}
    request.update(body)
    return plan_answer(request, text=TEXT, thinking_text="hmm", continuation_overlap=None)


def user(text: str) -> dict[str, object]:
    return {"role": "user", "content": text}


def assistant(text: str) -> dict[str, object]:
    return {"role": "assistant", "content": [{"type": "text", "text": text}]}


@pytest.mark.parametrize(
    ("model", "allowed"),
    [
        ("claude-3-5-sonnet-20241022", True),
        ("claude-3-7-sonnet-latest", True),
        ("claude-sonnet-4-20250514", True),
        ("claude-opus-4-1", True),
        ("claude-haiku-4-5", True),
        ("claude-sonnet-4-5-20250929", True),
        ("claude-opus-4-6", False),
        ("claude-sonnet-4-6", False),
        ("claude-opus-4-7-20270101", False),
        ("claude-sonnet-5", False),
        ("my-local-model", True),
    ],
)
def test_supports_prefill(model: str, allowed: bool) -> None:
    assert supports_prefill(model) is allowed


def test_fresh_request_gets_the_whole_text() -> None:
    answer = plan(user("hi"))
    assert isinstance(answer, Answer)
    assert (answer.mode, answer.offset) == ("fresh", 0)
    assert answer.blocks[0].text == TEXT


def test_prefill_gets_the_rest() -> None:
    answer = plan(user("hi"), assistant("Alpha be"))
    assert isinstance(answer, Answer)
    assert (answer.mode, answer.blocks[0].text) == ("prefill", "ta gamma delta epsilon.")


@pytest.mark.parametrize(
    ("messages", "body", "needle"),
    [
        ((user("hi"), assistant("Alpha ")), {}, "trailing whitespace"),
        ((user("hi"), assistant("Alpha\n")), {}, "trailing whitespace"),
        ((user("hi"), assistant("Alpha")), {"model": "claude-opus-4-6"}, "prefill"),
        (
            (user("hi"), assistant("Alpha")),
            {"thinking": {"type": "enabled", "budget_tokens": 1024}},
            "thinking",
        ),
        ((user("hi"), assistant("Zulu")), {}, "not a prefix"),
        ((user("hi"),), {"max_tokens": 0}, "max_tokens"),
        ((), {}, "at least one message"),
        ((user("hi"),), {"thinking": {"type": "enabled", "budget_tokens": 10}}, "1024"),
        ((user("hi"),), {"thinking": {"type": "enabled", "budget_tokens": 2000}}, "greater"),
    ],
)
def test_invalid_requests_are_400(
    messages: tuple[dict[str, object], ...], body: dict[str, object], needle: str
) -> None:
    answer = plan(*messages, **body)
    assert isinstance(answer, ApiError)
    assert answer.status == 400
    assert answer.type == "invalid_request_error"
    assert needle in answer.message


def test_user_turn_continuation_only_when_the_partial_is_our_text() -> None:
    answer = plan(user("hi"), assistant("Alpha beta gamma de"), user("go on"))
    assert isinstance(answer, Answer)
    assert (answer.mode, answer.blocks[0].text) == ("continuation", "beta gamma delta epsilon.")
    other = plan(user("hi"), assistant("Some earlier answer."), user("new question"))
    assert isinstance(other, Answer)
    assert (other.mode, other.blocks[0].text) == ("fresh", TEXT)


@pytest.mark.parametrize(
    ("partial", "overlap", "start"),
    [
        ("one two three four", None, 4),
        ("one two", None, 0),
        ("one two three fo", 3, 13),
        ("one", 10, 0),
        ("one two ", 0, 8),
        ("", None, 0),
    ],
)
def test_overlap_start(partial: str, overlap: int | None, start: int) -> None:
    assert overlap_start(partial, overlap) == start


def test_max_tokens_counts_thinking_too() -> None:
    thinking = {"type": "enabled", "budget_tokens": 1024}
    answer = plan(user("hi"), thinking=thinking, max_tokens=1025)
    assert isinstance(answer, Answer)
    assert [b.type for b in answer.blocks] == ["thinking", "text"]
    assert answer.output_tokens == count_tokens("hmm") + count_tokens(TEXT)
    short = plan(user("hi"), max_tokens=2)
    assert isinstance(short, Answer)
    assert short.stop_reason == "max_tokens"
    assert short.blocks[0].text == "".join(tokenize(TEXT)[:2])


@given(st.text())
def test_tokenize_covers_every_character_once(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert all(tokens)
    assert count_tokens(text) == len(tokens)


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=10))
def test_long_text_is_exact_and_deterministic(chars: int, seed: int) -> None:
    text = long_text(chars, seed=seed)
    assert len(text) == chars
    assert text == long_text(chars, seed=seed)
    assert text == text.rstrip()


def test_long_text_has_the_hard_parts() -> None:
    text = long_text(20_000)
    assert "\n\n" in text
    assert any(ord(c) > 0xFFFF for c in text)  # astral plane (emoji)
    assert any(c in text for c in ".,;:!?")
    assert long_text(20_000, seed=1) != text
    assert all(ord(c) < 128 for c in long_text(5000, unicode=False))


@pytest.mark.parametrize(
    ("name", "fault"),
    [
        ("drop", Fault.close()),
        ("close", Fault.close()),
        ("reset", Fault.reset()),
        ("stall", Fault.stall(5.0)),
        ("stall-headers", Fault.stall_headers(5.0)),
        ("eof", Fault.eof()),
        ("truncated_line", Fault.truncated_line()),
        ("invalid_json", Fault.invalid_json()),
        ("before_message_start", Fault.before_message_start()),
        ("overloaded", Fault.error_event("overloaded_error")),
        ("api_error", Fault.error_event("api_error")),
        ("529", Fault.status(529)),
        ("status_429", Fault.status(429)),
    ],
)
def test_from_name(name: str, fault: Fault) -> None:
    assert Fault.from_name(name) == fault


def test_from_name_passes_at_and_seconds() -> None:
    assert Fault.from_name("stall", at=4, seconds=1.5) == Fault.stall(1.5, at=4)
    assert Fault.from_name("overloaded", at=7).at == 7


def test_every_listed_name_builds_a_fault() -> None:
    assert {"drop", "reset", "stall", "eof", "overloaded", *ERROR_TYPES} <= set(Fault.names())
    for name in Fault.names():
        assert isinstance(Fault.from_name(name), Fault)


@pytest.mark.parametrize("name", ["", "gremlins", "200", "600", "status_"])
def test_unknown_names_are_rejected(name: str) -> None:
    with pytest.raises(ValueError, match="unknown fault name"):
        Fault.from_name(name)


def test_status_needs_an_error_code_and_picks_the_real_error_type() -> None:
    with pytest.raises(ValueError, match="400-599"):
        Fault.status(200)
    assert Fault.status(529).error_type == "overloaded_error"
    assert Fault.status(429).error_type == "rate_limit_error"
    assert Fault.status(418).error_type == "api_error"


def test_names_label_faults() -> None:
    assert Fault.close(at=5).name == "close@5"
    assert Fault.stall(2, at=3).name == "stall(2s)@3"
    assert Fault.error_event("api_error").name == "error_event(api_error)@mid"
    assert Fault.status(529).name == "status 529"


@given(st.text(st.characters(blacklist_categories=("Cs",))), st.integers(0, 3))
def test_text_delta_fast_path_sends_the_same_bytes(text: str, index: int) -> None:
    from scaffolder.testing._server import _event_bytes

    data = {
        "type": "content_block_delta",
        "index": index,
        "delta": {"type": "text_delta", "text": text},
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert (
        _event_bytes("content_block_delta", data)
        == f"event: content_block_delta\ndata: {payload}\n\n".encode()
    )


# --- conversations an interruption damaged, and the fault after message_delta ---------------

CALL = {"type": "tool_use", "id": "toolu_01X", "name": "w", "input": {}}


def test_an_orphan_tool_use_is_rejected_like_the_real_api() -> None:
    turn = {"role": "assistant", "content": [{"type": "text", "text": "Let me see."}, CALL]}
    result = plan(user("hi"), turn, user("and?"))
    assert isinstance(result, ApiError)
    assert result.status == 400
    assert "`tool_use` ids were found without `tool_result` blocks" in result.message
    assert "toolu_01X" in result.message
    answered = {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "toolu_01X", "content": "ok"}],
    }
    assert isinstance(plan(user("hi"), turn, answered), Answer)


def test_an_unsigned_thinking_block_is_rejected() -> None:
    thinking = {"type": "thinking", "thinking": "Let", "signature": ""}
    turn = {"role": "assistant", "content": [thinking, {"type": "text", "text": "Alpha"}]}
    result = plan(user("hi"), turn, user("go on"))
    assert isinstance(result, ApiError)
    assert result.message == "messages.1.content.0.thinking.signature: Field required"
    signed = {**thinking, "signature": "EqSIG"}
    turn = {"role": "assistant", "content": [signed, {"type": "text", "text": "Alpha"}]}
    assert isinstance(plan(user("hi"), turn, user("go on")), Answer)


def test_after_message_delta_is_a_close_before_message_stop() -> None:
    assert Fault.after_message_delta() == Fault.close(at=-1)
    assert Fault.from_name("after-message-delta") == Fault.close(at=-1)
    assert "after_message_delta" in Fault.names()
