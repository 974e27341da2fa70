"""The offline composer: deterministic drafts built only from the contact's own facts.

It is not a language model and never claims to be. It arranges sentences taken from the
contact's public fields (rewritten to speak to the recipient) into the structure each kind
requires, with phrasing picked per contact so a batch does not read as one template.
`variant` selects another realization of the same facts (used when a draft fails a check).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field

from core.contacts import Contact
from core.kinds import Kind
from core.models import Sender
from core.note_text import (
    end_sentence,
    find_urls,
    to_second_person,
    usable_sentences,
)

COMPOSER_NAME = "offline"
COMPOSER_MODEL = "offline-composer-v1"

_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|me|my|we|our|us|we're|we've)\b")
_WORK_NOUNS = {
    "talk",
    "post",
    "article",
    "paper",
    "book",
    "podcast",
    "episode",
    "project",
    "library",
    "newsletter",
    "thread",
    "essay",
    "series",
    "video",
    "course",
    "keynote",
    "workshop",
    "design",
    "tool",
    "blog",
    "guide",
    "tutorial",
    "report",
    "study",
    "framework",
    "app",
    "piece",
    "interview",
    "presentation",
    "panel",
    "demo",
    "repo",
    "package",
    "zine",
}
_ARTICLES = {"a", "an", "the", "this", "that", "her", "his", "their", "your"}
# A sentence starting with one of these lacks a subject ("Met at PyCon", "Wrote a book").
_SUBJECTLESS = re.compile(
    r"^(\w+ed|met|talked|chatted|spoke|sat|ran|walked|hiked|shared|laughed|argued|discussed|"
    r"bonded|swapped|traded|joined|got|went|played|cooked|worked|wrote|gave|built|"
    r"published|created|founded|started|launched|led|organi[sz]ed|hosted|designed|"
    r"maintains|maintained|runs|writes|spoke|presented|released|made|recorded|taught|"
    r"helped|explained|showed|posted|co-?wrote|co-?founded|ships|shipped)\b"
    # A present-tense verb before a determiner: "Draws the weekly comic", "Runs a meetup".
    r"|^\w+s (?=(the|a|an|its|her|his|their|two|three|several|weekly|monthly)\b)",
    re.IGNORECASE,
)


@dataclass
class Composition:
    text: str
    snippets: list[str] = field(default_factory=list)


def _rng(contact: Contact, kind: Kind, variant: int) -> random.Random:
    seed = hashlib.sha256(f"{contact.name}|{contact.company}|{kind}|{variant}".encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def _decap(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.lower() in _ARTICLES or _SUBJECTLESS.match(text) or first.lower() in _WORK_NOUNS:
        return text[:1].lower() + text[1:]
    return text


_VERBS = {
    "is", "was", "are", "were", "has", "had", "made", "makes", "taught", "teaches", "gave",
    "gives", "got", "became", "helped", "helps", "showed", "shows", "changed", "changes",
    "saved", "saves", "kept", "keeps", "stuck", "won", "took", "takes", "put", "puts",
}  # fmt: skip


def _has_verb(words: list[str]) -> bool:
    """Rough, and enough here: a finite verb after the noun turns a phrase into a sentence."""
    return any(w.lower().strip(",.") in _VERBS or w.lower().endswith("ed") for w in words)


def _as_work_sentence(sentence: str, name: str) -> str:
    """Their-work notes as a sentence to them: 'Wrote X' -> 'You wrote X', 'Talk on X' -> 'Your talk on X'."""
    text = sentence.strip().rstrip(".!?")
    first = text.split(" ", 1)[0].lower()
    if _SUBJECTLESS.match(text):
        return end_sentence(to_second_person("You " + _decap(text), name))
    if first in _WORK_NOUNS:
        return end_sentence(f"I keep coming back to your {_decap(text)}")
    if first in {"a", "an", "the", "this", "that"}:
        return end_sentence(f"I keep coming back to {_decap(text)} you made")
    converted = to_second_person(text, name)
    words = converted.split()
    if (
        len(words) > 1
        and words[0].lower() == "your"
        and words[1].lower().rstrip(",") in _WORK_NOUNS
        and not _has_verb(words[2:])
    ):
        # "her talk on CRDTs" is a noun phrase, not a sentence: give it one.
        return end_sentence(f"I keep coming back to {_decap(converted)}")
    if words and words[0].lower() in {"you", "your", "you're"}:
        return end_sentence(converted)
    return end_sentence(f"I keep coming back to your work: {text}")


def _as_moment_sentence(sentence: str, name: str) -> str:
    text = sentence.strip().rstrip(".!?")
    if _SUBJECTLESS.match(text):
        return end_sentence(to_second_person("We " + _decap(text), name))
    return end_sentence(to_second_person(text, name))


@dataclass
class _Facts:
    work: list[str]
    impact: list[str]
    moments: list[str]
    other: list[str]
    urls: list[str]


def _rank(sentences: list[str], preferred: list[str]) -> list[str]:
    """Order sentences so those the retriever ranked relevant come first (stable)."""
    wanted = {p.strip().rstrip(".!?").lower() for p in preferred}
    return sorted(sentences, key=lambda s: s.strip().rstrip(".!?").lower() not in wanted)


def _gather(contact: Contact, preferred: list[str]) -> _Facts:
    notes = _rank(usable_sentences(contact.notes), preferred)
    work = usable_sentences(contact.their_work)
    moments = usable_sentences(contact.how_we_met)
    impact = [s for s in notes if _FIRST_PERSON.search(s)]
    other = [s for s in notes if s not in impact]
    if not work:
        work = [s for s in other if not _FIRST_PERSON.search(s)][:1]
        other = [s for s in other if s not in work]
    urls = find_urls(" ".join([contact.notes, contact.how_we_met, contact.their_work]))
    return _Facts(work=work, impact=impact, moments=moments, other=other, urls=urls)


def _pick(rng: random.Random, options: list[str]) -> str:
    return options[rng.randrange(len(options))]


def _greeting(rng: random.Random, contact: Contact) -> str:
    name = contact.greeting_name
    if not name:  # never "Dear =HYPERLINK(...)": the checks say why the greeting is neutral
        return _pick(rng, ["Hi there,", "Hello,", "Hello there,", "Hi,"])
    return _pick(rng, ["Hi {n},", "Hello {n},", "Dear {n},", "Hey {n},"]).format(n=name)


def _signoff(rng: random.Random, sender: Sender, options: list[str]) -> str:
    """The closing and the first name ("Cheers,\nSam"), or nothing at all when the
    name is unknown (a closing with no name under it reads as a mistake)."""
    closing = _pick(rng, options)
    first = sender.name.split()[0] if sender.name.split() else ""
    return f"{closing}\n{first}" if first else ""


def _strip_url(sentence: str, urls: list[str]) -> str:
    for url in urls:
        sentence = sentence.replace(url, "").replace("()", "")
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", sentence)).strip(" :-")


def compose(
    contact: Contact,
    kind: Kind,
    sender: Sender | None = None,
    *,
    preferred_snippets: list[str] | None = None,
    variant: int = 0,
) -> Composition:
    """A draft of `kind` for `contact`, from public facts only (never `private_notes`)."""
    sender = sender or Sender()
    rng = _rng(contact, kind, variant)
    facts = _gather(contact, preferred_snippets or [])
    build = {Kind.COMPLIMENT: _compliment, Kind.INTRO: _intro, Kind.FOLLOW_UP: _follow_up}[kind]
    paragraphs, used = build(rng, contact, sender, facts, variant)
    body = "\n\n".join(p for p in paragraphs if p)
    return Composition(text=body.strip(), snippets=used)


def _rotate(items: list[str], variant: int) -> list[str]:
    if not items:
        return items
    shift = variant % len(items)
    return items[shift:] + items[:shift]


def _compliment(
    rng: random.Random, contact: Contact, sender: Sender, facts: _Facts, variant: int
) -> tuple[list[str], list[str]]:
    work = _rotate(facts.work, variant)
    used: list[str] = []
    lines: list[str] = []
    opener = _pick(
        rng,
        [
            "I've been meaning to write this note for a while.",
            "A short note of thanks, long overdue.",
            "I wanted to send you a quick word of appreciation.",
            "This is a small thank-you that I should have sent sooner.",
        ],
    )
    lines.append(opener)
    if work:
        lines.append(_as_work_sentence(_strip_url(work[0], facts.urls), contact.name))
        used.append(work[0])
    if facts.impact:
        impact = _rotate(facts.impact, variant)[0]
        lead = _pick(
            rng,
            [
                "It made a real difference for me.",
                "Here is why it mattered to me.",
                "It genuinely changed something for me.",
            ],
        )
        lines.append(
            f"{lead} {end_sentence(to_second_person(_strip_url(impact, facts.urls), contact.name))}"
        )
        used.append(impact)
    elif facts.other:
        lines.append(end_sentence(to_second_person(facts.other[0], contact.name)))
        used.append(facts.other[0])
    if contact.shared_interests and rng.random() < 0.5:
        lines.append(
            f"It's also lovely to see someone care this much about {contact.shared_interests.rstrip('.')}."
        )
    closing = _pick(
        rng,
        [
            "No reply needed; I just wanted you to know it landed.",
            "Nothing to ask. I only wanted to say thank you.",
            "That's all: thank you for putting it out into the world.",
            "No need to answer; I simply wanted you to hear it.",
        ],
    )
    body = " ".join(lines)
    return [
        _greeting(rng, contact),
        body,
        closing,
        _signoff(rng, sender, ["Warmly,", "All the best,", "With thanks,", "Cheers,"]),
    ], used


def _who_i_am(rng: random.Random, contact: Contact, sender: Sender) -> str:
    if sender.name:
        parts = f"I'm {sender.name}"
        if sender.role and sender.company:
            parts += f", {sender.role} at {sender.company}"
        elif sender.role or sender.company:
            parts += f", {sender.role or 'at ' + sender.company}"
        about = f" {end_sentence(sender.about)}" if sender.about else ""
        return end_sentence(parts) + about
    if contact.shared_interests:
        return _pick(
            rng,
            [
                f"I'm someone who spends a lot of time on {contact.shared_interests.rstrip('.')}, like you.",
                f"A quick word about me: I care a lot about {contact.shared_interests.rstrip('.')} too.",
            ],
        )
    return "I'm writing as someone who has followed your work for a while."


def _intro(
    rng: random.Random, contact: Contact, sender: Sender, facts: _Facts, variant: int
) -> tuple[list[str], list[str]]:
    used: list[str] = []
    why: list[str] = []
    work = _rotate(facts.work, variant)
    if work:
        leads = [
            "I'm reaching out because of your work.",
            "The reason I'm writing is simple.",
            "Here's why I wanted to write to you in particular.",
        ]
        if not (sender.name or contact.shared_interests):
            leads = leads[1:]  # the introduction already said "I've followed your work"
        lead = _pick(rng, leads)
        why.append(f"{lead} {_as_work_sentence(_strip_url(work[0], facts.urls), contact.name)}")
        used.append(work[0])
    if facts.impact:
        impact = _rotate(facts.impact, variant)[0]
        why.append(end_sentence(to_second_person(_strip_url(impact, facts.urls), contact.name)))
        used.append(impact)
    if contact.shared_interests and sender.name:
        why.append(
            f"It also looks like we share an interest in {contact.shared_interests.rstrip('.')}."
        )
    framing = _pick(
        rng,
        [
            "Best case, we end up working together and make something great; worst case, you have a new friend in the field.",
            "The best case is that someday we build something good together. The worst case is that you gain a new friend in the industry.",
            "Best case, we find a way to make something together down the line; worst case, you have one more friend in a small world.",
        ],
    )
    invite = _pick(
        rng,
        [
            "Would you be open to a 20-minute call sometime in the next few weeks? No agenda beyond getting to know each other, and no worries at all if the timing is wrong.",
            "If you're up for it, I'd love to grab a coffee or have a short call, just to get to know each other. It's completely fine to say no.",
            "Any chance you'd be up for a quick video chat at some point, 30 minutes at most? Nothing to prepare, and an easy no is completely fine.",
        ],
    )
    greeting = _greeting(rng, contact)
    me = _who_i_am(rng, contact, sender)
    return [
        greeting,
        f"{me} {' '.join(why)}".strip(),
        f"{framing} {invite}",
        _signoff(rng, sender, ["Best,", "All the best,", "Warm regards,", "Cheers,"]),
    ], used


def _follow_up(
    rng: random.Random, contact: Contact, sender: Sender, facts: _Facts, variant: int
) -> tuple[list[str], list[str]]:
    used: list[str] = []
    event = contact.event.strip().rstrip(".")
    if event:
        opener = _pick(
            rng,
            [
                f"It was great meeting you at {event}.",
                f"I'm really glad we met at {event}.",
                f"Thank you for the conversation at {event}.",
            ],
        )
    else:
        opener = _pick(
            rng,
            [
                "It was great meeting you.",
                "I'm really glad we met.",
                "Thank you for the conversation the other day.",
            ],
        )
    moments = _rotate(facts.moments or facts.other or facts.work, variant)
    body = [opener]
    if moments:
        moment = moments[0]
        lead = _pick(
            rng,
            [
                "One moment has stayed with me.",
                "I keep thinking about our conversation.",
                "I'm still smiling about it.",
            ],
        )
        body.append(f"{lead} {_as_moment_sentence(_strip_url(moment, facts.urls), contact.name)}")
        used.append(moment)
    if facts.impact and facts.impact[0] not in used:
        body.append(
            end_sentence(to_second_person(_strip_url(facts.impact[0], facts.urls), contact.name))
        )
        used.append(facts.impact[0])
    if facts.urls:
        gift = _pick(
            rng,
            [
                f"Here's the link I mentioned: {facts.urls[0]}",
                f"As promised, here's the link: {facts.urls[0]}",
            ],
        )
    else:
        gift = _pick(
            rng,
            [
                "Thank you for that conversation; it was the best part of the day for me.",
                "Thanks for making the day better; conversations like that are why I go to these things.",
                "Thank you for your time and your stories. I took a lot away from them.",
            ],
        )
    closing = _pick(
        rng,
        [
            "Hope to see you at the next one.",
            "Hope our paths cross again soon.",
            "Looking forward to crossing paths again.",
        ],
    )
    return [
        _greeting(rng, contact),
        " ".join(body),
        # A link ends its line: a period or a word right after it breaks it in mail clients.
        f"{gift}\n{closing}" if facts.urls else f"{gift} {closing}",
        _signoff(rng, sender, ["Cheers,", "Best,", "Warmly,", "Take care,"]),
    ], used


__all__ = ["COMPOSER_MODEL", "COMPOSER_NAME", "Composition", "compose"]
