"""The workspace's SQLite store: contacts, approved drafts, batch runs and the timeline tables.

One connection per call, because Streamlit runs each script run in its own thread and a
sqlite3 connection belongs to the thread that opened it. WAL mode lets a reader (a page
polling batch runs) and a writer (an import) work at the same time. The schema grows
through plain migration functions, recorded in `_migrations` (like simonw/llm).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from core.config import Settings
from core.contacts import RELATIONSHIP_FIELDS, TEXT_FIELDS, Contact, contact_email
from core.errors import OutreachError
from core.models import Draft

DB_FILE = "outreach.db"
_CONTACT_FIELDS = TEXT_FIELDS


class StoreError(OutreachError):
    """A store operation the user can fix (for example an edit that would merge two people)."""


# -- typed rows ------------------------------------------------------------------------


class StoredContact(BaseModel):
    key: str
    contact: Contact
    created_at: str
    updated_at: str


class ImportResult(BaseModel):
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", {self.skipped} skipped" if self.skipped else "")


class ApprovedDraft(BaseModel):
    id: int
    contact_key: str
    contact_name: str
    kind: str
    text: str
    status: str
    backend: str
    model: str
    label: str
    prompt_id: str
    prompt_version: str
    checks: dict[str, object]
    approved_at: str


RunStatus = Literal["running", "done", "failed", "stopped"]


class BatchRun(BaseModel):
    id: str
    input_path: str
    output_path: str
    kind: str
    total_rows: int
    pid: int | None
    started_at: str
    finished_at: str | None = None
    status: RunStatus = "running"
    exit_code: int | None = None

    @property
    def journal_path(self) -> Path:
        """The batch CLI's journal: OUTPUT + '.journal.jsonl'."""
        output = Path(self.output_path)
        return output.with_name(output.name + ".journal.jsonl")


# -- connection and migrations ---------------------------------------------------------


def db_path(settings: Settings | None = None) -> Path:
    return (settings or Settings.from_env()).home / DB_FILE


@contextmanager
def connect(settings: Settings | None = None) -> Iterator[sqlite3.Connection]:
    """A migrated connection that commits on success and always closes."""
    path = db_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)
    conn.row_factory = sqlite3.Row
    try:
        with _SETUP_LOCK:
            _prepare(conn)
        with conn:
            yield conn
    finally:
        conn.close()


#: One thread at a time sets a connection up: first connections racing to switch the
#: journal mode and migrate made SQLite answer "database is locked" at once, without
#: waiting for its busy timeout (seen under load with eight threads).
_SETUP_LOCK = threading.Lock()


def _is_locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


# Another process may hold the lock for the same reason; the setup is idempotent.
@retry(
    retry=retry_if_exception(_is_locked),
    stop=stop_after_attempt(8),
    wait=wait_random_exponential(multiplier=0.05, max=1.0),
    reraise=True,
)
def _prepare(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits first, which would break the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _m001_initial(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE contacts (
            key TEXT PRIMARY KEY,
            name_key TEXT NOT NULL,
            email TEXT,
            name TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            how_we_met TEXT NOT NULL DEFAULT '',
            their_work TEXT NOT NULL DEFAULT '',
            shared_interests TEXT NOT NULL DEFAULT '',
            event TEXT NOT NULL DEFAULT '',
            private_notes TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX contacts_name_key ON contacts (name_key);
        CREATE INDEX contacts_email ON contacts (email);
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            contact_key TEXT NOT NULL,
            contact_name TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            prompt_id TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            checks TEXT NOT NULL,
            approved_at TEXT NOT NULL
        );
        CREATE INDEX drafts_contact ON drafts (contact_key);
        CREATE TABLE batch_runs (
            id TEXT PRIMARY KEY,
            input_path TEXT NOT NULL,
            output_path TEXT NOT NULL,
            kind TEXT NOT NULL,
            total_rows INTEGER NOT NULL,
            pid INTEGER,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            exit_code INTEGER
        );
        """,
    )


def _m002_timeline(conn: sqlite3.Connection) -> None:
    """Keep-in-touch fields on contacts, and one timeline of events per contact.

    Events follow their contact: a key change (a contact gaining an email) moves them, a
    deleted contact takes them along. `source_id` makes re-importing an export idempotent.
    """
    _run_script(
        conn,
        """
        ALTER TABLE contacts ADD COLUMN met_on TEXT;
        ALTER TABLE contacts ADD COLUMN tie TEXT;
        ALTER TABLE contacts ADD COLUMN cadence_days INTEGER;
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            contact_key TEXT NOT NULL
                REFERENCES contacts (key) ON DELETE CASCADE ON UPDATE CASCADE,
            type TEXT NOT NULL CHECK (
                type IN ('approved', 'sent', 'replied', 'note', 'snooze', 'do_not_suggest')
            ),
            on_date TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            until TEXT,
            draft_id INTEGER,
            source TEXT NOT NULL DEFAULT '',
            source_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX events_contact ON events (contact_key, type, on_date);
        CREATE INDEX events_date ON events (type, on_date);
        CREATE UNIQUE INDEX events_source ON events (contact_key, source_id)
            WHERE source_id IS NOT NULL
        """,
    )


#: Append only: a released migration is never edited, a change is a new function.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001_initial, _m002_timeline]


def schema_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    return conn.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the migrations not yet recorded, each in its own transaction."""
    schema_version(conn)
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    for migration in MIGRATIONS:
        if migration.__name__ in done:
            continue
        with conn:
            # BEGIN IMMEDIATE: two first runs at once must not both create the tables.
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute(
                "SELECT 1 FROM _migrations WHERE name = ?", (migration.__name__,)
            ).fetchone():
                continue
            migration(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (migration.__name__, utc_now()),
            )


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- contact identity --------------------------------------------------------------------


def normalize_name(text: str) -> str:
    """'  José  García, Jr.' -> 'jose garcia jr': case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def name_key(contact: Contact) -> str:
    return f"{normalize_name(contact.name)}|{normalize_name(contact.company)}"


def contact_key(contact: Contact) -> str:
    """The stable identity: the email when there is one, else name + company."""
    email = contact_email(contact)
    return f"email:{email}" if email else f"name:{name_key(contact)}"


# -- contacts ----------------------------------------------------------------------------


def contact_of_row(row: sqlite3.Row) -> Contact:
    fields: dict[str, object] = {f: row[f] for f in _CONTACT_FIELDS}
    fields |= {f: row[f] for f in RELATIONSHIP_FIELDS if row[f] is not None}
    return Contact.model_validate({**fields, "extra": json.loads(row["extra"] or "{}")})


def row_to_contact(row: sqlite3.Row) -> StoredContact:
    return StoredContact(
        key=row["key"],
        contact=contact_of_row(row),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _find(conn: sqlite3.Connection, contact: Contact) -> sqlite3.Row | None:
    """An existing row for this person: by email first, then by name + company."""
    email = contact_email(contact)
    if email:
        row = conn.execute("SELECT * FROM contacts WHERE email = ?", (email,)).fetchone()
        if row:
            return row
    # A row with a different email is a different person who shares a name.
    return conn.execute(
        "SELECT * FROM contacts WHERE name_key = ? AND (email IS NULL OR email = '' OR ? = '')",
        (name_key(contact), email),
    ).fetchone()


def _merge(old: Contact, new: Contact) -> Contact:
    """Imported values fill and refresh fields, but an empty cell never wipes saved notes."""
    data = old.model_dump()
    for field in _CONTACT_FIELDS:
        value = getattr(new, field)
        if value:
            data[field] = value
    for field in RELATIONSHIP_FIELDS:
        if getattr(new, field) is not None:
            data[field] = getattr(new, field)
    data["extra"] = {**old.extra, **new.extra}
    return Contact(**data)


_STORED_COLUMNS = (
    "key", "name_key", "email", *_CONTACT_FIELDS, *RELATIONSHIP_FIELDS,
    "extra", "created_at", "updated_at",
)  # fmt: skip


def _write(conn: sqlite3.Connection, key: str, contact: Contact, created_at: str) -> None:
    # An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the delete
    # would cascade to the contact's timeline.
    met_on = contact.met_on.isoformat() if contact.met_on else None
    values = (
        key,
        name_key(contact),
        contact_email(contact) or None,
        *(getattr(contact, f) for f in _CONTACT_FIELDS),
        met_on,
        contact.tie,
        contact.cadence_days,
        json.dumps(contact.extra, ensure_ascii=False, sort_keys=True),
        created_at,
        utc_now(),
    )
    updates = ", ".join(f"{c} = excluded.{c}" for c in _STORED_COLUMNS if c != "created_at")
    conn.execute(
        f"INSERT INTO contacts ({', '.join(_STORED_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_STORED_COLUMNS))}) "
        f"ON CONFLICT (key) DO UPDATE SET {updates}",
        values,
    )


def _rekey(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Move a contact to a new key; its timeline follows (ON UPDATE CASCADE), drafts too."""
    conn.execute("UPDATE contacts SET key = ? WHERE key = ?", (new, old))
    conn.execute("UPDATE drafts SET contact_key = ? WHERE contact_key = ?", (new, old))


def upsert_contact(
    contact: Contact, settings: Settings | None = None
) -> tuple[str, Literal["added", "updated", "unchanged"]]:
    """Add a contact or merge it into the same person already saved. Returns (key, outcome)."""
    with connect(settings) as conn:
        return upsert_on(conn, contact)


def upsert_on(
    conn: sqlite3.Connection, contact: Contact
) -> tuple[str, Literal["added", "updated", "unchanged"]]:
    """`upsert_contact` on an open connection, inside the caller's transaction."""
    row = _find(conn, contact)
    if row is None:
        key = contact_key(contact)
        _write(conn, key, contact, utc_now())
        return key, "added"
    old = row_to_contact(row).contact
    merged = _merge(old, contact)
    if merged == old:
        return row["key"], "unchanged"
    # Gaining an email upgrades the key; drafts keep pointing at the person.
    key = contact_key(merged)
    if key != row["key"]:
        _rekey(conn, row["key"], key)
    _write(conn, key, merged, row["created_at"])
    return key, "updated"


def import_contacts(
    contacts: Iterable[Contact], settings: Settings | None = None, *, skipped: Iterable[str] = ()
) -> ImportResult:
    """Upsert many contacts in one transaction; `skipped` are messages for unusable rows."""
    result = ImportResult(errors=list(skipped))
    result.skipped = len(result.errors)
    with connect(settings) as conn:
        for contact in contacts:
            _, outcome = upsert_on(conn, contact)
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def get_contact(key: str, settings: Settings | None = None) -> StoredContact | None:
    with connect(settings) as conn:
        row = conn.execute("SELECT * FROM contacts WHERE key = ?", (key,)).fetchone()
    return row_to_contact(row) if row else None


def update_contact(key: str, contact: Contact, settings: Settings | None = None) -> str:
    """Replace a saved contact's fields (an edit, so empty values do clear). Returns the new key."""
    with connect(settings) as conn:
        row = conn.execute("SELECT * FROM contacts WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise StoreError("that contact no longer exists: reload the page")
        new_key = contact_key(contact)
        if new_key != key:
            clash = conn.execute("SELECT name FROM contacts WHERE key = ?", (new_key,)).fetchone()
            if clash:
                raise StoreError(
                    f"another saved contact ({clash['name']}) has the same name and company or email: "
                    "edit or delete that one instead"
                )
            _rekey(conn, key, new_key)
        _write(conn, new_key, contact, row["created_at"])
    return new_key


def delete_contact(key: str, settings: Settings | None = None) -> bool:
    """Delete a contact with its whole timeline (events cascade) and approved drafts."""
    with connect(settings) as conn:
        conn.execute("DELETE FROM drafts WHERE contact_key = ?", (key,))
        return conn.execute("DELETE FROM contacts WHERE key = ?", (key,)).rowcount > 0


def list_contacts(
    settings: Settings | None = None,
    *,
    search: str = "",
    company: str | None = None,
    has_notes: bool | None = None,
    limit: int = 1000,
) -> list[StoredContact]:
    """Contacts by name; `search` matches any text field (case-insensitive substring)."""
    where: list[str] = []
    params: list[object] = []
    if search.strip():
        like = f"%{search.strip().lower()}%"
        fields = ("name", "role", "company", "notes", "their_work", "event", "shared_interests")
        where.append("(" + " OR ".join(f"lower({f}) LIKE ?" for f in fields) + ")")
        params += [like] * len(fields)
    if company:
        where.append("company = ?")
        params.append(company)
    notes_present = "(notes != '' OR their_work != '' OR how_we_met != '' OR event != '' OR shared_interests != '')"
    if has_notes is True:
        where.append(notes_present)
    elif has_notes is False:
        where.append(f"NOT {notes_present}")
    sql = "SELECT * FROM contacts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY lower(name), lower(company) LIMIT ?"
    with connect(settings) as conn:
        rows = conn.execute(sql, [*params, limit]).fetchall()
    return [row_to_contact(r) for r in rows]


def count_contacts(settings: Settings | None = None) -> int:
    with connect(settings) as conn:
        return conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]


def list_companies(settings: Settings | None = None) -> list[str]:
    with connect(settings) as conn:
        rows = conn.execute(
            "SELECT DISTINCT company FROM contacts WHERE company != '' ORDER BY lower(company)"
        ).fetchall()
    return [r[0] for r in rows]


# -- approved drafts ---------------------------------------------------------------------


def save_draft(
    draft: Draft, contact: Contact, settings: Settings | None = None, *, text: str | None = None
) -> int:
    """Record an approved draft; `text` is the user's edited version when it differs."""
    checks = {
        "passed": draft.checks.passed,
        "is_pitch": draft.checks.is_pitch,
        "pitch_score": round(draft.checks.pitch_score, 4),
        "results": {r.name: r.passed for r in draft.checks.results},
        "reasons": draft.checks.failure_reasons(),
    }
    key = contact_key(contact)
    with connect(settings) as conn:
        cursor = conn.execute(
            "INSERT INTO drafts (contact_key, contact_name, kind, text, status, backend, model, "
            "label, prompt_id, prompt_version, checks, approved_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                contact.name,
                draft.kind.value,
                draft.text if text is None else text,
                draft.status,
                draft.backend,
                draft.model,
                draft.label,
                draft.prompt_id,
                draft.prompt_version,
                json.dumps(checks),
                utc_now(),
            ),
        )
        draft_id = int(cursor.lastrowid or 0)
        if conn.execute("SELECT 1 FROM contacts WHERE key = ?", (key,)).fetchone():
            # On the saved contact's timeline too: approved, not yet sent.
            from core.timeline import insert_event

            insert_event(
                conn, key, "approved", date.today(), kind=draft.kind.value,
                text=draft.text if text is None else text, draft_id=draft_id, source="approve",
            )  # fmt: skip
        return draft_id


def list_drafts(
    settings: Settings | None = None, *, contact_key: str | None = None, limit: int = 100
) -> list[ApprovedDraft]:
    sql = "SELECT * FROM drafts"
    params: list[object] = []
    if contact_key:
        sql += " WHERE contact_key = ?"
        params.append(contact_key)
    sql += " ORDER BY id DESC LIMIT ?"
    with connect(settings) as conn:
        rows = conn.execute(sql, [*params, limit]).fetchall()
    return [ApprovedDraft(**{**dict(r), "checks": json.loads(r["checks"] or "{}")}) for r in rows]


# -- batch runs --------------------------------------------------------------------------


def add_batch_run(run: BatchRun, settings: Settings | None = None) -> None:
    with connect(settings) as conn:
        conn.execute(
            "INSERT INTO batch_runs (id, input_path, output_path, kind, total_rows, pid, "
            "started_at, finished_at, status, exit_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.id,
                run.input_path,
                run.output_path,
                run.kind,
                run.total_rows,
                run.pid,
                run.started_at,
                run.finished_at,
                run.status,
                run.exit_code,
            ),
        )


def finish_batch_run(
    run_id: str, status: RunStatus, exit_code: int | None = None, settings: Settings | None = None
) -> None:
    with connect(settings) as conn:
        conn.execute(
            "UPDATE batch_runs SET status = ?, exit_code = ?, finished_at = ? WHERE id = ?",
            (status, exit_code, utc_now(), run_id),
        )


def restart_batch_run(run_id: str, pid: int, settings: Settings | None = None) -> None:
    """A resumed run: the same record, running again under a new process."""
    with connect(settings) as conn:
        conn.execute(
            "UPDATE batch_runs SET status = 'running', pid = ?, exit_code = NULL, "
            "finished_at = NULL WHERE id = ?",
            (pid, run_id),
        )


def get_batch_run(run_id: str, settings: Settings | None = None) -> BatchRun | None:
    with connect(settings) as conn:
        row = conn.execute("SELECT * FROM batch_runs WHERE id = ?", (run_id,)).fetchone()
    return BatchRun(**dict(row)) if row else None


def list_batch_runs(settings: Settings | None = None, *, limit: int = 20) -> list[BatchRun]:
    with connect(settings) as conn:
        rows = conn.execute(
            "SELECT * FROM batch_runs ORDER BY started_at DESC, rowid DESC LIMIT ?", (limit,)
        ).fetchall()
    return [BatchRun(**dict(r)) for r in rows]
