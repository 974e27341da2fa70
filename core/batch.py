"""Batch drafting that never loses a row.

Rows are drafted concurrently; each finished row is appended to a journal at once, keyed
by a stable row id, so a killed run resumes where it stopped and nothing is drafted twice.
A row that cannot be drafted gets status "error" with a message saying what to fix; a
failure no retry can fix (bad key, exhausted quota) stops the run, keeping what was done.
The output is written atomically, in input order, with every input column passed through
except private notes (unless kept on purpose); cells a spreadsheet would run as formulas are
neutralised (`core.csv_out`), and their original values kept in the journal.

Nothing grows with the number of rows but a row id -> journal offset map: the input is
streamed (`core.batch_input`), rows are prepared a chunk at a time (`core.batch_workers`),
and the output is written from the input and the journal (`core.batch_output`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from core.batch_input import BatchSource, InputRow, scan_batch_input
from core.batch_output import OUTPUT_COLUMNS, kept_columns, write_output
from core.batch_workers import QUEUE_ROWS, RunStopped, run_workers
from core.batch_workers import RequestSlots as _RequestSlots
from core.check_pool import CheckPool
from core.contacts import Contact, contact_from_row, normalize_column
from core.errors import FatalBackendError, InputError
from core.formulas import looks_like_formula
from core.journal import Journal
from core.kinds import Kind, parse_kind
from core.models import Sender
from core.ratelimit import RateGovernor

if TYPE_CHECKING:
    from core.drafting import Checker
    from core.service import OutreachService


class ProgressSink(Protocol):
    """What a front end shows while a batch runs. Its rate is the summary's, as it stands
    (`BatchSummary.drafts_per_minute`), so the two can never disagree."""

    def start(self, total: int, already_done: int) -> None: ...

    def advance(self, status: str, drafts_per_minute: float) -> None: ...

    def finish(self, summary: BatchSummary) -> None: ...


@dataclass
class BatchOptions:
    default_kind: str | None = None
    concurrency: int = 4
    rpm: float | None = None
    tpm: float | None = None
    resume: bool = True
    journal_path: Path | None = None
    sender: Sender | None = None
    #: Write cells exactly as they are, formulas included (`--raw-csv`).
    raw_csv: bool = False
    #: Keep the `private_notes` column in the output (`--keep-private-notes`).
    keep_private_notes: bool = False
    #: Processes that run the checks beside the drafting one (`core.check_pool`, for LLM
    #: batches); 0: in the drafting process's own threads (`--check-processes`).
    check_processes: int = 0


@dataclass
class BatchSummary:
    total: int = 0
    done: int = 0  # finished in this run
    skipped: int = 0  # already done by an earlier run (resumed)
    ok: int = 0
    flagged: int = 0
    errors: int = 0
    retries: int = 0
    elapsed_s: float = 0.0  # since the run started; kept current while it runs
    stopped_reason: str | None = None
    not_run: int = 0
    output_path: Path | None = None
    journal_path: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def drafts_per_minute(self) -> float:
        """The one rate: rows finished in this run per minute since it started."""
        return self.done / self.elapsed_s * 60 if self.elapsed_s > 0 else 0.0


def default_journal_path(output: Path) -> Path:
    return output.with_name(output.name + ".journal.jsonl")


def _row_hash(row: InputRow, default_kind: str | None) -> str:
    """What a journal record was made from: a changed row (same id) is drafted again."""
    payload = json.dumps([row.values, default_kind], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _row_kind(row: InputRow, default_kind: str | None) -> Kind:
    given = next(
        (v for k, v in row.values.items() if normalize_column(k) == "kind" and v.strip()), ""
    )
    if not given and not default_kind:
        raise InputError("row has no kind: fill in the `kind` column or pass --kind")
    return parse_kind(given or default_kind or "")


def _error_record(row: InputRow, message: str, *, retryable: bool = False) -> dict[str, Any]:
    return {
        "row_id": row.row_id,
        "index": row.index,
        "status": "error",
        "draft": "",
        "error": message,
        "is_pitch": "",
        "pitch_score": "",
        "backend": "",
        "retryable": retryable,
    }


class _Counter:
    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self, _exc: BaseException | None = None, _wait: float = 0.0) -> None:
        with self._lock:
            self.value += 1


def _resolve_backend(
    service: OutreachService,
    governor: RateGovernor,
    retries: _Counter,
    slots: _RequestSlots,
) -> tuple[Any, bool]:
    """The service's backend wired to this run's governor, retry counter and request
    slots; and whether the slots bound its requests (then workers may outnumber them)."""
    backend = service.backend
    if backend is None:
        return None, False
    from core.backends.openai_chat import OpenAIChatBackend

    if isinstance(backend, OpenAIChatBackend):
        return backend.with_hooks(limiter=governor, on_retry=retries.add, slots=slots), True
    return backend, False


#: A row ready to draft: the row, the hash of what it was made from, its contact and kind.
Ready = tuple[InputRow, str, Contact, Kind]


def run_batch(
    input_path: Path,
    output_path: Path,
    options: BatchOptions | None = None,
    *,
    service: OutreachService | None = None,
    progress: ProgressSink | None = None,
    stop_event: threading.Event | None = None,
) -> BatchSummary:
    """Draft every row of a file; memory stays flat however many rows it has (the input
    is streamed, finished rows live in the journal, the output is written from both)."""
    from core import get_service
    from evals.checks import run_checks

    options = options or BatchOptions()
    if options.default_kind:
        parse_kind(options.default_kind)  # a bad --kind is one clear error before any work
    service = service or get_service()
    source = scan_batch_input(Path(input_path))
    output_path = Path(output_path)
    if output_path.resolve() == Path(input_path).resolve():
        raise InputError("the output file would overwrite the input: choose another -o path")
    journal = Journal(options.journal_path or default_journal_path(output_path))
    if not options.resume:
        journal.archive()
    # Row id -> journal offset of the record each output row shows.
    results = _resumable(source, journal, options.default_kind)
    summary = BatchSummary(total=source.total, skipped=len(results))
    summary.output_path, summary.journal_path = output_path, journal.path
    if progress:
        progress.start(summary.total, summary.skipped)

    governor = RateGovernor(options.rpm, options.tpm)
    retries = _Counter()
    started = time.monotonic()
    stop = stop_event or threading.Event()
    lock = threading.Lock()
    kept = set(kept_columns(source.columns, options.keep_private_notes))

    def record_row(row: InputRow, input_hash: str, record: dict[str, Any]) -> None:
        record = {**record, "input_hash": input_hash}
        # The output neutralises formula cells; the journal keeps what the file said.
        originals = {
            c: v for c, v in row.values.items() if c in kept and v and looks_like_formula(v)
        }
        if originals:
            record["raw_cells"] = originals
        offset = journal.append(record)
        with lock:
            results[row.row_id] = offset
            summary.done += 1
            status = record["status"]
            if status == "ok":
                summary.ok += 1
            elif status == "flagged":
                summary.flagged += 1
            else:
                summary.errors += 1
            summary.elapsed_s = time.monotonic() - started
            rate = summary.drafts_per_minute
        if progress:
            progress.advance(status, rate)

    pool: CheckPool | None = None
    check: Checker = run_checks
    journal.open()
    try:
        # `--concurrency` bounds the requests in flight. A row also retrieves and checks on
        # this machine; with twice as many workers as request slots, that local work
        # overlaps other rows' requests instead of holding a slot idle.
        slots = _RequestSlots(options.concurrency, stop)
        backend, slotted = _resolve_backend(service, governor, retries, slots)
        workers = options.concurrency * (2 if slotted else 1)
        todo = source.total - summary.skipped
        if todo and slotted and options.check_processes > 0:
            pool = CheckPool(options.check_processes)
            check = pool
        if todo:
            rows = (r for r in source.rows() if r.row_id not in results)
            _draft_rows(
                _prepared(rows, service, options, record_row, warm=backend is not None),
                service,
                backend,
                options.sender or Sender(),
                min(workers, todo),
                stop,
                record_row,
                summary,
                lock,
                check,
            )
    finally:
        if pool is not None:
            pool.close()
        journal.close()
        summary.elapsed_s = time.monotonic() - started
        summary.retries = retries.value
        summary.not_run = summary.total - len(results)
        if summary.not_run and summary.stopped_reason is None and stop.is_set():
            summary.stopped_reason = "stopped before every row was drafted"
        summary.counts = write_output(
            source,
            results,
            journal,
            output_path,
            raw=options.raw_csv,
            keep_private_notes=options.keep_private_notes,
        )
    if progress:
        progress.finish(summary)
    return summary


def _resumable(source: BatchSource, journal: Journal, default_kind: str | None) -> dict[str, int]:
    """Rows an earlier run finished from this very input: row id -> record offset."""
    previous = journal.index()
    if not previous:
        return {}
    done: dict[str, int] = {}
    for row in source.rows():
        entry = previous.get(row.row_id)
        if (
            entry is not None
            and not entry.retryable
            and entry.input_hash == _row_hash(row, default_kind)
        ):
            done[row.row_id] = entry.offset
    return done


def _prepared(
    rows: Iterator[InputRow],
    service: OutreachService,
    options: BatchOptions,
    record_row: Callable[[InputRow, str, dict[str, Any]], None],
    *,
    warm: bool,
) -> Iterator[Ready]:
    """Rows ready to draft, a chunk at a time; a row that cannot be used is journaled as
    an error here, without touching the index or the LLM. The guidance index is built
    before the first row that can be drafted (a file of bad rows never builds it).

    Notes are not indexed: a row's own notes are ranked as it is drafted
    (`OutreachIndex.search_notes`), beside other rows' requests in flight."""
    from core.drafting import guidance_query

    index_ready = False
    for chunk in _chunks(rows, QUEUE_ROWS):
        ready: list[Ready] = []
        for row in chunk:
            input_hash = _row_hash(row, options.default_kind)
            if row.error:
                record_row(row, input_hash, _error_record(row, row.error))
                continue
            try:
                ready.append(
                    (
                        row,
                        input_hash,
                        contact_from_row(row.values),
                        _row_kind(row, options.default_kind),
                    )
                )
            except InputError as exc:
                record_row(row, input_hash, _error_record(row, f"line {row.line}: {exc}"))
        if ready and not index_ready:
            service.ensure_index()
            index_ready = True
        embed_ahead = getattr(service.embeddings, "warm_queries", None)
        if ready and warm and embed_ahead is not None:
            # The chunk's guidance queries in padded batches, beside the workers rather
            # than before them: the first rows go out at once.
            queries = [guidance_query(contact, kind) for _, _, contact, kind in ready]
            threading.Thread(
                target=embed_ahead, args=(queries,), name="warm-queries", daemon=True
            ).start()
        yield from ready


def _chunks(rows: Iterator[InputRow], size: int) -> Iterator[list[InputRow]]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def _draft_rows(
    items: Iterator[Ready],
    service: OutreachService,
    backend: Any,
    sender: Sender,
    workers: int,
    stop: threading.Event,
    record_row: Callable[[InputRow, str, dict[str, Any]], None],
    summary: BatchSummary,
    lock: threading.Lock,
    check: Checker,
) -> None:
    from core.drafting import draft_message

    def work(item: Ready) -> dict[str, Any]:
        row, _, contact, kind = item
        draft = draft_message(
            service.index, contact, kind, sender, backend=backend, index_notes=False, check=check
        )
        return {
            "row_id": row.row_id,
            "index": row.index,
            "status": draft.status,
            "draft": draft.text,
            "error": "; ".join(draft.checks.failure_reasons()) if draft.status != "ok" else "",
            "is_pitch": draft.checks.is_pitch,
            "pitch_score": round(draft.checks.pitch_score, 4),
            "backend": draft.backend,
            "attempts": draft.attempts,
        }

    def failed(item: Ready, message: str, retryable: bool) -> dict[str, Any]:
        return _error_record(item[0], message, retryable=retryable)

    def fatal(exc: FatalBackendError) -> None:
        # The row is not recorded: it is drafted when the run is resumed.
        with lock:
            if summary.stopped_reason is None:
                summary.stopped_reason = str(exc)
        stop.set()

    run_workers(
        items,
        work,
        workers,
        stop,
        lambda item, record: record_row(item[0], item[1], record),
        failed,
        fatal,
    )


__all__ = [
    "OUTPUT_COLUMNS",
    "BatchOptions",
    "BatchSummary",
    "ProgressSink",
    "RunStopped",
    "default_journal_path",
    "run_batch",
]
