"""The coach's score card: words with the kind's band, reading grade, details used, asks
(none, or the intro's one invitation) and one suggestion in plain words."""

from __future__ import annotations

import pytest

from core.composer import compose
from core.contacts import Contact
from core.kinds import Kind
from core.models import Sender
from core.scorecard import WORD_BANDS, score_card
from evals.checks import run_checks

PRIYA = Contact(
    name="Priya Raman",
    their_work="Gave a talk at PyCon 2024 on testing async code",
    notes="Her fixture tips cut our CI time in half.",
    event="PyCon 2024",
    how_we_met="Talked about flaky tests over lunch.",
)
GOOD = (
    "Hi Priya,\n\nYour talk at PyCon 2024 on testing async code has stayed with me. "
    "Your fixture tips cut our CI time in half, and the whole team noticed the difference "
    "within a week of trying them. I wanted you to know that it landed, and that it made "
    "our days calmer. No reply needed; I only wanted to say thank you for sharing it "
    "so generously.\n\nCheers,\nSam"
)


def test_a_good_compliment_scores_well_and_needs_no_suggestion() -> None:
    card = score_card(GOOD, PRIYA, Kind.COMPLIMENT)
    assert card.word_band == WORD_BANDS[Kind.COMPLIMENT]
    assert card.words_ok and card.asks == [] and card.asks_ok
    assert card.specificity == 3  # the talk, the fixture tips, the event (PyCon 2024)
    assert 0 < card.reading_grade < 10
    assert card.suggestion is None


def test_greeting_and_signature_are_not_counted_as_words() -> None:
    assert (
        score_card(
            "Hi Priya,\n\nThanks for the talk.\n\nCheers,\nSam", PRIYA, Kind.COMPLIMENT
        ).words
        == 4
    )


def test_an_ask_in_a_compliment_is_the_suggestion() -> None:
    text = GOOD.replace("No reply needed;", "Could you share my course with your team?")
    card = score_card(text, PRIYA, Kind.COMPLIMENT, run_checks(text, PRIYA, Kind.COMPLIMENT))
    assert not card.asks_ok and any("share my course" in a for a in card.asks)
    assert card.suggestion == "Take out the request: a compliment asks for nothing."


def test_an_intro_may_have_one_invitation_but_not_two_asks() -> None:
    intro = compose(PRIYA, Kind.INTRO, Sender(name="Sam Lee")).text
    card = score_card(intro, PRIYA, Kind.INTRO)
    assert card.asks_ok and len(card.asks) <= 1
    two = intro + "\n\nAlso, could you review my startup's landing page?"
    worse = score_card(two, PRIYA, Kind.INTRO)
    assert not worse.asks_ok and "one low-pressure invitation" in (worse.suggestion or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi Priya,\n\nThank you for everything you do for the community.", "concrete detail"),
        (
            "Hi Priya,\n\nYour talk at PyCon 2024 on testing async code was great.",
            "why it mattered",
        ),
        (GOOD.replace("No reply", "word " * 120 + "No reply"), "Shorter gets more replies"),
    ],
)
def test_one_suggestion_in_plain_words(text: str, expected: str) -> None:
    suggestion = score_card(text, PRIYA, Kind.COMPLIMENT).suggestion
    assert suggestion is not None and expected in suggestion


def test_hard_prose_asks_for_plainer_words() -> None:
    dense = (
        "Hi Priya,\n\nYour presentation regarding asynchronous verification methodologies at "
        "PyCon 2024 fundamentally transformed organisational comprehension of concurrency "
        "considerations, consequently necessitating comprehensive reconsideration of "
        "infrastructural prioritisation, and your fixture recommendations substantially "
        "diminished continuous integration durations, which institutionally revolutionised "
        "engineering productivity expectations throughout multidisciplinary departments."
    )
    card = score_card(dense, PRIYA, Kind.COMPLIMENT)
    assert card.reading_grade > 11
    assert card.suggestion and "plainer words" in card.suggestion


def test_the_score_card_updates_with_the_text() -> None:
    first = score_card(GOOD, PRIYA, Kind.COMPLIMENT)
    edited = score_card(
        GOOD.replace("Your fixture tips cut our CI time in half, and", ""), PRIYA, Kind.COMPLIMENT
    )
    assert edited.words < first.words and edited.specificity == first.specificity - 1
