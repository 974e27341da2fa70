"""Batch runs outside the page script: launch `outreach batch` detached, then poll its journal.

The run is a separate process in its own session, so it keeps going when the user
navigates away, reloads, or the page script is stopped. Everything the page shows is read
back from the store, the journal and the output file, never from page state.
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from core import store
from core.batch_input import read_batch_input, scan_batch_input
from core.config import Settings
from core.contacts import Contact, contact_from_row, normalize_column
from core.errors import InputError
from core.journal import Journal

OUTPUT_NAME = "drafts.csv"
LOG_NAME = "run.log"

# Processes this server started, so their exit codes can be read (and zombies reaped).
_children: dict[str, subprocess.Popen[bytes]] = {}
_children_lock = threading.Lock()


@dataclass
class Progress:
    done: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 1.0


@dataclass
class ReviewRow:
    index: int
    name: str
    status: str
    draft: str
    error: str
    pitch_score: str
    backend: str = ""
    #: The row's contact as the batch read it, and its kind: None when the row itself is
    #: unusable (no name, bad kind), so it cannot be opened on the Draft page.
    contact: Contact | None = None
    kind: str = ""


def batch_command(input_path: Path, output_path: Path, kind: str | None) -> list[str]:
    """The CLI's fixed contract; the console script next to this Python when installed."""
    script = Path(sys.executable).with_name("outreach")
    if script.is_file():
        base = [str(script)]
    elif importlib.util.find_spec("core.__main__") is not None:
        base = [sys.executable, "-m", "core"]
    else:  # pragma: no cover - an install without the console script
        base = [sys.executable, "-c", "from core.cli import main; main()"]
    command = [*base, "batch", str(input_path), "-o", str(output_path)]
    return [*command, "--kind", kind] if kind else command


def runs_dir(settings: Settings) -> Path:
    return settings.home / "batches"


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip("-.") or "contacts"
    suffix = Path(name).suffix.lower()
    return stem + (suffix if suffix in {".csv", ".jsonl", ".ndjson"} else ".csv")


def start_run(name: str, data: bytes, kind: str | None, settings: Settings) -> store.BatchRun:
    """Save the upload in a new run folder, check it reads, launch the CLI, record the run."""
    run_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"
    folder = runs_dir(settings) / run_id
    folder.mkdir(parents=True)
    input_path = folder / _safe_name(name)
    input_path.write_bytes(data)
    try:
        total = scan_batch_input(input_path).total  # an unreadable file fails here, not later
    except InputError:
        shutil.rmtree(folder)  # the folder this call just made, holding only the upload
        raise
    run = store.BatchRun(
        id=run_id,
        input_path=str(input_path),
        output_path=str(folder / OUTPUT_NAME),
        kind=kind or "",
        total_rows=total,
        pid=None,
        started_at=store.utc_now(),
    )
    run.pid = _launch(run, settings)
    store.add_batch_run(run, settings)
    return run


def resume_run(run: store.BatchRun, settings: Settings) -> None:
    """Run the same command again: the CLI skips rows its journal already has."""
    store.restart_batch_run(run.id, _launch(run, settings), settings)


def _launch(run: store.BatchRun, settings: Settings) -> int:
    folder = Path(run.output_path).parent
    # The child must see the same workspace even when it came from a default path.
    env = {**os.environ, "OUTREACH_HOME": str(settings.home)}
    with (folder / LOG_NAME).open("ab") as log:
        child = subprocess.Popen(
            batch_command(Path(run.input_path), Path(run.output_path), run.kind or None),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
            env=env,
            start_new_session=True,  # not killed with the page's session or a Ctrl+C
        )
    with _children_lock:
        _children[run.id] = child
    return child.pid


def _exit_code(run: store.BatchRun) -> tuple[bool, int | None]:
    """(still running, exit code if known)."""
    with _children_lock:
        child = _children.get(run.id)
    if child is not None and child.pid == run.pid:
        code = child.poll()
        return code is None, code
    return _pid_alive(run.pid), None


def _pid_alive(pid: int | None) -> bool:
    """For a run started by an earlier server process: alive, not a zombie, and still ours."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process reused the id
        return False
    proc = Path(f"/proc/{pid}")
    if proc.is_dir():
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            return False
        if stat.rsplit(")", 1)[-1].split()[0] == "Z" or b"batch" not in cmdline:
            return False
    return True


def refresh(run: store.BatchRun, settings: Settings) -> store.BatchRun:
    """Record how a running run ended, once its process is gone."""
    if run.status != "running":
        return run
    alive, code = _exit_code(run)
    if alive:
        return run
    output = Path(run.output_path)
    if output.is_file() and code in (0, None):
        status: store.RunStatus = "done" if progress(run).done >= run.total_rows else "stopped"
    elif output.is_file():
        status = "stopped"
    else:
        status = "failed" if code not in (None, -signal.SIGTERM, -signal.SIGKILL) else "stopped"
    store.finish_batch_run(run.id, status, code, settings)
    return store.get_batch_run(run.id, settings) or run


def stop(run: store.BatchRun) -> bool:
    """Ask a running batch to stop (it finishes in-flight rows and keeps its journal)."""
    alive, _ = _exit_code(run)
    if not alive or not run.pid:
        return False
    os.kill(run.pid, signal.SIGTERM)
    return True


def progress(run: store.BatchRun) -> Progress:
    entries = Journal(run.journal_path).index()  # small entries: polled while a run goes on
    counts: dict[str, int] = {}
    for entry in entries.values():
        counts[entry.status] = counts.get(entry.status, 0) + 1
    return Progress(done=len(entries), total=run.total_rows, counts=counts)


def review_queue(run: store.BatchRun) -> list[ReviewRow]:
    """Flagged and error rows, in input order, with the contact's name from the input."""
    return [row for row in all_rows(run) if row.status in {"flagged", "error"}]


def all_rows(run: store.BatchRun) -> list[ReviewRow]:
    """Every journaled row, in input order, with its contact and kind from the input."""
    records = Journal(run.journal_path).load().values()
    inputs = _inputs(Path(run.input_path), run.kind)
    rows = []
    for record in records:
        index = int(record.get("index", -1))
        name, contact, kind = inputs.get(index, (f"row {index + 1}", None, ""))
        rows.append(
            ReviewRow(
                index=index,
                name=name,
                status=str(record.get("status")),
                draft=str(record.get("draft") or ""),
                error=str(record.get("error") or ""),
                pitch_score=str(record.get("pitch_score") or ""),
                backend=str(record.get("backend") or ""),
                contact=contact,
                kind=kind,
            )
        )
    return sorted(rows, key=lambda r: r.index)


def _inputs(input_path: Path, default_kind: str) -> dict[int, tuple[str, Contact | None, str]]:
    """Row index -> (name to show, contact, kind), read as the batch command reads them."""
    try:
        rows = read_batch_input(input_path).rows
    except InputError:
        return {}
    found: dict[int, tuple[str, Contact | None, str]] = {}
    for row in rows:
        given = next(
            (v for k, v in row.values.items() if normalize_column(k) == "kind" and v.strip()), ""
        )
        try:
            contact = contact_from_row(row.values)
        except InputError:
            found[row.index] = (f"row {row.index + 1} (no name)", None, "")
            continue
        found[row.index] = (contact.name, contact, (given or default_kind).strip())
    return found


def log_tail(run: store.BatchRun, lines: int = 15) -> str:
    path = Path(run.output_path).parent / LOG_NAME
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8", errors="replace")
    # The CLI's progress display redraws with carriage returns; keep each line's final state.
    cleaned = [line.rsplit("\r", 1)[-1] for line in text.splitlines()]
    return "\n".join([line for line in cleaned if line.strip()][-lines:])
