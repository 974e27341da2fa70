"""Batch throughput against the fault server: achieved request rate vs the physical limit.

Drafts 1,000 generated contacts with `run_batch` (LLM path, concurrency 16) against the
project's fault-injecting OpenAI-compatible server at 200 ms latency, run in its own
process as a real endpoint would be (`python -m core.fault_server --reply grounded`), and
prints

    ratio = (requests the server received / elapsed) / (concurrency / latency)

for three scenarios: no faults (target >= 0.90); 10% 429 (Retry-After 0.2 s) + 5% 500
(target >= 0.70, with every row present exactly once and none in error); and a revision
on every row (`--reply revise`: each first draft carries a pitch the checks catch, so
every row costs two requests and two rounds of checks; target >= 0.90, counting both).

    python benchmarks/batch_throughput.py [--rows 1000] [--concurrency 16] [--latency 0.2]
        [--only clean|faults|revise]

Each scenario gets a fresh workspace whose guidance index is built before the clock
starts (a one-time cost per workspace), and the check models are loaded before it too (a
one-time cost per process, ~2.5 s, printed); indexing the 1,000 contacts' notes is part
of the run and is timed. Exit status 1 when a target is missed.

The work is spread over threads, so profile with a sampling profiler, e.g.
``py-spy record -f raw -o prof.txt -- python benchmarks/batch_throughput.py --rows 300``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.batchkit import read_output, write_contacts_csv  # noqa: E402

from core.batch import BatchOptions, BatchSummary, run_batch  # noqa: E402
from core.config import Settings  # noqa: E402
from core.fault_server import FaultConfig  # noqa: E402
from core.service import OutreachService  # noqa: E402


@dataclass
class Scenario:
    name: str
    config: FaultConfig
    target: float
    reply: str = "grounded"  # the fault server's --reply
    requests_per_row: int | None = None  # exactly this many when faults cannot add any
    distinct: bool = False  # no sentence shared between rows' notes and replies


@dataclass
class Result:
    scenario: Scenario
    requests: int
    elapsed_s: float
    ratio: float
    summary: BatchSummary
    problems: list[str]
    by_status: dict[str, int]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config_flags(config: FaultConfig, reply: str) -> list[str]:
    return [
        "--latency", str(config.latency_s),
        "--p429", str(config.p_429),
        "--retry-after", str(config.retry_after_s),
        "--p500", str(config.p_500),
        "--seed", str(config.seed),
        "--reply", reply,
    ]  # fmt: skip


@contextlib.contextmanager
def fault_server_process(config: FaultConfig, reply: str) -> Iterator[tuple[str, int]]:
    """The fault server in its own process, as a real endpoint is: its request handling
    must not share this process's interpreter lock with the drafting threads."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "core.fault_server",
            "--port",
            str(port),
            *_config_flags(config, reply),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{root}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the fault server did not start")
            time.sleep(0.1)
        yield root, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _load_models() -> None:
    """What a drafting process loads on its first row: the checks' models (detector,
    embeddings, tagger) and the drafting modules."""
    from core.contacts import Contact
    from core.kinds import Kind
    from core.models import Sender
    from evals.checks import run_checks

    run_checks(
        "Hi Ada, your talk on weak ties stayed with me. Would you try our demo?",
        Contact(name="Ada Obi", their_work="A talk on weak ties"),
        Kind.COMPLIMENT,
        Sender(),
    )


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_cpu_s(pid: int) -> float:
    """A running process's CPU time (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_scenario(
    scenario: Scenario,
    workdir: Path,
    rows: int,
    concurrency: int,
    latency: float,
    check_processes: int = 0,
) -> Result:
    workdir.mkdir(parents=True)
    input_path = workdir / "contacts.csv"
    output_path = workdir / "drafts.csv"
    write_contacts_csv(input_path, rows, seed=7, distinct=scenario.distinct)
    with fault_server_process(scenario.config, scenario.reply) as (root, server_pid):
        env = {
            "OUTREACH_HOME": str(workdir / "home"),
            "OUTREACH_BACKEND": "openai",
            "OPENAI_BASE_URL": f"{root}/v1",
            "OPENAI_API_KEY": "bench-key",
        }
        service = OutreachService(Settings.from_env(env))
        t0 = time.perf_counter()
        service.ensure_index()  # one-time guidance index for a fresh workspace: not timed
        print(f"  [{scenario.name}] guidance index built in {time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        _load_models()  # one-time per process, like the index: not timed either
        print(f"  [{scenario.name}] check models loaded in {time.perf_counter() - t0:.1f}s")
        httpx.post(f"{root}/stats/reset", json={}, timeout=5)
        options = BatchOptions(concurrency=concurrency, check_processes=check_processes)
        load = os.getloadavg()[0]
        start, cpu_start = time.perf_counter(), time.process_time()
        checks_start, server_start = _children_cpu_s(), _process_cpu_s(server_pid)
        summary = run_batch(input_path, output_path, options, service=service)
        elapsed = time.perf_counter() - start
        cpu_ms = (time.process_time() - cpu_start) / rows * 1000
        # The check processes are this process's children, waited for when the batch ends.
        checks_ms = (_children_cpu_s() - checks_start) / rows * 1000
        server_ms = (_process_cpu_s(server_pid) - server_start) / rows * 1000
        total = cpu_ms + checks_ms + server_ms
        print(
            f"  [{scenario.name}] CPU per row: drafting process {cpu_ms:.1f} ms, check "
            f"processes {checks_ms:.1f} ms, endpoint {server_ms:.1f} ms; at {total:.0f} ms a row "
            f"two idle cores could sustain {2000 / total:.0f} rows/s "
            f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        snap = httpx.get(f"{root}/stats", timeout=5).json()
    requests = int(snap["total"])
    ratio = (requests / elapsed) / (concurrency / latency)
    out = read_output(output_path)
    ids = [r["id"] for r in out]
    problems = []
    if len(out) != rows:
        problems.append(f"output has {len(out)} rows, expected {rows}")
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} duplicated ids in the output")
    expected = {f"r{i + 1:04d}" for i in range(rows)}
    if set(ids) != expected:
        problems.append(f"{len(expected - set(ids))} rows missing from the output")
    errors = [r for r in out if r["status"] not in {"ok", "flagged"}]
    if errors:
        problems.append(f"{len(errors)} rows with status error, e.g. {errors[0]['error']!r}")
    if scenario.requests_per_row and requests != scenario.requests_per_row * rows:
        problems.append(f"{requests} requests, expected {scenario.requests_per_row} per row")
    return Result(scenario, requests, elapsed, ratio, summary, problems, snap["by_status"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--only", choices=["clean", "faults", "revise"], default=None)
    parser.add_argument(
        "--check-processes",
        type=int,
        default=0,
        help="processes running the checks (0, the default: in the drafting process)",
    )
    args = parser.parse_args(argv)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OUTREACH_MODEL", "OUTREACH_CHROMA_URL"):
        os.environ.pop(var, None)

    scenarios = [
        Scenario("clean", FaultConfig(latency_s=args.latency, seed=11), 0.90),
        Scenario(
            "faults",
            FaultConfig(latency_s=args.latency, p_429=0.10, retry_after_s=0.2, p_500=0.05, seed=12),
            0.70,
        ),
        Scenario(
            "revise",
            FaultConfig(latency_s=args.latency, seed=13),
            0.90,
            reply="revise",
            requests_per_row=2,
            distinct=True,
        ),
    ]
    if args.only:
        scenarios = [s for s in scenarios if s.name == args.only]
    limit = args.concurrency / args.latency
    print(
        f"batch throughput: {args.rows} rows, concurrency {args.concurrency}, latency "
        f"{args.latency * 1000:.0f} ms, physical limit {limit:.0f} req/s, check processes "
        f"{args.check_processes}"
    )
    failed = False
    with tempfile.TemporaryDirectory(prefix="outreach-bench-") as tmp:
        for scenario in scenarios:
            result = run_scenario(
                scenario,
                Path(tmp) / scenario.name,
                args.rows,
                args.concurrency,
                args.latency,
                args.check_processes,
            )
            s = result.summary
            met = result.ratio >= scenario.target and not result.problems
            failed |= not met
            print(
                f"  [{scenario.name}] {result.requests} requests in {result.elapsed_s:.2f}s = "
                f"{result.requests / result.elapsed_s:.1f} req/s -> ratio {result.ratio:.3f} "
                f"(target >= {scenario.target:.2f}) {'OK' if met else 'MISSED'}"
            )
            print(
                f"  [{scenario.name}] rows: ok {s.ok}, flagged {s.flagged}, errors {s.errors}, "
                f"retries {s.retries}; server statuses {result.by_status}; "
                f"{s.drafts_per_minute:.0f} drafts/min"
            )
            for problem in result.problems:
                print(f"  [{scenario.name}] PROBLEM: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
