"""Voice from the user's own words (issue 12, item 6): approved drafts as tone examples for
an LLM (never as facts), and the greeting and sign-off the user kept, offline."""

from __future__ import annotations

import pytest

from core import store
from core.config import Settings
from core.contacts import Contact
from core.kinds import Kind
from core.models import Sender
from core.service import OutreachService
from core.voice import STYLE_EXAMPLES, greeting_frame, signoff_of, voice_from_texts

SAM = Sender(name="Sam Lee")
LENA = Contact(
    name="Lena Vogel",
    their_work="Gave a keynote at KubeCon 2023 on cluster upgrades",
    notes="Her upgrade checklist saved our team a weekend.",
)
PRIYA = Contact(
    name="Priya Raman",
    their_work="Gave a talk at PyCon 2024 on testing async code",
    notes="Her fixture tips cut our CI time in half.",
)
KEPT = (
    "Hey Lena,\n\nYour keynote at KubeCon 2023 on cluster upgrades stayed with me, and your "
    "checklist saved our team a weekend. Nothing to ask; thank you.\n\nThanks a million,\nSam"
)
GOOD = (
    "Hi Priya,\n\nYour PyCon 2024 talk on testing async code stayed with me. Your fixture tips "
    "cut our CI time in half, and I wanted you to know it landed. No reply needed.\n\nThanks,\nSam"
)
COPIED = GOOD.replace("stayed with me.", "stayed with me, like the keynote at KubeCon 2023.")


def _approve(text: str, contact: Contact = LENA, kind: Kind = Kind.COMPLIMENT) -> None:
    draft = OutreachService(Settings.from_env(), offline=True).draft(contact, kind, SAM)
    store.save_draft(draft, contact, text=text)


def test_greeting_and_signoff_are_read_from_what_the_user_kept() -> None:
    assert greeting_frame(KEPT) == "Hey {n},"
    assert signoff_of(KEPT) == "Thanks a million,"
    assert greeting_frame("Priya, quick note.") == "" and signoff_of("Hi,\n\nThanks.") == ""
    older = KEPT.replace("Thanks a million,", "Best,")
    assert voice_from_texts([KEPT, KEPT, older]).signoff == "Thanks a million,"


@pytest.mark.integration
def test_the_offline_composer_prefers_the_users_greeting_and_signoff_of_that_kind() -> None:
    service = OutreachService(Settings.from_env(), offline=True)
    before = service.draft(PRIYA, Kind.COMPLIMENT, SAM).text
    assert "Thanks a million," not in before
    _approve(KEPT)
    after = service.draft(PRIYA, Kind.COMPLIMENT, SAM)
    assert after.text.startswith("Hey Priya,")
    assert after.text.endswith("Thanks a million,\nSam")
    assert after.status == "ok" and "KubeCon" not in after.text  # tone, not Lena's facts
    intro = service.draft(PRIYA, Kind.INTRO, SAM).text  # another kind: its own voice
    assert "Thanks a million," not in intro


@pytest.mark.integration
def test_llm_gets_up_to_three_marked_tone_examples_and_a_copied_fact_is_still_rejected(
    fake_chat,  # type: ignore[no-untyped-def]
) -> None:
    for n in range(STYLE_EXAMPLES + 1):
        _approve(KEPT.replace("Thanks a million,", f"Thanks a million {n},"))
    _approve("Hi Lena,\n\nAn intro, not a compliment.\n\nBest,\nSam", kind=Kind.INTRO)
    model = fake_chat(replies=[COPIED, GOOD])
    service = OutreachService(Settings.from_env(), backend=model, offline=False)
    draft = service.draft(PRIYA, Kind.COMPLIMENT, SAM)
    prompt = model.history[0][-1]["content"]
    assert prompt.count("<example>") == STYLE_EXAMPLES
    assert "Thanks a million 3," in prompt and "Thanks a million 0," not in prompt  # newest
    assert "An intro, not a compliment" not in prompt  # same kind only
    flat = " ".join(prompt.split())
    assert "<tone_examples>" in prompt and "never take a name, event, work" in flat
    # The reply copied a fact from Lena's draft: grounding rejects it and asks for a revision.
    assert len(model.history) == 2
    revision = model.history[1][-1]["content"]
    assert "KubeCon" in revision and "grounded" in revision
    assert draft.text == GOOD and draft.status == "ok"


@pytest.mark.integration
def test_without_approved_drafts_the_prompt_has_no_examples_block(fake_chat) -> None:  # type: ignore[no-untyped-def]
    model = fake_chat(replies=[GOOD])
    OutreachService(Settings.from_env(), backend=model, offline=False).draft(
        PRIYA, Kind.COMPLIMENT, SAM
    )
    assert "<tone_examples>" not in model.history[0][-1]["content"]
