"""Part-of-speech tags, offline, from the tagger that ships inside the `textblob` wheel.

TextBlob's PatternTagger is a Brill-style tagger: a 94,000-word lexicon plus contextual
rules, all plain files in the wheel (`textblob/en/`), so nothing is downloaded. spaCy's
and NLTK's English models do not come from PyPI or Debian, which is why this one.

The tagger module (`textblob/_text.py`, standard library only) is loaded by file path:
importing the `textblob` package would import NLTK (about 0.3 s, several seconds on a
busy machine) for nothing. If that layout ever changes, the public import is used.

Two corrections on top of the tagger, for the errors that matter here:
- a noun read as a verb after a determiner, possessive, number or adjective ("a talk",
  "your 2024 talk" are nouns);
- contractions are expanded before tagging ("I'm" would become "I", "'", "m").
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

VERB_TAGS = frozenset({"VB", "VBD", "VBZ", "VBP", "VBN", "VBG", "MD"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: What makes a sentence a sentence: a finite verb, or a base form (an imperative,
#: "Thank you"). Not a gerund or participle on its own ("your talk on deleting code").
PREDICATE_TAGS = FINITE_TAGS | {"VB"}
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_BEFORE_NOUN = frozenset({"DT", "PRP$", "CD", "JJ", "JJR", "JJS", "POS", "PDT"})
_PREDETERMINERS = frozenset({"both", "all", "each", "either", "neither"})
_SUBJECTS = frozenset({"i", "we", "they", "he", "she"})

_CONTRACTIONS = [
    (re.compile(r"\b(I)'m\b", re.IGNORECASE), r"\1 am"),
    (re.compile(r"\b(can)'t\b", re.IGNORECASE), r"\1 not"),
    (re.compile(r"\bwon't\b", re.IGNORECASE), "will not"),
    (re.compile(r"(\w)n't\b", re.IGNORECASE), r"\1 not"),
    (re.compile(r"(\w)'re\b", re.IGNORECASE), r"\1 are"),
    (re.compile(r"(\w)'ve\b", re.IGNORECASE), r"\1 have"),
    (re.compile(r"(\w)'ll\b", re.IGNORECASE), r"\1 will"),
    (re.compile(r"(\w)'d\b", re.IGNORECASE), r"\1 would"),
    (
        re.compile(r"\b(it|that|here|there|what|who|he|she|where|how|let)'s\b", re.IGNORECASE),
        r"\1 is",
    ),
]


@dataclass(frozen=True)
class Token:
    word: str
    tag: str

    @property
    def lower(self) -> str:
        return self.word.lower()

    @property
    def is_verb(self) -> bool:
        return self.tag in VERB_TAGS

    @property
    def is_noun(self) -> bool:
        return self.tag in NOUN_TAGS


def _load_text_module() -> ModuleType | None:
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_text.py"
    module_spec = importlib.util.spec_from_file_location("_outreach_pattern_text", path)
    if module_spec is None or module_spec.loader is None:
        return None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


_LOAD_LOCK = threading.Lock()


def _parser() -> Any:
    # The lexicon loads lazily on first use, and a half-loaded one tags "was" as a noun:
    # load it whole, once, before any thread (a batch drafts in several) may use it.
    with _LOAD_LOCK:
        return _loaded_parser()


@cache
def _loaded_parser() -> Any:
    parser = _new_parser()
    parser.parse("Load the lexicon now.", True, True, False, False, False)
    return parser


def _new_parser() -> Any:
    try:
        text = _load_text_module()
        assert text is not None and text.__file__ is not None
        root = Path(text.__file__).parent / "en"
        lexicon = text.Lexicon(
            path=str(root / "en-lexicon.txt"),
            morphology=str(root / "en-morphology.txt"),
            context=str(root / "en-context.txt"),
            entities=str(root / "en-entities.txt"),
            language="en",
        )
        return text.Parser(lexicon=lexicon, default=("NN", "NNP", "CD"), language="en")
    except Exception:  # a changed package layout: the public (slower to import) path
        from textblob.en import parser

        return parser


def lexicon_tag(word: str) -> str | None:
    """The tag the lexicon gives a word on its own (None when it does not know it)."""
    found = _parser().lexicon.get(word)
    return found if isinstance(found, str) else None


def expand_contractions(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    return text


def tag(text: str) -> list[Token]:
    """Tokens and Penn Treebank tags of `text` (one or more sentences, flattened)."""
    if not text.strip():
        return []
    parsed = _parser().parse(expand_contractions(text), True, True, False, False, False)
    tokens = [Token(w[0], w[1]) for sentence in parsed.split() for w in sentence]
    return _correct(tokens)


def _correct(tokens: list[Token]) -> list[Token]:
    fixed: list[Token] = []
    for token in tokens:
        previous = fixed[-1] if fixed else None
        if token.tag in {"VB", "VBP"} and previous is not None and previous.tag in _BEFORE_NOUN:
            # "a talk", "your RailsConf 2024 talk": a noun, whatever the lexicon prefers.
            token = Token(token.word, "NNS" if token.lower.endswith("s") else "NN")
        elif token.tag in {"NN", "NNS", "VB"} and token.word.islower() and _after_subject(fixed):
            # "I care", "she hosts": after a subject pronoun, a noun-looking word is the verb.
            subject = next(t for t in reversed(fixed) if t.tag not in _ADVERBS)
            plural_subject = subject.lower in {"i", "we", "they", "you"}
            token = Token(token.word, "VBP" if plural_subject or token.tag == "VB" else "VBZ")
        elif (
            token.tag in {"VB", "VBP"}
            and token.word[:1].isupper()
            and previous is not None
            and previous.tag == "IN"
        ):
            token = Token(token.word, "NNP")  # "in Go", "about Swift": a name
        elif (
            (token.tag == "VBN" or (token.tag == "VBD" and "-" in token.word))
            and previous is not None
            and (
                (
                    previous.tag in {"IN", "DT", "PRP$", "JJ"}
                    and previous.lower not in _PREDETERMINERS
                )
                or "-" in token.word
            )
        ):
            token = Token(token.word, "JJ")  # "for property-based testing", "a detailed post"
        elif token.tag == "VBN" and _subject_before(fixed):
            # "You built", "It made me laugh": a past tense, not a participle.
            token = Token(token.word, "VBD")
        fixed.append(token)
    return _verb_after_noun(fixed)


_SAME_PAST = {"cut", "put", "set", "read", "hit", "let", "shut", "spread", "quit", "cost"}


def _verb_after_noun(tokens: list[Token]) -> list[Token]:
    """'Her tips cut our CI time': a base form between a noun and an object is the verb."""
    out = list(tokens)
    for i in range(1, len(out) - 1):
        token, before, after = out[i], out[i - 1], out[i + 1]
        if (
            token.tag == "VB"
            and before.tag in NOUN_TAGS
            and after.tag in {"DT", "PRP$", "PRP", "CD", "JJ"}
            and not any(t.tag in FINITE_TAGS for t in out[:i])
        ):
            out[i] = Token(token.word, "VBD" if token.lower in _SAME_PAST else "VBP")
    return out


_ADVERBS = frozenset({"RB", "RBR", "RBS"})


def _after_subject(tokens: list[Token]) -> bool:
    """The word before (skipping adverbs: "I also love") is a subject pronoun. "you" counts
    where it cannot be an object: first, or after "how much", "that", "if", "and"."""
    words = [t for t in tokens if t.tag not in _ADVERBS]
    if not words:
        return False
    last = words[-1]
    if last.lower in _SUBJECTS:
        return True
    if last.lower != "you":
        return False
    before = words[-2] if len(words) > 1 else None
    return before is None or before.tag in {"WRB", "IN", "CC", "JJ", "WP", "DT", "RB"}


def _subject_before(tokens: list[Token]) -> bool:
    """A pronoun or noun came before and no finite verb yet ("Their examples about
    onboarding made the idea click": "made" is the verb, not a participle)."""
    if any(t.tag in FINITE_TAGS for t in tokens):
        return False
    return any(t.tag in {"PRP"} | NOUN_TAGS for t in tokens)


def warm_up() -> None:
    """Load the lexicon now (about 0.2 s) rather than on the first draft."""
    tag("Warm up the tagger.")
