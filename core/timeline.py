"""Each contact's relationship timeline: approved, sent, replied, notes, snoozes.

Approving a draft is not sending it: a `sent` event comes only from the user (a button,
`outreach sent`, or an import of what was sent). Events live in the workspace's SQLite
(`core.store`, migration `_m002_timeline`) and go when their contact is deleted.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Literal

from pydantic import BaseModel

from core import store
from core.config import Settings
from core.errors import InputError
from core.plan import Relationship

EventType = Literal["approved", "sent", "replied", "note", "snooze", "do_not_suggest"]
EVENT_TYPES: tuple[EventType, ...] = (
    "approved",
    "sent",
    "replied",
    "note",
    "snooze",
    "do_not_suggest",
)
#: Where a message went; free text is allowed, these are the ones the front ends offer.
CHANNELS = ("email", "linkedin", "other")


class TimelineEvent(BaseModel):
    id: int
    contact_key: str
    type: EventType
    on_date: date
    kind: str = ""
    channel: str = ""
    text: str = ""
    until: date | None = None
    draft_id: int | None = None
    source: str = ""
    created_at: str


def parse_day(value: str, option: str = "--date") -> date:
    """'2024-05-17' -> date; anything else is an InputError naming the option."""
    try:
        if len(value.strip()) == 10:
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise InputError(f"{option} {value!r} is not a date: write it as YYYY-MM-DD, like 2024-05-17")


def insert_event(
    conn: sqlite3.Connection,
    contact_key: str,
    type: EventType,
    on_date: date,
    *,
    kind: str = "",
    channel: str = "",
    text: str = "",
    until: date | None = None,
    draft_id: int | None = None,
    source: str = "",
    source_id: str | None = None,
) -> int | None:
    """Add one event on an open connection. Returns its id, or None for an import repeat."""
    cursor = conn.execute(
        "INSERT INTO events (contact_key, type, on_date, kind, channel, text, until, draft_id, "
        "source, source_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (contact_key, source_id) WHERE source_id IS NOT NULL DO NOTHING",
        (
            contact_key,
            type,
            on_date.isoformat(),
            kind,
            channel,
            text,
            until.isoformat() if until else None,
            draft_id,
            source,
            source_id,
            store.utc_now(),
        ),
    )
    return int(cursor.lastrowid or 0) if cursor.rowcount else None


def add_event(
    contact_key: str,
    type: EventType,
    on_date: date,
    settings: Settings | None = None,
    **fields: object,
) -> int | None:
    """Add one event for a saved contact (see `insert_event` for the fields)."""
    with store.connect(settings) as conn:
        if not conn.execute("SELECT 1 FROM contacts WHERE key = ?", (contact_key,)).fetchone():
            raise store.StoreError("that contact no longer exists: reload or import it first")
        return insert_event(conn, contact_key, type, on_date, **fields)  # type: ignore[arg-type]


def list_events(
    contact_key: str, settings: Settings | None = None, *, limit: int = 200
) -> list[TimelineEvent]:
    """A contact's timeline, newest first."""
    with store.connect(settings) as conn:
        rows = conn.execute(
            "SELECT * FROM events WHERE contact_key = ? ORDER BY on_date DESC, id DESC LIMIT ?",
            (contact_key, limit),
        ).fetchall()
    return [TimelineEvent.model_validate(dict(r)) for r in rows]


def events_between(
    start: date, end: date, types: tuple[EventType, ...], settings: Settings | None = None
) -> list[tuple[str, str, date]]:
    """(contact key, type, day) of every event of these types from start to end inclusive."""
    marks = ", ".join("?" * len(types))
    with store.connect(settings) as conn:
        rows = conn.execute(
            f"SELECT contact_key, type, on_date FROM events WHERE type IN ({marks}) "
            "AND on_date BETWEEN ? AND ? ORDER BY on_date",
            (*types, start.isoformat(), end.isoformat()),
        ).fetchall()
    return [(r[0], r[1], date.fromisoformat(r[2])) for r in rows]


def clear_holds(contact_key: str, settings: Settings | None = None) -> int:
    """Undo snoozes and "do not suggest" for a contact. Returns how many were removed."""
    with store.connect(settings) as conn:
        return conn.execute(
            "DELETE FROM events WHERE contact_key = ? AND type IN ('snooze', 'do_not_suggest')",
            (contact_key,),
        ).rowcount


def find_contact(name_or_email: str, settings: Settings | None = None) -> store.StoredContact:
    """The one saved contact with this email or name; a clear error when none or several."""
    wanted = name_or_email.strip()
    if not wanted:
        raise InputError("give a contact's name or email")
    with store.connect(settings) as conn:
        if "@" in wanted:
            rows = conn.execute(
                "SELECT * FROM contacts WHERE email = ?", (wanted.lower(),)
            ).fetchall()
        else:
            normalized = store.normalize_name(wanted)
            rows = conn.execute(
                "SELECT * FROM contacts WHERE name_key LIKE ? ESCAPE '\\'",
                (_like_prefix(normalized) + "|%",),
            ).fetchall()
    if len(rows) == 1:
        return store.row_to_contact(rows[0])
    if not rows:
        raise InputError(
            f"no saved contact named {wanted!r}: check the spelling with `outreach contacts list`, "
            "or import them with `outreach contacts import FILE`"
        )
    choices = "; ".join(
        f"{r['name']}{' (' + r['company'] + ')' if r['company'] else ''}"
        f"{' <' + r['email'] + '>' if r['email'] else ''}"
        for r in rows[:5]
    )
    raise InputError(f"{len(rows)} saved contacts match {wanted!r} ({choices}): use their email")


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def relationships(settings: Settings | None = None) -> list[Relationship]:
    """Every contact with the timeline facts the plan needs, in two queries."""
    with store.connect(settings) as conn:
        facts = {
            r["contact_key"]: r
            for r in conn.execute(
                """
                SELECT contact_key,
                    MAX(CASE WHEN type = 'sent' THEN on_date END) AS last_sent,
                    MIN(CASE WHEN type = 'sent' THEN on_date END) AS first_sent,
                    MAX(CASE WHEN type = 'replied' THEN on_date END) AS last_replied,
                    MAX(CASE WHEN type = 'approved' THEN on_date END) AS last_approved,
                    MAX(CASE WHEN type = 'snooze' THEN until END) AS snoozed_until,
                    MAX(type = 'do_not_suggest') AS do_not_suggest
                FROM events GROUP BY contact_key
                """
            )
        }
        rows = conn.execute("SELECT * FROM contacts ORDER BY created_at, key").fetchall()
    out = []
    for row in rows:
        key = row["key"]
        fact = facts.get(key)
        out.append(
            Relationship(
                key=key,
                contact=store.contact_of_row(row),
                added_on=_day(row["created_at"][:10]),
                last_sent=_day(fact["last_sent"]) if fact else None,
                first_sent=_day(fact["first_sent"]) if fact else None,
                last_replied=_day(fact["last_replied"]) if fact else None,
                last_approved=_day(fact["last_approved"]) if fact else None,
                snoozed_until=_day(fact["snoozed_until"]) if fact else None,
                do_not_suggest=bool(fact["do_not_suggest"]) if fact else False,
            )
        )
    return out
