"""Small text helpers shared by the checks."""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
STOP = frozenset(ENGLISH_STOP_WORDS) | {"i'm", "i've", "i'd", "it's", "that's", "you're", "don't"}


def words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in WORD.findall(text or "")]


def content_words(text: str, min_len: int = 4) -> set[str]:
    return {w for w in words(text) if len(w) >= min_len and w not in STOP}


def shingles(text: str, n: int) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def word_count(text: str) -> int:
    return len(words(text))
