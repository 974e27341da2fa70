"""The fluency check: does each sentence read like a person wrote it?

Offline and fast (a lexicon tagger, about 0.1 ms a sentence). It catches what an
assembled draft gets wrong, and says where:
- a sentence with no verb ("Your RailsConf 2024 talk on deleting code.");
- a doubled word ("the the") or two determiners in a row ("a the", "your the");
- a missing or wrong article ("met at PyData Madrid meetup", "a essay", "an talk");
- doubled punctuation ("code..", ",.") and broken quotes (an opening quote never closed);
- a sign-off with no name under it ("All the best," as the last line).

Greetings ("Hi Priya,"), exclamations and questions may be verbless: people write them so.
"""

from __future__ import annotations

import re
from itertools import pairwise

from core.models import CheckResult
from core.pos import FINITE_TAGS, PREDICATE_TAGS, Token, tag

#: Verbless sentences shorter than this are fine ("No pressure at all.").
MIN_FRAGMENT_WORDS = 5

_SENTENCE = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")
_GREETING = re.compile(r"^(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^.!?]*,$", re.I)
_CLOSING = re.compile(
    r"^(best|all the best|best wishes|cheers|warmly|warm regards|warm wishes|kind regards|"
    r"regards|thanks|thank you|many thanks|thanks again|with thanks|with gratitude|"
    r"sincerely|yours|take care|talk soon|speak soon|until next time|gratefully|"
    r"with appreciation|all my best|have a great week|see you soon|warmest wishes|"
    r"best regards|thanks so much|with warm thanks|until next time)[,!.]?$",
    re.IGNORECASE,
)
#: Openings that make a verbless sentence idiomatic ("Thanks again for the link.").
_IDIOMATIC_START = {
    "thanks", "thank", "congrats", "congratulations", "cheers", "no", "best", "happy",
    "good", "great", "welcome", "sorry", "so", "what", "how", "p.s", "ps", "also", "and",
    "worst", "nothing", "all", "just", "lovely", "nice", "well", "looking", "hope", "hoping",
    "hi", "hello", "hey", "dear",
}  # fmt: skip
_REPEAT_OK = {"had", "that", "very", "really", "so", "no", "bye", "ha", "ho", "long", "knock"}
_ARTICLES = {"a", "an", "the"}
_DETERMINERS = _ARTICLES | {
    "my", "your", "his", "our", "their", "its", "this", "these", "those",
}  # fmt: skip
#: Count nouns that need an article where people mention events and works (not "paper",
#: "video", "post" or "course": "on paper", "on video", "by post", "of course" are fine).
_COUNT_NOUNS = {
    "meetup", "conference", "summit", "workshop", "hackathon", "talk", "panel", "keynote",
    "party", "afterparty", "club", "event", "festival", "retreat", "bootcamp", "hike",
    "meeting", "webinar", "seminar", "lecture", "symposium", "convention", "gathering",
    "essay", "article", "podcast", "episode", "thread", "newsletter", "tutorial",
    "presentation", "fair", "expo", "camp", "sprint",
}  # fmt: skip
_PREPOSITIONS = {"at", "in", "on", "from", "during", "after", "before", "to", "about", "for"}
_A_BEFORE_VOWEL_OK = re.compile(r"^(one|once|u[bcdfgjklmnpqrstvwxz][aeiou]|eu|ew|uni|use|usu|ut)")
_AN_BEFORE_CONSONANT_OK = re.compile(r"^(hour|honest|honou?r|heir|herb)")
# ",," ",." ";," "code.." (not an ellipsis) and a space before a comma or period.
_DOUBLE_PUNCT = re.compile(r"[,;:][,.;:]|(?<!\.)\.\.(?!\.)|\.[,;]|\s[,;:.](?=\s|$)")


def sentences_of(text: str) -> list[str]:
    """Lines and sentences, as a reader sees them (a greeting line is one)."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if re.match(r"[A-Za-z0-9]", t.word)]


def _is_fragment(sentence: str, tokens: list[Token]) -> bool:
    words = _words(tokens)
    if len(words) < MIN_FRAGMENT_WORDS or sentence.rstrip()[-1:] in "!?:,":
        return False
    if words[0].lower.strip(".") in _IDIOMATIC_START or re.search(r"https?://", sentence):
        return False
    return not any(
        t.tag in PREDICATE_TAGS and not (t.tag == "VB" and i and words[i - 1].lower == "to")
        for i, t in enumerate(words)
    )


def _repeats(tokens: list[Token]) -> list[str]:
    found = []
    words = _words(tokens)
    for first, second in pairwise(words):
        a, b = first.lower, second.lower
        if a == b and a.isalpha() and a not in _REPEAT_OK:
            found.append(f'repeats a word: "{first.word} {second.word}"')
        elif (a in _ARTICLES and b in _DETERMINERS) or (
            a in _DETERMINERS - _ARTICLES and b in _DETERMINERS and a != b
        ):
            found.append(f'two determiners in a row: "{first.word} {second.word}"')
    return found


def _articles(tokens: list[Token]) -> list[str]:
    found = []
    words = _words(tokens)
    for first, second in pairwise(words):
        nxt = second.word
        if not nxt.islower():
            continue
        if first.lower == "a" and nxt[0] in "aeiou" and not _A_BEFORE_VOWEL_OK.match(nxt):
            found.append(f'"a {nxt}" should be "an {nxt}"')
        if first.lower == "an" and nxt[0] not in "aeiou" and not _AN_BEFORE_CONSONANT_OK.match(nxt):
            found.append(f'"an {nxt}" should be "a {nxt}"')
    found += _missing_article(words)
    return found


def _missing_article(words: list[Token]) -> list[str]:
    """'at PyData Madrid meetup', 'at meetup': a preposition, names, then a bare count noun."""
    found = []
    for i, token in enumerate(words):
        if token.lower not in _COUNT_NOUNS or not token.word.islower():
            continue
        if i + 1 < len(words) and words[i + 1].is_noun and words[i + 1].word.islower():
            continue  # "book club", "talk recording": the noun is a modifier
        j = i - 1
        while j >= 0 and words[j].word[:1].isupper() and words[j].tag in {"NNP", "NNPS", "NN"}:
            j -= 1  # walk back over names: "PyData Madrid"
        if j == i - 1 and words[j].lower == "to":
            continue  # "to talk": a verb
        if j >= 0 and words[j].lower in _PREPOSITIONS and j < i:
            between = " ".join(w.word for w in words[j + 1 : i + 1])
            found.append(f'needs an article: "{words[j].word} {between}" (e.g. "the {between}")')
    return found


def _quotes(text: str) -> list[str]:
    found = []
    if text.count('"') % 2:
        found.append("a double quote is opened and never closed")
    if text.count("“") != text.count("”"):
        found.append("curly double quotes do not pair up")
    openers = len(re.findall(r"(?:^|(?<=[\s(\[]))['‘](?=[\w])", text))
    closers = len(re.findall(r"(?<=[\w.!?,])['’](?=[\s.,;:!?)\]]|$)", text))
    if openers > closers:
        found.append("a single quote (a title?) is opened and never closed")
    if re.search(r"(\"\s*\"|“\s*”|(?<!\w)''(?!\w))", text):
        found.append("empty quotes")
    return found


def _signoff(text: str) -> list[str]:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if lines and _CLOSING.match(lines[-1]):
        return [
            f'ends with "{lines[-1]}" but no name under it: sign it, or set your name with '
            '`outreach profile --name "Your Name"` (Settings in the web app)'
        ]
    return []


def fluency_problems(text: str) -> list[str]:
    """Every problem found, each saying where it is and what to change."""
    problems: list[str] = []
    for sentence in sentences_of(text):
        if _GREETING.match(sentence) or _CLOSING.match(sentence):
            continue
        tokens = tag(sentence)
        if _is_fragment(sentence, tokens):
            problems.append(f'no verb, so it reads as a fragment: "{sentence}"')
        problems += _repeats(tokens)
        problems += _articles(tokens)
        for match in _DOUBLE_PUNCT.finditer(sentence):
            problems.append(f'stray punctuation "{match.group(0).strip()}" in "{sentence}"')
    problems += _quotes(text)
    problems += _signoff(text)
    return list(dict.fromkeys(problems))


def has_finite_verb(tokens: list[Token]) -> bool:
    return any(t.tag in FINITE_TAGS for t in tokens)


def check_fluency(text: str) -> CheckResult:
    problems = fluency_problems(text)
    return CheckResult(name="fluent", passed=not problems, reasons=problems)
