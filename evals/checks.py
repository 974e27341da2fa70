"""Checks v1, run on every draft (and on any text the user edits).

Each check returns a CheckResult whose reasons say what to change. The pitch check uses
the detector in `evals.pitch`; the others compare the draft with the contact's fields.
"""

from __future__ import annotations

import re

from core.contacts import Contact
from core.kinds import Kind
from core.models import CheckReport, CheckResult, PitchVerdict, Sender
from core.note_text import looks_like_instruction, split_sentences
from evals.fluency import check_fluency
from evals.grounding import ungrounded_facts
from evals.pitch import detect_pitch
from evals.text import content_words, shingles, word_count, words

#: (min, max) words per kind: long enough to be specific, short enough to be read.
LENGTH_BOUNDS = {Kind.COMPLIMENT: (20, 200), Kind.INTRO: (40, 260), Kind.FOLLOW_UP: (25, 230)}

_PLACEHOLDER = re.compile(
    r"\[[^\]\n]{1,40}\]|\{\{?[^}\n]{0,40}\}?\}|<[A-Za-z_ ]{2,30}>|\b(?:TODO|TBD|XXX|INSERT)\b"
    r"|\byour name\b|lorem ipsum",
    re.IGNORECASE,
)
_BEST = re.compile(r"\bbest[\s-]case\b", re.IGNORECASE)
_WORST = re.compile(r"\bworst[\s-]case\b", re.IGNORECASE)
_INVITE = re.compile(
    r"\b(call|coffee|chat|video|zoom|meet(?:ing)?|walk|lunch|tea)\b", re.IGNORECASE
)
_REQUEST = re.compile(
    r"\?|\b(would you|could you|can you|will you|let me know|are you (?:open|free|up for)|"
    r"hop on|jump on|grab (?:a )?coffee|set up a (?:call|time)|book a|schedule|"
    r"your (?:thoughts|feedback)|check (?:it|this|out)|sign up|take a look)\b",
    re.IGNORECASE,
)
# A title in quotes may hold a "?" ("Tidy First?"): that is not the sender asking.
_QUOTED = re.compile(
    r"(?:(?<=\s)|^)'[^'\n]{1,80}'(?![A-Za-z])|\"[^\"\n]{1,80}\"|“[^”\n]{1,80}”|‘[^’\n]{1,80}’"
)
_DETAIL_FIELDS = ("notes", "their_work", "how_we_met", "shared_interests", "event")


def check_pitch(verdict: PitchVerdict) -> CheckResult:
    reasons = [f'"{s.sentence}" - {s.reason} ({s.category})' for s in verdict.reasons]
    if verdict.is_pitch and not reasons:
        reasons = [f"reads as a pitch overall (score {verdict.pitch_score:.2f})"]
    return CheckResult(name="not_pitch", passed=not verdict.is_pitch, reasons=reasons)


def check_grounded(text: str, contact: Contact, sender: Sender) -> CheckResult:
    missing = ungrounded_facts(text, f"{contact.public_text()}\n{sender.text()}")
    return CheckResult(
        name="grounded",
        passed=not missing,
        reasons=[
            f"states {fact!r}, which is not in the contact's notes or your details"
            for fact in missing
        ],
    )


def check_specific(text: str, contact: Contact) -> CheckResult:
    identity = content_words(f"{contact.name} {contact.company} {contact.role}")
    detail = set().union(*(content_words(getattr(contact, f)) for f in _DETAIL_FIELDS)) - identity
    if not detail:
        return CheckResult(
            name="specific",
            passed=False,
            reasons=[
                "the contact has no notes to be specific about: add their work, how you met or notes"
            ],
            fixable=False,
        )
    shared = detail & content_words(text)
    needed = 1 if len(detail) < 4 else 2
    return CheckResult(
        name="specific",
        passed=len(shared) >= needed,
        reasons=[]
        if len(shared) >= needed
        else [
            "mentions no concrete detail from the notes (their work, the event, a shared moment)"
        ],
    )


def check_structure(text: str, contact: Contact, kind: Kind, verdict: PitchVerdict) -> CheckResult:
    reasons: list[str] = []
    if kind is Kind.INTRO:
        if not (_BEST.search(text) and _WORST.search(text)):
            reasons.append('an intro needs the "best case / worst case" framing')
        if not _INVITE.search(text):
            reasons.append("an intro ends with a low-pressure invitation (a short call or coffee)")
    elif kind is Kind.FOLLOW_UP:
        event = contact.event.strip()
        if not event:
            reasons.append("a follow-up needs the event you met at: fill in the contact's `event`")
        else:
            tokens = content_words(event, min_len=3) or {event.lower()}
            found = tokens & content_words(text, min_len=3)
            if len(found) < max(1, (len(tokens) + 1) // 2):
                reasons.append(f"a follow-up names the event ({event!r})")
    if kind is Kind.COMPLIMENT:
        # The detector's ask sentences first, then any plain request it did not name.
        named = [s.sentence for s in verdict.reasons] if verdict.is_pitch else []
        asks = named + [
            s
            for s in split_sentences(text)
            if _REQUEST.search(_QUOTED.sub("", s)) and s not in named
        ]
        if asks or verdict.is_pitch:
            reasons += [
                f'a compliment asks for nothing, but this sentence asks: "{s}"' for s in asks
            ] or ["a compliment asks for nothing"]
    elif kind is Kind.FOLLOW_UP and verdict.is_pitch:
        reasons += [
            f'a follow-up gives something and asks for nothing, but this sentence asks: "{s.sentence}"'
            for s in verdict.reasons
        ] or ["a follow-up gives something and asks for nothing"]
    return CheckResult(name="structure", passed=not reasons, reasons=reasons)


def check_length(text: str, kind: Kind) -> CheckResult:
    low, high = LENGTH_BOUNDS[kind]
    n = word_count(text)
    if n < low:
        return CheckResult(
            name="length",
            passed=False,
            reasons=[f"{n} words is too short for a {kind.value}: aim for {low}-{high}"],
        )
    if n > high:
        return CheckResult(
            name="length",
            passed=False,
            reasons=[f"{n} words is too long for a {kind.value}: aim for {low}-{high}"],
        )
    return CheckResult(name="length", passed=True)


def check_placeholders(text: str) -> CheckResult:
    found = sorted({m.group(0) for m in _PLACEHOLDER.finditer(text)})
    return CheckResult(
        name="no_placeholders",
        passed=not found,
        reasons=[f"template placeholder left in the text: {p!r}" for p in found],
    )


def check_private(text: str, contact: Contact) -> CheckResult:
    """No 3-word run from the private notes (that the public fields lack) appears in the draft."""
    if not contact.private_notes.strip():
        return CheckResult(name="no_private_leak", passed=True)
    public = shingles(contact.public_text(), 3)
    leaked = (shingles(contact.private_notes, 3) - public) & shingles(text, 3)
    # Numbers, amounts and addresses are private on their own, even outside a 3-word run.
    private_tokens = set(words(contact.private_notes)) - set(words(contact.public_text()))
    distinctive = {
        w for w in private_tokens if len(w) >= 2 and (any(c.isdigit() for c in w) or "@" in w)
    }
    leaked_words = distinctive & set(words(text))
    reasons = [f'repeats the private notes: "{" ".join(s)}"' for s in sorted(leaked)[:3]]
    reasons += [f"repeats a private detail: {w!r}" for w in sorted(leaked_words)]
    return CheckResult(name="no_private_leak", passed=not reasons, reasons=reasons)


def check_injection(text: str, contact: Contact) -> CheckResult:
    """Instruction-like sentences in the notes must never be copied into a draft."""
    draft = shingles(text, 4)
    copied = [
        s
        for field in _DETAIL_FIELDS
        for s in split_sentences(getattr(contact, field))
        if looks_like_instruction(s) and shingles(s, 4) & draft
    ]
    return CheckResult(
        name="notes_are_data",
        passed=not copied,
        reasons=[f'copies an instruction from the notes: "{s}"' for s in copied],
    )


def check_greeting(text: str, contact: Contact) -> CheckResult:
    """A name that is a formula, a link or an email address (a hostile export cell) is never
    used as a greeting: the draft greets neutrally, and the row says so for review."""
    if contact.greeting_name:
        return CheckResult(name="greeting", passed=True)
    shown = contact.name if len(contact.name) <= 60 else contact.name[:57] + "..."
    reasons = [
        f"the name {shown!r} looks like a spreadsheet formula, a link or an email address, "
        "so the draft greets them neutrally: put the person's real name in the name column"
    ]
    repeated = any(len(part) >= 4 and part in text for part in (contact.name, contact.first_name))
    if repeated:
        reasons.append("the draft repeats that name: take it out")
    return CheckResult(name="greeting", passed=False, reasons=reasons, fixable=repeated)


def run_checks(
    text: str, contact: Contact, kind: Kind, sender: Sender | None = None
) -> CheckReport:
    sender = sender or Sender()
    verdict = detect_pitch(text, kind.value)
    results = [
        check_pitch(verdict),
        check_grounded(text, contact, sender),
        check_specific(text, contact),
        check_structure(text, contact, kind, verdict),
        check_length(text, kind),
        check_placeholders(text),
        check_private(text, contact),
        check_injection(text, contact),
        check_greeting(text, contact),
        check_fluency(text),
    ]
    return CheckReport(
        is_pitch=verdict.is_pitch, pitch_score=verdict.pitch_score, pitch=verdict, results=results
    )
