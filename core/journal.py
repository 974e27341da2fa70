"""An append-only JSONL journal of finished batch rows, keyed by stable row id.

Each finished row is appended and fsync'd at once, so a run killed with `kill -9` loses at
most the rows in flight. A torn last line (killed mid-write) is ignored on load.

A long run's journal is not held in memory: `index()` keeps, per row id, only where its
last record starts and what resuming needs; `records_at()` reads records back by offset.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple


class JournalEntry(NamedTuple):
    """What resuming needs of a row's last record, and where to read the rest."""

    offset: int
    status: str
    input_hash: str
    retryable: bool


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._handle: Any = None

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(offset, record) for every well-formed record, in the order written."""
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            offset = 0
            for raw in handle:
                start, offset = offset, offset + len(raw)
                record = _parse(raw)
                if record is not None:
                    yield start, record

    def load(self) -> dict[str, dict[str, Any]]:
        """The last record per row id, all in memory (fine for small runs; see `index`)."""
        return {str(r["row_id"]): r for _, r in self.records()}

    def index(self) -> dict[str, JournalEntry]:
        """The last record per row id, as a small entry (the record stays on disk)."""
        return {
            str(r["row_id"]): JournalEntry(
                offset,
                str(r.get("status", "error")),
                str(r.get("input_hash", "")),
                bool(r.get("retryable")),
            )
            for offset, r in self.records()
        }

    @contextmanager
    def records_at(self) -> Iterator[Any]:
        """A reader: `read(offset)` returns the record written at that offset."""
        with self.path.open("rb") as handle:

            def read(offset: int) -> dict[str, Any]:
                handle.seek(offset)
                return _parse(handle.readline()) or {}

            yield read

    def _repair_tail(self) -> None:
        """Make sure the next append starts on a fresh line after a torn write."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with self.path.open("rb+") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")

    def open(self) -> Journal:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._repair_tail()
        self._handle = self.path.open("ab", buffering=0)
        return self

    def append(self, record: dict[str, Any]) -> int:
        """Write one record durably; returns the offset it starts at."""
        line = (
            json.dumps({**record, "at": round(time.time(), 3)}, ensure_ascii=False) + "\n"
        ).encode("utf-8")
        with self._lock:
            if self._handle is None:
                self.open()
            offset = int(self._handle.seek(0, os.SEEK_END))
            self._handle.write(line)
            os.fsync(self._handle.fileno())
        return offset

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def archive(self) -> Path | None:
        """Move the journal aside (for a fresh run), never deleting the user's record."""
        if not self.path.exists():
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.{stamp}.bak")
        n = 1
        while target.exists():  # two fresh runs in one second keep both earlier journals
            n += 1
            target = self.path.with_name(f"{self.path.name}.{stamp}-{n}.bak")
        self.path.replace(target)
        return target


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None  # a torn write from a killed run
    return record if isinstance(record, dict) and "row_id" in record else None
