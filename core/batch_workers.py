"""The threads of a batch run: one reads and prepares rows, workers draft them.

A producer thread turns the input stream into ready rows (parsed, their notes indexed a
chunk at a time) and keeps a bounded queue of them filled, so memory stays flat however
long the file is and a worker whose row finishes starts the next one at once, without
waiting for the producer to get the interpreter lock. Request slots bound the requests in
flight to the endpoint, and stop the run on a failure no retry can fix.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from core.backends.retry_policy import is_fatal
from core.errors import BackendError, FatalBackendError, OutreachError

Item = TypeVar("Item", bound=tuple[Any, ...])
#: Ready rows buffered ahead of the workers: enough to never starve them, small enough
#: that a 30,000-row file is not parsed into memory at once.
QUEUE_ROWS = 256
_POLL_S = 0.1
_DONE = object()  # put once the producer has no more rows


class RunStopped(Exception):
    """A row reached its request after the run stopped: it is not sent, not recorded, and
    drafted when the run is resumed."""


class RequestSlots:
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


def run_workers(
    items: Iterator[Item],
    work: Callable[[Item], dict[str, Any]],
    workers: int,
    stop: threading.Event,
    record: Callable[[Item, dict[str, Any]], None],
    failed: Callable[[Item, str, bool], dict[str, Any]],
    fatal: Callable[[FatalBackendError], None],
) -> None:
    """Draft every item with `workers` threads; `record` journals each result.

    `failed(item, message, retryable)` makes the error record of a row whose drafting
    raised. An exception while preparing rows (in `items`) stops the run and is re-raised
    here once the rows in flight are journaled.
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_ROWS)
    problems: list[BaseException] = []

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False  # stopped: the workers are leaving, nobody would take it

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as exc:  # surfaced by run_workers, after the workers stop
            problems.append(exc)
            stop.set()
        finally:
            put(_DONE)

    def next_item() -> Item | None:
        while not stop.is_set():
            try:
                item = ready.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if item is _DONE:
                ready.put(_DONE)  # for the next worker; the slot just taken is free
                return None
            return item
        return None

    def loop() -> None:
        while (item := next_item()) is not None:
            try:
                result = work(item)
            except RunStopped:
                continue
            except FatalBackendError as exc:
                fatal(exc)
                continue
            except BackendError as exc:
                result = failed(item, f"{exc} (re-run to retry this row)", True)
            except OutreachError as exc:
                result = failed(item, str(exc), False)
            except Exception as exc:  # one bad row must not end the batch
                result = failed(item, f"unexpected {type(exc).__name__}: {exc}", True)
            record(item, result)

    threads = [threading.Thread(target=produce, name="draft-rows", daemon=True)]
    threads += [
        threading.Thread(target=loop, name=f"draft-{n}", daemon=True) for n in range(workers)
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
    if problems:
        raise problems[0]


__all__ = ["QUEUE_ROWS", "RequestSlots", "RunStopped", "run_workers"]
