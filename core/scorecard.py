"""A coach's score card for a message: words, reading grade, specificity, asks, and one
suggestion in plain words when something is off.

Unlike the email coaches, it rewards a message for asking nothing: a compliment or a
follow-up should have no ask at all, an intro exactly one low-pressure invitation.
It is cheap (no model), so the web app recomputes it on every edit.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from core.contacts import Contact
from core.kinds import Kind
from core.models import CheckReport
from core.note_text import split_sentences

#: Words that get replies, by kind: short messages are answered more often. Advice, wider
#: than nothing and narrower than the length check's hard limits.
WORD_BANDS = {Kind.COMPLIMENT: (50, 125), Kind.INTRO: (75, 150), Kind.FOLLOW_UP: (50, 125)}
#: Above this US school grade a short personal note reads as hard work.
EASY_GRADE = 8.0
HARD_GRADE = 11.0
_DETAIL_FIELDS = ("their_work", "notes", "how_we_met", "event", "shared_interests")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_ASK = re.compile(
    r"\?|\b(would you|could you|can you|will you|let me know|are you (?:open|free|up for)|"
    r"hop on|jump on|set up a (?:call|time)|book a|schedule|sign up|check (?:it|this) out|"
    r"take a look|your (?:thoughts|feedback)|please (?:share|send|review|consider))\b",
    re.IGNORECASE,
)
_INVITE = re.compile(r"\b(call|coffee|chat|video|walk|lunch|tea|meet)\b", re.IGNORECASE)
_QUOTED = re.compile(r"(?:(?<=\s)|^)'[^'\n]{1,80}'(?![A-Za-z])|\"[^\"\n]{1,80}\"|“[^”\n]{1,80}”")
_GREETING_OR_SIGNOFF = re.compile(r"^\s*(?:\S+\s*){0,3},?\s*$")
_STOP = {
    "the", "and", "for", "with", "that", "this", "from", "about", "your", "their", "have",
    "were", "what", "when", "which", "into", "over", "they", "them", "just", "been", "also",
}  # fmt: skip


class ScoreCard(BaseModel):
    words: int
    word_band: tuple[int, int]
    reading_grade: float
    specificity: int = Field(description="concrete details from the notes the text uses")
    asks: list[str] = Field(default_factory=list)
    asks_ok: bool = True
    suggestion: str | None = None

    @property
    def words_ok(self) -> bool:
        low, high = self.word_band
        return low <= self.words <= high

    def to_json_dict(self) -> dict[str, object]:
        return {
            "words": self.words,
            "word_band": list(self.word_band),
            "words_ok": self.words_ok,
            "reading_grade": self.reading_grade,
            "specificity": self.specificity,
            "asks": self.asks,
            "asks_ok": self.asks_ok,
            "suggestion": self.suggestion,
        }


def _content(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) >= 4 and w.lower() not in _STOP}


def _body(text: str) -> str:
    """The message without its greeting line and sign-off lines (a name is not prose)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return " ".join(line for line in lines if not _GREETING_OR_SIGNOFF.match(line))


def details_used(text: str, contact: Contact) -> int:
    """How many of the notes' concrete details (each sentence of a detail field) the text
    uses: at least two of its content words, or its only one."""
    used = 0
    words = _content(text)
    for field in _DETAIL_FIELDS:
        for sentence in split_sentences(getattr(contact, field)):
            detail = _content(sentence)
            if detail and len(detail & words) >= min(2, len(detail)):
                used += 1
    return used


def asks_in(text: str) -> list[str]:
    return [s for s in split_sentences(text) if _ASK.search(_QUOTED.sub("", s))]


def reading_grade(text: str) -> float:
    import textstat  # imported here: the CLI's other commands do not need it

    body = _body(text)
    if not _WORD.search(body):
        return 0.0
    return round(max(0.0, float(textstat.flesch_kincaid_grade(body))), 1)


def _asks_ok(kind: Kind, asks: list[str], report: CheckReport | None) -> bool:
    if report is not None and report.is_pitch:
        return False
    if kind is Kind.INTRO:
        return len(asks) <= 1 and all(_INVITE.search(a) for a in asks)
    return not asks


def _suggestion(card: ScoreCard, kind: Kind) -> str | None:
    """The one thing most worth changing, in plain words (None when all is well)."""
    low, high = card.word_band
    if not card.asks_ok:
        if kind is Kind.INTRO:
            return (
                "Keep one low-pressure invitation (a short call or a coffee) and take out "
                "the other requests."
            )
        return f"Take out the request: a {kind.value.replace('_', '-')} asks for nothing."
    if card.specificity == 0:
        return "Add one concrete detail from your notes: their talk, post or project, or a moment you shared."
    if card.words > high:
        return f"Shorter gets more replies: aim for under {high} words (this has {card.words})."
    if card.reading_grade > HARD_GRADE:
        return "Use shorter sentences and plainer words: it reads like a report, not a note."
    if card.words < low:
        return f"Add a sentence on why it mattered to you: {low} words or more reads as meant (this has {card.words})."
    return None


def score_card(
    text: str, contact: Contact, kind: Kind, report: CheckReport | None = None
) -> ScoreCard:
    asks = asks_in(text)
    card = ScoreCard(
        words=len(_WORD.findall(_body(text))),
        word_band=WORD_BANDS[kind],
        reading_grade=reading_grade(text),
        specificity=details_used(text, contact),
        asks=asks,
        asks_ok=_asks_ok(kind, asks, report),
    )
    card.suggestion = _suggestion(card, kind)
    return card
