"""Batch page: draft a whole CSV in the background, watch it, then review what was flagged."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import store
from core.kinds import Kind
from core.web import batch_runs
from core.web.draft_page import KIND_LABELS
from core.web.services import current_settings
from core.web.ui import errors_shown, md_escape, page_header

RUN = "batch_run_id"  # the run shown (a widget key); the store remembers every run
POLL_SECONDS = 1.5
REVIEW_LIMIT = 50
STATUS_TEXT = {
    "running": "Running",
    "done": "Finished",
    "stopped": "Stopped before the end: resume to draft the rest",
    "failed": "Failed",
}


def render() -> None:
    page_header(
        "Batch",
        "Draft one message per row of a CSV (or LinkedIn Connections.csv). The run continues "
        "in the background if you leave this page or reload; come back to review it.",
    )
    with errors_shown():
        _runs_section()


def _runs_section() -> None:
    settings = current_settings()
    with errors_shown():  # a rejected upload still leaves the earlier runs on screen
        _start_section(first=not store.list_batch_runs(settings, limit=1))
    runs = store.list_batch_runs(settings)
    if not runs:
        st.info("No batch runs yet — upload a CSV above to start one.")
        return
    by_id = {r.id: r for r in runs}
    if st.session_state.get(RUN) not in by_id:
        st.session_state[RUN] = runs[0].id
    st.selectbox(
        "Run",
        list(by_id),
        format_func=lambda i: (
            f"{by_id[i].started_at.replace('T', ' ')[:19]} · "
            f"{Path(by_id[i].input_path).name} · {by_id[i].status}"
        ),
        key=RUN,
    )
    run = by_id[st.session_state[RUN]]
    # Poll only while running; the fragment reruns alone, not the whole page.
    every = POLL_SECONDS if run.status == "running" else None
    st.fragment(run_every=every)(_run_view)(run.id)


def _start_section(*, first: bool) -> None:
    with st.expander("Start a new batch", expanded=first):
        st.caption(
            "One row per person: `name` (or first and last name) plus what you know "
            "(`their_work`, `notes`, `event`...). A `kind` column picks the message per row."
        )
        upload = st.file_uploader("Contacts file", type=["csv", "jsonl"], key="batch_upload")
        kind = st.selectbox(
            "Kind for rows without a `kind` column",
            list(Kind),
            format_func=lambda k: KIND_LABELS[k],
            key="batch_kind",
        )
        kind = kind or Kind.COMPLIMENT  # a selectbox with options always has a value
        if st.button("Start batch", type="primary", disabled=upload is None, key="batch_start"):
            assert upload is not None
            run = batch_runs.start_run(
                upload.name, upload.getvalue(), kind.value, current_settings()
            )
            st.session_state[RUN] = run.id  # before the selectbox exists on this run
            st.success(f"Started: {run.total_rows} rows.")


def _run_view(run_id: str) -> None:
    settings = current_settings()
    with errors_shown():
        run = store.get_batch_run(run_id, settings)
        if run is None:
            st.warning("That run is no longer recorded.")
            return
        was_running = run.status == "running"
        run = batch_runs.refresh(run, settings)
        if was_running and run.status != "running":
            st.rerun()  # the whole page, so polling stops and the review appears
        _status(run)
        if run.status == "running":
            return
        _review(run)


def _status(run: store.BatchRun) -> None:
    done = batch_runs.progress(run)
    text = STATUS_TEXT[run.status]
    st.progress(done.fraction, text=f"{text}: {done.done} of {done.total} rows")
    if done.counts:
        st.caption(" · ".join(f"{n} {status}" for status, n in sorted(done.counts.items())))
    if run.status == "running":
        if st.button("Stop", key=f"batch_stop_{run.id}"):
            batch_runs.stop(run)
            st.info("Stopping after the rows in progress...")
        return
    if run.status in {"stopped", "failed"}:
        if run.status == "failed":
            st.error("The batch command failed. Its last output:")
            st.code(batch_runs.log_tail(run) or "(no output)", language=None)
        if st.button("Resume", key=f"batch_resume_{run.id}", type="primary"):
            batch_runs.resume_run(run, current_settings())
            st.rerun()


def _review(run: store.BatchRun) -> None:
    output = Path(run.output_path)
    if output.is_file():
        st.download_button(
            "Download the drafts CSV",
            data=output.read_bytes(),
            file_name=f"drafts-{run.id}.csv",
            mime="text/csv",
            type="primary",
            key=f"batch_download_{run.id}",
        )
    queue = batch_runs.review_queue(run)
    st.subheader("Review queue")
    if not queue:
        st.success("Nothing to review: every row was drafted and passed its checks.")
        return
    st.caption(
        f"{len(queue)} rows need a look: flagged drafts failed a check; errors were not drafted. "
        "Fix the notes and redraft them on the Draft page."
    )
    for row in queue[:REVIEW_LIMIT]:
        icon = ":material/error:" if row.status == "flagged" else ":material/cancel:"
        with st.expander(f"{md_escape(row.name)} · {row.status}", icon=icon):
            if row.error:
                st.error(md_escape(row.error))
            if row.pitch_score:
                st.caption(f"Pitch score {row.pitch_score}")
            if row.draft:
                st.text(row.draft)
    if len(queue) > REVIEW_LIMIT:
        st.caption(f"...and {len(queue) - REVIEW_LIMIT} more in the CSV.")
