"""The contact fields as widgets, shared by the Contacts and Draft pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from core.contacts import MAX_CADENCE_DAYS, Contact, contact_from_row
from core.kinds import Kind


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    help: str = ""
    multiline: bool = False


PUBLIC = (
    Field("name", "Name", "Required."),
    Field("role", "Role"),
    Field("company", "Company"),
    Field(
        "their_work",
        "Their work you admire",
        "The talk, post or project, as specifically as you can: drafts quote this.",
        multiline=True,
    ),
    Field("how_we_met", "How you met"),
    Field("event", "Event", "Where you met, for follow-ups (meetup, book club, conference...)."),
    Field("shared_interests", "Shared interests"),
    Field("notes", "Notes", "Anything else you know about them that a draft may use.", True),
)
PRIVATE = Field(
    "private_notes",
    "Private notes (never used in drafts)",
    "Kept in your workspace only: never sent to a model, never written into a draft.",
    multiline=True,
)


#: What each kind of message needs, shown first (in this order) in the compact layout;
#: the rest fold into "More details". A follow-up is built on the event and a shared moment.
ESSENTIAL = {
    Kind.COMPLIMENT: ("name", "their_work", "notes"),
    Kind.INTRO: ("name", "role", "company", "their_work", "notes"),
    Kind.FOLLOW_UP: ("name", "event", "how_we_met", "notes"),
}
#: Labels that say what a field is for in one kind of message (same widget, same key).
KIND_LABELS = {
    Kind.FOLLOW_UP: {
        "event": Field(
            "event",
            "Event where you met",
            "The meetup, book club, conference or hike: a follow-up names it.",
        ),
        "how_we_met": Field(
            "how_we_met",
            "A moment you shared there",
            "What you talked about or did together: the follow-up recalls it.",
        ),
    },
}


def contact_inputs(
    prefix: str,
    initial: Contact | None = None,
    *,
    private: bool = True,
    compact: bool = False,
    kind: Kind = Kind.COMPLIMENT,
) -> dict[str, str]:
    """Render one input per field (keys `prefix + field`) and return the values typed."""
    fields = (*PUBLIC, PRIVATE) if private else PUBLIC
    if not compact:
        return _inputs(fields, prefix, initial)
    relabel = KIND_LABELS.get(kind, {})
    by_name = {f.name: relabel.get(f.name, f) for f in fields}
    first = [by_name[name] for name in ESSENTIAL[kind] if name in by_name]
    rest = [f for name, f in by_name.items() if name not in ESSENTIAL[kind]]
    values = _inputs(first, prefix, initial)
    with st.expander("More details: " + ", ".join(f.label.lower() for f in rest)):
        values |= _inputs(rest, prefix, initial)
    return values


def _inputs(fields: Sequence[Field], prefix: str, initial: Contact | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in fields:
        start = str(getattr(initial, field.name)) if initial else ""
        if field.multiline:
            values[field.name] = st.text_area(
                field.label,
                value=start,
                key=prefix + field.name,
                help=field.help or None,
                height=90,
            )
            continue
        values[field.name] = st.text_input(
            field.label,
            value=start,
            key=prefix + field.name,
            help=field.help or None,
        )
    return values


def contact_from_inputs(
    values: Mapping[str, str], extra: Mapping[str, str] | None = None
) -> Contact:
    """Validate typed values into a Contact; raises InputError naming the field to fix."""
    contact = contact_from_row(dict(values))
    return contact.model_copy(update={"extra": dict(extra or {})}) if extra else contact


TIES = ("weak", "close")


def keep_in_touch_inputs(prefix: str, initial: Contact | None = None) -> dict[str, str]:
    """When you met, how close you are, how often to write; as strings for contact_from_row."""
    left, middle, right = st.columns(3)
    met = left.date_input(
        "Met on",
        value=initial.met_on if initial else None,
        key=prefix + "met_on",
        help="The day of the event or first meeting: a follow-up is suggested for 14 days.",
        format="YYYY-MM-DD",
    )
    tie = middle.selectbox(
        "Tie",
        TIES,
        index=TIES.index(initial.effective_tie) if initial else 0,
        key=prefix + "tie",
        help="Close ties go quiet after 30 days, weak ones after 90, unless you set the days.",
    )
    days = right.number_input(
        "Write every (days)",
        min_value=1,
        max_value=MAX_CADENCE_DAYS,
        value=initial.cadence_days if initial else None,
        step=1,
        key=prefix + "cadence_days",
        placeholder="30 close / 90 weak",
    )
    return keep_in_touch_values(met, tie, days)


def keep_in_touch_values(met: object, tie: object, days: object) -> dict[str, str]:
    return {
        "met_on": met.isoformat() if isinstance(met, date) else "",
        "tie": str(tie or ""),
        "cadence_days": str(int(days)) if isinstance(days, int | float) else "",
    }
