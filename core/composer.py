"""The offline composer: deterministic drafts built only from the contact's own facts.

It is not a language model and never claims to be. It reads the shape of each value the
user typed (`core.shapes`: a noun phrase, a clause, a first-person note), builds a
grammatical sentence around it that speaks to the recipient, and leaves a value out
rather than write a fragment (every sentence made from a value must pass the fluency
check on its own). Its own words come from `core.phrasebook`, picked per contact so a
batch does not read as one template. `variant` selects another realization of the same
facts (used when a draft fails a check). `voice` carries the greeting and sign-off the
user kept in their own approved drafts, preferred over the phrasebook's.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field

from core import phrasebook as pb
from core.contacts import Contact
from core.kinds import Kind
from core.models import Sender
from core.note_text import capitalize_first, end_sentence, find_urls, usable_sentences
from core.shapes import (
    Shape,
    Shaped,
    as_clause,
    decap,
    event_phrase,
    is_plural,
    noun_phrase,
    shape_of,
    with_article,
)
from core.voice import Voice
from evals.fluency import fluency_problems

COMPOSER_NAME = "offline"
COMPOSER_MODEL = "offline-composer-v2"

_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|me|my|we|our|us|we're|we've)\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’")
# What turns a first-person note into a reason the work mattered to the sender.
_EFFECT = re.compile(
    r"\b(made me|makes me|make me|helped|helps|changed|changes|taught|teaches|cut|cuts|saved|"
    r"saves|shaped|inspired|convinced|pushed|let me|lets me|let us|showed me|gave me|gave us|"
    r"fixed|unblocked|use|used|uses|using|adopted|applied|apply|reread|rethink|rethought|"
    r"click|clicked|pinned|stuck with me|because|so that|which is why|got me|led me|"
    r"encouraged|motivated|reminded me|laugh|laughed|finally|now I|now we|every day|"
    r"changed how|I still|we still|copied|borrowed|started)\b",
    re.IGNORECASE,
)
_CLAUSES = {Shape.SUBJECTLESS, Shape.THIRD_PERSON, Shape.SECOND_PERSON, Shape.FIRST_PERSON}


@dataclass
class Composition:
    text: str
    snippets: list[str] = field(default_factory=list)


@dataclass
class _Facts:
    work: list[str]
    reasons: list[str]
    notes: list[str]  # other usable note sentences (about them, or first person)
    moments: list[str]
    urls: list[str]


def _rng(contact: Contact, kind: Kind, variant: int) -> random.Random:
    seed = hashlib.sha256(f"{contact.name}|{contact.company}|{kind}|{variant}".encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def _pick(rng: random.Random, options: list[str]) -> str:
    return options[rng.randrange(len(options))]


def _fluent(sentence: str) -> bool:
    return not fluency_problems(sentence)


def is_reason(sentence: str) -> bool:
    """A first-person note that says what something changed for the sender."""
    outside_quotes = _QUOTED.sub(" ", sentence)
    return bool(_FIRST_PERSON.search(outside_quotes) and _EFFECT.search(outside_quotes))


def _rank(sentences: list[str], preferred: list[str]) -> list[str]:
    """Order sentences so those the retriever ranked relevant come first (stable)."""
    wanted = {p.strip().rstrip(".!?").lower() for p in preferred}
    return sorted(sentences, key=lambda s: s.strip().rstrip(".!?").lower() not in wanted)


def _gather(contact: Contact, preferred: list[str]) -> _Facts:
    notes = _rank(usable_sentences(contact.notes), preferred)
    work = usable_sentences(contact.their_work)
    reasons = [s for s in notes if is_reason(s)]
    other = [s for s in notes if s not in reasons]
    if not work:
        about_them = [s for s in other if not _FIRST_PERSON.search(_QUOTED.sub(" ", s))]
        work = about_them[:1]
        other = [s for s in other if s not in work]
    urls = find_urls(" ".join([contact.notes, contact.how_we_met, contact.their_work]))
    moments = usable_sentences(contact.how_we_met)
    return _Facts(work=work, reasons=reasons, notes=other, moments=moments, urls=urls)


def _strip_url(sentence: str, urls: list[str]) -> str:
    for url in urls:
        sentence = sentence.replace(url, "").replace("()", "")
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", sentence)).strip(" :-")


def _rotate(items: list[str], variant: int) -> list[str]:
    if not items:
        return items
    shift = variant % len(items)
    return items[shift:] + items[:shift]


def _fill_np(frame: str, np: str) -> str:
    return frame.format(
        np=np,
        Np=capitalize_first(np),
        have="have" if is_plural(np) else "has",
        **{"is": "are" if is_plural(np) else "is"},
    )


def _first_fluent(rng: random.Random, candidates: list[str]) -> str | None:
    """The first candidate (from a shuffled start) that reads as a whole sentence."""
    if not candidates:
        return None
    start = rng.randrange(len(candidates))
    for sentence in candidates[start:] + candidates[:start]:
        if _fluent(sentence):
            return sentence
    return None


def _shaped(value: str, contact: Contact, urls: list[str]) -> Shaped | None:
    return shape_of(_strip_url(value, urls), contact.name)


# -- sentences made from the contact's facts --------------------------------------------


def _work_sentence(rng: random.Random, shaped: Shaped, name: str) -> str | None:
    if shaped.shape in {Shape.NOUN_PHRASE, Shape.GERUND}:
        np = noun_phrase(shaped, name)
        return _first_fluent(rng, [_fill_np(f, np) for f in pb.WORK_NP_FRAMES])
    if shaped.shape is Shape.FIRST_PERSON:
        return _first_fluent(rng, [end_sentence(as_clause(shaped, name))])
    if shaped.shape in _CLAUSES:
        clause = as_clause(shaped, name)
        if shaped.past:
            frames = pb.WORK_CLAUSE_PAST
        elif clause.startswith("You "):
            frames = pb.WORK_CLAUSE_PRESENT  # "You draw the weekly comic, and I'm glad you do."
        else:
            frames = ["{clause}."]  # "Your video explaining Docker is very clear."
        return _first_fluent(rng, [f.format(clause=clause) for f in frames])
    return None


def _why_sentence(rng: random.Random, shaped: Shaped, name: str) -> str | None:
    """Why the sender writes to this person in particular (the intro)."""
    if shaped.shape in {Shape.NOUN_PHRASE, Shape.GERUND}:
        np = noun_phrase(shaped, name)
        return _first_fluent(rng, [_fill_np(f, np) for f in pb.WHY_NP_FRAMES])
    if shaped.shape in _CLAUSES:
        why = decap(as_clause(shaped, name))
        return _first_fluent(rng, [f.format(why=why) for f in pb.WHY_CLAUSE_FRAMES])
    return None


def _note_sentence(rng: random.Random, shaped: Shaped, name: str, *, reason: bool) -> str | None:
    """A note as a sentence; a reason may follow "why it mattered", nothing else may."""
    if shaped.shape not in _CLAUSES:
        return None
    clause = as_clause(shaped, name)
    if not reason:
        return _first_fluent(rng, [end_sentence(clause)])
    candidates = [f.format(reason=decap(clause), Reason=clause) for f in pb.REASON_FRAMES]
    return _first_fluent(rng, candidates)


def _moment_sentence(rng: random.Random, shaped: Shaped, name: str) -> str | None:
    if shaped.shape in {Shape.NOUN_PHRASE, Shape.GERUND}:
        np = noun_phrase(shaped, name, owner="our")
        return _first_fluent(rng, [_fill_np(f, np) for f in pb.MOMENT_NP_FRAMES])
    if shaped.shape in _CLAUSES:
        moment = decap(as_clause(shaped, name, subject="We"))
        return _first_fluent(rng, [f.format(moment=moment) for f in pb.MOMENT_CLAUSE_FRAMES])
    return None


def _interest_phrase(contact: Contact) -> str | None:
    shaped = shape_of(contact.shared_interests, contact.name)
    if shaped is None or shaped.shape not in {Shape.NOUN_PHRASE, Shape.GERUND}:
        return None
    return shaped.text[:1].lower() + shaped.text[1:] if shaped.text[1:2].islower() else shaped.text


def _use_first(
    rng: random.Random,
    values: list[str],
    build: object,
    contact: Contact,
    facts: _Facts,
    used: list[str],
    **kwargs: object,
) -> str | None:
    """The first value that makes a fluent sentence; values that cannot are left out."""
    for value in values:
        shaped = _shaped(value, contact, facts.urls)
        if shaped is None:
            continue
        sentence = build(rng, shaped, contact.name, **kwargs)  # type: ignore[operator]
        if sentence:
            used.append(value)
            return str(sentence)
    return None


# -- greeting, sign-off, who I am --------------------------------------------------------


def _greeting(rng: random.Random, contact: Contact, voice: Voice | None) -> str:
    name = contact.greeting_name
    if not name:  # never "Dear =HYPERLINK(...)": the checks say why the greeting is neutral
        return _pick(rng, pb.NEUTRAL_GREETINGS)
    if voice and voice.greeting:
        return voice.greeting.format(n=name)  # the greeting the user kept in their drafts
    return _pick(rng, pb.GREETINGS).format(n=name)


def _signoff(rng: random.Random, sender: Sender, options: list[str], voice: Voice | None) -> str:
    """The closing and the first name ("Cheers,\\nSam"), or nothing at all when the
    name is unknown (a closing with no name under it reads as a mistake)."""
    first = sender.name.split()[0] if sender.name.split() else ""
    if not first:
        return ""
    closing = voice.signoff if voice and voice.signoff else _pick(rng, options)
    return f"{closing}\n{first}"


def _about(sender: Sender) -> tuple[str, str]:
    """The sender's line about themself: (a clause to join onto "I'm ...", the rest)."""
    sentences = usable_sentences(sender.about)
    if not sentences:
        return "", ""
    shaped = shape_of(sentences[0])
    rest = " ".join(end_sentence(s) for s in sentences[1:])
    if shaped is None:
        return "", rest
    if shaped.shape is Shape.FIRST_PERSON:
        return decap(capitalize_first(shaped.text)), rest
    if shaped.shape is Shape.SUBJECTLESS:
        return decap(as_clause(shaped, "", subject="I")), rest
    return "", " ".join(filter(None, [end_sentence(capitalize_first(shaped.text)), rest]))


def _who_i_am(rng: random.Random, contact: Contact, sender: Sender) -> str:
    interests = _interest_phrase(contact)
    if not sender.name:
        if interests:
            return _pick(rng, pb.WHO_INTERESTS).format(x=interests)
        return _pick(rng, pb.WHO_STRANGER)
    role, company = sender.role.strip(), sender.company.strip()
    frames = (
        pb.WHO_ROLE_COMPANY
        if role and company
        else pb.WHO_ROLE
        if role
        else pb.WHO_COMPANY
        if company
        else pb.WHO_NAME
    )
    sentence = _pick(rng, frames).format(
        full=sender.name,
        first=sender.name.split()[0],
        role=role,
        role_a=with_article(role),
        company=company,
    )
    joined, rest = _about(sender)
    if joined and _fluent(joined):
        sentence = f"{sentence[:-1]}; {joined}."
    return " ".join(filter(None, [sentence, rest]))


# -- the three kinds ----------------------------------------------------------------------


def compose(
    contact: Contact,
    kind: Kind,
    sender: Sender | None = None,
    *,
    preferred_snippets: list[str] | None = None,
    variant: int = 0,
    voice: Voice | None = None,
) -> Composition:
    """A draft of `kind` for `contact`, from public facts only (never `private_notes`)."""
    sender = sender or Sender()
    rng = _rng(contact, kind, variant)
    facts = _gather(contact, preferred_snippets or [])
    build = {Kind.COMPLIMENT: _compliment, Kind.INTRO: _intro, Kind.FOLLOW_UP: _follow_up}[kind]
    paragraphs, used = build(rng, contact, sender, facts, variant, voice)
    body = "\n\n".join(p for p in paragraphs if p)
    return Composition(text=body.strip(), snippets=used)


def _reason_or_note(
    rng: random.Random,
    contact: Contact,
    facts: _Facts,
    variant: int,
    used: list[str],
    *,
    lead: bool = True,
) -> str | None:
    """A reason it mattered when the notes hold one (after a "why it mattered" lead when
    `lead`); else another note, plainly."""
    reasons = [r for r in _rotate(facts.reasons, variant) if r not in used]
    found = _use_first(rng, reasons, _note_sentence, contact, facts, used, reason=lead)
    if found:
        return found
    notes = [n for n in facts.notes if n not in used]
    return _use_first(rng, notes, _note_sentence, contact, facts, used, reason=False)


def _compliment(
    rng: random.Random,
    contact: Contact,
    sender: Sender,
    facts: _Facts,
    variant: int,
    voice: Voice | None,
) -> tuple[list[str], list[str]]:
    used: list[str] = []
    lines = [_pick(rng, pb.COMPLIMENT_OPENERS)]
    work = _use_first(rng, _rotate(facts.work, variant), _work_sentence, contact, facts, used)
    if work:
        lines.append(work)
    lines.append(_reason_or_note(rng, contact, facts, variant, used) or "")
    interests = _interest_phrase(contact)
    if interests and rng.random() < 0.5:
        lines.append(_pick(rng, pb.INTERESTS_FRAMES).format(x=interests))
    return [
        _greeting(rng, contact, voice),
        " ".join(line for line in lines if line),
        _pick(rng, pb.COMPLIMENT_CLOSINGS),
        _signoff(rng, sender, pb.COMPLIMENT_SIGNOFFS, voice),
    ], used


def _intro(
    rng: random.Random,
    contact: Contact,
    sender: Sender,
    facts: _Facts,
    variant: int,
    voice: Voice | None,
) -> tuple[list[str], list[str]]:
    used: list[str] = []
    why = _use_first(rng, _rotate(facts.work, variant), _why_sentence, contact, facts, used)
    more = _reason_or_note(rng, contact, facts, variant, used)
    interests = _interest_phrase(contact)
    shared = (
        _pick(rng, pb.SHARED_INTEREST_FRAMES).format(x=interests)
        if interests and sender.name
        else ""
    )
    me = _who_i_am(rng, contact, sender)
    invite = f"{_pick(rng, pb.INVITATIONS)} {_pick(rng, pb.EASY_OUTS)}"
    return [
        _greeting(rng, contact, voice),
        " ".join(filter(None, [me, why, more, shared])),
        f"{_pick(rng, pb.FRAMINGS)} {invite}",
        _signoff(rng, sender, pb.INTRO_SIGNOFFS, voice),
    ], used


def _follow_up(
    rng: random.Random,
    contact: Contact,
    sender: Sender,
    facts: _Facts,
    variant: int,
    voice: Voice | None,
) -> tuple[list[str], list[str]]:
    used: list[str] = []
    event = event_phrase(contact.event)
    opener = None
    if event:
        candidates = [f.format(event=event) for f in pb.FOLLOW_UP_OPENERS]
        opener = _first_fluent(rng, candidates)
    if opener is None:
        shaped = shape_of(contact.event, contact.name)
        clause = as_clause(shaped, contact.name, subject="We") if shaped else ""
        opener = " ".join(
            filter(
                None,
                [_pick(rng, pb.FOLLOW_UP_OPENERS_NO_EVENT), end_sentence(clause) if clause else ""],
            )
        )
    body = [opener]
    if facts.moments:
        moment = _use_first(
            rng, _rotate(facts.moments, variant), _moment_sentence, contact, facts, used
        )
    else:  # no shared moment noted: something about them, never "we" did their work
        about = _rotate(facts.notes or facts.work, variant)
        moment = _use_first(rng, about, _work_sentence, contact, facts, used)
    if moment:
        body.append(moment)
    more = _reason_or_note(rng, contact, facts, variant, used, lead=False)
    if more:
        body.append(more)
    if facts.urls:
        gift = _pick(rng, pb.GIFTS_LINK).format(url=facts.urls[0])
    else:
        gift = _pick(rng, pb.GIFTS_THANKS)
    closing = _pick(rng, pb.FOLLOW_UP_CLOSINGS)
    return [
        _greeting(rng, contact, voice),
        " ".join(body),
        # A link ends its line: a period or a word right after it breaks it in mail clients.
        f"{gift}\n{closing}" if facts.urls else f"{gift} {closing}",
        _signoff(rng, sender, pb.FOLLOW_UP_SIGNOFFS, voice),
    ], used


__all__ = ["COMPOSER_MODEL", "COMPOSER_NAME", "Composition", "compose", "is_reason"]
