"""The fluency check (issue 13): what it catches, what it lets through, and the test set of
303 field values written fresh, every one composed into all three kinds."""

from __future__ import annotations

import pytest

from core.composer import compose
from core.contacts import Contact
from core.kinds import Kind
from core.models import Sender
from core.shapes import Shape, event_phrase, noun_phrase, shape_of
from evals.checks import run_checks
from evals.fluency import fluency_problems
from evals.text import content_words
from tests.fixtures.field_values import ALL

CAUGHT = {
    "verbless": "Hi Ana,\n\nYour RailsConf 2024 talk on deleting code. Thanks for it!",
    "the the": "I loved the the talk on caching.",
    "two determiners": "I keep coming back to your the essay on naming.",
    "missing article": "I'm really glad we met at PyData Madrid meetup.",
    "a/an": "I read a essay of yours and watched an talk.",
    "broken quote": "You wrote the essay 'Calm software about attention.",
    "unpaired double quote": 'You wrote "Calm software about attention.',
    "doubled punctuation": "You gave a talk on testing async code.. It helped.",
    "sign-off with no name": "Hi Ana,\n\nThank you for the talk on caching.\n\nAll the best,",
}
FINE = [
    "Hi Ana,\n\nThank you for your talk on caching; it changed how I work.\n\nCheers,\nSam",
    "Great talk at PyCon yesterday!",
    "Coffee sometime next week?",
    "Thanks again for the link to the city portal.",
    "No pressure at all.",
    "I'm glad we met at the Rust meetup, and at RailsConf before that.",
    "Your book 'Tidy First?' sits on my desk.",
    "I sketch on paper first, and I had lunch at work.",
    "It's fine to say no; I'd love to chat, though.",
    "Looking forward to crossing paths again.",
]


@pytest.mark.parametrize("name", list(CAUGHT))
def test_each_problem_is_caught_with_a_reason(name: str) -> None:
    problems = fluency_problems(CAUGHT[name])
    assert problems, f"{name} not caught"
    assert all(isinstance(p, str) and len(p) > 10 for p in problems)


@pytest.mark.parametrize("text", FINE)
def test_ordinary_writing_is_not_flagged(text: str) -> None:
    assert fluency_problems(text) == []


def test_fluency_is_one_of_the_checks_on_every_draft() -> None:
    contact = Contact(name="Ana Lima", their_work="His RailsConf 2024 talk on deleting code")
    report = run_checks(CAUGHT["verbless"], contact, Kind.COMPLIMENT)
    fluent = next(r for r in report.results if r.name == "fluent")
    assert not fluent.passed and "no verb" in fluent.reasons[0]


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        ("His RailsConf 2024 talk on deleting code", Shape.NOUN_PHRASE),
        ("the essay 'Calm software'", Shape.NOUN_PHRASE),
        ("she gave a talk on X at PyCon", Shape.THIRD_PERSON),
        ("Gave a talk at PyCon 2024 on testing async code.", Shape.SUBJECTLESS),
        ("Hosts a podcast about maintainers", Shape.SUBJECTLESS),
        ("I reread it before every planning cycle", Shape.FIRST_PERSON),
        ("the app she built for her community", Shape.NOUN_PHRASE),
        ("building a compiler in Rust", Shape.GERUND),
        ("amazing!", Shape.FRAGMENT),
    ],
)
def test_shapes_are_told_apart(value: str, shape: Shape) -> None:
    shaped = shape_of(value, "Ana Lima")
    assert shaped is not None and shaped.shape is shape


def test_noun_phrases_and_events_get_their_articles_and_possessives() -> None:
    talk = shape_of("His RailsConf 2024 talk on deleting code")
    assert talk is not None and noun_phrase(talk) == "your RailsConf 2024 talk on deleting code"
    built = shape_of("the app she built for her community")
    assert built is not None and noun_phrase(built) == "the app you built for your community"
    assert event_phrase("PyData Madrid meetup") == "the PyData Madrid meetup"
    assert event_phrase("PyCon 2024.") == "PyCon 2024"
    assert event_phrase("met at the Rust meetup") == "the Rust meetup"


def test_the_issue_examples_now_read_as_sentences() -> None:
    contact = Contact(name="Ana Lima", their_work="His RailsConf 2024 talk on deleting code")
    text = compose(contact, Kind.COMPLIMENT, Sender(name="Sam Lee")).text
    assert "your RailsConf 2024 talk on deleting code" in text.replace("Your", "your")
    assert fluency_problems(text) == []
    met = Contact(name="Ana Lima", event="PyData Madrid meetup", how_we_met="Talked about maps")
    assert "the PyData Madrid meetup" in compose(met, Kind.FOLLOW_UP).text


def test_a_reason_lead_is_only_ever_followed_by_a_reason() -> None:
    no_reason = Contact(
        name="Ana Lima",
        their_work="Wrote the postmortem template",
        notes="Her postmortem template has a section called 'what surprised us'.",
    )
    for variant in range(8):
        text = compose(no_reason, Kind.COMPLIMENT, variant=variant).text
        assert "why it mattered" not in text and "mattered to me because" not in text
    reason = no_reason.model_copy(update={"notes": "Her template cut our postmortem time in half."})
    leads = {compose(reason, Kind.COMPLIMENT, variant=v).text for v in range(8)}
    assert any("cut our postmortem time in half" in t for t in leads)


BASE = {
    "name": "Ana Lima",
    "their_work": "Wrote a guide to self-hosting email",
    "notes": "I set up my own mail server with it.",
    "how_we_met": "Talked about mail servers during the break.",
    "event": "the spring meetup",
}
CASES = [(field, label, value) for field, values in ALL.items() for label, value in values]


def test_the_set_has_300_values_of_every_shape() -> None:
    assert len(CASES) >= 300
    labels = {label for _, label, _ in CASES}
    for needed in (
        "lower case",
        "trailing punctuation",
        "first person",
        "third person",
        "non-native English",
        "very long",
        "one word",
    ):
        assert needed in labels


@pytest.mark.parametrize(("field", "label", "value"), CASES, ids=lambda v: str(v)[:40])
def test_every_value_composes_into_fluent_drafts_of_every_kind(
    field: str, label: str, value: str
) -> None:
    contact = Contact(**{**BASE, field: value})
    for kind in Kind:
        for sender in (Sender(), Sender(name="Sam Lee", role="engineer", company="Acme")):
            text = compose(contact, kind, sender).text
            assert fluency_problems(text) == [], (kind.value, text)


def test_values_are_kept_not_dropped_to_pass() -> None:
    """Leaving a value out is for fragments only: most values must reach the draft."""
    kinds = {"their_work": Kind.COMPLIMENT, "notes": Kind.COMPLIMENT}
    kinds |= {"how_we_met": Kind.FOLLOW_UP, "event": Kind.FOLLOW_UP}
    kept = total = 0
    for field, label, value in CASES:
        if field not in kinds or label == "one word":
            continue
        text = compose(Contact(**{**BASE, field: value}), kinds[field], Sender(name="Sam")).text
        total += 1
        kept += bool(content_words(value) & content_words(text, min_len=2))
    assert kept / total >= 0.95, f"{kept}/{total}"


@pytest.mark.parametrize("name", list(CAUGHT))
def test_each_fluency_reason_reaches_the_user_in_plain_words(name: str) -> None:
    from core.explain import explain
    from tests.test_explain import INTERNAL

    text = CAUGHT[name]
    report = run_checks(text, Contact(name="Ana Lima", notes="caching talk"), Kind.COMPLIMENT)
    fluent = next(r for r in report.results if r.name == "fluent")
    problems = [p for p in explain(report, Kind.COMPLIMENT, text) if p.check == "fluent"]
    assert len(problems) == len(fluent.reasons) >= 1
    for problem in problems:
        assert problem.message not in fluent.reasons
        assert not INTERNAL.search(problem.message), problem.message
        assert problem.message[0].isupper() and problem.message.endswith(".")
        if problem.sentence is not None:
            assert problem.sentence in text
