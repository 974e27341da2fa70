"""The user's own voice, read from the drafts they approved (with their edits).

Two uses: the offline composer prefers the greeting and sign-off the user kept, and an
LLM prompt gets up to three approved drafts of the same kind as examples of tone. They
are marked as tone only: the grounding check still rejects any fact copied from them,
because they are about other people.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from core.config import Settings
from core.kinds import Kind

#: Approved drafts of a kind shown to a model as examples of the user's tone.
STYLE_EXAMPLES = 3
_SCAN = 200  # newest approved drafts looked at
_GREETING = re.compile(r"^(hi|hello|hey|dear|hiya|morning|greetings)\b[^,\n]{1,40},$", re.I)
_NAME_LINE = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}$")
_CLOSING_LINE = re.compile(r"^[A-Za-z][A-Za-z ,'’!-]{1,38},$")


@dataclass(frozen=True)
class Voice:
    greeting: str = ""  # a greeting frame with {n} for the first name: "Hey {n},"
    signoff: str = ""  # the closing line above the name: "Thanks so much,"


def greeting_frame(text: str) -> str:
    """ "Hey Priya," -> "Hey {n},"; "" when the first line is no greeting by name."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines or not _GREETING.match(lines[0]) or len(lines[0].split()) > 4:
        return ""
    word = lines[0].split()[0]
    return f"{word[:1].upper()}{word[1:].lower()} {{n}},"


def signoff_of(text: str) -> str:
    """The closing kept above the name ("Thanks so much," over "Sam"), or ""."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 3 or not _NAME_LINE.match(lines[-1]):
        return ""
    closing = lines[-2]
    return closing if _CLOSING_LINE.match(closing) and len(closing.split()) <= 4 else ""


def voice_from_texts(texts: list[str]) -> Voice:
    """The greeting and sign-off the user used most (newest first wins a tie)."""
    greetings = Counter(g for g in map(greeting_frame, texts) if g)
    signoffs = Counter(s for s in map(signoff_of, texts) if s)
    return Voice(
        greeting=greetings.most_common(1)[0][0] if greetings else "",
        signoff=signoffs.most_common(1)[0][0] if signoffs else "",
    )


def approved_texts(kind: Kind, settings: Settings | None = None) -> list[str]:
    """The user's approved drafts of `kind`, newest first, as they approved them."""
    from core import store

    try:
        drafts = store.list_drafts(settings, limit=_SCAN)
    except Exception:  # an unreadable workspace must never stop a draft
        return []
    return [d.text for d in drafts if d.kind == kind.value and d.text.strip()]


def user_voice(kind: Kind, settings: Settings | None = None) -> Voice:
    return voice_from_texts(approved_texts(kind, settings))


def style_examples(kind: Kind, settings: Settings | None = None) -> list[str]:
    """Up to three approved drafts of `kind`, newest first, for a model to copy the tone of."""
    return approved_texts(kind, settings)[:STYLE_EXAMPLES]
