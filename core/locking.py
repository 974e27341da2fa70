"""A cross-process write lock on the workspace.

Chroma's embedded store is not safe for concurrent writers in separate processes (the
web app and a CLI batch, say), so every write to it holds this lock. Readers do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from core.config import Settings
from core.errors import IndexBusyError

#: How long a writer waits for another process before giving up with a clear message.
DEFAULT_LOCK_TIMEOUT_S = 120.0


@contextmanager
def workspace_write_lock(settings: Settings, timeout_s: float | None = None) -> Iterator[None]:
    if settings.chroma_url:
        # A Chroma server serialises its own writes.
        yield
        return
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / "index.lock"
    lock = FileLock(str(path), timeout=DEFAULT_LOCK_TIMEOUT_S if timeout_s is None else timeout_s)
    try:
        with lock:
            yield
    except Timeout:
        raise IndexBusyError(
            f"another outreach process is writing to the index in {settings.home} "
            f"(lock file {path}); wait for it to finish and try again"
        ) from None
