"""One suggestion of the This week page drafted in place: the same engine and checks as
the Draft page, then approve, open in the mail app, mark sent, or close.

One draft is open at a time, so the checks' widgets (shared with the Draft page, which
is never on screen at the same time) keep unique keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import streamlit as st

from core import store, timeline
from core.contacts import Contact, contact_email
from core.explain import explain
from core.mail_draft import draft_message, eml_bytes, mailto_link, subject_for
from core.models import CheckReport, Draft
from core.plan import Suggestion
from core.profile import load_profile
from core.timeline import CHANNELS
from core.web.browser import commit_while_typing
from core.web.check_view import show_checks
from core.web.services import ready_service, service
from core.web.ui import md_escape

OPEN = "week_open"  # the WeekDraft on screen
TEXT = "week_text"  # its editable text
CHECKED = "week_checked"  # {edited text: CheckReport}
PENDING = "week_pending"  # a flagged text the user pressed Approve on
APPROVED = "week_approved"  # (draft id, approved text)
FLASH = "week_flash"  # shared with the page: one message after an action
LABEL = "Message (edit freely: the checks re-run as you type)"


@dataclass
class WeekDraft:
    key: str
    draft: Draft
    contact: Contact
    variant: int = 0


def open_draft_key() -> str | None:
    state: WeekDraft | None = st.session_state.get(OPEN)
    return state.key if state else None


def start_draft(suggestion: Suggestion, variant: int = 0) -> None:
    engine = ready_service()
    with st.spinner(f"Drafting for {suggestion.name}..."):
        draft = engine.draft(suggestion.contact, suggestion.kind, load_profile(), variant=variant)
    st.session_state[OPEN] = WeekDraft(suggestion.key, draft, suggestion.contact, variant)
    st.session_state[TEXT] = draft.text
    st.session_state[CHECKED] = {}
    for key in (PENDING, APPROVED):
        st.session_state.pop(key, None)


def close_draft() -> None:
    for key in (OPEN, TEXT, CHECKED, PENDING, APPROVED):
        st.session_state.pop(key, None)


def show_draft_in_place(suggestion: Suggestion, day: date) -> None:
    state: WeekDraft = st.session_state[OPEN]
    text = st.text_area(LABEL, key=TEXT, height=220)
    commit_while_typing(LABEL)
    report = _checks_for(text, state)
    problems = explain(report, state.draft.kind, text)
    show_checks(report, problems, text, text_key=TEXT)
    st.caption(md_escape(state.draft.label))
    email = contact_email(state.contact)
    st.selectbox(
        "Sent by",
        CHANNELS,
        index=0 if email else CHANNELS.index("other"),
        key="week_channel",
        help="Where you sent it, for your timeline.",
    )
    approve, sent, again, close = st.columns(4)
    if approve.button("Approve", key="week_approve", type="primary", width="stretch"):
        if report.passed:
            _approve(state, text, report)
        else:
            st.session_state[PENDING] = text
    if sent.button("Mark sent", key="week_sent", width="stretch"):
        _mark_sent(state, text, day)
        st.rerun()
    if again.button("Another version", key="week_again", width="stretch"):
        start_draft(suggestion, state.variant + 1)
        st.rerun()
    if close.button("Close", key="week_close", width="stretch"):
        close_draft()
        st.rerun()
    if st.session_state.get(PENDING) == text and not report.passed:
        with st.container(border=True):
            st.error("Not approved yet: the checks flagged this text.")
            st.markdown("\n".join(f"- {md_escape(p.message)}" for p in problems))
            if st.button("Approve anyway", key="week_approve_anyway"):
                _approve(state, text, report)
                st.rerun()
    approved = st.session_state.get(APPROVED)
    if approved and approved[1] == text:
        _open_in_mail(state, text, email)
    elif approved:
        st.caption("You edited the text after approving: approve again to save this version.")


def _checks_for(text: str, state: WeekDraft) -> CheckReport:
    if text == state.draft.text:
        return state.draft.checks
    cache: dict[str, CheckReport] = st.session_state.setdefault(CHECKED, {})
    if text not in cache:
        cache.clear()
        cache[text] = service().check(text, state.draft.kind, state.contact, load_profile())
    return cache[text]


def _approve(state: WeekDraft, text: str, report: CheckReport) -> None:
    approved = state.draft.model_copy(
        update={"checks": report, "status": "ok" if report.passed else "flagged"}
    )
    st.session_state[APPROVED] = (store.save_draft(approved, state.contact, text=text), text)
    st.session_state.pop(PENDING, None)


def _mark_sent(state: WeekDraft, text: str, day: date) -> None:
    channel = st.session_state.get("week_channel") or "other"
    timeline.add_event(
        state.key, "sent", day, kind=state.draft.kind.value, channel=channel, text=text,
        source="web",
    )  # fmt: skip
    st.session_state[FLASH] = (
        f"Marked sent to {state.contact.name} on {day.isoformat()} ({channel}). "
        "They leave this week's plan; the next person is below."
    )
    close_draft()


def _open_in_mail(state: WeekDraft, text: str, email: str) -> None:
    st.success("Approved and saved to your history. Nothing is sent until you send it.")
    sender = load_profile()
    subject = subject_for(state.draft.kind, state.contact, sender)
    if not email:
        st.caption(
            f"No email saved for {md_escape(state.contact.name)}: add one on the Contacts page "
            "to open this in your mail app. You can still copy it from the box above."
        )
        return
    left, right = st.columns(2)
    left.link_button(
        "Open in my mail app", mailto_link(email, subject, text), icon=":material/mail:"
    )
    message = draft_message(
        text, subject=subject, to_name=state.contact.name, to_email=email, from_name=sender.name
    )
    right.download_button(
        "Download .eml draft",
        data=eml_bytes(message),
        file_name=f"{_slug(state.contact.name)}-{state.draft.kind.value}.eml",
        mime="message/rfc822",
        key="week_eml",
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "message"
