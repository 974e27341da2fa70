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
# "they/them/their" are left alone: in notes they far more often mean things or other people.
_OBJECT_HER = re.compile(
    r"\bher\b(?=\s*(?:[.,;:!?)]|$|\s(?:the|a|an|to|about|for|with|in|on|at|and|or|but|that|this|"
    r"when|while|if|because|so|again|last|yesterday|today|first|some|my|our|how|what|why|where)\b))",
    re.IGNORECASE,
)
_PRONOUNS = [
    # "She's been", "he's written": has, not is.
    (
        r"\b(she|he)'s(?=\s+(?:been|got|gotten|done|written|given|taken|shown|seen|had|grown|"
        r"become|run|led|taught|spoken|begun|won|\w+ed)\b)",
        "you've",
    ),
    (r"\b(she|he)'s\b", "you're"),
    (r"\b(she|he)'d\b", "you'd"),
    (r"\b(she|he)'ll\b", "you'll"),
    (r"\b(herself|himself)\b", "yourself"),
    (r"\b(hers|his own|her own)\b", "your own"),
    (r"\b(she|he)\b", "you"),
    (r"\bhim\b", "you"),
    (r"\b(her|his)\b", "your"),
]
_AGREEMENT = [
    (r"\byou is\b", "you are"),
    (r"\byou was\b", "you were"),
    (r"\byou has\b", "you have"),
    (r"\byou does\b", "you do"),
    (r"\byou doesn't\b", "you don't"),
    (r"\byou isn't\b", "you aren't"),
    (r"\byou wasn't\b", "you weren't"),
    (r"\byou hasn't\b", "you haven't"),
]
# "you writes" -> "you write", and "you run X and hosts Y" -> "... and host Y".
_THIRD_PERSON_VERB = re.compile(r"\b(you(?: also| still| often| now)?) (\w+s)\b", re.IGNORECASE)
_AND_VERB = re.compile(
    r"\band (writes|runs|hosts|maintains|organises|organizes|shares|posts|teaches|builds|makes|"
    r"draws|records|leads|gives|publishes|edits|curates|mentors|speaks|sketches|ships|codes)\b"
)
_NOT_VERBS = {
    "this",
    "us",
    "is",
    "was",
    "has",
    "does",
    "news",
    "always",
    "across",
    "plus",
    "yes",
    "thanks",
}


def base_form(verb: str) -> str:
    """'writes' -> 'write', 'teaches' -> 'teach', 'carries' -> 'carry'."""
    lower = verb.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return verb[:-3] + "y"
    if lower.endswith(("sses", "xes", "zes", "ches", "shes")):
        return verb[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return verb[:-1]
    return verb


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
    subject, verb = match.group(1), match.group(2)
    if verb.lower() in _NOT_VERBS or len(verb) < 3:
        return match.group(0)
    return f"{subject} {base_form(verb)}"


def to_second_person(sentence: str, name: str = "") -> str:
    """Rewrite a note about the contact so it speaks to them ('She wrote' -> 'You wrote')."""
    text = sentence
    if name:
        for part in {name.strip(), name.split()[0] if name.split() else ""}:
            if part:
                text = re.sub(rf"\b{re.escape(part)}'s\b", "your", text)
                text = re.sub(rf"\b{re.escape(part)}\b", "you", text)
    text = _OBJECT_HER.sub("you", text)
    for pattern, repl in _PRONOUNS + _AGREEMENT:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    text = _THIRD_PERSON_VERB.sub(_fix_verb, text)
    if re.match(r"you\b", text, re.IGNORECASE):
        text = _AND_VERB.sub(lambda m: f"and {base_form(m.group(1))}", text)
    text = re.sub(r"\byou you\b", "you", text, flags=re.IGNORECASE)
    return capitalize_first(text.strip())


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def end_sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?" else text + "."
