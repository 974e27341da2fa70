"""An append-only JSONL journal of finished batch rows, keyed by stable row id.

Each finished row is appended and fsync'd at once, so a run killed with `kill -9` loses at
most the rows in flight. A torn last line (killed mid-write) is ignored on load.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._handle: Any = None

    def load(self) -> dict[str, dict[str, Any]]:
        """The last record per row id."""
        records: dict[str, dict[str, Any]] = {}
        if not self.path.exists():
            return records
        with self.path.open("rb") as handle:
            for raw in handle:
                try:
                    record = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    continue  # a torn write from a killed run
                if isinstance(record, dict) and "row_id" in record:
                    records[str(record["row_id"])] = record
        return records

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

    def append(self, record: dict[str, Any]) -> None:
        line = (
            json.dumps({**record, "at": round(time.time(), 3)}, ensure_ascii=False) + "\n"
        ).encode("utf-8")
        with self._lock:
            if self._handle is None:
                self.open()
            self._handle.write(line)
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def archive(self) -> Path | None:
        """Move the journal aside (for a fresh run), never deleting the user's record."""
        if not self.path.exists():
            return None
        target = self.path.with_name(f"{self.path.name}.{time.strftime('%Y%m%d-%H%M%S')}.bak")
        self.path.replace(target)
        return target
