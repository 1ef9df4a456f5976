"""Text helpers: the fake's token model and deterministic long answers."""

from __future__ import annotations

import random
import re

# The fake's tokenizer: optional leading whitespace plus up to four non-space characters, or a
# whitespace-only tail. Close to real BPE token lengths (~4 characters), exact and reproducible,
# and every character belongs to exactly one token.
_TOKEN = re.compile(r"\s*\S{1,4}|\s+")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into the fake's tokens; ``"".join(tokenize(t)) == t``."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    """How many tokens the fake counts for ``text`` (for ``usage`` and ``max_tokens``)."""
    return len(_TOKEN.findall(text))


_WORDS = tuple(
    " ".join(
        (
            "the stream model answer token network server client buffer retry resume chunk event",
            "request response partial complete message signal latency timeout window socket",
            "header body payload sequence order exactly once recover continue seam overlap",
            "prefix suffix a an of to in on at by for with from into over under after before",
            "while because",
        )
    ).split()
)
_UNICODE_WORDS = ("café", "naïve", "Straße", "日本語", "ελληνικά", "emoji 🚀", "ünïcödé", "—", "…")
_PUNCT = (".", ".", ".", ",", ",", ";", ":", "!", "?")


def long_text(chars: int = 2000, *, seed: int = 0, unicode: bool = True) -> str:
    """A deterministic answer of exactly ``chars`` characters (same ``seed`` -> same text).

    Words, punctuation, repeated phrases, paragraphs separated by blank lines, a markdown list
    and (with ``unicode``) non-ASCII words including astral-plane emoji. It never ends in
    whitespace, so any prefix cut at a non-space character is a valid assistant prefill.
    """
    if chars < 0:
        raise ValueError("chars must be >= 0")
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    sentence_words = 0
    paragraph_sentences = 0
    capitalize = True
    while size < chars + 1:
        use_unicode = unicode and rng.random() < 0.06
        word = rng.choice(_UNICODE_WORDS if use_unicode else _WORDS)
        if capitalize:
            word = word[:1].upper() + word[1:]
            capitalize = False
        piece = word
        sentence_words += 1
        if sentence_words >= rng.randint(6, 16):
            piece += rng.choice(_PUNCT[:3] + _PUNCT[7:])
            sentence_words = 0
            paragraph_sentences += 1
            capitalize = True
            if paragraph_sentences >= rng.randint(3, 6):
                paragraph_sentences = 0
                piece += "\n\n" if rng.random() < 0.8 else "\n\n- item one\n- item two\n\n"
            else:
                piece += " "
        elif rng.random() < 0.1:
            piece += rng.choice(_PUNCT[3:7]) + " "
        else:
            piece += " "
        parts.append(piece)
        size += len(piece)
    text = "".join(parts)[:chars]
    # Keep the promise that the text never ends in whitespace.
    while text and text[-1].isspace():
        text = text[:-1] + "."
    return text
