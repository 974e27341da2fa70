"""The relationship timeline in SQLite: the migration on an old workspace, events, cascades."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from core import store, timeline
from core.config import Settings
from core.contacts import Contact, contact_from_row
from core.errors import InputError
from tests.test_store import _draft


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"OUTREACH_HOME": str(tmp_path), "OUTREACH_BACKEND": "offline"})


def _old_workspace(settings: Settings) -> None:
    """A workspace made before the timeline existed: only the first migration applied."""
    settings.home.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(store.db_path(settings))
    conn.row_factory = sqlite3.Row
    saved = store.MIGRATIONS[:]
    try:
        store.MIGRATIONS[:] = saved[:1]
        store.migrate(conn)
        with conn:
            conn.execute(
                "INSERT INTO contacts (key, name_key, email, name, company, notes, private_notes, "
                "extra, created_at, updated_at) VALUES ('email:priya@example.com', "
                "'priya raman|stripe', 'priya@example.com', 'Priya Raman', 'Stripe', 'CRDT talk', "
                "'secret', '{\"email\": \"priya@example.com\"}', '2024-01-01T00:00:00+00:00', "
                "'2024-01-01T00:00:00+00:00')"
            )
            conn.execute(
                "INSERT INTO drafts (contact_key, contact_name, kind, text, status, backend, "
                "model, prompt_id, prompt_version, checks, approved_at) VALUES "
                "('email:priya@example.com', 'Priya Raman', 'compliment', 'Thank you', 'ok', "
                "'offline', 'offline-composer', 'compliment', '1', '{}', "
                "'2024-01-02T00:00:00+00:00')"
            )
    finally:
        store.MIGRATIONS[:] = saved
        conn.close()


def test_migration_on_an_existing_workspace_loses_nothing(settings: Settings) -> None:
    _old_workspace(settings)
    people = store.list_contacts(settings)  # the first connection applies _m002_timeline
    assert [p.contact.name for p in people] == ["Priya Raman"]
    priya = people[0].contact
    assert (priya.notes, priya.private_notes, priya.company) == ("CRDT talk", "secret", "Stripe")
    assert (priya.met_on, priya.tie, priya.cadence_days) == (None, None, None)
    assert priya.effective_tie == "weak" and priya.effective_cadence_days == 90
    assert [d.text for d in store.list_drafts(settings)] == ["Thank you"]
    with store.connect(settings) as conn:
        assert store.schema_version(conn) == len(store.MIGRATIONS) == 2
        names = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    assert names == {"_m001_initial", "_m002_timeline"}
    # And the timeline works on the migrated workspace.
    timeline.add_event("email:priya@example.com", "sent", date(2024, 3, 1), settings, kind="intro")
    assert [e.type for e in timeline.list_events("email:priya@example.com", settings)] == ["sent"]


def test_keep_in_touch_fields_round_trip_and_merge(settings: Settings) -> None:
    row = {"name": "Dana Whitfield", "met_on": "2024-05-02", "tie": "Close", "cadence_days": "21"}
    key, _ = store.upsert_contact(contact_from_row(row), settings)
    saved = store.get_contact(key, settings)
    assert saved is not None
    assert saved.contact.met_on == date(2024, 5, 2)
    assert (saved.contact.tie, saved.contact.cadence_days) == ("close", 21)
    # A re-import without those columns keeps them; one with new values updates them.
    store.import_contacts([Contact(name="Dana Whitfield", notes="book club")], settings)
    again = store.get_contact(key, settings)
    assert again is not None and again.contact.tie == "close" and again.contact.notes
    store.import_contacts([contact_from_row({"name": "Dana Whitfield", "tie": "weak"})], settings)
    weak = store.get_contact(key, settings)
    assert weak is not None and weak.contact.tie == "weak" and weak.contact.cadence_days == 21


def test_events_follow_a_key_change_and_go_with_a_deleted_contact(settings: Settings) -> None:
    key, _ = store.upsert_contact(Contact(name="Tom Lee", company="Initech"), settings)
    timeline.add_event(key, "sent", date(2024, 4, 1), settings, kind="intro", text="Hi Tom")
    timeline.add_event(key, "snooze", date(2024, 4, 2), settings, until=date(2024, 5, 1))
    # Gaining an email changes the key: the timeline moves with the person.
    store.import_contacts(
        [Contact(name="Tom Lee", company="Initech", extra={"email": "tom@initech.example"})],
        settings,
    )
    assert store.get_contact(key, settings) is None
    new_key = "email:tom@initech.example"
    assert [e.type for e in timeline.list_events(new_key, settings)] == ["snooze", "sent"]
    # An edit that changes the key keeps it too.
    edited = store.update_contact(new_key, Contact(name="Tom Lee", company="Globex"), settings)
    assert len(timeline.list_events(edited, settings)) == 2
    store.save_draft(_draft(), Contact(name="Tom Lee", company="Globex"), settings)
    types = {e.type for e in timeline.list_events(edited, settings)}
    assert types == {"snooze", "sent", "approved"}
    assert store.delete_contact(edited, settings)
    with store.connect(settings) as conn:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0


def test_approving_records_an_approved_event_not_a_sent_one(settings: Settings) -> None:
    contact = Contact(name="Priya Raman")
    key, _ = store.upsert_contact(contact, settings)
    draft_id = store.save_draft(_draft(), contact, settings, text="Edited by me.")
    events = timeline.list_events(key, settings)
    assert [(e.type, e.text, e.draft_id) for e in events] == [
        ("approved", "Edited by me.", draft_id)
    ]
    facts = timeline.relationships(settings)[0]
    assert facts.last_approved == date.today() and facts.last_sent is None
    # A typed contact that was never saved has no timeline to write to (and no error).
    store.save_draft(_draft(), Contact(name="Nobody Saved"), settings)
    with store.connect(settings) as conn:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1


def test_relationship_facts_aggregate_the_timeline(settings: Settings) -> None:
    key, _ = store.upsert_contact(Contact(name="Ada Obi"), settings)
    for day in (date(2024, 1, 5), date(2024, 3, 9)):
        timeline.add_event(key, "sent", day, settings, kind="compliment")
    timeline.add_event(key, "replied", date(2024, 3, 10), settings)
    timeline.add_event(key, "snooze", date(2024, 3, 11), settings, until=date(2024, 4, 1))
    timeline.add_event(key, "do_not_suggest", date(2024, 3, 12), settings)
    (facts,) = timeline.relationships(settings)
    assert (facts.first_sent, facts.last_sent) == (date(2024, 1, 5), date(2024, 3, 9))
    assert facts.last_replied == date(2024, 3, 10)
    assert facts.snoozed_until == date(2024, 4, 1) and facts.do_not_suggest
    assert timeline.clear_holds(key, settings) == 2
    (cleared,) = timeline.relationships(settings)
    assert cleared.snoozed_until is None and not cleared.do_not_suggest
    sent = timeline.events_between(date(2024, 1, 1), date(2024, 2, 1), ("sent",), settings)
    assert sent == [(key, "sent", date(2024, 1, 5))]


def test_find_contact_by_email_or_name(settings: Settings) -> None:
    store.import_contacts(
        [
            Contact(name="Priya Raman", extra={"email": "priya@example.com"}),
            Contact(name="Sam Park", company="Acme"),
            Contact(name="Sam Park", company="Initech"),
        ],
        settings,
    )
    assert timeline.find_contact("PRIYA@example.com", settings).contact.name == "Priya Raman"
    assert timeline.find_contact("  priya   raman ", settings).key == "email:priya@example.com"
    with pytest.raises(InputError, match=r"2 saved contacts match.*Acme.*Initech"):
        timeline.find_contact("Sam Park", settings)
    with pytest.raises(InputError, match="no saved contact named 'Zed'"):
        timeline.find_contact("Zed", settings)
    with pytest.raises(store.StoreError, match="no longer exists"):
        timeline.add_event("name:zed|", "sent", date(2024, 1, 1), settings)


def test_parse_day_names_the_option() -> None:
    assert timeline.parse_day("2024-05-17") == date(2024, 5, 17)
    for bad in ("17/05/2024", "2024-13-01", "tomorrow"):
        with pytest.raises(InputError, match=r"--today .* YYYY-MM-DD"):
            timeline.parse_day(bad, "--today")
