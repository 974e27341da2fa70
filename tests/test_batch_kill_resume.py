"""The key guarantee: a batch killed with `kill -9` and re-run ends with every row exactly
once, and nothing that was finished before the kill is drafted again.

`outreach batch` runs as a real process against the fault server (0.3 s latency, 40 rows,
concurrency 4); it is SIGKILLed once some rows are journaled, then the same command is
run to completion. The server identifies rows by the contact name in each request.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fixtures.batchkit import (
    Recorder,
    contact_name,
    read_journal,
    read_output,
    seed_workspace,
    write_contacts_csv,
)

from core.fault_server import FaultConfig, FaultServer

ROWS = 40


def _finished(journal: Path) -> list[dict[str, Any]]:
    return [r for r in read_journal(journal) if r.get("status") in {"ok", "flagged"}]


def _command(input_path: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "core",
        "batch",
        str(input_path),
        "-o",
        str(output),
        "--concurrency",
        "4",
    ]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_kill_9_mid_run_then_rerun_drafts_every_row_exactly_once(
    _hermetic_env: Path, tmp_path: Path
) -> None:
    home = seed_workspace(_hermetic_env)
    input_path = tmp_path / "contacts.csv"
    rows = write_contacts_csv(input_path, ROWS, seed=5)
    name_of = {f"id:{r['id']}": r["name"] for r in rows}
    output = tmp_path / "drafts.csv"
    journal = tmp_path / "drafts.csv.journal.jsonl"
    recorder = Recorder()

    with FaultServer(FaultConfig(latency_s=0.3), reply=recorder) as server:
        env = {
            **os.environ,
            "OUTREACH_HOME": str(home),
            "OUTREACH_BACKEND": "openai",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "test-key",
            "COLUMNS": "200",
        }
        proc = subprocess.Popen(
            _command(input_path, output),
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, killed as a whole
        )
        try:
            deadline = time.monotonic() + 90
            while len(_finished(journal)) < 8:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "no journal lines after 90 s"
                time.sleep(0.02)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            _stop(proc)
        assert proc.returncode == -signal.SIGKILL

        done_before = {r["row_id"] for r in _finished(journal)}
        names_before_kill = {name_of[i] for i in done_before}
        assert 8 <= len(done_before) < ROWS, "the kill must land mid-run"
        assert not output.exists()  # the output is only ever written whole
        # Let the server finish (or fail to answer) the killed run's requests first.
        settle = time.monotonic() + 10
        while server.stats.snapshot()["in_flight"] and time.monotonic() < settle:
            time.sleep(0.02)
        requests_before = len(recorder.requests)
        first_run = server.stats.snapshot()

        rerun = subprocess.run(
            _command(input_path, output),
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=True,
        )
        assert rerun.returncode == 0, rerun.stderr
        assert f"resumed {len(done_before)}" in rerun.stderr
        after_rerun = server.stats.snapshot()

    # Every row exactly once, in input order, each with a draft.
    out_rows = read_output(output)
    assert [r["id"] for r in out_rows] == [r["id"] for r in rows]
    assert all(r["status"] in {"ok", "flagged"} and r["draft"] for r in out_rows)
    assert all(r["backend"] == "openai" for r in out_rows)

    # The journal has each finished row once (no row finished twice).
    finished_ids = Counter(r["row_id"] for r in _finished(journal))
    assert set(finished_ids) == set(name_of)
    assert max(finished_ids.values()) == 1, finished_ids.most_common(3)

    # No request after the kill was for a row already finished before it.
    after_kill = [contact_name(r) for r in recorder.requests[requests_before:]]
    assert not set(after_kill) & names_before_kill
    # And rows finished before the kill were each requested only in the first run.
    before_counts = Counter(contact_name(r) for r in recorder.requests[:requests_before])
    assert all(before_counts[n] >= 1 for n in names_before_kill)
    # The kill may cut requests in flight (a body half sent is a 400 the client never sees);
    # at most one per worker. The rerun's requests all succeed.
    cut_by_kill = first_run["total"] - requests_before
    assert 0 <= cut_by_kill <= 4, first_run
    rerun_requests = after_rerun["total"] - first_run["total"]
    assert rerun_requests == len(recorder.requests) - requests_before, after_rerun
