"""Outreach: drafts specific, honest networking messages that ask for nothing.

The Python API. The CLI (`outreach`) and the web app call only these:

    from core import Contact, draft_one, check_text, build_index
    draft = draft_one(Contact(name="Priya Raman", their_work="..."), "compliment")
    print(draft.text, draft.checks.is_pitch)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.config import Settings
from core.contacts import Contact, contact_from_row
from core.errors import (
    BackendError,
    ConfigError,
    FatalBackendError,
    IndexBusyError,
    IndexUnavailableError,
    InputError,
    OutreachError,
    PromptError,
)
from core.kinds import Kind, parse_kind
from core.models import CheckReport, Draft, PitchVerdict, Sender

if TYPE_CHECKING:
    from core.batch import BatchOptions, BatchSummary
    from core.service import IndexReport, OutreachService

__all__ = [
    "BackendError",
    "CheckReport",
    "ConfigError",
    "Contact",
    "Draft",
    "FatalBackendError",
    "IndexBusyError",
    "IndexUnavailableError",
    "InputError",
    "Kind",
    "OutreachError",
    "PitchVerdict",
    "PromptError",
    "Sender",
    "Settings",
    "build_index",
    "check_pitch",
    "check_text",
    "contact_from_row",
    "draft_batch",
    "draft_one",
    "get_service",
    "parse_kind",
]

_services: dict[Settings, OutreachService] = {}


def get_service(settings: Settings | None = None) -> OutreachService:
    """One service per settings per process, so the embedder and index load once."""
    from core.service import OutreachService

    settings = settings or Settings.from_env()
    if settings not in _services:
        _services[settings] = OutreachService(settings)
    return _services[settings]


def build_index(
    corpus_paths: Sequence[Path] = (),
    contacts: Iterable[Contact] = (),
    settings: Settings | None = None,
) -> IndexReport:
    return get_service(settings).build_index(corpus_paths, contacts)


def draft_one(
    contact: Contact,
    kind: Kind | str,
    sender: Sender | None = None,
    settings: Settings | None = None,
) -> Draft:
    return get_service(settings).draft(contact, kind, sender)


def check_text(
    text: str,
    kind: Kind | str,
    contact: Contact,
    sender: Sender | None = None,
    settings: Settings | None = None,
) -> CheckReport:
    """Every draft check on a text (for example one the user edited)."""
    return get_service(settings).check(text, kind, contact, sender)


def check_pitch(text: str, kind: str | None = None) -> PitchVerdict:
    """The disguised-pitch detector alone, on any message."""
    from evals.pitch import detect_pitch

    return detect_pitch(text, kind)


def draft_batch(
    input_path: Path,
    output_path: Path,
    options: BatchOptions | None = None,
    settings: Settings | None = None,
) -> BatchSummary:
    """Draft a CSV/JSONL/LinkedIn file of contacts into a CSV; resumable (see `core.batch`)."""
    from core.batch import run_batch

    return run_batch(input_path, output_path, options, service=get_service(settings))
