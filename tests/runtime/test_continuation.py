"""How a broken answer is continued: prefill, user turn, the seam, and what is salvaged."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic, Fault, long_text, tokenize

from .conftest import NO_PREFILL_MODEL, PREFILL_MODEL, needs_thinking, request_params

TEXT = long_text(1200, seed=21)


def _stream(cs: ModuleType, client: anthropic.Anthropic, **params: Any) -> Any:
    with cs.recovering_stream(client, **request_params(**params)) as stream:
        text = "".join(stream.text_stream)
    assert text == stream.get_final_text()
    return stream


# --- the seam rules, on the module's own seam object -------------------------------------------


def _join(cs: ModuleType, tail: str, pieces: list[str], *, overlap: bool) -> str:
    seam = cs._Seam(tail, find_overlap=overlap, min_overlap=8)
    for index, piece in enumerate(pieces):
        decided = seam.feed(piece)
        if decided is not None:
            return decided + "".join(pieces[index + 1 :])
    return seam.flush()


@pytest.mark.parametrize(
    ("tail", "pieces", "expected"),
    [
        # the prefill was "Hello" ("Hello " without its space): the model re-sends the space
        ("Hello ", [" world"], "world"),
        ("Hello ", [" ", " ", "world"], " world"),  # more whitespace than we stripped: keep extra
        ("List:\n\n", ["\n", "- a"], "- a"),  # less whitespace than we stripped: drop it
        ("Hello ", ["\nworld"], "\nworld"),  # different whitespace: the line break is kept
        ("Hello", [" world"], " world"),  # nothing was stripped: nothing to drop
        ("Hello ", ["world"], "world"),
    ],
)
def test_prefill_seam_whitespace(
    cs: ModuleType, tail: str, pieces: list[str], expected: str
) -> None:
    assert _join(cs, tail, pieces, overlap=False) == expected


@pytest.mark.parametrize(
    ("tail", "pieces", "expected"),
    [
        ("the quick brown fox", ["brown fox", " jumps"], " jumps"),  # a repeated tail (9 chars)
        ("the quick brown fox", ["b", "r", "own fox jumps"], " jumps"),  # split over chunks
        ("the quick brown ", ["quick brown fox"], "fox"),  # with the stripped whitespace
        ("the quick brown fox", [" jumps"], " jumps"),  # no repetition
        ("the quick brown fox", ["quick brown fox jumps"], " jumps"),  # longest match wins
        ("go a to", ["a to in the"], " in the"),  # two whole short words
        ("Hi", ["Hi there"], " there"),  # the model started over
        # short matches are kept: far more likely legitimate text than a repetition
        ("I said that", [" that is all"], " that is all"),
        ("ha ha", [" ha!"], " ha!"),
        ("the end.", ["."], "."),
        ("brown ", [" fox"], "fox"),  # no overlap: the whitespace rule still applies
    ],
)
def test_user_turn_seam_overlap(
    cs: ModuleType, tail: str, pieces: list[str], expected: str
) -> None:
    assert _join(cs, tail, pieces, overlap=True) == expected


def test_seam_buffers_until_the_overlap_is_decided(cs: ModuleType) -> None:
    seam = cs._Seam("one two three four", find_overlap=True, min_overlap=8)
    assert seam.feed("thr") is None  # could still become "three four"
    assert seam.feed("ee fo") is None
    assert seam.feed("ur and five") == " and five"


# --- prefill vs user turn ----------------------------------------------------------------------


@pytest.mark.parametrize("overlap", [None, 0, 8, 25, 300, 10_000])
def test_user_turn_overlaps_are_removed(
    cs: ModuleType,
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    overlap: int | None,
) -> None:
    # None: the model repeats its last three words; 10_000: it starts over.
    fake_anthropic.text = TEXT
    fake_anthropic.continuation_overlap = overlap
    fake_anthropic.script(Fault.close(at=40))
    stream = _stream(cs, client, model=NO_PREFILL_MODEL)
    assert stream.get_final_text() == TEXT
    assert [a.strategy for a in stream.attempts] == ["initial", "user"]
    assert fake_anthropic.requests[1].json["messages"][-1]["content"] == cs.CONTINUE_PROMPT


def test_a_repeated_word_fragment_is_the_documented_trade_off(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    # A repetition shorter than min_overlap that is not two whole words is indistinguishable
    # from legitimate text and is kept; a smaller min_overlap removes it.
    fake_anthropic.text = TEXT
    fake_anthropic.continuation_overlap = 3
    fake_anthropic.script(Fault.close(at=40))
    stream = _stream(cs, client, model=NO_PREFILL_MODEL)
    cut = stream.attempts[0].chars
    assert TEXT[cut - 1] != " "  # the fake's chunks never end in whitespace
    assert stream.get_final_text() == TEXT[:cut] + TEXT[cut - 3 :]  # 3 characters twice

    fake_anthropic.reset()
    fake_anthropic.text = TEXT
    fake_anthropic.continuation_overlap = 3
    fake_anthropic.script(Fault.close(at=40))
    policy = cs.RecoveryPolicy(min_overlap=3)
    with cs.recovering_stream(client, policy=policy, **request_params(NO_PREFILL_MODEL)) as s:
        assert "".join(s.text_stream) == TEXT


@pytest.fixture
def forget_models(cs: ModuleType) -> Iterator[None]:
    yield
    cs._NO_PREFILL_MODELS.clear()


def test_prefill_rejected_by_an_unknown_model_switches_and_is_remembered(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, forget_models: None
) -> None:
    # "claude-7-mini" is not a name the runtime knows; the (fake) API rejects its prefill.
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=40))
    stream = _stream(cs, client, model="claude-7-mini")
    assert stream.get_final_text() == TEXT
    assert [a.strategy for a in stream.attempts] == ["initial", "prefill", "user"]
    assert isinstance(stream.attempts[1].error, anthropic.BadRequestError)
    assert stream.attempts[1].delay == stream.attempts[2].delay == 0.0

    fake_anthropic.reset()
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=40))
    stream = _stream(cs, client, model="claude-7-mini")
    assert [a.strategy for a in stream.attempts] == ["initial", "user"]


def test_a_400_that_is_not_about_prefill_is_not_remembered(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, forget_models: None
) -> None:
    # A prefill continuation may fail for another reason (a prompt that grew too long): the
    # stream still tries a user turn, but the model keeps its prefill for the next streams.
    too_long = Fault.status(400, message="prompt is too long: 200001 tokens > 200000 maximum")
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=40), too_long)
    stream = _stream(cs, client, model=PREFILL_MODEL)
    assert [a.strategy for a in stream.attempts] == ["initial", "prefill", "user"]

    fake_anthropic.reset()
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=40))
    stream = _stream(cs, client, model=PREFILL_MODEL)
    assert [a.strategy for a in stream.attempts] == ["initial", "prefill"]


def test_forced_prefill_on_a_no_prefill_model_propagates_the_400(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(Fault.close(at=40))
    policy = cs.RecoveryPolicy(continuation="prefill")
    with (
        pytest.raises(anthropic.BadRequestError, match="prefill"),
        cs.recovering_stream(client, policy=policy, **request_params(NO_PREFILL_MODEL)) as s,
    ):
        "".join(s.text_stream)
    assert len(fake_anthropic.requests) == 2


def test_forced_user_turn_on_a_prefill_model(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=40))
    policy = cs.RecoveryPolicy(continuation="user")
    with cs.recovering_stream(client, policy=policy, **request_params(PREFILL_MODEL)) as s:
        assert "".join(s.text_stream) == TEXT
    assert [a.strategy for a in s.attempts] == ["initial", "user"]


@needs_thinking
@pytest.mark.parametrize("at", [3, None], ids=["in-thinking", "in-text"])
def test_extended_thinking_continues_with_a_user_turn(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, at: int | None
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=at))
    thinking = {"type": "enabled", "budget_tokens": 2000}
    stream = _stream(cs, client, model=PREFILL_MODEL, thinking=thinking)
    message = stream.get_final_message()
    assert stream.get_final_text() == TEXT
    assert message.content[0].type == "thinking"
    assert message.content[0].signature.startswith("Eq")
    if at == 3:  # nothing but thinking had arrived: the request again
        assert [a.strategy for a in stream.attempts] == ["initial", "restart"]
        assert [block.type for block in message.content] == ["thinking", "text"]
    else:
        assert [a.strategy for a in stream.attempts] == ["initial", "user"]
        sent = fake_anthropic.requests[1].json["messages"][-2]["content"]
        assert [block["type"] for block in sent] == ["thinking", "text"]


@pytest.mark.parametrize("continuation", ["auto", "user"])
@pytest.mark.parametrize("as_blocks", [False, True], ids=["str", "blocks"])
def test_a_callers_prefill_is_merged(
    cs: ModuleType,
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    continuation: str,
    as_blocks: bool,
) -> None:
    prefill = TEXT[:37].rstrip()
    content: Any = [{"type": "text", "text": prefill}] if as_blocks else prefill
    messages = [{"role": "user", "content": "Go on."}, {"role": "assistant", "content": content}]
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=30))
    policy = cs.RecoveryPolicy(continuation=continuation)
    params = request_params(PREFILL_MODEL, messages=messages)
    with cs.recovering_stream(client, policy=policy, **params) as stream:
        assert "".join(stream.text_stream) == TEXT[len(prefill) :]
    assert fake_anthropic.requests[0].json["messages"] == messages
    # One assistant turn: the caller's prefill and the received text, as the model saw them.
    sent = fake_anthropic.requests[1].json["messages"]
    received = TEXT[len(prefill) : len(prefill) + stream.attempts[0].chars]
    assert sent[1] == {"role": "assistant", "content": (prefill + received).rstrip()}
    assert len(sent) == (2 if continuation == "auto" else 3)


@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
def test_a_partial_tool_use_is_regenerated_not_salvaged(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, model: str
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.tool_use = {"name": "lookup", "input": {"city": "Paris", "days": [1, 2, 3]}}
    fake_anthropic.script(Fault.close(at=-4))  # inside the tool_use's input_json_delta events
    tools = [{"name": "lookup", "description": "d", "input_schema": {"type": "object"}}]
    stream = _stream(cs, client, model=model, tools=tools)
    message = stream.get_final_message()
    assert [block.type for block in message.content] == ["text", "tool_use"]
    assert message.content[0].text == TEXT
    assert message.content[1].input == {"city": "Paris", "days": [1, 2, 3]}
    assert message.stop_reason == "tool_use"
    sent = fake_anthropic.requests[1].json["messages"]
    turn = sent[-1] if model == PREFILL_MODEL else sent[-2]
    assert turn == {"role": "assistant", "content": TEXT}  # text only, no tool_use


@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
def test_a_complete_tool_use_ends_the_answer_without_another_request(
    cs: ModuleType, client: anthropic.Anthropic, fake_anthropic: FakeAnthropic, model: str
) -> None:
    # Continuing would mean sending the call back without its result (HTTP 400 from the API).
    fake_anthropic.text = TEXT
    fake_anthropic.tool_use = {"name": "lookup", "input": {"city": "Paris"}}
    fake_anthropic.script(Fault.close(at=-2))  # after content_block_stop, before message_delta
    tools = [{"name": "lookup", "description": "d", "input_schema": {"type": "object"}}]
    stream = _stream(cs, client, model=model, tools=tools)
    message = stream.get_final_message()
    assert [block.type for block in message.content] == ["text", "tool_use"]
    assert message.content[0].text == TEXT
    assert message.content[1].id == "toolu_01FAKE"
    assert message.content[1].input == {"city": "Paris"}
    assert message.stop_reason == "tool_use"
    assert len(fake_anthropic.message_requests) == 1


async def test_async_user_turn_overlap(
    cs: ModuleType, aclient: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.text = TEXT
    fake_anthropic.script(Fault.close(at=20), Fault.reset(at=20), Fault.eof(at=20))
    params = request_params(NO_PREFILL_MODEL)
    async with cs.async_recovering_stream(aclient, **params) as stream:
        assert "".join([t async for t in stream.text_stream]) == TEXT
    assert [a.strategy for a in stream.attempts] == ["initial", "user", "user", "user"]


# --- short restatements: 1-7 characters at word, sentence and code-token boundaries ----------

SEAM_TEXTS = [
    "The quick brown fox jumps over the lazy dog. It ran away! Then it slept.",
    "Answer: The answer is 42. Next, we check it again.",
    "result = compute(alpha, beta_2) + items[index].value  # done",
    "def main():\n    return parse(args.path, strict=True)\n",
]


def _token_start(text: str, index: int) -> bool:
    before, char = text[index - 1], text[index]
    word = before.isalnum() or before == "_"
    return before.isspace() or (word != (char.isalnum() or char == "_") and not char.isspace())


def _restatements() -> list[tuple[str, str, str]]:
    cases = []
    for text in SEAM_TEXTS:
        for cut in range(2, len(text)):
            seen = text[:cut].rstrip()
            for size in range(1, 8):
                start = len(seen) - size
                overlap = seen[start:]
                if start < 1 or overlap[0].isspace() or not _token_start(seen, start):
                    continue
                if any(c.isalnum() for c in overlap):
                    cases.append((text[:cut], overlap + text[len(seen) :], text[cut:]))
    return cases


def test_short_restatements_at_token_boundaries_are_removed(cs: ModuleType) -> None:
    # "The quick bro" + "brown fox" must not become "brobrown", "Answer: The" + "The answer"
    # not "TheThe", "compute(al" + "(alpha" not "(al(alpha", at every cut of every text.
    cases = _restatements()
    assert len(cases) > 300
    for tail, continuation, expected in cases:
        for pieces in ([continuation], list(continuation)):  # one chunk, or one per character
            assert _join(cs, tail, pieces, overlap=True) == expected, (tail, continuation)


def test_a_continuation_without_restatement_is_kept_at_every_cut(cs: ModuleType) -> None:
    for text in SEAM_TEXTS:
        for cut in range(2, len(text)):
            tail = text[:cut]
            rest = text[len(tail.rstrip()) :]  # the model goes on after what it saw
            assert tail + _join(cs, tail, [rest], overlap=True) == text, tail


def test_a_restatement_starting_with_the_space_inside_a_word(cs: ModuleType) -> None:
    assert _join(cs, "It ended. Sec", [" Second part"], overlap=True) == "ond part"
    assert _join(cs, "I said that", [" that is all"], overlap=True) == " that is all"


@pytest.mark.parametrize("model", [PREFILL_MODEL, NO_PREFILL_MODEL])
@pytest.mark.parametrize("size", range(1, 8))
def test_restated_word_starts_end_to_end(
    cs: ModuleType,
    client: anthropic.Anthropic,
    fake_anthropic: FakeAnthropic,
    model: str,
    size: int,
) -> None:
    # One token per event; the drop leaves a partial answer whose last `size` characters start
    # a word or code token ("... bro"), and the model restates them ("brown fox").
    text = "The quick brown fox, informally, jumps over parse(arguments) in a while. Done."
    fake_anthropic.text = text
    fake_anthropic.chunk_tokens = 1
    fake_anthropic.continuation_overlap = size
    tokens = tokenize(text)
    cut = next(
        n
        for n in range(2, len(tokens))
        if (seen := "".join(tokens[:n]).rstrip())[-size:].strip() == seen[-size:]
        and _token_start(seen, len(seen) - size)
        and any(c.isalnum() for c in seen[-size:])
    )
    fake_anthropic.script(Fault.close(at=3 + cut))
    stream = _stream(cs, client, model=model)
    assert stream.get_final_text() == text
    assert stream.attempts[0].chars == len("".join(tokens[:cut]))
