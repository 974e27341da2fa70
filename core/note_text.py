"""Turning the user's notes into sentences a message can use, safely.

Notes are data. Sentences that read as instructions to a model ("ignore previous
instructions", "write that ...", "you are now ...") are never copied into a draft.
"""

from __future__ import annotations

import re

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])|\n+|;\s+")
_URL = re.compile(r"https?://[^\s<>()\"']+[^\s<>()\"'.,;:!?]")

_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instruction|prompt|rule|above|previous|everything)"
    r"|\b(system prompt|you are now|act as|pretend to be|jailbreak)\b"
    r"|^\s*(please\s+)?(write|say|tell|include|add|insert|mention|append|respond|reply|output|print|draft|make sure)\b"
    r"|\b(in (the|your) (draft|message|reply|email))\b"
    r"|\b(assistant|chatgpt|language model|the ai|llm)\b",
    re.IGNORECASE,
)

# Third person -> second person, for notes written about the contact ("her talk" -> "your talk").
_PRONOUNS = [
    (r"\b(she|he|they)'s\b", "you're"),
    (r"\b(she|he)'d\b", "you'd"),
    (r"\b(she|he)'ll\b", "you'll"),
    (r"\b(herself|himself|themselves|themself)\b", "yourself"),
    (r"\b(hers|his own|her own|their own)\b", "your own"),
    (r"\b(she|he|they)\b", "you"),
    (r"\b(her|his|their)\b", "your"),
    (r"\b(him|them)\b", "you"),
]
_AGREEMENT = [
    (r"\byou (is)\b", "you are"),
    (r"\byou (was)\b", "you were"),
    (r"\byou (has)\b", "you have"),
    (r"\byou (does)\b", "you do"),
    (r"\byou (doesn't)\b", "you don't"),
    (r"\byou (isn't)\b", "you aren't"),
    (r"\byou (wasn't)\b", "you weren't"),
    (r"\byou (hasn't)\b", "you haven't"),
]
# "you writes" -> "you write": only for words that end in -s after "you" and look like verbs.
_THIRD_PERSON_VERB = re.compile(r"\byou (\w+?)(ies|es|s)\b", re.IGNORECASE)
_NOT_VERBS = {"this", "us", "is", "was", "has", "does", "news", "always", "across", "plus", "yes"}


def split_sentences(text: str) -> list[str]:
    parts = (p.strip(" \t-•*") for p in _SENTENCE_SPLIT.split(text or ""))
    return [p for p in parts if len(p) >= 3]


def looks_like_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))


def usable_sentences(text: str) -> list[str]:
    """The note's sentences, minus any that read as instructions to a model."""
    return [s for s in split_sentences(text) if not looks_like_instruction(s)]


def find_urls(text: str) -> list[str]:
    return _URL.findall(text or "")


def _fix_verb(match: re.Match[str]) -> str:
    stem, ending = match.group(1), match.group(2)
    word = stem + ending
    if word.lower() in _NOT_VERBS or len(stem) < 2:
        return match.group(0)
    base = stem + ("y" if ending == "ies" else ("e" if ending == "es" and stem[-1] not in "sxzh" else ""))
    if ending == "es" and stem[-1] in "sxzh":
        base = stem
    return f"you {base}"


def to_second_person(sentence: str, name: str = "") -> str:
    """Rewrite a note about the contact so it speaks to them ('She wrote' -> 'You wrote')."""
    text = sentence
    if name:
        for part in {name.strip(), name.split()[0] if name.split() else ""}:
            if part:
                text = re.sub(rf"\b{re.escape(part)}'s\b", "your", text)
                text = re.sub(rf"\b{re.escape(part)}\b", "you", text)
    for pattern, repl in _PRONOUNS + _AGREEMENT:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    text = _THIRD_PERSON_VERB.sub(_fix_verb, text)
    text = re.sub(r"\byou you\b", "you", text, flags=re.IGNORECASE)
    return capitalize_first(text.strip())


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word looks like a name or acronym."""
    if not text:
        return text
    first = text.split()[0]
    if first.isupper() and len(first) > 1 or (first[:1].isupper() and first[1:2].isupper()):
        return text
    if first.lower() in {"you", "your", "the", "a", "an", "my", "our", "we", "that", "this"}:
        return text[:1].lower() + text[1:]
    return text if first[:1].isupper() and first.lower() not in _COMMON_STARTS else text[:1].lower() + text[1:]


_COMMON_STARTS = {
    "gave", "wrote", "built", "published", "ran", "led", "spoke", "shared", "made", "created",
    "started", "founded", "organised", "organized", "hosted", "designed", "maintains", "posted",
    "talked", "helped", "explained", "described", "showed", "presented", "released", "launched",
    "her", "his", "their", "she", "he", "they", "talk", "post", "article", "paper", "book",
}


def end_sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?" else text + "."
