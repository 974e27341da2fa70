"""The SQLite store: migrations, contact identity on re-import, drafts and batch runs."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from core import store
from core.config import Settings
from core.contacts import Contact
from core.kinds import Kind
from core.models import CheckReport, CheckResult, Draft, PitchVerdict


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"OUTREACH_HOME": str(tmp_path), "OUTREACH_BACKEND": "offline"})


def _draft(text: str = "Hello Priya, thank you for the talk.") -> Draft:
    verdict = PitchVerdict(is_pitch=False, pitch_score=0.05)
    checks = CheckReport(
        is_pitch=False,
        pitch_score=0.05,
        pitch=verdict,
        results=[
            CheckResult(name="not_pitch", passed=True),
            CheckResult(name="grounded", passed=True),
        ],
    )
    return Draft(
        text=text,
        kind=Kind.COMPLIMENT,
        contact_name="Priya Raman",
        status="ok",
        backend="offline",
        model="offline-composer",
        prompt_id="compliment",
        prompt_version="1",
        checks=checks,
        label="offline",
    )


def test_migrations_create_schema_once_and_use_wal(settings: Settings) -> None:
    with store.connect(settings) as conn:
        assert store.schema_version(conn) == len(store.MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.connect(settings) as conn:  # a second connection applies nothing again
        assert store.schema_version(conn) == len(store.MIGRATIONS)
    assert store.db_path(settings) == settings.home / "outreach.db"


def test_concurrent_first_connections_migrate_once(settings: Settings) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            store.count_contacts(settings)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite3.connect(store.db_path(settings)) as conn:
        applied = conn.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0]
    assert applied == len(store.MIGRATIONS)


def test_reimport_updates_instead_of_duplicating(settings: Settings) -> None:
    first = [
        Contact(name="Priya Raman", company="Acme", notes="CRDT talk"),
        Contact(name="Tom Lee", role="PM"),
    ]
    assert store.import_contacts(first, settings).summary() == "2 added, 0 updated, 0 unchanged"
    again = store.import_contacts(first, settings)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    # Same person spelled differently: case, spacing and accents do not make a new contact.
    changed = [Contact(name="  priya   RAMAN ", company="acme", role="Staff engineer")]
    result = store.import_contacts(changed, settings)
    assert (result.added, result.updated) == (0, 1)
    people = store.list_contacts(settings)
    assert len(people) == 2
    priya = next(p for p in people if "priya" in p.contact.name.lower())
    # An empty imported cell never wipes what was saved before.
    assert priya.contact.notes == "CRDT talk"
    assert priya.contact.role == "Staff engineer"


def test_email_is_the_key_when_present(settings: Settings) -> None:
    a = Contact(name="Sam Park", extra={"Email Address": "Sam@Example.com"})
    b = Contact(name="Samuel Park", company="Initech", extra={"email": "sam@example.com"})
    other = Contact(name="Sam Park", extra={"Email Address": "other@example.com"})
    store.import_contacts([a], settings)
    result = store.import_contacts([b, other], settings)
    assert (result.added, result.updated) == (1, 1)
    keys = {p.key for p in store.list_contacts(settings)}
    assert keys == {"email:sam@example.com", "email:other@example.com"}


def test_private_notes_and_extra_round_trip(settings: Settings) -> None:
    contact = Contact(
        name="Ada Obi", private_notes="going through a hard time", extra={"url": "https://x.y/ada"}
    )
    key, outcome = store.upsert_contact(contact, settings)
    assert outcome == "added"
    saved = store.get_contact(key, settings)
    assert saved is not None
    assert saved.contact == contact


def test_search_and_filters(settings: Settings) -> None:
    store.import_contacts(
        [
            Contact(name="Priya Raman", company="Acme", their_work="CRDT talk"),
            Contact(name="Tom Lee", company="Initech"),
            Contact(name="Zoe Kim", company="Acme"),
        ],
        settings,
    )
    assert [p.contact.name for p in store.list_contacts(settings, search="crdt")] == ["Priya Raman"]
    assert [p.contact.name for p in store.list_contacts(settings, company="Acme")] == [
        "Priya Raman",
        "Zoe Kim",
    ]
    assert [p.contact.name for p in store.list_contacts(settings, has_notes=True)] == [
        "Priya Raman"
    ]
    assert len(store.list_contacts(settings, has_notes=False)) == 2
    assert store.list_companies(settings) == ["Acme", "Initech"]
    assert store.count_contacts(settings) == 3


def test_edit_and_delete(settings: Settings) -> None:
    key, _ = store.upsert_contact(Contact(name="Tom Lee", notes="hiking"), settings)
    other, _ = store.upsert_contact(Contact(name="Tom Lee", company="Initech"), settings)
    new_key = store.update_contact(key, Contact(name="Tom Lee", company="Globex"), settings)
    assert new_key != key
    edited = store.get_contact(new_key, settings)
    assert edited is not None and edited.contact.notes == ""  # an edit may clear a field
    with pytest.raises(store.StoreError, match="same name and company"):
        store.update_contact(new_key, Contact(name="Tom Lee", company="Initech"), settings)
    assert store.delete_contact(other, settings)
    assert not store.delete_contact(other, settings)
    assert store.count_contacts(settings) == 1
    with pytest.raises(store.StoreError):
        store.update_contact("name:nobody|", Contact(name="X"), settings)


def test_approved_drafts_history(settings: Settings) -> None:
    contact = Contact(name="Priya Raman")
    first = store.save_draft(_draft(), contact, settings)
    second = store.save_draft(_draft(), contact, settings, text="Edited by me.")
    assert second > first
    history = store.list_drafts(settings, contact_key=store.contact_key(contact))
    assert [d.text for d in history] == ["Edited by me.", "Hello Priya, thank you for the talk."]
    assert history[0].checks["results"] == {"not_pitch": True, "grounded": True}
    assert history[0].prompt_id == "compliment" and history[0].backend == "offline"


def test_batch_runs(settings: Settings, tmp_path: Path) -> None:
    run = store.BatchRun(
        id="r1",
        input_path=str(tmp_path / "in.csv"),
        output_path=str(tmp_path / "drafts.csv"),
        kind="intro",
        total_rows=3,
        pid=123,
        started_at="2024-01-01T00:00:00+00:00",
    )
    store.add_batch_run(run, settings)
    assert run.journal_path == tmp_path / "drafts.csv.journal.jsonl"
    store.finish_batch_run("r1", "done", 0, settings)
    saved = store.get_batch_run("r1", settings)
    assert saved is not None and saved.status == "done" and saved.exit_code == 0
    assert saved.finished_at
    assert [r.id for r in store.list_batch_runs(settings)] == ["r1"]
    assert store.get_batch_run("missing", settings) is None
