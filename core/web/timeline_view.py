"""One contact's timeline on the Contacts page: what was approved, sent, replied, noted,
snoozed; with a note or a reply added by hand."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core import timeline
from core.web.ui import md_escape

_WORDS = {
    "approved": "Approved a draft",
    "sent": "Sent",
    "replied": "They replied",
    "note": "Note",
    "snooze": "Snoozed",
    "do_not_suggest": "Marked do not suggest",
}


def show_timeline(key: str, name: str) -> None:
    events = timeline.list_events(key)
    with st.expander(f"Timeline with {md_escape(name)} ({len(events)})"):
        if not events:
            st.caption(
                "Nothing yet: mark a message sent on the This week page, or import "
                "LinkedIn's messages.csv with `outreach history import`."
            )
        for event in events[:50]:
            details = " · ".join(
                part
                for part in (
                    event.kind.replace("_", " "),
                    event.channel,
                    f"until {event.until.isoformat()}" if event.until else "",
                )
                if part
            )
            st.markdown(
                f"**{event.on_date.isoformat()}** {_WORDS[event.type]}"
                + (f" · {md_escape(details)}" if details else "")
            )
            if event.text:
                st.caption(md_escape(_short(event.text)))
        with st.form(f"timeline_add_{key}", clear_on_submit=True, border=False):
            note = st.text_input("Add a note", key=f"timeline_note_{key}")
            left, right = st.columns(2)
            if left.form_submit_button("Add note") and note.strip():
                timeline.add_event(key, "note", date.today(), text=note.strip(), source="web")
                st.rerun()
            if right.form_submit_button("They replied today"):
                timeline.add_event(key, "replied", date.today(), source="web")
                st.rerun()


def _short(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
