"""`outreach plan` latency on a big workspace: 10,000 contacts, 50,000 timeline entries.

Builds a temp workspace once (synthetic contacts and events from a fixed seed, written
through the store's own import and event functions), then times:
  - the plan in-process (read every contact and its timeline facts, apply the rules), and
  - the command a user types, `outreach plan --json --today ...`, as a fresh process
    (Python start-up and imports included), with and without `--ics`.
Prints p50 / max per measurement. Target: the command under 1 s.

    .venv/bin/python benchmarks/plan_latency.py [--contacts 10000] [--events 50000] [-n 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from core import store
from core.config import Settings
from core.contacts import Contact
from core.plan import PlanOptions, plan_week
from core.timeline import insert_event, relationships

SEED = 20240605
TODAY = date(2024, 6, 5)
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Eve", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Milo", "Nia", "Omar", "Pia"]  # fmt: skip
LAST = ["Park", "Ortiz", "Wu", "Rao", "Stone", "Ade", "Lund", "Mori", "Novak", "Silva", "Khan", "Berg"]  # fmt: skip
COMPANIES = ["Loom", "Fathom", "Northwind", "Quill", "Harbor", "Kite", "Vela", "Orbit", "Acre", "Lumen"]  # fmt: skip
WORK = ["a talk on tracing", "a post on error budgets", "a library for fake clocks", ""]


def build(settings: Settings, contacts: int, events: int) -> None:
    rng = random.Random(SEED)
    people = []
    for i in range(contacts):
        met = TODAY - timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.3 else None
        people.append(
            Contact(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                company=rng.choice(COMPANIES),
                their_work=rng.choice(WORK),
                event="a meetup" if met else "",
                met_on=met,
                tie="close" if rng.random() < 0.2 else None,
                extra={"email": f"person{i}@example.org"},
            )
        )
    store.import_contacts(people, settings)
    keys = [f"email:person{i}@example.org" for i in range(contacts)]
    types = ["sent"] * 6 + ["replied"] * 2 + ["approved", "note", "snooze"]
    with store.connect(settings) as conn:
        for _ in range(events):
            kind = rng.choice(types)
            day = TODAY - timedelta(days=rng.randrange(0, 730))
            until = day + timedelta(days=rng.randrange(1, 60)) if kind == "snooze" else None
            insert_event(conn, rng.choice(keys), kind, day, kind="compliment", until=until)  # type: ignore[arg-type]


def timed(fn: object, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def show(label: str, seconds: list[float]) -> None:
    print(
        f"{label:<44} p50 {statistics.median(seconds) * 1000:7.0f} ms   "
        f"max {max(seconds) * 1000:7.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "OUTREACH_HOME": home, "OUTREACH_BACKEND": "offline"}
        settings = Settings.from_env(env)
        start = time.perf_counter()
        build(settings, args.contacts, args.events)
        with store.connect(settings) as conn:
            n_contacts = conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
            n_events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        print(
            f"workspace: {n_contacts} contacts, {n_events} timeline entries "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        plan = plan_week(relationships(settings), TODAY, PlanOptions(n=3))
        print(f"plan: {[s.rule for s in plan.picks]}, {len(plan.follow_ups_due)} follow-ups due")
        show(
            "in-process: read timeline facts + rules",
            timed(lambda: plan_week(relationships(settings), TODAY), args.n),
        )
        command = [sys.executable, "-m", "core.cli", "plan", "--json", "--today", TODAY.isoformat()]

        def run(*extra: str) -> None:
            subprocess.run([*command, *extra], env=env, capture_output=True, check=True)

        run()  # warm the OS file cache once
        show("`outreach plan --json` (fresh process)", timed(run, args.n))
        ics = str(Path(home) / "plan.ics")
        show("`outreach plan --json --ics plan.ics`", timed(lambda: run("--ics", ics), args.n))
        startup = timed(
            lambda: subprocess.run([sys.executable, "-c", "pass"], env=env, check=True), args.n
        )
        show("(python start-up alone, for scale)", startup)


if __name__ == "__main__":
    main()
