"""Import a contacts file into the workspace: the same path for the CLI and the web app."""

from __future__ import annotations

from pathlib import Path

from core import store
from core.batch_input import read_batch_input
from core.config import Settings
from core.contacts import contact_from_row
from core.errors import InputError


def import_contacts_file(path: Path, settings: Settings | None = None) -> store.ImportResult:
    """Upsert every usable row of a project CSV, LinkedIn Connections.csv or JSONL file.

    The same person again (same email, or same name and company) is updated, never added
    twice; an unusable row becomes a "line N: ..." message and the rest are imported.
    """
    batch = read_batch_input(path)
    contacts, skipped = [], []
    for row in batch.rows:
        if row.error:  # already says which line
            skipped.append(row.error)
            continue
        try:
            contacts.append(contact_from_row(row.values))
        except InputError as exc:
            skipped.append(f"line {row.line}: {exc}")
    return store.import_contacts(contacts, settings, skipped=skipped)
