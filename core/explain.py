"""Check results in words a user can act on: the one translation layer for what people see.

The checks (`evals.checks`) and the detector speak to developers: check names, categories,
scores, quoted field names. `explain` turns a CheckReport into `Problem`s, each a plain
sentence saying what is wrong and what to do, with the one sentence of the message to
blame when there is one (so the page can highlight it and offer to remove it). A reason
this module has no words for is still shown, cleaned of markup and internal names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.kinds import Kind
from core.models import CheckReport, CheckResult
from core.note_text import split_sentences

#: What each check makes sure of, in the user's words (shown with a tick when it passes).
CHECK_TITLES = {
    "not_pitch": "Not a disguised pitch",
    "grounded": "Only facts from your notes",
    "specific": "Specific, not generic",
    "structure": "Has what this kind of message needs",
    "length": "A good length",
    "no_placeholders": "No placeholders left",
    "no_private_leak": "No private notes leaked",
    "notes_are_data": "Notes treated as facts, not instructions",
    "greeting": "Greets them by their real name",
    "fluent": "Reads as whole sentences",
}

KIND_NAMES = {Kind.COMPLIMENT: "compliment", Kind.INTRO: "intro", Kind.FOLLOW_UP: "follow-up"}

#: Why an ask does not belong, by kind: the second half of every pitch explanation.
_ASKS_NOTHING = {
    Kind.COMPLIMENT: "a compliment asks for nothing",
    Kind.INTRO: "an intro invites a get-to-know chat and asks for nothing else",
    Kind.FOLLOW_UP: "a follow-up gives something and asks for nothing",
}

#: What a sentence the detector flags is doing, by its category.
_PITCH_WHAT = {
    "buy_discount": "offers a price or a discount",
    "fundraising_donation": "asks for money (a donation, a sponsorship or an investment)",
    "referral_hiring": "asks them to refer or hire you",
    "event_tickets": "sells tickets or places at your event",
    "paid_advice": "sells your paid advice, coaching or course",
    "review_testimonial": "asks for a review or an endorsement of your product",
    "intro_buyers_investors": "asks them to introduce you to buyers or investors",
    "hand_over_contacts": "asks them to hand over their contacts",
    "share_promote": "asks them to share or promote your work",
    "product_demo": "offers your product (a demo, a trial or a sign-up)",
}
_PITCH_WHAT_DEFAULT = "asks for something that helps you rather than them"


@dataclass(frozen=True)
class Problem:
    """One thing to fix, in plain words."""

    check: str  # the check's name: for code and tests, never shown
    title: str
    message: str
    #: The sentence of the message to blame, exactly as it appears in the text, if one is.
    sentence: str | None = None


def explain(report: CheckReport, kind: Kind, text: str) -> list[Problem]:
    """Every failed check as plain-worded problems, one per cause, in the checks' order."""
    covered = _covered_elsewhere(report)
    problems: list[Problem] = []
    for result in report.failures():
        if result.name == "not_pitch":
            found = _pitch_problems(report, kind, text)
        elif result.name == "grounded":
            found = _ungrounded_problems(result, text, covered)
        elif result.name == "no_placeholders":
            found = _placeholders(result, text)
        else:
            found = [_plain(result, reason, kind, text) for reason in result.reasons or [""]]
        for problem in found:
            if not _already_said(problem, problems):
                problems.append(problem)
    return problems


def by_sentence(problems: list[Problem]) -> list[tuple[str | None, list[Problem]]]:
    """Problems grouped by the sentence they blame (one box per sentence), in order."""
    groups: dict[str | None, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.sentence, []).append(problem)
    return list(groups.items())


def _already_said(problem: Problem, problems: list[Problem]) -> bool:
    """The pitch check and a compliment's structure check both catch an ask: one is enough."""
    if any(p.message == problem.message and p.sentence == problem.sentence for p in problems):
        return True
    return problem.check == "structure" and any(
        p.check == "not_pitch" and (p.sentence == problem.sentence or problem.sentence is None)
        for p in problems
    )


def _covered_elsewhere(report: CheckReport) -> set[str]:
    """Words another check already explains better: a placeholder's `[Name]` or a private
    number is not also "a fact that is not in your notes"."""
    words: set[str] = set()
    for result in report.failures():
        if result.name in {"no_placeholders", "no_private_leak"}:
            for reason in result.reasons:
                words |= set(_tokens(" ".join(re.findall(_QUOTE, reason))))
    return words


def _ungrounded_problems(result: CheckResult, text: str, covered: set[str]) -> list[Problem]:
    facts = []
    for reason in result.reasons:
        match = _UNGROUNDED.search(reason)
        if match is None:
            facts.append(("", reason))
        elif not set(_tokens(match.group(1))) <= covered:
            facts.append((match.group(1), reason))
    grouped: dict[str | None, list[str]] = {}
    problems = []
    for fact, reason in facts:
        if not fact:
            problems.append(Problem("grounded", CHECK_TITLES["grounded"], clean(reason)))
            continue
        grouped.setdefault(_sentence_with(fact, text), []).append(fact)
    for sentence, group in grouped.items():
        quoted = _join([f"“{fact}”" for fact in group])
        verb = "is" if len(group) == 1 else "are"
        problems.append(
            Problem(
                "grounded",
                CHECK_TITLES["grounded"],
                f"{quoted} {verb} not in your notes about them or in your profile. Take "
                f"{'it' if len(group) == 1 else 'them'} out, or add "
                f"{'it' if len(group) == 1 else 'them'} to their notes if true.",
                sentence,
            )
        )
    return problems


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def a_kind(kind: Kind) -> str:
    name = KIND_NAMES[kind]
    return ("an " if name[0] in "aeiou" else "a ") + name


def _pitch_problems(report: CheckReport, kind: Kind, text: str) -> list[Problem]:
    title = CHECK_TITLES["not_pitch"]
    why = _ASKS_NOTHING[kind]
    problems = [
        Problem(
            "not_pitch",
            title,
            f"This sentence {_PITCH_WHAT.get(span.category, _PITCH_WHAT_DEFAULT)}; {why}.",
            locate(span.sentence, text),
        )
        for span in report.pitch.reasons
    ]
    if not problems:
        problems.append(
            Problem(
                "not_pitch",
                title,
                f"The message as a whole reads like a sales pitch; {why}. "
                "Say what you value in their work and leave out what you want from them.",
            )
        )
    return problems


# Each known reason shape of evals.checks -> its plain words. The patterns mirror the
# checks' own messages; tests/test_explain.py runs the real checks so a changed message
# shows up as a test failure, not as developer text on the page.
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Kind, str], tuple[str, str | None]]]


def _quoted(match: re.Match[str], group: int = 1) -> str:
    return match.group(group)


def _length(m: re.Match[str], kind: Kind, text: str) -> tuple[str, str | None]:
    n, which, low, high = m.group(1), m.group(2), m.group(3), m.group(4)
    advice = "add one more specific detail" if which == "short" else "cut what is not needed"
    return (
        f"At {n} words this is too {which} for {a_kind(kind)}: "
        f"aim for {low} to {high} words ({advice}).",
        None,
    )


def _placeholders(result: CheckResult, text: str) -> list[Problem]:
    grouped: dict[str | None, list[str]] = {}
    for reason in result.reasons:
        match = _PLACEHOLDER.search(reason)
        found = match.group(1) if match else clean(reason)
        grouped.setdefault(_sentence_with(found, text), []).append(found)
    title = CHECK_TITLES["no_placeholders"]
    return [
        Problem(
            "no_placeholders",
            title,
            f"Replace the placeholder{'s' if len(group) > 1 else ''} {_join(sorted(group))} "
            "with real words.",
            sentence,
        )
        for sentence, group in grouped.items()
    ]


def _private(m: re.Match[str], kind: Kind, text: str) -> tuple[str, str | None]:
    found = _quoted(m)
    sentence = _sentence_with(found, text) or _sentence_with_words(found, text)
    if sentence is not None:  # the same words as the notes: say so once per sentence
        return "This sentence repeats your private notes, which never go into a message.", sentence
    return f"Your private notes show up here (“{found}”); they never go into a message.", None


def _copied_instruction(m: re.Match[str], kind: Kind, text: str) -> tuple[str, str | None]:
    return (
        "This sentence copies an instruction from your notes; notes are facts about the "
        "person, not instructions to follow.",
        locate(_quoted(m), text),
    )


def _compliment_ask(m: re.Match[str], kind: Kind, text: str) -> tuple[str, str | None]:
    return f"This sentence asks them for something; {_ASKS_NOTHING[kind]}.", locate(
        _quoted(m), text
    )


def _fixed(message: str) -> Callable[[re.Match[str], Kind, str], tuple[str, str | None]]:
    return lambda m, kind, text: (message, None)


_QUOTE = r"""['"“](.+)['"”]"""


def _fragment(m: re.Match[str], kind: Kind, text: str) -> tuple[str, str | None]:
    return (
        "This sentence has no verb, so it reads as a fragment: finish it or join it to "
        "the next one.",
        locate(m.group(1), text),
    )


def _stray(m: re.Match[str], kind: Kind, text: str) -> tuple[str, str | None]:
    return f"Take out the stray {m.group(1)!r}.", locate(m.group(2), text)


_UNGROUNDED = re.compile(rf"^states {_QUOTE}, which is not in")
_PLACEHOLDER = re.compile(rf"placeholder left in the text: {_QUOTE}")
_RULES: dict[str, list[_Rule]] = {
    "specific": [
        (
            re.compile(r"has no notes to be specific about"),
            _fixed(
                "There is nothing specific to say yet: add their work, how you met or a "
                "note about them to the contact."
            ),
        ),
        (
            re.compile(r"mentions no concrete detail"),
            _fixed(
                "Mention one concrete thing from your notes: their work, the event, or a "
                "moment you shared."
            ),
        ),
    ],
    "structure": [
        (
            re.compile(r"best case / worst case"),
            _fixed(
                "Say what could come of it: best case you make something great together, "
                "worst case you have a new friend in the field."
            ),
        ),
        (
            re.compile(r"low-pressure invitation"),
            _fixed("End with a low-pressure invitation, such as a short call or a coffee."),
        ),
        (
            re.compile(r"needs the event you met at"),
            _fixed(
                "A follow-up needs the event where you met: fill in the Event field, "
                "then draft again."
            ),
        ),
        (
            re.compile(rf"^a follow-up names the event \({_QUOTE}\)"),
            lambda m, kind, text: (f"Name the event where you met ({m.group(1)}).", None),
        ),
        (re.compile(rf"but this sentence asks: {_QUOTE}$"), _compliment_ask),
        (
            re.compile(r"^a compliment asks for nothing$"),
            _fixed("A compliment asks for nothing: take out the request."),
        ),
        (
            re.compile(r"^a follow-up gives something and asks for nothing$"),
            _fixed("A follow-up gives something and asks for nothing: take out the request."),
        ),
    ],
    "length": [
        (re.compile(r"^(\d+) words is too (short|long) for a .+: aim for (\d+)-(\d+)"), _length)
    ],
    "no_private_leak": [
        (re.compile(rf"^repeats (?:the private notes|a private detail): {_QUOTE}"), _private)
    ],
    "notes_are_data": [
        (re.compile(rf"copies an instruction from the notes: {_QUOTE}"), _copied_instruction)
    ],
    "fluent": [
        (re.compile(rf"^no verb, so it reads as a fragment: {_QUOTE}$"), _fragment),
        (
            re.compile(r'^repeats a word: "(.+)"$'),
            lambda m, kind, text: (f'A word is doubled in "{m.group(1)}": take one out.', None),
        ),
        (
            re.compile(r'^two determiners in a row: "(.+)"$'),
            lambda m, kind, text: (f'One small word too many in "{m.group(1)}": keep one.', None),
        ),
        (
            re.compile(r'^"(.+)" should be "(.+)"$'),
            lambda m, kind, text: (f'Write "{m.group(2)}", not "{m.group(1)}".', None),
        ),
        (
            re.compile(r'^needs an article: "(.+)" \(e\.g\. "(.+)"\)$'),
            lambda m, kind, text: (f'Add "the" or "a": "{m.group(2)}", not "{m.group(1)}".', None),
        ),
        (re.compile(r'^stray punctuation "(.+?)" in "(.+)"$'), _stray),
        (
            re.compile(r"quote.* (?:opened and never closed|do not pair up)|^empty quotes$"),
            _fixed("A quotation mark is opened and never closed: close it or take it out."),
        ),
        (
            re.compile(r'^ends with "(.+)" but no name under it'),
            lambda m, kind, text: (
                f'The message ends with "{m.group(1)}" and no name: sign it with your name '
                "(set it once on the Settings page and drafts sign themselves).",
                None,
            ),
        ),
    ],
    "greeting": [
        (
            re.compile(r"looks like a spreadsheet formula, a link or an email address"),
            _fixed(
                "Their name looks like a spreadsheet formula, a link or an email address, so "
                "the message greets them without a name: put their real name in the Name field."
            ),
        ),
        (
            re.compile(r"repeats that name"),
            _fixed("The message repeats that formula or link: take it out."),
        ),
    ],
}


def _plain(result: CheckResult, reason: str, kind: Kind, text: str) -> Problem:
    title = CHECK_TITLES.get(result.name, _words(result.name))
    for pattern, render in _RULES.get(result.name, []):
        match = pattern.search(reason)
        if match:
            message, sentence = render(match, kind, text)
            return Problem(result.name, title, message, sentence)
    return Problem(result.name, title, clean(reason) or f"{title}: this text does not pass yet.")


def _words(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


_MARKUP = re.compile(r"[`*_]{1,3}(?=\w)|(?<=\w)[`*_]{1,3}")
_PAREN_CODE = re.compile(r"\s*\((?:[a-z]+_[a-z_]+|score [\d.]+)\)")


def clean(reason: str) -> str:
    """A reason with no words of its own here: without markup, codes or raw scores."""
    text = _PAREN_CODE.sub("", reason).replace("`", "")
    text = re.sub(r"\b([a-z]+)_([a-z]+)\b", r"\1 \2", text)
    text = _MARKUP.sub("", text).strip()
    return text[:1].upper() + text[1:] if text else ""


def sentences_of(text: str) -> list[str]:
    return split_sentences(text)


def locate(sentence: str, text: str) -> str | None:
    """The sentence of `text` that `sentence` (as a check quoted it) is, or None."""
    sentence = sentence.strip()
    if not sentence:
        return None
    parts = sentences_of(text)
    if sentence in parts:
        return sentence
    wanted = set(_tokens(sentence))
    best, score = None, 0.0
    for part in parts:
        have = set(_tokens(part))
        overlap = len(wanted & have) / max(1, len(wanted | have))
        if overlap > score:
            best, score = part, overlap
    return best if score >= 0.6 else None


def _sentence_with(fragment: str, text: str) -> str | None:
    """The one sentence holding `fragment`; None when none or several do."""
    needle = fragment.lower()
    holding = [s for s in sentences_of(text) if needle in s.lower()]
    return holding[0] if len(holding) == 1 else None


def _sentence_with_words(fragment: str, text: str) -> str | None:
    """The one sentence holding every word of `fragment` (quoted without punctuation)."""
    wanted = set(_tokens(fragment))
    holding = [s for s in sentences_of(text) if wanted <= set(_tokens(s))]
    return holding[0] if len(holding) == 1 else None


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def remove_sentence(text: str, sentence: str) -> str:
    """`text` without `sentence`, with the spacing around it tidied."""
    start = text.find(sentence)
    if start < 0:
        return text
    before, after = text[:start], text[start + len(sentence) :]
    before = before.rstrip(" \t")
    after = after.lstrip(" \t")
    joined = (
        before
        + (
            " "
            if before and after and not before.endswith("\n") and not after.startswith("\n")
            else ""
        )
        + after
    )
    joined = re.sub(r"\n{3,}", "\n\n", joined)
    return joined.strip("\n ") + ("\n" if text.endswith("\n") else "")
