"""Draft page: one message for one person, its checks, its sources, then approve."""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from core import store
from core.contacts import Contact
from core.errors import InputError
from core.kinds import Kind
from core.models import CheckReport, Draft
from core.profile import load_profile
from core.web.contact_form import contact_from_inputs, contact_inputs
from core.web.services import ready_service, service
from core.web.ui import errors_shown, md_escape, page_header

KIND_LABELS = {
    Kind.COMPLIMENT: "Compliment",
    Kind.INTRO: "Intro",
    Kind.FOLLOW_UP: "Follow-up",
}
KIND_HELP = {
    Kind.COMPLIMENT: "Praise one specific piece of their work and why it mattered. Asks for nothing.",
    Kind.INTRO: "Who you are and why them; best case you build something, worst case a new friend. A short call, no ask.",
    Kind.FOLLOW_UP: "After meeting at an event: the shared moment, plus something given (a link, an intro, thanks).",
}
CHECK_LABELS = {
    "not_pitch": "Not a disguised pitch",
    "grounded": "Only facts from your notes",
    "specific": "Specific, not generic",
    "structure": "Has what this kind needs",
    "length": "Length",
    "no_placeholders": "No placeholders left",
    "no_private_leak": "No private notes leaked",
    "notes_are_data": "Notes treated as data, not instructions",
}
SAVED, TYPED = "A saved contact", "Type one in"

# Session state, each key set in one place.
RESULT = "draft_result"  # DraftState of the draft on screen
TEXT = "draft_text"  # the editable text area
APPROVED = "draft_approved"  # (history id, approved text)
CHECKED = "draft_checked"  # {edited text: CheckReport}, so an edit is checked once


@dataclass
class DraftState:
    draft: Draft
    contact: Contact
    variant: int
    typed: bool


def render() -> None:
    page_header(
        "Draft a message",
        "Pick a person and a kind of message. The draft uses only what your notes say, "
        "and every check runs again when you edit it.",
    )
    with errors_shown():
        kind = st.radio(
            "Kind of message",
            list(Kind),
            format_func=lambda k: KIND_LABELS[k],
            horizontal=True,
            key="draft_kind",
        )
        kind = kind or Kind.COMPLIMENT  # a radio with options always has a value
        st.caption(KIND_HELP[kind])
        contact, typed = _choose_contact()
        _draft_buttons(contact, kind, typed=typed)
    state: DraftState | None = st.session_state.get(RESULT)
    if state is None:
        st.info("Choose a contact and a kind, then press **Draft**.")
        if not load_profile().name:
            st.caption(
                "Tip: add your name on the Settings page so drafts introduce and sign with it."
            )
        return
    with errors_shown():
        _show_draft(state)


def _choose_contact() -> tuple[Contact | None, bool]:
    """The contact to draft for (None until a name is typed), and whether it was typed in."""
    saved = store.list_contacts()
    source = (
        st.radio("Who to write to", [SAVED, TYPED], horizontal=True, key="draft_source")
        if saved
        else TYPED
    )
    if source == SAVED:
        by_key = {s.key: s for s in saved}
        key = st.selectbox(
            "Contact",
            list(by_key),
            format_func=lambda k: _person(by_key[k].contact),
            key="draft_saved_key",
        )
        chosen = by_key[key].contact
        with st.expander("What you know about them"):
            facts = chosen.public_fields()
            facts.pop("name", None)
            if not facts:
                st.caption("No notes yet: add some on the Contacts page for a specific draft.")
            for field, value in facts.items():
                st.markdown(f"**{field.replace('_', ' ').capitalize()}:** {md_escape(value)}")
        return chosen, False
    if not saved:
        st.caption("No saved contacts yet: type one in, or import a CSV on the Contacts page.")
    values = contact_inputs("draft_c_", private=False, compact=True)
    st.checkbox("Save this person to my contacts when I approve", value=True, key="draft_save")
    if not values["name"].strip():
        return None, True
    return contact_from_inputs(values), True


def _person(contact: Contact) -> str:
    return f"{contact.name} · {contact.company}" if contact.company else contact.name


def _draft_buttons(contact: Contact | None, kind: Kind, *, typed: bool) -> None:
    state: DraftState | None = st.session_state.get(RESULT)
    left, right = st.columns(2)
    first = left.button("Draft", type="primary", width="stretch")
    again = right.button(
        "Another version", disabled=state is None, width="stretch", key="draft_again"
    )
    if first:
        if contact is None:
            raise InputError("type the contact's name first (or pick a saved contact)")
        _make(contact, kind, 0, typed=typed)
    elif again and state is not None:
        _make(state.contact, state.draft.kind, state.variant + 1, typed=state.typed)


def _make(contact: Contact, kind: Kind, variant: int, *, typed: bool) -> None:
    engine = ready_service()
    with st.spinner("Drafting..."):
        draft = engine.draft(contact, kind, load_profile(), variant=variant)
    # Set before the text area exists on this run, so the new draft replaces the old text.
    st.session_state[RESULT] = DraftState(draft, contact, variant, typed)
    st.session_state[TEXT] = draft.text
    st.session_state.pop(APPROVED, None)
    st.session_state[CHECKED] = {}
    st.rerun()  # the buttons above were drawn before this draft existed ("Another version")


def _show_draft(state: DraftState) -> None:
    draft = state.draft
    st.subheader(f"{KIND_LABELS[draft.kind]} for {md_escape(state.contact.name)}")
    text = st.text_area(
        "Your message (edit freely: the checks re-run on your text)", key=TEXT, height=260
    )
    report = _checks_for(text, state)
    _show_checks(report)
    _show_sources(draft)
    _approve(state, text, report)


def _checks_for(text: str, state: DraftState) -> CheckReport:
    if text == state.draft.text:
        return state.draft.checks
    cache: dict[str, CheckReport] = st.session_state.setdefault(CHECKED, {})
    if text not in cache:
        cache.clear()  # only the latest edit matters
        cache[text] = service().check(text, state.draft.kind, state.contact, load_profile())
    return cache[text]


def _show_checks(report: CheckReport) -> None:
    failed = report.failures()
    if not failed:
        st.success(f"All {len(report.results)} checks passed.")
    else:
        st.warning(f"{len(failed)} of {len(report.results)} checks flagged this text.")
    # One block, one line per check: compact enough to read at a glance on a phone.
    lines = []
    for result in report.results:
        label = CHECK_LABELS.get(result.name, result.name.replace("_", " ").capitalize())
        if result.passed:
            lines.append(f":green[:material/check_circle:] {label}")
            continue
        lines.append(f":orange[:material/error:] **{label}**")
        lines += [f":gray[— {md_escape(reason)}]" for reason in result.reasons]
    st.markdown("  \n".join(lines))
    if report.pitch.reasons:
        st.markdown(f"**Sentences that read as a pitch** (score {report.pitch_score:.2f})")
        for span in report.pitch.reasons:
            st.error(f"“{md_escape(span.sentence)}”  \n{md_escape(span.reason)}")


def _show_sources(draft: Draft) -> None:
    st.caption(md_escape(draft.label))
    st.caption(
        md_escape(
            f"Backend {draft.backend} · model {draft.model} · "
            f"prompt {draft.prompt_id} v{draft.prompt_version}"
        )
    )
    with st.expander(f"Guidance used ({len(draft.guidance)})"):
        if not draft.guidance:
            st.caption("No guidance cards were retrieved for this draft.")
        for card in draft.guidance:
            st.markdown(f"**{md_escape(card.title)}**  \n{md_escape(card.source)}")
            st.caption(md_escape(_shorten(card.text, 320)))
    with st.expander(f"From your notes ({len(draft.note_snippets)})"):
        if not draft.note_snippets:
            st.caption("No note snippets were used: add notes for a more specific draft.")
        for snippet in draft.note_snippets:
            st.markdown(f"- {md_escape(snippet)}")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _approve(state: DraftState, text: str, report: CheckReport) -> None:
    if not report.passed:
        st.caption("Some checks flagged this text: read the reasons before you send it.")
    if st.button("Approve", type="primary", key="draft_approve"):
        if state.typed and st.session_state.get("draft_save", True):
            store.upsert_contact(state.contact)
        saved_id = store.save_draft(state.draft, state.contact, text=text)
        st.session_state[APPROVED] = (saved_id, text)
    approved = st.session_state.get(APPROVED)
    if approved and approved[1] == text:
        st.success("Approved and saved to your history.")
        st.caption("Copy it with the icon at the top right of the box, or download it.")
        st.code(text, language=None, wrap_lines=True)
        st.download_button(
            "Download as .txt",
            data=text,
            file_name=f"{_slug(state.contact.name)}-{state.draft.kind.value}.txt",
            mime="text/plain",
        )
    elif approved:
        st.caption("You edited the text after approving: approve again to save this version.")
    _history(state.contact)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "message"


def _history(contact: Contact) -> None:
    history = store.list_drafts(contact_key=store.contact_key(contact), limit=5)
    if not history:
        return
    with st.expander(f"Approved before for this person ({len(history)})"):
        for item in history:
            st.caption(f"{item.approved_at} · {item.kind} · {md_escape(item.model)}")
            st.text(item.text)
