"""Server mode against a real `chroma run` on 127.0.0.1: index, draft a batch, restart the
server on the same path, and nothing is lost. Also: embedded vs server is decided by
OUTREACH_CHROMA_URL alone, and an unreachable server fails fast, naming the setting."""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.config import Settings
from core.contacts import Contact
from core.errors import IndexUnavailableError
from core.kinds import Kind
from core.service import OutreachService

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent
STARTUP_TIMEOUT_S = 30.0  # measured ~0.8 s on a quiet machine; generous for loaded CI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ChromaServer:
    """A `chroma run` subprocess in its own process group; restartable on the same path."""

    def __init__(self, path: Path, log: Path) -> None:
        self.path = path
        self.log = log
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(BIN / "chroma"),
                    "run",
                    "--path",
                    str(self.path),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited: {self.log.read_text(errors='replace')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"chroma run did not answer in {STARTUP_TIMEOUT_S} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma-server.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _env(home: Path, chroma_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTREACH_", "OPENAI_"))}
    env.update(OUTREACH_HOME=str(home), OUTREACH_BACKEND="offline")
    if chroma_url:
        env["OUTREACH_CHROMA_URL"] = chroma_url
    return env


CONTACTS = [
    ("Ada Park", "Loom", "compliment", "Gave a talk on backpressure in queues at QCon.", "", ""),
    ("Ben Ortiz", "Fathom", "intro", "Maintains a small Rust tracing library.", "", ""),
    (
        "Chloe Wu",
        "Northwind",
        "follow_up",
        "We talked about sourdough starters.",
        "",
        "Rust meetup",
    ),
    ("Dev Rao", "Quill", "compliment", "Wrote a post on error budgets for small teams.", "", ""),
    ("Eve Stone", "Harbor", "intro", "Runs the city's data engineering book club.", "", ""),
    ("Femi Ade", "Kite", "follow_up", "Shared a trail map on the hike.", "", "Sunday hike"),
]


def _contacts_csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "company", "kind", "notes", "their_work", "event"])
        writer.writerows(CONTACTS)
    return path


def _contacts() -> list[Contact]:
    return [
        Contact(name=name, company=company, notes=notes, event=event)
        for name, company, _kind, notes, _work, event in CONTACTS
    ]


def _snapshot(service: OutreachService) -> dict[str, object]:
    index = service.index
    return {
        "guidance": index.guidance_count(),
        "notes": index.notes_count(),
        "guidance_hits": [
            ref.id for ref in index.search_guidance("compliment a specific talk", Kind.COMPLIMENT)
        ],
        "note_hits": [index.search_notes("talk", contact) for contact in _contacts()],
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_server_mode_end_to_end_survives_a_restart(
    tmp_path: Path, chroma_server: ChromaServer
) -> None:
    home = tmp_path / "home"
    env = _env(home, chroma_server.url)
    contacts = _contacts_csv(tmp_path / "contacts.csv")

    # The CLI, as a user would run it: index the shipped corpus and the contacts' notes.
    indexed = _run([str(BIN / "outreach"), "index", "--contacts", str(contacts)], env)
    assert "notes:" in indexed.stdout

    # Batch drafting through the server (offline composer: no LLM endpoint needed).
    out = tmp_path / "drafts.csv"
    _run(
        [str(BIN / "outreach"), "batch", str(contacts), "-o", str(out), "--concurrency", "3"],
        env,
    )
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(CONTACTS)
    assert all(row["status"] == "ok" and row["draft"].strip() for row in rows), rows

    # The Python API in this process, same settings.
    settings = Settings.from_env(env)
    before = _snapshot(OutreachService(settings))
    assert before["guidance"] > 0 and before["notes"] > 0
    assert all(before["note_hits"]), before
    # Server mode never creates the embedded store in the workspace.
    assert not (home / "chroma").exists()

    chroma_server.stop()
    chroma_server.start()  # same path, same port: the URL the app was given still works

    service = OutreachService(settings)
    assert _snapshot(service) == before
    again = service.build_index(contacts=_contacts())
    assert (again.guidance.added, again.guidance.updated, again.guidance.removed) == (0, 0, 0)
    assert (again.notes.added, again.notes.updated, again.notes.removed) == (0, 0, 0)
    assert (again.guidance_total, again.notes_total) == (before["guidance"], before["notes"])
    assert not (home / "chroma").exists()


def test_without_the_url_the_embedded_store_is_used(tmp_path: Path) -> None:
    home = tmp_path / "home"
    service = OutreachService(Settings.from_env(_env(home, None)))
    report = service.build_index(contacts=_contacts()[:2])
    assert report.guidance_total > 0
    assert (home / "chroma" / "chroma.sqlite3").is_file()


def test_unreachable_server_fails_fast_naming_the_setting(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens here
    service = OutreachService(Settings.from_env(_env(tmp_path / "home", url)))
    started = time.monotonic()
    with pytest.raises(IndexUnavailableError, match="OUTREACH_CHROMA_URL") as caught:
        service.build_index()
    assert time.monotonic() - started < 3
    assert url in str(caught.value)
    assert not (tmp_path / "home" / "chroma").exists()


def test_unreachable_server_is_one_line_in_the_cli(tmp_path: Path) -> None:
    env = _env(tmp_path / "home", f"http://127.0.0.1:{free_port()}")
    result = subprocess.run(
        [str(BIN / "outreach"), "index"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "OUTREACH_CHROMA_URL" in result.stderr and "Traceback" not in result.stderr
