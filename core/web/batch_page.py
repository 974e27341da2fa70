"""Batch page: draft a whole CSV in the background, watch it, then review what was flagged."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from core import store
from core.kinds import Kind
from core.web import batch_review, batch_runs, browser
from core.web.draft_page import KIND_LABELS
from core.web.services import current_settings
from core.web.ui import errors_shown, md_escape, page_header

RUN = "batch_run_id"  # the run this session shows; the store remembers every run
POLL_SECONDS = 1.5
REVIEW_LIMIT = 50
STATUS_TEXT = {
    "running": "Running",
    "done": "Finished",
    "stopped": "Stopped before the end: resume to draft the rest",
    "failed": "Failed",
}
#: A run's state in the picker, in a word or two.
PICKER_TEXT = {"running": "running", "done": "finished", "stopped": "stopped", "failed": "failed"}
#: A row's outcome, as the review list says it.
ROW_TEXT = {"ok": "passed its checks", "flagged": "flagged", "error": "not drafted"}
ROW_ICON = {
    "ok": ":material/check_circle:",
    "flagged": ":material/error:",
    "error": ":material/cancel:",
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
    # Each run's state is read afresh before the picker is drawn, so it never says
    # "running" about a run whose process has ended.
    runs = [batch_runs.refresh(r, settings) for r in store.list_batch_runs(settings)]
    if not runs:
        st.info("No batch runs yet — upload a CSV above to start one.")
        return
    by_id = {r.id: r for r in runs}
    if st.session_state.get(RUN) not in by_id:
        st.session_state[RUN] = runs[0].id
    ids = list(by_id)
    # No widget key: a keyed selectbox keeps its identity when its labels change, and the
    # browser then went on showing the label it had ("running" after the run finished).
    # Unkeyed, new labels make a new widget, drawn at the run this session shows.
    st.session_state[RUN] = st.selectbox(
        "Run",
        ids,
        index=ids.index(st.session_state[RUN]),
        format_func=lambda i: (
            f"{by_id[i].started_at.replace('T', ' ')[:19]} · "
            f"{Path(by_id[i].input_path).name} · {PICKER_TEXT.get(by_id[i].status, by_id[i].status)}"
        ),
    )
    run = by_id[st.session_state[RUN]]
    _status(run)
    if run.status == "running":
        # The whole page reruns to follow the run: no fragment, so the review drawn at the
        # end is an ordinary page whose buttons always work.
        browser.rerun_after(POLL_SECONDS, token=f"{run.id}:{time.monotonic_ns()}")
        return
    _review(run)


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
    rows = batch_runs.all_rows(run)
    st.subheader("Drafts")
    if not rows:
        st.info("No rows were drafted in this run.")
        return
    needing = sum(1 for r in rows if r.status != "ok")
    st.caption(
        f"{len(rows)} rows; {needing} need a look (flagged drafts failed a check; rows not "
        "drafted have the reason). Open any row on the Draft page to see its checks, edit "
        "it, draft another version and approve it."
    )
    show = st.radio(
        "Show",
        ["Needing a look", "All rows"],
        index=0 if needing else 1,
        horizontal=True,
        key=f"batch_filter_{run.id}",
    )
    listed = [r for r in rows if show == "All rows" or r.status != "ok"]
    for row in listed[:REVIEW_LIMIT]:
        label = f"{md_escape(row.name)} · {ROW_TEXT.get(row.status, row.status)}"
        with st.expander(label, icon=ROW_ICON.get(row.status)):
            if row.status == "error" and row.error:
                st.error(md_escape(row.error))
            elif row.status == "flagged":
                st.caption("Some checks flagged this draft: open it to see why and fix it.")
            if row.draft:
                st.text(row.draft)
            if batch_review.can_open(row):
                opened = st.button(
                    "Open on the Draft page" if row.draft else "Draft it on the Draft page",
                    key=f"batch_open_{run.id}_{row.index}",
                    icon=":material/edit:",
                )
                if opened:
                    batch_review.open_row(row, run.id)
    if len(listed) > REVIEW_LIMIT:
        st.caption(f"...and {len(listed) - REVIEW_LIMIT} more in the CSV.")
