"""Open a batch row on the Draft page: read its checks, edit, draft again, approve.

The Draft page does all of that for one message already; a batch row becomes one such
message (its text checked afresh, so the reasons are in the same plain words), and a row
that was not drafted becomes the form filled in with what the batch read.
"""

from __future__ import annotations

import streamlit as st

from core.errors import InputError
from core.kinds import parse_kind
from core.models import OFFLINE_LABEL, Draft
from core.profile import load_profile
from core.web import draft_page
from core.web.batch_runs import ReviewRow
from core.web.services import service


def can_open(row: ReviewRow) -> bool:
    if row.contact is None or not row.kind:
        return False
    try:
        parse_kind(row.kind)
    except InputError:  # a bad kind in the file: the row's own error says so
        return False
    return True


def open_row(row: ReviewRow, run_id: str) -> None:
    """Put the row on the Draft page and go there."""
    assert row.contact is not None
    kind = parse_kind(row.kind)
    draft_page.prefill_form(row.contact, kind)
    if row.draft:
        report = service().check(row.draft, kind, row.contact, load_profile())
        draft = Draft(
            text=row.draft,
            kind=kind,
            contact_name=row.contact.name,
            status="ok" if report.passed else "flagged",
            backend=row.backend or "unknown",
            model="",
            prompt_id="",  # the journal keeps the text, not the prompt it came from
            prompt_version="",
            checks=report,
            label=OFFLINE_LABEL if row.backend == "offline" else "",
        )
        draft_page.open_draft(
            draft_page.DraftState(
                draft,
                row.contact,
                variant=0,
                typed=True,
                origin=f"From batch run {run_id}, row {row.index + 1}.",
            )
        )
    else:
        st.session_state.pop(draft_page.RESULT, None)
    draft_page.go_to_draft_page()
