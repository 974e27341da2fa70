"""A cross-process write lock on the workspace, and a generation stamp for readers.

Chroma's embedded store is not safe for concurrent writers in separate processes (the
web app and a CLI batch, say), so every write to it holds this lock. A lock alone is not
enough: each process keeps the vector (HNSW) segments in memory, so a process whose view
is older than the last write would persist its stale copy over the other's additions, and
a long-lived reader never sees other processes' vectors (chromadb 1.5 fails filtered
queries with "Error finding id"). Each write therefore stamps a new generation in the
workspace; a process that sees a generation other than its own reopens its client first.

In server mode (`OUTREACH_CHROMA_URL`) the server owns the store and serialises writes, so
none of this applies.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from core.config import Settings
from core.errors import ConfigError, IndexBusyError

#: How long a writer waits for another process before giving up with a clear message.
DEFAULT_LOCK_TIMEOUT_S = 120.0
LOCK_TIMEOUT_ENV = "OUTREACH_LOCK_TIMEOUT"
LOCK_FILE = "index.lock"
GENERATION_FILE = "index.generation"


@dataclass
class WriteLease:
    """Handed to the holder of the write lock; `generation` is set when the lock is released."""

    generation: str | None = None


def lock_timeout_s(env: dict[str, str] | None = None) -> float:
    """`OUTREACH_LOCK_TIMEOUT` seconds (default 120); 0 means fail at once if busy."""
    raw = ((os.environ if env is None else env).get(LOCK_TIMEOUT_ENV) or "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds") from None
    if value < 0:
        raise ConfigError(f"{LOCK_TIMEOUT_ENV}={raw!r} must be 0 or more seconds")
    return value


def index_generation(settings: Settings) -> str:
    """The stamp of the last write to the workspace index ('' before any). Cheap: one read."""
    try:
        return (settings.home / GENERATION_FILE).read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return ""


def _stamp_generation(home: Path) -> str:
    generation = uuid.uuid4().hex
    tmp = home / f"{GENERATION_FILE}.{os.getpid()}.tmp"
    tmp.write_text(generation, encoding="ascii")
    os.replace(tmp, home / GENERATION_FILE)  # atomic: readers never see a torn stamp
    return generation


def _busy(settings: Settings, path: Path, timeout: float) -> IndexBusyError:
    return IndexBusyError(
        f"another process is writing to the index in {settings.home} and still held the lock "
        f"({path}) after {timeout:g} s; wait for it to finish (or stop it) and try again, "
        f"raise {LOCK_TIMEOUT_ENV}, or use a Chroma server (OUTREACH_CHROMA_URL) for "
        "multi-process use"
    )


@contextmanager
def workspace_write_lock(
    settings: Settings, timeout_s: float | None = None
) -> Iterator[WriteLease]:
    """Hold the workspace's write lock; raise IndexBusyError if another process keeps it."""
    lease = WriteLease()
    if settings.chroma_url:
        # A Chroma server serialises its own writes.
        yield lease
        return
    timeout = lock_timeout_s() if timeout_s is None else timeout_s
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / LOCK_FILE
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise _busy(settings, path, timeout) from None
    try:
        yield lease
    finally:
        try:
            # Stamped even when the write failed half-way: other processes must reload.
            lease.generation = _stamp_generation(settings.home)
        finally:
            lock.release()


def wait_for_writers(settings: Settings, timeout_s: float | None = None) -> None:
    """Block until no other process is writing (take and drop the lock without stamping)."""
    if settings.chroma_url:
        return
    timeout = lock_timeout_s() if timeout_s is None else timeout_s
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / LOCK_FILE
    try:
        with FileLock(str(path), timeout=timeout):
            pass
    except Timeout:
        raise _busy(settings, path, timeout) from None
