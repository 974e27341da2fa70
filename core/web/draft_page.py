"""Draft page: one message for one person, its checks, its sources, then approve."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import streamlit as st

from core import store
from core.contacts import Contact
from core.errors import InputError
from core.explain import Problem, explain
from core.kinds import Kind
from core.models import CheckReport, Draft
from core.profile import load_profile
from core.web.browser import commit_while_typing, scroll_here
from core.web.check_view import show_checks
from core.web.contact_form import PUBLIC, contact_from_inputs, contact_inputs
from core.web.score_card import show_score_card
from core.web.services import ready_service, service
from core.web.ui import errors_shown, go_to, md_escape, page_header

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
SAVED, TYPED = "A saved contact", "Type one in"
MESSAGE_LABEL = "Your message (edit freely: the checks re-run as you type)"

# Session state, each key set in one place.
RESULT = "draft_result"  # DraftState of the draft on screen
TEXT = "draft_text"  # the editable text area
APPROVED = "draft_approved"  # (history id, approved text)
CHECKED = "draft_checked"  # {edited text: CheckReport}, so an edit is checked once
PENDING = "draft_pending_approval"  # the flagged text the user pressed Approve on


@dataclass
class DraftState:
    draft: Draft
    contact: Contact
    variant: int
    typed: bool
    #: Where a draft made elsewhere came from (e.g. a batch run), shown with its sources.
    origin: str = ""
    #: Changes with every new draft, so the page scrolls to it once.
    token: str = field(default_factory=lambda: str(time.time_ns()))


def open_draft(state: DraftState) -> None:
    """Put `state` on the Draft page (e.g. a batch row to review); call before it renders."""
    st.session_state[RESULT] = state
    st.session_state[TEXT] = state.draft.text
    st.session_state.pop(APPROVED, None)
    st.session_state.pop(PENDING, None)
    st.session_state[CHECKED] = {}


def prefill_form(contact: Contact, kind: Kind) -> None:
    """Type `contact` into the form, as if the user had (call before the page renders)."""
    st.session_state["draft_kind"] = kind
    st.session_state["draft_source"] = TYPED
    for item in PUBLIC:
        st.session_state[f"draft_c_{item.name}"] = str(getattr(contact, item.name) or "")


def choose_saved(key: str) -> None:
    """Pick the saved contact `key` in the form, clearing any draft on screen."""
    st.session_state["draft_source"] = SAVED
    st.session_state["draft_saved_key"] = key
    st.session_state.pop(RESULT, None)


def go_to_draft_page() -> None:
    go_to(render, "draft")


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
        contact, typed = _choose_contact(kind)
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


def _choose_contact(kind: Kind) -> tuple[Contact | None, bool]:
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
            for name, value in facts.items():
                st.markdown(f"**{name.replace('_', ' ').capitalize()}:** {md_escape(value)}")
        return chosen, False
    if not saved:
        st.caption("No saved contacts yet: type one in, or import a CSV on the Contacts page.")
    values = contact_inputs("draft_c_", private=False, compact=True, kind=kind)
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
    open_draft(DraftState(draft, contact, variant, typed))
    st.rerun()  # the buttons above were drawn before this draft existed ("Another version")


def _show_draft(state: DraftState) -> None:
    draft = state.draft
    scroll_here(state.token)  # a new draft appears below the form: bring it into view
    st.subheader(f"{KIND_LABELS[draft.kind]} for {md_escape(state.contact.name)}")
    text = st.text_area(MESSAGE_LABEL, key=TEXT, height=260)
    commit_while_typing(MESSAGE_LABEL)
    report = _checks_for(text, state)
    problems = explain(report, draft.kind, text)
    show_checks(report, problems, text, text_key=TEXT)
    show_score_card(text, state.contact, draft.kind, report)
    _approve(state, text, report, problems)
    _show_sources(state)
    _history(state.contact)


def _checks_for(text: str, state: DraftState) -> CheckReport:
    if text == state.draft.text:
        return state.draft.checks
    cache: dict[str, CheckReport] = st.session_state.setdefault(CHECKED, {})
    if text not in cache:
        cache.clear()  # only the latest edit matters
        cache[text] = service().check(text, state.draft.kind, state.contact, load_profile())
    return cache[text]


def _show_sources(state: DraftState) -> None:
    draft = state.draft
    st.caption(md_escape(draft.label))
    if state.origin:
        st.caption(md_escape(state.origin))
    if not draft.prompt_id:  # made elsewhere (a batch row): only its text was kept
        st.caption(
            "The batch run keeps each draft's text, not the guidance and notes it drew on: "
            "press Another version to see them for a new draft."
        )
        return
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


def _approve(state: DraftState, text: str, report: CheckReport, problems: list[Problem]) -> None:
    """Approve saves only checked text: the checks above ran on exactly `text`, and a
    flagged text needs a second, explicit "Approve anyway" with the reasons in view."""
    if st.button("Approve", type="primary", key="draft_approve"):
        if _checks_for(text, state).passed:
            _save(state, text, report)
        else:
            st.session_state[PENDING] = text
    if st.session_state.get(PENDING) == text and not report.passed:
        _confirm_flagged(state, text, report, problems)
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


def _confirm_flagged(
    state: DraftState, text: str, report: CheckReport, problems: list[Problem]
) -> None:
    with st.container(border=True):
        st.error("Not approved yet: the checks flagged this text.")
        st.markdown("\n".join(f"- {md_escape(p.message)}" for p in problems))
        st.caption("Fix it above (the checks re-run as you type), or approve it as it is.")
        left, right = st.columns(2)
        if left.button("Approve anyway", key="draft_approve_anyway", width="stretch"):
            _save(state, text, report)
            st.rerun()
        if right.button("Keep editing", key="draft_keep_editing", width="stretch"):
            st.session_state.pop(PENDING, None)
            st.rerun()


def _save(state: DraftState, text: str, report: CheckReport) -> None:
    """Record the text with the checks it was approved under (not the first draft's)."""
    if state.typed and st.session_state.get("draft_save", True):
        store.upsert_contact(state.contact)
    approved = state.draft.model_copy(
        update={"checks": report, "status": "ok" if report.passed else "flagged"}
    )
    saved_id = store.save_draft(approved, state.contact, text=text)
    st.session_state[APPROVED] = (saved_id, text)
    st.session_state.pop(PENDING, None)


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
