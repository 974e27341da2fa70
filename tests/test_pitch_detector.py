"""The pitch detector: interface, explanations, hard cases and robustness to real mail."""

from __future__ import annotations

import pytest

from core.models import PitchVerdict
from evals.pitch import detect_pitch
from evals.pitch.normalize import normalize, split_sentences

# Fresh examples written for this test (not copied from the datasets).
PITCHES = [
    "Loved your piece on calm on-call rotations. We've built a scheduler that automates exactly that; could I show you a 15-minute demo next week?",
    "Great chatting at the ceramics fair! Our studio is doing 30% off all mugs this month with code FAIR30, thought you'd like to know.",
    "Thanks for the lovely hike on Sunday. P.S. our app for trail logging just went live, would you try it and leave a review on the App Store?",
    "Your newsletter is brilliant. Would you mention our launch in next week's issue? It would really help us reach the right people.",
    "Hi Nora, congrats on the new job! Since you're now at Fernbank, could you pass my CV to the hiring manager for the analyst role?",
    "Best case we become friends, worst case nothing lost. Either way, could you introduce me to the partners at your fund? We're raising our seed.",
    "So good to meet you at the choir concert. We're fundraising for our new rehearsal space; a donation of any size on our page would mean a lot.",
    "Would love your thoughts on what we're building: an inbox tool for recruiters. Sign up for the beta here: hirebox.io/beta",
    "Coffee next week? I'd love to catch up, and honestly also to see whether your team would become our first customer.",
    "Your talk on leadership was great. I run a 6-week coaching programme for new managers, $1,200, and there's one spot left for you.",
]
GENUINE = [
    "Your talk on calm on-call rotations was the best thing I saw at the conference. The bit about handing over with a written note changed how my team works.",
    "Hi Lena, I'm an engineer at Finlo, but that's not why I'm writing: your essay on mentoring juniors made my week. Thank you.",
    "Great meeting you at the meetup. You mentioned looking for a designer: my friend Ola is brilliant and free next month. Want me to introduce you?",
    "Hi Tom, I'm a data engineer in Leeds. Best case we end up building something together; worst case you have a new friend in the field. Would you be up for a 20-minute call?",
    "Thanks for hosting the book club! Here's the interview with the author I mentioned: https://example.com/interview. See you next month.",
    "congrats on the launch!! so proud of you",
    "If you ever want a second pair of eyes on your conference talk before you give it, I'm happy to listen. No strings attached.",
    "I run a small bookshop, and your post on pricing finally made me raise my prices. Sales held up. Thank you for writing it.",
    "Would you be open to a 20-minute call sometime in the next few weeks? No agenda beyond getting to know each other, and no worries at all if the timing is wrong.",
    "Best case, we end up working together and make something great; worst case, you have a new friend in the field.",
]


def test_interface_and_types() -> None:
    verdict = detect_pitch("Loved your talk.", "compliment")
    assert isinstance(verdict, PitchVerdict)
    assert 0.0 <= verdict.pitch_score <= 1.0
    # A clear note is cleared by the cheap first stage, without the embedding model.
    assert verdict.signals["screened"] == 1.0 and not verdict.is_pitch
    pitch = detect_pitch("Loved your talk! Use code LOVE20 for 20% off our course: acme.io/buy")
    assert pitch.is_pitch and 0.0 <= pitch.pitch_score <= 1.0
    assert {"rules", "classifier", "classifier_sentence_max", "combined", "screen"} <= set(
        pitch.signals
    )
    assert detect_pitch("").is_pitch is False
    assert detect_pitch("   \n ").reasons == []


@pytest.mark.parametrize("text", PITCHES)
def test_hard_pitches_are_flagged_with_a_reason(text: str) -> None:
    verdict = detect_pitch(text)
    assert verdict.is_pitch, verdict
    assert verdict.reasons
    for span in verdict.reasons:
        assert span.sentence and span.category and span.reason
        assert span.sentence in " ".join(split_sentences(text))


@pytest.mark.parametrize("text", GENUINE)
def test_genuine_notes_are_not_flagged(text: str) -> None:
    verdict = detect_pitch(text)
    assert not verdict.is_pitch, verdict
    assert verdict.reasons == []


def test_classifier_only_pitch_still_names_a_sentence() -> None:
    from evals.pitch.model import load_model

    model = load_model()
    text = "Lovely to see you at the gala. We'd be so grateful if you would consider leading our bridge round."
    verdict = detect_pitch(text, model=model)
    if verdict.is_pitch:
        assert verdict.reasons and all(r.sentence for r in verdict.reasons)


def _transforms(text: str) -> list[str]:
    spaced = text.replace(". ", " . ").replace(", ", " , ").replace("? ", " ? ").replace("!", " !")
    reply = (
        f"{text}\n\nBest,\nRiley Park\nHead of Ops | Northwind\nhttps://northwind.example.com\n\n"
        "On Tue, 4 Jun 2024 at 10:00, Sam <sam@example.com> wrote:\n> Please buy our product, 20% off!\n> Sam"
    )
    return [text.lower(), spaced, reply, f"{text}\n\nSent from my iPhone", f"{text}\n-- \nRiley"]


@pytest.mark.parametrize("text", PITCHES[:5] + GENUINE[:6])
def test_real_mail_transforms_do_not_flip_the_verdict(text: str) -> None:
    expected = detect_pitch(text).is_pitch
    for variant in _transforms(text):
        assert detect_pitch(variant).is_pitch == expected, variant


def test_normalize_strips_quotes_and_signatures() -> None:
    text = (
        "thanks . see you\n\nCheers,\nAmy\nCEO, Tokenly\n\nOn Mon, 1 Jan 2024, Bo wrote:\n> buy now"
    )
    assert normalize(text) == "thanks. see you"
    assert split_sentences("Hi. P.S. one more thing") == ["Hi.", "P.S. one more thing"]


def test_forwarded_mail_keeps_the_senders_own_words() -> None:
    above = "FYI, see below.\n---------- Forwarded message ---------\nFrom: A <a@b.c>\nBuy it now."
    assert split_sentences(above) == ["FYI, see below."]
    # Some people forward first and write underneath: their words are still judged.
    below = (
        "---------- Forwarded message ---------\nFrom: Sophie <s@b.c>\nSubject: intro\n\n"
        "Ellen, meet Jas.\n\n---\n\nHi Ellen,\nCould you pass my CV to the hiring manager?"
    )
    assert split_sentences(below)[-1] == "Could you pass my CV to the hiring manager?"
    assert not any("From:" in s or "Forwarded" in s for s in split_sentences(below))


def test_very_long_message_is_handled() -> None:
    long = "We talked about backfills and schema drift at the meetup. " * 200
    verdict = detect_pitch(long + " P.S. could I demo our lineage tool for your team?")
    assert verdict.is_pitch
    assert not detect_pitch(long).is_pitch


def test_rules_run_on_re2_and_keep_the_lookbehind_exception() -> None:
    from evals.pitch import rules

    assert rules.re2 is not None, "google-re2 should be installed (pip install .)"
    assert type(rules.ASK).__module__ == "re2"
    raising = rules.score_sentence("We are raising money for the shelter this month.")
    not_raising = rules.score_sentence("We are not raising money this year, just sharing news.")
    assert raising.category == "fundraising_donation"
    assert not_raising.category != "fundraising_donation"


def test_hard_wrapped_mail_is_read_as_whole_sentences() -> None:
    # Mail wrapped at 72 columns once split into fragments ("Could", "IPFilter would"),
    # and a lone modal verb read as an ask.
    wrapped = (
        "Interesting. It's possible, of course, that the slow economy is hurting\n"
        "the spammers as much as anyone else. But if you've been reporting, then it\n"
        "could just be that. Could\n"
        "be your upstream ISP is being more aggressive too..."
    )
    assert split_sentences(wrapped) == [
        "Interesting.",
        "It's possible, of course, that the slow economy is hurting the spammers as much as anyone else.",
        "But if you've been reporting, then it could just be that.",
        "Could be your upstream ISP is being more aggressive too...",
    ]
    # Short lines, greetings and list items are a writer's own line breaks: kept apart.
    typed = "Hi Sam,\nLoved your talk\n- the bit on queues\n- the bit on retries\nSee you soon"
    assert split_sentences(typed) == [
        "Hi Sam,",
        "Loved your talk",
        "- the bit on queues",
        "- the bit on retries",
        "See you soon",
    ]


def test_a_wrapped_ask_is_still_caught() -> None:
    text = (
        "Loved your piece on calm on-call rotations, it matched what we saw on our\n"
        "team. We've built a scheduler that automates exactly that; could I show\n"
        "you a 15-minute demo next week?"
    )
    verdict = detect_pitch(text)
    assert verdict.is_pitch
    assert any("demo" in r.sentence for r in verdict.reasons)


def test_a_mailing_lists_footer_is_not_the_senders_words() -> None:
    footer = (
        "Thanks, that fixed it for me too.\n"
        "-------------------------------------------------------\n"
        "This email is sponsored by: Tired of your old phone? Get a new one FREE!\n"
        "https://example.com/r.asp?ref=list\n"
        "_______________________________________________\n"
        "Users mailing list\nhttps://lists.example.org/listinfo/users"
    )
    assert normalize(footer) == "Thanks, that fixed it for me too."
    assert not detect_pitch(footer).is_pitch
    # A rule line the writer typed, with no list footer after it, cuts nothing.
    own = "Loved the talk.\n----------------\nP.S. could I demo our lineage tool for your team?"
    assert detect_pitch(own).is_pitch
