"""Make real mail comparable: drop quoted replies and signatures, fix spaced punctuation."""

from __future__ import annotations

import re

_QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_ON_WROTE = re.compile(r"^\s*On .{5,120} wrote:\s*$", re.MULTILINE | re.IGNORECASE)
_SIGNATURE = re.compile(r"^\s*(--\s*|—\s*|sent from my \w+.*)$", re.MULTILINE | re.IGNORECASE)
_SPACED_PUNCT = re.compile(r"\s+([.,!?;:])(?=\s|$)")
_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def normalize(text: str) -> str:
    """Strip quoted replies and signature blocks; tidy whitespace and punctuation."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _ON_WROTE.split(text)[0]
    text = _QUOTED_LINE.sub("", text)
    match = _SIGNATURE.search(text)
    if match:
        text = text[: match.start()]
    text = _SPACED_PUNCT.sub(r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(normalize(text)) if len(s.strip()) > 2]
