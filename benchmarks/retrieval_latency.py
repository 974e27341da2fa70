"""Retrieval latency, embedded vs a local Chroma server, on the same data in the same run.

Builds 10,000 synthetic contacts (varied sentences from word lists, fixed seed) plus the
shipped corpus, once in an embedded workspace and once through a `chroma run` server this
script starts on 127.0.0.1 (and always stops). Then times N retrievals per mode, each
including embedding the query with the local MiniLM model:
  - search_notes for a random contact, and
  - search_guidance filtered by a random kind.
Prints p50/p95 in ms per mode and the server/embedded ratio.

    /tmp/dev/bin/python benchmarks/retrieval_latency.py [--contacts 10000] [-n 300]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from core.config import Settings
from core.contacts import Contact
from core.kinds import Kind
from core.service import OutreachService

SEED = 20240611

FIRST = ["Ada", "Ben", "Chloe", "Dev", "Eve", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Milo", "Nia", "Omar", "Pia", "Quin", "Rosa", "Sami", "Tara", "Uma", "Vik", "Wen", "Yara", "Zed"]  # fmt: skip
LAST = ["Park", "Ortiz", "Wu", "Rao", "Stone", "Ade", "Lund", "Mori", "Novak", "Silva", "Khan", "Berg", "Costa", "Diaz", "Ito", "Weber", "Moss", "Lee", "Hale", "Ruiz"]  # fmt: skip
COMPANIES = ["Loom", "Fathom", "Northwind", "Quill", "Harbor", "Kite", "Vela", "Orbit", "Acre", "Lumen", "Tessel", "Cobalt", "Juniper", "Atlas", "Ember"]  # fmt: skip
TOPICS = [
    "backpressure in message queues", "error budgets for small teams", "Rust tracing",
    "vector search in practice", "accessible design systems", "on-call without burnout",
    "feature flags at scale", "open-source maintainership", "data contracts",
    "mentoring junior engineers", "edge caching", "SQLite in production", "type-safe APIs",
    "community meetups", "incident reviews", "ML evaluation", "privacy by design",
]  # fmt: skip
VENUES = ["QCon", "a Rust meetup", "PyCon", "a book club", "a Sunday hike", "SREcon", "a local hackathon", "a design conference"]  # fmt: skip
WORKS = ["a talk", "a blog post", "a podcast episode", "an open-source library", "a conference workshop", "a newsletter issue"]  # fmt: skip
HOOKS = [
    "We talked about {t} over coffee.", "They asked a sharp question about {t}.",
    "Their slides on {t} were the clearest I have seen.", "We both care about {t}.",
    "They recommended a book on {t}.", "I used their checklist for {t} at work.",
]  # fmt: skip


def synthetic_contacts(n: int, seed: int = SEED) -> list[Contact]:
    rng = random.Random(seed)
    people = []
    for i in range(n):
        topic, other = rng.sample(TOPICS, 2)
        people.append(
            Contact(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                company=rng.choice(COMPANIES),
                notes=f"{rng.choice(HOOKS).format(t=topic)} {rng.choice(HOOKS).format(t=other)}",
                their_work=f"Gave {rng.choice(WORKS)} on {topic} at {rng.choice(VENUES)}.",
                how_we_met=f"Met at {rng.choice(VENUES)} in {rng.choice(['spring', 'autumn', 'winter'])}.",
            )
        )
    return people


def start_server(path: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chroma = str(Path(sys.executable).parent / "chroma")
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    while time.monotonic() - started < 60:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                print(f"chroma run ready in {time.monotonic() - started:.2f} s at {url}")
                return proc, url
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    stop_server(proc)
    raise SystemExit(f"chroma run did not start; see {log}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def build(service: OutreachService, people: list[Contact]) -> None:
    started = time.monotonic()
    report = service.build_index(contacts=people)
    print(
        f"  indexed {report.guidance_total} guidance chunks, {report.notes_total} note snippets "
        f"in {time.monotonic() - started:.1f} s"
    )


def timed(calls: list[Callable[[], object]]) -> list[float]:
    out = []
    for call in calls:
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def workload(service: OutreachService, people: list[Contact], n: int) -> dict[str, list[float]]:
    rng = random.Random(SEED + 1)
    # Every query text distinct (a number in it), so neither the guidance-result cache nor
    # the query-embedding cache answers: each call embeds and searches for real.
    queries = [f"{rng.choice(WORKS)} about {rng.choice(TOPICS)} #{i}" for i in range(n)]
    index = service.index
    picks = [(rng.choice(people), rng.choice(list(Kind))) for _ in queries]
    # k=2 of a contact's 4 snippets: the notes are fetched from the index and ranked (with
    # k >= the contact's snippets the answer comes from the contact itself, no retrieval).
    notes = [(lambda q=q, c=c: index.search_notes(q, c, k=2)) for q, (c, _) in zip(queries, picks)]
    guidance = [
        (lambda q=q, kind=kind: index.search_guidance(q, kind, k=4))
        for q, (_, kind) in zip(queries, picks)
    ]
    warm = [f"warm-up {i}" for i in range(20)]
    timed([lambda q=q: index.search_guidance(q, Kind.INTRO, k=4) for q in warm])
    timed([lambda q=q, c=c: index.search_notes(q, c, k=2) for q, c in zip(warm, people)])
    return {"search_notes": timed(notes), "search_guidance": timed(guidance)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("-n", type=int, default=300, help="retrievals per kind and mode")
    args = parser.parse_args()
    people = synthetic_contacts(args.contacts)
    print(
        f"{len(people)} synthetic contacts (seed {SEED}) + the shipped corpus; {os.cpu_count()} CPUs"
    )

    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="outreach-bench-") as tmp:
        root = Path(tmp)
        base = {"OUTREACH_BACKEND": "offline"}
        embedded = OutreachService(Settings.from_env({**base, "OUTREACH_HOME": str(root / "e")}))
        print("embedded:")
        build(embedded, people)
        results["embedded"] = workload(embedded, people, args.n)

        proc, url = start_server(root / "server-data", root / "server.log")
        try:
            settings = Settings.from_env(
                {**base, "OUTREACH_HOME": str(root / "s"), "OUTREACH_CHROMA_URL": url}
            )
            server = OutreachService(settings)
            print("server:")
            build(server, people)
            results["server"] = workload(server, people, args.n)
        finally:
            stop_server(proc)

    # Embedding the query alone, for scale: the floor under every retrieval above.
    embed = embedded.embeddings
    embed_ms = timed(
        [lambda i=i: embed.embed_query(f"a talk about topic {i} #{i}") for i in range(args.n)]
    )

    print(f"\nlatency per retrieval, ms (N={args.n} each, query embedding included)")
    print(f"{'':18}{'embedded p50':>14}{'p95':>8}{'server p50':>13}{'p95':>8}{'p95 ratio':>11}")
    for name in ("search_notes", "search_guidance"):
        e, s = results["embedded"][name], results["server"][name]
        print(
            f"{name:18}{pct(e, 50):14.1f}{pct(e, 95):8.1f}{pct(s, 50):13.1f}{pct(s, 95):8.1f}"
            f"{pct(s, 95) / pct(e, 95):10.2f}x"
        )
    print(f"{'embed_query only':18}{pct(embed_ms, 50):14.1f}{pct(embed_ms, 95):8.1f}")
    worst = max(pct(results["embedded"][name], 95) for name in results["embedded"])
    verdict = "met" if worst < 20 else "MISSED"
    print(f"\ntarget p95 < 20 ms embedded: {verdict} (worst p95 {worst:.1f} ms)")


if __name__ == "__main__":
    main()
