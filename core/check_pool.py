"""The checks in processes of their own, so a batch's requests in flight never wait on them.

A batch against an LLM endpoint spends its time waiting on requests; its own CPU work is
the checks (the pitch detector's embeddings and n-grams, grounding, fluency), run twice on
a revised row. In the drafting process that work holds the interpreter lock, and a
finished request then waits to be read and its slot handed on. Here the checks run in
`core.check_server` processes (each loads the models once); a drafting thread writes its
request to a pipe and sleeps until a reader thread hands it the report, two short hops
that need the lock only for a moment.

If a check process dies, the checks go on in the drafting process: slower, never lost.

Opt-in (`outreach batch --check-processes N`): on two busy cores it measured no faster than
checking in the drafting process, whose ONNX runs already release the lock, and each
process holds its own models; see benchmarks/README.md.
"""

from __future__ import annotations

import contextlib
import itertools
import subprocess
import sys
import threading
from concurrent.futures import Future
from typing import Any

from core.check_server import read_message, write_message
from core.contacts import Contact
from core.kinds import Kind
from core.models import CheckReport, Sender


class CheckFailed(Exception):
    """A check raised in the check process (its type and message are kept)."""


class _Broken(Exception):
    """The check process is gone."""


class _CheckProcess:
    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "core.check_server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._write_lock = threading.Lock()
        self._lock = threading.Lock()
        self._waiting: dict[int, Future[CheckReport]] = {}
        self._alive = True
        threading.Thread(target=self._read, name="check-replies", daemon=True).start()

    @property
    def load(self) -> int:
        return len(self._waiting)

    def submit(self, request_id: int, payload: tuple[Any, ...]) -> Future[CheckReport]:
        future: Future[CheckReport] = Future()
        with self._lock:
            if not self._alive:
                raise _Broken()
            self._waiting[request_id] = future
        try:
            with self._write_lock:
                assert self._proc.stdin is not None
                write_message(self._proc.stdin, (request_id, payload))
        except (OSError, ValueError):
            self._fail()
        return future

    def _read(self) -> None:
        assert self._proc.stdout is not None
        while (message := read_message(self._proc.stdout)) is not None:
            request_id, (outcome, value) = message
            with self._lock:
                future = self._waiting.pop(request_id, None)
            if future is None:
                continue
            if outcome == "ok":
                future.set_result(value)
            else:
                future.set_exception(CheckFailed(value))
        self._fail()

    def _fail(self) -> None:
        with self._lock:
            self._alive = False
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            if not future.done():
                future.set_exception(_Broken())

    def close(self) -> None:
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()  # the server exits at end of input
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


class CheckPool:
    """`pool(text, contact, kind, sender)` runs the checks in the least busy check process."""

    def __init__(self, processes: int = 1) -> None:
        self._processes = [_CheckProcess() for _ in range(processes)]
        self._ids = itertools.count()

    def __call__(self, text: str, contact: Contact, kind: Kind, sender: Sender) -> CheckReport:
        payload = (text, contact, kind, sender)
        while live := [p for p in self._processes if p._alive]:
            process = min(live, key=lambda p: p.load)
            try:
                return process.submit(next(self._ids), payload).result()
            except _Broken:
                continue  # that process died: another one, or here
        from evals.checks import run_checks

        return run_checks(text, contact, kind, sender)

    def close(self) -> None:
        for process in self._processes:
            process.close()

    def __enter__(self) -> CheckPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


__all__ = ["CheckFailed", "CheckPool"]
