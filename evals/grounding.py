"""Which facts a draft states: names, organisations, numbers, links, quoted titles.

A draft is grounded when every such fact appears in the contact's public fields or the
sender's own details. Capitalised words at the start of a sentence are only facts when
they are not ordinary words ("Best case", "Thanks").
"""

from __future__ import annotations

import re

from evals.text import STOP

_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_NUMBER = re.compile(r"\b\d[\d,.:%]*\b")
# Durations in an invitation ("a 20-minute call", "30 minutes") are the sender's own offer.
_DURATION = re.compile(r"\b\d{1,2}\s*(?:-|\s)?\s*(?:minute|minutes|min|mins)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”]{3,80})[\"”]")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’&.\-]*[A-Za-z0-9]|[A-Za-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n+\s*|[\"“(]\s*)$")

#: Ordinary words that often open a sentence or a line in a message.
COMMON = STOP | {
    "hi",
    "hello",
    "dear",
    "hey",
    "thanks",
    "thank",
    "best",
    "worst",
    "warmly",
    "cheers",
    "regards",
    "sincerely",
    "looking",
    "hope",
    "would",
    "could",
    "just",
    "really",
    "your",
    "no",
    "nothing",
    "here",
    "that's",
    "congrats",
    "congratulations",
    "great",
    "glad",
    "quick",
    "short",
    "any",
    "one",
    "still",
    "also",
    "again",
    "since",
    "it's",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "you're",
    "you've",
    "we're",
    "let's",
    "what",
    "when",
    "happy",
    "take",
    "care",
    "all",
    "with",
    "warm",
    "kind",
    "many",
    "as",
    "a",
    "an",
    "p.s",
    "ps",
    "yes",
    "totally",
    "completely",
    "anyway",
    "either",
    "honestly",
    "truly",
    "reading",
    "watching",
    "seeing",
    "meeting",
    "talking",
    "it",
    "that",
    "this",
    "these",
    "those",
    "if",
    "the",
    "and",
    "so",
    "but",
    "or",
    "love",
    "loved",
    "enjoyed",
    "wanted",
    "thought",
    "after",
    "before",
    "speaking",
    "finally",
    "anyhow",
    "sorry",
    "okay",
    "ok",
    "well",
    "oh",
    "wow",
    "good",
    "morning",
    "afternoon",
    "evening",
    "note",
    "same",
    "small",
    "world",
    "friend",
    "friends",
    "coffee",
    "call",
    "chat",
    "nice",
    "lovely",
    "fantastic",
    "amazing",
    "wonderful",
    "appreciate",
    "appreciated",
    "keep",
    "following",
    "reaching",
    "writing",
    "saw",
    "read",
    "heard",
    "came",
    "remember",
    "i",
    "me",
    "my",
    "we",
    "our",
    "us",
    "you",
    "tonight",
    "today",
    "yesterday",
    # Openings and sign-offs of the composer's phrasebook (core/phrasebook.py).
    "enjoy",
    "gratefully",
    "let",
    "like",
    "maybe",
    "saying",
    "talk",
    "introduction",
    "consider",
    "warmest",
}
_ALWAYS_OK = {"i", "i'm", "i've", "i'd", "i'll", "ok", "p.s", "ps"}


def stated_facts(text: str) -> list[str]:
    """The fact-like strings a text states."""
    facts: list[str] = []
    facts += _URL.findall(text)
    stripped = _URL.sub(" ", text)
    stripped = _DURATION.sub(" ", stripped)
    facts += [n for n in _NUMBER.findall(stripped) if any(c.isdigit() for c in n)]
    facts += [q.strip() for q in _QUOTED.findall(stripped)]
    for match in _TOKEN.finditer(stripped):
        token = match.group(0)
        if not token[0].isupper() or token.lower() in _ALWAYS_OK:
            continue
        at_start = bool(_SENTENCE_START.search(stripped[: match.start()]))
        internal_caps = any(c.isupper() for c in token[1:])
        bare = re.split(r"['’]", token.lower())[0]  # "Here's" -> "here"
        if at_start and not internal_caps and (token.lower() in COMMON or bare in COMMON):
            continue
        if not at_start and token.lower() in {"best", "worst"}:
            continue
        facts.append(token.rstrip(".'’"))
    return facts


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'"))


def ungrounded_facts(text: str, allowed_text: str) -> list[str]:
    """Facts in `text` that do not appear anywhere in `allowed_text` (case-insensitive)."""
    allowed = _norm(allowed_text)
    missing: list[str] = []
    for fact in stated_facts(text):
        key = _norm(fact).rstrip("/.,")
        possessive_base = key[:-2] if key.endswith("'s") else key
        if key and key not in allowed and possessive_base not in allowed and fact not in missing:
            missing.append(fact)
    return missing
