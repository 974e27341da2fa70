"""Drafting one message: retrieve guidance and notes, write, check, revise once, report.

The same function serves the CLI, the Python API and the web app. An LLM backend gets one
revision with the failed checks fed back; the offline composer tries other realizations.
A draft that still fails is returned with status "flagged" and its reasons, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from core.backends.base import ChatBackend
from core.composer import COMPOSER_MODEL, COMPOSER_NAME, compose
from core.contacts import Contact
from core.errors import FatalBackendError
from core.index import OutreachIndex, note_snippets
from core.kinds import Kind
from core.models import OFFLINE_LABEL, CheckReport, Draft, GuidanceRef, Sender
from core.note_text import usable_sentences
from core.prompts import get_prompt
from core.scorecard import score_card
from core.voice import Voice, style_examples, user_voice
from evals.checks import run_checks

#: Realizations the offline composer tries before a draft is flagged.
OFFLINE_VARIANTS = 4
GUIDANCE_K = 4
TOPIC_WORDS = 12
NOTES_K = 4

# Short on purpose: a query costs a model run per token. The contact's topic is appended.
_GUIDANCE_QUERY = {
    Kind.COMPLIMENT: "compliment their specific work, ask nothing",
    Kind.INTRO: "first message: best case, worst case, short call",
    Kind.FOLLOW_UP: "follow-up after an event: shared moment, give something",
}
_NOTES_QUERY = {
    Kind.COMPLIMENT: "their specific work, talk, post or project and why it mattered to me",
    Kind.INTRO: "their work, why I admire them, what we have in common",
    Kind.FOLLOW_UP: "the event where we met, a shared moment, a link or introduction I promised",
}


def prompt_contact_fields(contact: Contact) -> dict[str, str]:
    """What a model may see: public fields only, instruction-like sentences removed, and
    angle brackets neutralised so notes cannot close the prompt's data tags."""
    fields = {}
    for name, value in contact.public_fields().items():
        if name == "name" and not contact.greeting_name:
            continue  # a formula or a link is no name to greet: the model greets neutrally
        cleaned = " ".join(usable_sentences(value)) if name != "name" else value
        if cleaned:
            fields[name] = cleaned.replace("<", "‹").replace(">", "›")
    return fields


def guidance_query(contact: Contact, kind: Kind) -> str:
    """What to ask the guidance index for: the kind's need plus the contact's topic."""
    topic = " ".join(filter(None, [contact.their_work, contact.event, contact.shared_interests]))
    # The gist is in the first words; a query costs a model run per token.
    topic = " ".join(topic.split()[:TOPIC_WORDS])
    return f"{_GUIDANCE_QUERY[kind]}. {topic}".strip()


def retrieve(
    index: OutreachIndex, contact: Contact, kind: Kind
) -> tuple[list[GuidanceRef], list[str]]:
    guidance = index.search_guidance(guidance_query(contact, kind), kind, GUIDANCE_K)
    snippets = index.search_notes(_NOTES_QUERY[kind], contact, NOTES_K)
    # Never hand an instruction-like note to a model or the composer.
    return guidance, [s for s in snippets if usable_sentences(s)]


def _status(report: CheckReport) -> str:
    return "ok" if report.passed else "flagged"


#: Runs every check on a text (`evals.checks.run_checks`, or the same in another process).
Checker = Callable[[str, Contact, Kind, Sender], CheckReport]


def draft_with_llm(
    backend: ChatBackend,
    contact: Contact,
    kind: Kind,
    sender: Sender,
    guidance: list[GuidanceRef],
    snippets: list[str],
    examples: list[str] | None = None,
    *,
    check: Checker = run_checks,
) -> Draft:
    template = get_prompt(kind)
    variables = {
        "contact": prompt_contact_fields(contact),
        "sender": sender.model_dump(),
        "guidance": [g.model_dump() for g in guidance],
        "note_snippets": [s.replace("<", "‹").replace(">", "›") for s in snippets],
        "kind": kind.value,
        # The user's own approved drafts (to other people): tone only, marked as such.
        "style_examples": [e.replace("<", "‹").replace(">", "›") for e in examples or []],
    }
    messages = template.render(**variables)
    reply = backend.complete(messages)
    attempts = reply.attempts
    text = reply.text
    report = check(text, contact, kind, sender)
    if report.rewording_can_help:  # a revision cannot supply notes the contact lacks
        revision = template.render_revision(report.failure_reasons(), text, **variables)
        messages += [{"role": "assistant", "content": text}, {"role": "user", "content": revision}]
        try:
            reply = backend.complete(messages)
        except FatalBackendError as exc:
            if exc.status_code != 400:
                raise  # a bad key or an exhausted quota stops everything
            # The endpoint refused the longer revision turn (small local models overflow
            # their context): keep the first draft, flagged with its reasons.
            attempts += exc.attempts
        else:
            attempts += reply.attempts
            text = reply.text
            report = check(text, contact, kind, sender)
    return Draft(
        text=text,
        kind=kind,
        contact_name=contact.name,
        status=_status(report),  # type: ignore[arg-type]
        backend=backend.name,
        model=backend.model,
        prompt_id=template.id,
        prompt_version=template.version,
        guidance=guidance,
        note_snippets=snippets,
        checks=report,
        attempts=attempts,
        label=f"Drafted by {backend.model} through an OpenAI-compatible endpoint.",
    )


def draft_offline(
    contact: Contact,
    kind: Kind,
    sender: Sender,
    guidance: list[GuidanceRef],
    snippets: list[str],
    *,
    first_variant: int = 0,
    voice: Voice | None = None,
) -> Draft:
    template = get_prompt(kind)  # recorded for provenance; the composer follows its rules
    best: tuple[str, CheckReport, list[str]] | None = None
    attempts = 0
    for variant in range(first_variant, first_variant + OFFLINE_VARIANTS):
        attempts += 1
        composition = compose(
            contact, kind, sender, preferred_snippets=snippets, variant=variant, voice=voice
        )
        report = run_checks(composition.text, contact, kind, sender)
        if best is None or len(report.failures()) < len(best[1].failures()):
            best = (composition.text, report, composition.snippets)
        if not report.rewording_can_help:  # passed, or only missing data is to blame
            break
    assert best is not None
    text, report, used = best
    return Draft(
        text=text,
        kind=kind,
        contact_name=contact.name,
        status=_status(report),  # type: ignore[arg-type]
        backend=COMPOSER_NAME,
        model=COMPOSER_MODEL,
        prompt_id=template.id,
        prompt_version=template.version,
        guidance=guidance,
        note_snippets=used or snippets,
        checks=report,
        attempts=attempts,
        label=OFFLINE_LABEL,
    )


def draft_message(
    index: OutreachIndex,
    contact: Contact,
    kind: Kind,
    sender: Sender | None = None,
    *,
    backend: ChatBackend | None = None,
    variant: int = 0,
    index_notes: bool = True,
    on_stage: Callable[[str], None] | None = None,
    check: Checker = run_checks,
) -> Draft:
    """Draft one message. `backend=None` means the offline composer."""
    sender = sender or Sender()
    if index_notes and len(note_snippets(contact)) > NOTES_K:
        # Kept for a later draft to this person given without notes; this draft ranks
        # the contact's own notes either way (OutreachIndex.search_notes).
        index.index_contacts([contact])
    guidance, snippets = retrieve(index, contact, kind)
    if on_stage:
        on_stage("writing")
    if backend is None:
        draft = draft_offline(
            contact, kind, sender, guidance, snippets,
            first_variant=variant * OFFLINE_VARIANTS, voice=user_voice(kind),
        )  # fmt: skip
    else:
        examples = style_examples(kind)
        draft = draft_with_llm(
            backend, contact, kind, sender, guidance, snippets, examples, check=check
        )
    card = score_card(draft.text, contact, kind, draft.checks)
    return draft.model_copy(update={"score": card.to_json_dict()})
