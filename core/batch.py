"""Batch drafting that never loses a row.

Rows are drafted concurrently; each finished row is appended to a journal at once, keyed
by a stable row id, so a killed run resumes where it stopped and nothing is drafted twice.
A row that cannot be drafted gets status "error" with a message saying what to fix; a
failure no retry can fix (bad key, exhausted quota) stops the run, keeping what was done.
The output is written atomically, in input order, with every input column passed through
except private notes (unless kept on purpose); cells a spreadsheet would run as formulas are
neutralised (`core.csv_out`), and their original values kept in the journal.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from core.backends.retry_policy import is_fatal
from core.batch_input import BatchInput, InputRow, read_batch_input
from core.contacts import contact_from_row, normalize_column
from core.csv_out import cell_text, write_csv
from core.errors import BackendError, FatalBackendError, InputError, OutreachError
from core.formulas import looks_like_formula
from core.index import note_snippets
from core.journal import Journal
from core.kinds import Kind, parse_kind
from core.models import Sender
from core.ratelimit import RateGovernor

if TYPE_CHECKING:
    from core.service import OutreachService

OUTPUT_COLUMNS = ("draft", "status", "error", "is_pitch", "pitch_score", "backend")


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


class RunStopped(Exception):
    """A row reached its request after the run stopped: it is not sent, not recorded, and
    drafted when the run is resumed."""


class _RequestSlots:
    """At most `n` requests in flight; none at all once the run has stopped."""

    def __init__(self, n: int, stop: threading.Event) -> None:
        self._slots = threading.BoundedSemaphore(n)
        self._stop = stop

    def __enter__(self) -> None:
        self._slots.acquire()
        if self._stop.is_set():
            self._slots.release()
            raise RunStopped()

    def __exit__(self, _type: object, exc: BaseException | None, _tb: object) -> None:
        # A failure no retry can fix (bad key, exhausted quota) stops the run before the
        # slot is handed on, so no waiting row sends a request after it.
        if exc is not None and is_fatal(exc):
            self._stop.set()
        self._slots.release()


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


def run_batch(
    input_path: Path,
    output_path: Path,
    options: BatchOptions | None = None,
    *,
    service: OutreachService | None = None,
    progress: ProgressSink | None = None,
    stop_event: threading.Event | None = None,
) -> BatchSummary:
    from core import get_service
    from core.drafting import NOTES_K, draft_message, guidance_query

    options = options or BatchOptions()
    if options.default_kind:
        parse_kind(options.default_kind)  # a bad --kind is one clear error before any work
    service = service or get_service()
    batch = read_batch_input(Path(input_path))
    output_path = Path(output_path)
    if output_path.resolve() == Path(input_path).resolve():
        raise InputError("the output file would overwrite the input: choose another -o path")
    journal = Journal(options.journal_path or default_journal_path(output_path))
    if not options.resume:
        journal.archive()
    previous = journal.load()
    hashes = {row.row_id: _row_hash(row, options.default_kind) for row in batch.rows}

    def finished(row: InputRow) -> bool:
        record = previous.get(row.row_id)
        if record is None:
            return False
        return record.get("input_hash") == hashes[row.row_id] and not record.get("retryable")

    todo = [row for row in batch.rows if not finished(row)]
    summary = BatchSummary(total=len(batch.rows), skipped=len(batch.rows) - len(todo))
    summary.output_path, summary.journal_path = output_path, journal.path
    if progress:
        progress.start(summary.total, summary.skipped)

    sender = options.sender or Sender()
    governor = RateGovernor(options.rpm, options.tpm)
    retries = _Counter()
    results: dict[str, dict[str, Any]] = {
        r.row_id: previous[r.row_id] for r in batch.rows if finished(r)
    }
    started = time.monotonic()
    stop = stop_event or threading.Event()
    lock = threading.Lock()

    kept = set(_kept_columns(batch, options.keep_private_notes))

    def record_row(row: InputRow, record: dict[str, Any]) -> None:
        record = {**record, "input_hash": hashes[row.row_id]}
        # The output neutralises formula cells; the journal keeps what the file said.
        originals = {
            c: v for c, v in row.values.items() if c in kept and v and looks_like_formula(v)
        }
        if originals:
            record["raw_cells"] = originals
        _finish(journal, results, summary, progress, lock, record, started)

    # Parse every row first: bad rows become errors without touching the index or the LLM.
    ready: list[tuple[InputRow, Any, Kind]] = []
    journal.open()
    try:
        for row in todo:
            try:
                if row.error:
                    record_row(row, _error_record(row, row.error))
                    continue
                ready.append(
                    (row, contact_from_row(row.values), _row_kind(row, options.default_kind))
                )
            except InputError as exc:
                record_row(row, _error_record(row, f"line {row.line}: {exc}"))
        if ready:
            service.ensure_index()
            # Only contacts with more note snippets than a draft uses need their notes
            # searched, so only they are indexed (one write for all, not one per row);
            # the others use all their snippets as they are (see OutreachIndex.search_notes).
            searched = [c for _, c, _ in ready if len(note_snippets(c)) > NOTES_K]
            if searched:
                service.index.index_contacts(searched)
        # `--concurrency` bounds the requests in flight. A row also retrieves and checks on
        # this machine; with twice as many workers as request slots, that local work
        # overlaps other rows' requests instead of holding a slot idle.
        slots = _RequestSlots(options.concurrency, stop)
        backend, slotted = _resolve_backend(service, governor, retries, slots)
        workers = options.concurrency * (2 if slotted else 1)
        warm = getattr(service.embeddings, "warm_queries", None)
        if warm is not None and backend is not None:
            # Embed every row's guidance query ahead of the workers, in batches.
            queries = [guidance_query(contact, kind) for _, contact, kind in ready]
            threading.Thread(target=warm, args=(queries,), name="warm-queries", daemon=True).start()

        def work(row: InputRow, contact: Any, kind: Kind) -> dict[str, Any]:
            draft = draft_message(
                service.index,
                contact,
                kind,
                sender,
                backend=backend,
                index_notes=False,
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

        def fatal(exc: FatalBackendError) -> None:
            # The row is not recorded: it is drafted when the run is resumed.
            with lock:
                if summary.stopped_reason is None:
                    summary.stopped_reason = str(exc)
            stop.set()

        _run_workers(ready, work, workers, stop, record_row, fatal)
    finally:
        journal.close()
        summary.elapsed_s = time.monotonic() - started
        summary.retries = retries.value
        summary.not_run = len(batch.rows) - len(results)
        if summary.not_run and summary.stopped_reason is None and stop.is_set():
            summary.stopped_reason = "stopped before every row was drafted"
        write_output(
            batch,
            results,
            output_path,
            raw=options.raw_csv,
            keep_private_notes=options.keep_private_notes,
        )
    for record in results.values():
        summary.counts[record["status"]] = summary.counts.get(record["status"], 0) + 1
    if progress:
        progress.finish(summary)
    return summary


def _run_workers(
    ready: list[tuple[InputRow, Any, Kind]],
    work: Callable[[InputRow, Any, Kind], dict[str, Any]],
    workers: int,
    stop: threading.Event,
    record_row: Callable[[InputRow, dict[str, Any]], None],
    fatal: Callable[[FatalBackendError], None],
) -> None:
    """`workers` threads each pull their next row themselves.

    A finished slot starts its next row at once: with a dispatcher thread in between, the
    hand-over waits for the interpreter lock behind every busy worker, and a batch of
    short requests loses a tenth of its throughput to it.
    """
    items = iter(ready)
    take = threading.Lock()

    def next_item() -> tuple[InputRow, Any, Kind] | None:
        with take:
            return None if stop.is_set() else next(items, None)

    def loop() -> None:
        while (item := next_item()) is not None:
            row = item[0]
            try:
                record = work(*item)
            except RunStopped:
                continue
            except FatalBackendError as exc:
                fatal(exc)
                continue
            except BackendError as exc:
                record = _error_record(row, f"{exc} (re-run to retry this row)", retryable=True)
            except OutreachError as exc:
                record = _error_record(row, str(exc))
            except Exception as exc:  # one bad row must not end the batch
                record = _error_record(
                    row, f"unexpected {type(exc).__name__}: {exc}", retryable=True
                )
            record_row(row, record)

    threads = [
        threading.Thread(target=loop, name=f"draft-{n}", daemon=True)
        for n in range(min(workers, len(ready)))
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)  # a timed join keeps Ctrl-C responsive
    except KeyboardInterrupt:
        stop.set()  # rows in flight finish and are journaled; the rest wait for a resume
        for thread in threads:
            thread.join()
        raise


def _finish(
    journal: Journal,
    results: dict[str, dict[str, Any]],
    summary: BatchSummary,
    progress: ProgressSink | None,
    lock: threading.Lock,
    record: dict[str, Any],
    started: float,
) -> None:
    journal.append(record)
    with lock:
        results[record["row_id"]] = record
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


def _kept_columns(batch: BatchInput, keep_private_notes: bool) -> list[str]:
    """Input columns the output carries: private notes only when asked for."""
    return [
        c for c in batch.columns if keep_private_notes or normalize_column(c) != "private_notes"
    ]


def _output_header(columns: list[str]) -> list[str]:
    """Input columns, then ours; an input column that clashes with ours is kept as input_<name>."""
    ours = set(OUTPUT_COLUMNS)
    return [f"input_{c}" if c in ours else c for c in columns] + list(OUTPUT_COLUMNS)


def write_output(
    batch: BatchInput,
    results: dict[str, dict[str, Any]],
    output_path: Path,
    *,
    raw: bool = False,
    keep_private_notes: bool = False,
) -> None:
    """Write every input row, in input order, atomically, through the one CSV writer."""
    columns = _kept_columns(batch, keep_private_notes)

    def rows() -> Iterator[list[str]]:
        for row in batch.rows:
            record = results.get(row.row_id) or {
                "status": "error",
                "error": "not drafted yet: the run stopped first; re-run the same command to resume",
            }
            values = [row.values.get(c, "") for c in columns]
            yield values + [cell_text(record.get(c, "")) for c in OUTPUT_COLUMNS]

    write_csv(output_path, _output_header(columns), rows(), raw=raw)


__all__ = [
    "BatchOptions",
    "BatchSummary",
    "ProgressSink",
    "default_journal_path",
    "run_batch",
    "write_output",
]
