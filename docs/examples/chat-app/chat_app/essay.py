"""Stream a long essay from Claude -- the unprotected way scaffold lint reports."""

import anthropic

client = anthropic.Anthropic(timeout=60)


def write_essay(topic: str) -> str:
    parts = []
    with client.messages.stream(
        model="claude-sonnet-4-5",
        max_tokens=16000,
        messages=[{"role": "user", "content": f"Write a long essay about {topic}."}],
    ) as stream:
        for text in stream.text_stream:
            parts.append(text)
    return "".join(parts)
