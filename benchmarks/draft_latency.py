"""How long drafting one contact offline takes once the index exists.

    python benchmarks/draft_latency.py [--rounds 50]

Builds the index in a temporary workspace (not timed), then drafts each example contact
in turn and prints the per-draft latency (mean, p50, p95, max) plus the one-off costs.
Target: well under a second per draft.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=50, help="drafts to time")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        os.environ.update(OUTREACH_HOME=home, OUTREACH_BACKEND="offline")
        from core import contact_from_row
        from core.config import Settings
        from core.service import OutreachService

        rows = list(csv.DictReader((ROOT / "examples" / "contacts.csv").open(encoding="utf-8")))
        started = time.perf_counter()
        service = OutreachService(Settings.from_env())
        service.build_index()
        index_s = time.perf_counter() - started

        first = time.perf_counter()
        service.draft(contact_from_row(rows[0]), rows[0]["kind"])
        first_s = time.perf_counter() - first  # includes loading the pitch model

        timings = []
        for n in range(args.rounds):
            row = rows[n % len(rows)]
            contact = contact_from_row(row)
            start = time.perf_counter()
            draft = service.draft(contact, row["kind"])
            timings.append((time.perf_counter() - start) * 1000)
            assert draft.text and draft.backend == "offline"

    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"index build (first run, shipped corpus): {index_s:.2f} s")
    print(f"first draft (loads models):              {first_s * 1000:.0f} ms")
    print(
        f"offline draft, index built ({len(timings)} drafts): mean {statistics.mean(timings):.1f} ms, "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(f"target: well under 1000 ms per draft -> {'met' if p95 < 1000 else 'MISSED'}")


if __name__ == "__main__":
    main()
