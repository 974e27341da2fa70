"""What shape a field value has, so the composer can build a real sentence from it.

People type their notes every way: "His RailsConf 2024 talk on deleting code" (a noun
phrase), "she gave a talk on X" or "Gave a talk on X" (a clause, with or without its
subject), "I reread it before every planning cycle" (a first-person note), one word, lower
case, with or without a final period. `shape_of` tells these apart with the part-of-speech
tagger; the helpers turn each into the piece a sentence needs, speaking to the recipient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from core.note_text import base_form, capitalize_first, to_second_person
from core.pos import FINITE_TAGS, Token, lexicon_tag, tag


class Shape(Enum):
    NOUN_PHRASE = "noun_phrase"  # "his talk on X", "the essay 'Y'", "kubernetes operators"
    GERUND = "gerund"  # "building a compiler in Rust"
    SUBJECTLESS = "subjectless"  # "Gave a talk on X", "Draws the weekly comic"
    THIRD_PERSON = "third_person"  # "She gave a talk", "Her post changed how I work"
    SECOND_PERSON = "second_person"  # "you gave a talk"
    FIRST_PERSON = "first_person"  # "I reread it before every planning cycle"
    FRAGMENT = "fragment"  # "amazing!", "wow": nothing a sentence can carry


@dataclass(frozen=True)
class Shaped:
    text: str  # the value, tidied: no trailing punctuation, single spaces
    shape: Shape
    tokens: tuple[Token, ...]
    past: bool  # the main verb is in the past tense


_FIRST = {"i", "we", "my", "our", "me", "us"}
_THIRD = {"he", "she", "they", "his", "her", "their", "hers", "theirs"}
#: Verbs that open a résumé-style line, where the tagger reads them as plural nouns
#: ("Hosts a podcast", "Codes in Rust").
_LEADING_VERBS = {
    "hosts", "sketches", "codes", "cooks", "organises", "organizes", "mentors", "ships",
    "curates", "blogs", "podcasts", "streams", "films", "photographs", "coaches", "designs",
    "edits", "records", "publishes", "paints", "maps", "tracks", "funds", "chairs",
    "moderates", "translates", "reviews", "volunteers", "manages", "directs", "founds",
    "teaches", "maintains", "runs", "writes", "draws", "leads", "builds", "makes", "gives",
    "speaks", "studies", "researches", "plays", "sings", "answers",
    "helps", "supports", "works", "creates", "develops", "illustrates", "trains",
    "documents", "shares", "posts", "talks", "tweets", "toots", "interviews", "covers",
    "reports", "explains", "bakes", "brews", "knits", "climbs", "programs",
}  # fmt: skip
#: Words people use for a piece of work that the tagger may read as verbs ("talk on X").
_WORK_NOUNS = {
    "talk", "post", "design", "study", "review", "guide", "report", "interview", "demo",
    "panel", "project", "thread", "video", "course", "workshop", "keynote", "essay",
    "article", "paper", "book", "podcast", "episode", "library", "tool", "series", "blog",
    "tutorial", "presentation", "piece", "repo", "package", "zine", "app", "framework",
    "map", "comic", "newsletter", "work", "research", "answer", "write-up", "writeup",
}  # fmt: skip
_NOUN_HEADS_BEFORE_PREP = {"posts", "talks", "designs", "reviews", "records", "maps", "films"}
_TIDY_END = re.compile(r"[\s.!?;:,…-]+$")
_TIDY_START = re.compile(r"^[\s\-•*>]+")


def tidy(value: str) -> str:
    """Single spaces, no bullet in front, no trailing punctuation (quotes and brackets kept)."""
    text = " ".join(value.split())
    text = _TIDY_START.sub("", text)
    # Keep a closing quote or bracket but drop the punctuation just inside or after it.
    text = _TIDY_END.sub("", text)
    text = re.sub(r"[.,;:]+(?=['\"”’)]$)", "", text)  # "'Tidy First?'" keeps its "?"
    return text


def _tagged(text: str) -> list[Token]:
    """Tags with the first word lower-cased when it is an ordinary word ("Shared" -> "shared"),
    because a capital at the start makes the tagger guess a proper noun."""
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and first[1:].islower() and lexicon_tag(first.lower()):
        text = f"{first.lower()} {rest}".strip()
    return tag(text)


def _leading_verb(tokens: list[Token]) -> bool:
    first = tokens[0]
    nxt = tokens[1] if len(tokens) > 1 else None
    if first.tag in {"VBD", "VBZ", "VBN"} and first.lower not in {"based", "used"}:
        return nxt is not None
    if first.tag == "VBP" and nxt is not None and nxt.tag in {"DT", "PRP$", "PRP"}:
        return True
    if first.lower.startswith("co-") and first.lower.endswith(("ed", "wrote", "founded")):
        return True
    if first.lower in _LEADING_VERBS and nxt is not None:
        if first.lower in _NOUN_HEADS_BEFORE_PREP and nxt.tag == "IN":
            return False  # "Posts about Rust": their posts
        return nxt.tag not in {"POS", "CC"} and nxt.word not in {",", "."}
    return False


def _relative_clause(words: list[Token], verb: int) -> bool:
    """A noun phrase, then a pronoun, then the first verb: "the talk she gave at X"."""
    if verb < 2 or words[verb - 1].lower not in {"she", "he", "they", "i", "we", "you"}:
        return False
    head = words[: verb - 1]
    return head[0].tag in {"DT", "PRP$"} and any(t.is_noun for t in head)


def shape_of(value: str, name: str = "") -> Shaped | None:
    """The value's shape, or None when nothing is left after tidying."""
    text = tidy(value)
    if not text:
        return None
    tokens = _tagged(text)
    if tokens and tokens[0].tag in {"VB", "VBP"} and tokens[0].lower in _WORK_NOUNS:
        tokens[0] = Token(tokens[0].word, "NN")  # "talk on CRDTs": a talk, not an order
    words = [t for t in tokens if re.match(r"[\w'\"“‘]", t.word)]
    if not words:
        return None
    past = any(t.tag == "VBD" for t in tokens)
    lowered = [t.lower for t in words]
    first_names = {n.lower() for n in name.split()[:1]} | ({name.lower()} if name else set())
    finite = [i for i, t in enumerate(words) if t.tag in FINITE_TAGS]
    if len(words) == 1 and words[0].tag == "VBG":
        return Shaped(text, Shape.GERUND, tuple(tokens), past)  # "blogging"
    if len(words) == 1 and words[0].tag in {"JJ", "RB", "UH", "VBN", "VBD", "VB"}:
        return Shaped(text, Shape.FRAGMENT, tuple(tokens), past)
    if _leading_verb(words):
        past = past or words[0].tag in {"VBD", "VBN"}
        return Shaped(text, Shape.SUBJECTLESS, tuple(tokens), past)
    if finite and _relative_clause(words, finite[0]):
        # "the app she built for her community": a thing, described, not a statement.
        return Shaped(text, Shape.NOUN_PHRASE, tuple(tokens), past)
    if finite:
        subject = lowered[: finite[0]]
        if "i" in subject or "we" in subject or (subject and subject[0] in _FIRST):
            shape = Shape.FIRST_PERSON
        elif subject[:1] == ["you"] or subject[:1] == ["your"]:
            shape = Shape.SECOND_PERSON
        else:
            shape = Shape.THIRD_PERSON
        return Shaped(text, shape, tuple(tokens), past)
    if words[0].tag == "VBG" or (
        words[0].lower.endswith("ing")
        and len(words) > 1
        and words[1].tag in {"DT", "PRP$", "IN", "JJ", "RB", "CD", "TO", "NNS"}
    ):
        return Shaped(text, Shape.GERUND, tuple(tokens), past)
    if words[0].lower in first_names or any(t.is_noun for t in words):
        return Shaped(text, Shape.NOUN_PHRASE, tuple(tokens), past)
    return Shaped(text, Shape.FRAGMENT, tuple(tokens), past)


# -- turning a shape into a piece of a sentence ---------------------------------------

_POSSESSIVE = re.compile(r"^(his|her|their|hers)\s+", re.IGNORECASE)
_DETERMINER = re.compile(
    r"^(the|a|an|this|that|these|those|your|my|our|its|one|two|three|several|every|each|"
    r"some|many|all)\b",
    re.IGNORECASE,
)


def _name_possessive(text: str, name: str) -> str:
    for part in filter(None, {name.strip(), name.split()[0] if name.split() else ""}):
        text = re.sub(rf"^{re.escape(part)}['’]s\s+", "your ", text, flags=re.IGNORECASE)
    return text


def _lower_start(text: str) -> str:
    """Lower-case the first word when it is an ordinary word, not a name or acronym."""
    first, _, rest = text.partition(" ")
    if rest[:1].isupper():
        return text  # Title Case: a name or a title ("Calm Software")
    if (
        first[:1].isupper()
        and first[1:].islower()
        and lexicon_tag(first.lower())
        not in (
            None,
            "NNP",
            "NNPS",
        )
    ):
        return text[:1].lower() + text[1:]
    return text


def noun_phrase(shaped: Shaped, name: str = "", owner: str = "your") -> str:
    """The value as the object of a sentence to the recipient: "your talk on X".

    `owner` is the possessive a bare phrase gets ("our chat" for a shared moment)."""
    phrase = _owned_phrase(shaped, name, owner)
    # Pronouns inside speak to them too: "the app she built" -> "the app you built".
    spoken = to_second_person(phrase, name)
    return phrase[:1] + spoken[1:] if spoken[:1].lower() == phrase[:1].lower() else spoken


def _owned_phrase(shaped: Shaped, name: str, owner: str) -> str:
    text = _name_possessive(shaped.text, name)
    if _POSSESSIVE.match(text):
        return _POSSESSIVE.sub(f"{owner} ", text)
    if re.match(r"^[A-Z]\w*['’]s\s", text):
        return text  # someone else's: "Maya's essay on X"
    if re.match(r"^an?\s", text, re.IGNORECASE) and not re.match(
        r"^an?\s+(few|lot|bit)\b", text, re.I
    ):
        return f"{owner} {text.split(' ', 1)[1]}"  # "A podcast episode on X": theirs
    text = _lower_start(text)
    if _DETERMINER.match(text) or re.match(r"^(our|my)\b", text, re.IGNORECASE):
        return text[:1].lower() + text[1:]  # "The essay 'Y'" -> "the essay 'Y'"
    if shaped.shape is Shape.GERUND:
        return f"{owner} work on {text}"
    nouns = [t for t in shaped.tokens if t.is_noun]
    common = [t for t in nouns if t.word.islower() and t.tag in {"NN", "NNS"}]
    if not common or text[:1] in "'\"“‘":
        return f"{owner} work on {text}"  # a name or a title alone: "Kubernetes", "'Calm'"
    return f"{owner} {text}"


_EVENT_LEAD = re.compile(
    r"^(?:(?:we|i)\s+)?(?:first\s+)?(?:met|meeting|talked|chatted)?\s*(?:at|during|in|on)\s+",
    re.IGNORECASE,
)
_UNIQUE_TITLES = re.compile(
    r"^(head|director|vp|vice president|chief|ceo|cto|cfo|coo|cpo|president|founder|"
    r"co-?founder|owner|editor-in-chief)\b",
    re.IGNORECASE,
)


_EVENT_NOUNS = {"meetup", "hackathon", "afterparty", "unconference", "bootcamp", "webinar"}


def event_phrase(event: str) -> str | None:
    """Where they met, ready for "at ...": "PyData Madrid meetup" -> "the PyData Madrid
    meetup", "PyCon 2024" stays as it is; None when the value is a whole clause."""
    text = _EVENT_LEAD.sub("", tidy(event))
    if not text:
        return None
    tokens = [t for t in tag(text) if re.match(r"[\w'\"“‘]", t.word)]
    if any(t.tag in FINITE_TAGS for t in tokens):
        return None
    if re.match(r"^\S+['’]s\b", text):
        return text  # "Ana's birthday party"
    if _DETERMINER.match(text) or re.match(r"^(our|my|last|next)\b", text, re.IGNORECASE):
        return text[:1].lower() + text[1:]
    last = tokens[-1] if tokens else None
    if last is not None and last.word.islower() and last.tag in {"NN", "NNS"}:
        return f"the {text}"  # "PyData Madrid meetup" -> "the PyData Madrid meetup"
    first = tokens[0] if tokens else None
    if (
        first is not None
        and first.word.islower()
        and (first.lower in _EVENT_NOUNS or lexicon_tag(first.lower) in {"NN", "NNS", "JJ", "VBG"})
    ):
        return f"the {text}"  # "climbing gym social", "meetup of python in Madrid"
    return text


def with_article(role: str) -> str:
    """ "product engineer" -> "a product engineer"; "Head of Design" stays bare."""
    role = tidy(role)
    if not role or _UNIQUE_TITLES.match(role) or _DETERMINER.match(role):
        return role
    return f"{'an' if role[:1].lower() in 'aeiou' else 'a'} {role}"


def is_plural(phrase: str) -> bool:
    """Whether a noun phrase's head is plural ("your posts about X" -> True)."""
    head = re.split(r"\s+(?:on|about|at|in|for|from|with|of|that|which|called|to)\s+", phrase)[0]
    last = head.split()[-1].lower().strip("'\"”’") if head.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3


def as_clause(shaped: Shaped, name: str, subject: str = "You") -> str:
    """A clause speaking to the recipient ("You gave a talk on X"), no final period.

    Subjectless values get `subject` ("You" for their work, "We" for a shared moment)."""
    text = shaped.text
    if shaped.shape is Shape.SUBJECTLESS:
        first, _, rest = text.partition(" ")
        verb = first.lower()
        if subject.lower() in {"you", "we", "i"} and verb.endswith("s") and not shaped.past:
            verb = base_form(verb)
        text = f"{subject} {verb} {rest}".strip()
        return capitalize_first(to_second_person(text, name))
    if shaped.shape is Shape.FIRST_PERSON:
        return capitalize_first(to_second_person(text, name))
    return capitalize_first(to_second_person(_lower_start(text), name))


def decap(clause: str) -> str:
    """A clause placed after "because" or a colon: lower-case its first ordinary word."""
    first = clause.split(" ", 1)[0]
    if first in {"I", "I'm", "I've", "I'd", "I'll"} or not first[1:].islower():
        return clause
    return clause[:1].lower() + clause[1:]
