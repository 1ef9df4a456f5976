"""What the fake "model" answers to one request: validation, continuation and the SSE events.

Pure functions, no I/O: the server feeds them the parsed request body and its current settings.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from scaffolder.testing._text import count_tokens, tokenize

TRAILING_WHITESPACE = "final assistant content cannot end with trailing whitespace"
NO_PREFILL = (
    "This model does not support assistant message prefill. "
    "The conversation must end with a user message."
)
THINKING_PREFILL = (
    "When `thinking` is enabled, a final `assistant` message must start with a thinking block. "
    "To avoid this requirement, disable `thinking`."
)

# The real API's words for a conversation an interrupted stream left behind (HTTP 400).
ORPHAN_TOOL_USE = (
    "messages.{index}: `tool_use` ids were found without `tool_result` blocks immediately "
    "after: {ids}. Each `tool_use` block must have a corresponding `tool_result` block in the "
    "next message."
)
UNSIGNED_THINKING = "messages.{index}.content.{block}.thinking.signature: Field required"

# claude-opus-4-6, claude-sonnet-4-5-20250929, claude-3-5-sonnet-20241022, claude-sonnet-4-20250514
_MODEL_VERSION = re.compile(r"^claude-(?:(?:opus|sonnet|haiku)-)?(\d+)(?:-(\d{1,2}))?(?=-|$)")


def supports_prefill(model: str) -> bool:
    """False for models that reject an assistant prefill (Claude 4.6 and later)."""
    match = _MODEL_VERSION.match(model)
    if match is None:
        return True
    version = (int(match.group(1)), int(match.group(2) or 0))
    return version < (4, 6)


@dataclass(frozen=True)
class ApiError:
    """An HTTP error answer the real API would give to this request."""

    status: int
    type: str
    message: str


@dataclass(frozen=True)
class Block:
    """One content block of the answer: ``thinking``, ``text`` or ``tool_use``."""

    type: str
    text: str  # thinking text, answer text, or the tool input as a JSON string
    tool_name: str = ""
    tool_id: str = ""


@dataclass(frozen=True)
class Answer:
    """Everything the fake sends for one successful request."""

    model: str
    blocks: tuple[Block, ...]
    stop_reason: str
    stop_sequence: str | None
    input_tokens: int
    output_tokens: int
    mode: str  # "fresh", "prefill" or "continuation"
    offset: int  # where in FakeAnthropic.text the answer text starts


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(block.get("text", ""))
            for block in content
            if isinstance(block, dict) and block.get("type") == "text"
        )
    return ""


def _all_text(body: dict[str, Any]) -> str:
    system = body.get("system")
    parts = [_content_text(system) if system is not None else ""]
    parts.extend(_content_text(m.get("content")) for m in body.get("messages") or [])
    return "\n".join(parts)


def overlap_start(partial: str, overlap: int | None) -> int:
    """Where a user-turn continuation of ``partial`` starts: the model repeats the tail.

    ``overlap`` characters are repeated; ``None`` repeats the last three words (from the start
    of the third-last whitespace-separated word).
    """
    if overlap is not None:
        return max(0, len(partial) - max(0, overlap))
    starts = [m.start() for m in re.finditer(r"\S+", partial)]
    if not starts:
        return len(partial)
    return starts[-3] if len(starts) >= 3 else starts[0]


def _error(message: str) -> ApiError:
    return ApiError(400, "invalid_request_error", message)


def _blocks_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    if not isinstance(content, list):
        return []
    return [block for block in content if isinstance(block, dict)]


def _orphan_tool_uses(messages: list[Any], index: int) -> list[str]:
    calls = [
        str(block.get("id"))
        for block in _blocks_of(messages[index])
        if block.get("type") == "tool_use"
    ]
    if not calls:
        return []
    following = messages[index + 1] if index + 1 < len(messages) else {}
    answered = {
        str(block.get("tool_use_id"))
        for block in _blocks_of(following)
        if following.get("role") == "user" and block.get("type") == "tool_result"
    }
    return [call for call in calls if call not in answered]


def validate_history(messages: list[Any]) -> ApiError | None:
    """The 400 the real API gives to an assistant turn an interruption left damaged, if any.

    A ``tool_use`` with no ``tool_result`` in the next user message, and a ``thinking`` block
    without its signature. (A trailing assistant turn is checked with the prefill rules.)
    """
    for index, message in enumerate(messages):
        if message.get("role") != "assistant":
            continue
        for number, block in enumerate(_blocks_of(message)):
            if block.get("type") == "thinking" and not block.get("signature"):
                return _error(UNSIGNED_THINKING.format(index=index, block=number))
        orphans = _orphan_tool_uses(messages, index)
        if orphans and index + 1 < len(messages):
            return _error(ORPHAN_TOOL_USE.format(index=index, ids=", ".join(orphans)))
    return None


@dataclass(frozen=True)
class _Request:
    """The parts of a valid request body the answer depends on."""

    body: dict[str, Any]
    messages: list[dict[str, Any]]
    model: str
    max_tokens: int
    thinking_on: bool


@dataclass(frozen=True)
class _Start:
    """Where the answer starts in ``FakeAnthropic.text``, and why."""

    mode: str  # "fresh", "prefill" or "continuation"
    offset: int


@dataclass(frozen=True)
class _Stop:
    """Why the answer ends: ``stop_reason`` and ``stop_sequence`` of the Message."""

    reason: str
    sequence: str | None = None


def _parse_request(body: Any) -> _Request | ApiError:
    """The request's shape as the real API checks it: messages, max_tokens, thinking budget."""
    if not isinstance(body, dict):
        return _error("request body must be a JSON object")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return _error("messages: at least one message is required")
    if not all(isinstance(m, dict) and m.get("role") in ("user", "assistant") for m in messages):
        return _error("messages: each message needs a role of 'user' or 'assistant'")
    max_tokens = body.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        return _error("max_tokens: Field required (a positive integer)")
    thinking = body.get("thinking")
    thinking_on = isinstance(thinking, dict) and thinking.get("type") == "enabled"
    if thinking_on:
        budget = thinking.get("budget_tokens") if isinstance(thinking, dict) else None
        if not isinstance(budget, int) or budget < 1024:
            return _error(
                "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
            )
        if max_tokens <= budget:
            return _error("`max_tokens` must be greater than `thinking.budget_tokens`.")
    return _Request(
        body=body,
        messages=messages,
        model=str(body.get("model", "")),
        max_tokens=max_tokens,
        thinking_on=thinking_on,
    )


def _start_of(request: _Request, text: str, continuation_overlap: int | None) -> _Start | ApiError:
    """Fresh, after an assistant prefill (checked as the real API does), or a continuation."""
    messages = request.messages
    last = messages[-1]
    if last["role"] == "assistant":
        prefill = _content_text(last.get("content"))
        if not supports_prefill(request.model):
            return _error(NO_PREFILL)
        if request.thinking_on:
            return _error(THINKING_PREFILL)
        if prefill != prefill.rstrip():
            return _error(TRAILING_WHITESPACE)
        if not text.startswith(prefill):
            return _error(
                "scaffolder.testing: the assistant prefill is not a prefix of FakeAnthropic.text "
                f"(prefill ends with {prefill[-40:]!r})"
            )
        return _Start("prefill", len(prefill))
    if len(messages) >= 2 and messages[-2]["role"] == "assistant":
        partial = _content_text(messages[-2].get("content"))
        if partial.strip() and text.startswith(partial):
            return _Start("continuation", overlap_start(partial, continuation_overlap))
    return _Start("fresh", 0)


def _apply_stop_sequences(answer_text: str, stops: Any) -> tuple[str, _Stop]:
    """Cut the answer at the earliest of the request's ``stop_sequences`` it contains."""
    if isinstance(stops, list):
        hits = [(answer_text.find(s), s) for s in stops if isinstance(s, str) and s]
        hits = [(i, s) for i, s in hits if i >= 0]
        if hits:
            index, stop_sequence = min(hits)
            return answer_text[:index], _Stop("stop_sequence", stop_sequence)
    return answer_text, _Stop("end_turn")


def _fill_blocks(
    request: _Request,
    answer_text: str,
    stop: _Stop,
    *,
    thinking_text: str,
    tool_use: dict[str, Any] | None,
) -> tuple[list[Block], _Stop]:
    """Spend ``max_tokens`` on thinking, then text, then the tool call; the stop that results."""
    budget_left = request.max_tokens
    blocks: list[Block] = []
    if request.thinking_on:
        thought = tokenize(thinking_text)[:budget_left]
        budget_left -= len(thought)
        blocks.append(Block("thinking", "".join(thought)))
    answer_tokens = tokenize(answer_text)
    if len(answer_tokens) > budget_left:
        answer_tokens = answer_tokens[:budget_left]
        stop = _Stop("max_tokens")
    budget_left -= len(answer_tokens)
    if answer_tokens or not blocks:
        blocks.append(Block("text", "".join(answer_tokens)))
    if tool_use is not None and request.body.get("tools") and stop.reason == "end_turn":
        tool_json = json.dumps(tool_use.get("input", {}), ensure_ascii=False)
        if count_tokens(tool_json) <= budget_left:
            blocks.append(
                Block("tool_use", tool_json, str(tool_use.get("name", "tool")), "toolu_01FAKE")
            )
            stop = _Stop("tool_use")
    return blocks, stop


def plan_answer(
    body: Any,
    *,
    text: str,
    thinking_text: str,
    continuation_overlap: int | None,
    tool_use: dict[str, Any] | None = None,
) -> Answer | ApiError:
    """Validate ``body`` as the real API would and decide the answer the fake gives.

    Phases: the request's shape, the history an interruption may have damaged, where the
    answer starts (fresh, prefill, continuation), stop sequences, then the token budget.
    """
    request = _parse_request(body)
    if isinstance(request, ApiError):
        return request
    history_error = validate_history(request.messages)
    if history_error is not None:
        return history_error
    start = _start_of(request, text, continuation_overlap)
    if isinstance(start, ApiError):
        return start
    answer_text, stop = _apply_stop_sequences(
        text[start.offset :], request.body.get("stop_sequences")
    )
    blocks, stop = _fill_blocks(
        request, answer_text, stop, thinking_text=thinking_text, tool_use=tool_use
    )
    return Answer(
        model=request.model,
        blocks=tuple(blocks),
        stop_reason=stop.reason,
        stop_sequence=stop.sequence,
        input_tokens=max(1, count_tokens(_all_text(request.body))),
        output_tokens=sum(count_tokens(b.text) for b in blocks),
        mode=start.mode,
        offset=start.offset,
    )


def _usage(answer: Answer, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": answer.input_tokens,
        "output_tokens": output_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }


def _block_json(block: Block, *, complete: bool) -> dict[str, Any]:
    if block.type == "thinking":
        return {
            "type": "thinking",
            "thinking": block.text if complete else "",
            "signature": _signature(block.text) if complete else "",
        }
    if block.type == "tool_use":
        return {
            "type": "tool_use",
            "id": block.tool_id,
            "name": block.tool_name,
            "input": json.loads(block.text) if complete else {},
        }
    return {"type": "text", "text": block.text if complete else ""}


def _signature(thinking: str) -> str:
    return "EqFAKE" + hashlib.sha256(thinking.encode()).hexdigest()[:24]


def message_json(answer: Answer, message_id: str) -> dict[str, Any]:
    """The non-streaming answer: a whole Message object."""
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": answer.model,
        "content": [_block_json(b, complete=True) for b in answer.blocks],
        "stop_reason": answer.stop_reason,
        "stop_sequence": answer.stop_sequence,
        "usage": _usage(answer, answer.output_tokens),
    }


def _pieces(text: str, chunk_tokens: int) -> list[str]:
    tokens = tokenize(text)
    step = max(1, chunk_tokens)
    return ["".join(tokens[i : i + step]) for i in range(0, len(tokens), step)]


def stream_events(
    answer: Answer, message_id: str, *, chunk_tokens: int = 3, ping_every: int = 25
) -> list[tuple[str, dict[str, Any]]]:
    """The SSE events of a healthy streamed answer, in order, as (event name, data) pairs."""
    start = message_json(answer, message_id)
    start.update(content=[], stop_reason=None, stop_sequence=None, usage=_usage(answer, 1))
    events: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start})
    ]
    deltas = 0
    for index, block in enumerate(answer.blocks):
        events.append(
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": _block_json(block, complete=False),
                },
            )
        )
        if index == 0:
            events.append(("ping", {"type": "ping"}))
        for piece in _pieces(block.text, chunk_tokens):
            if block.type == "thinking":
                delta = {"type": "thinking_delta", "thinking": piece}
            elif block.type == "tool_use":
                delta = {"type": "input_json_delta", "partial_json": piece}
            else:
                delta = {"type": "text_delta", "text": piece}
            events.append(
                (
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                )
            )
            deltas += 1
            if ping_every > 0 and deltas % ping_every == 0:
                events.append(("ping", {"type": "ping"}))
        if block.type == "thinking":
            signature = {"type": "signature_delta", "signature": _signature(block.text)}
            events.append(
                (
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": signature},
                )
            )
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": answer.stop_reason, "stop_sequence": answer.stop_sequence},
                "usage": {"output_tokens": answer.output_tokens},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return events
