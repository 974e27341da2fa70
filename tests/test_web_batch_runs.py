"""Background batch runs: the command, launching detached, reading progress, stop and resume."""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

import pytest

from core import store
from core.config import Settings
from core.web import batch_runs

CSV = b"name,notes\nAda,x\nBen,y\n"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {"OUTREACH_HOME": str(tmp_path / "home"), "OUTREACH_BACKEND": "offline"}
    )


def _use(monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    def command(input_path: Path, output_path: Path, kind: str | None) -> list[str]:
        return [sys.executable, "-c", script, "batch", str(input_path), "-o", str(output_path)]

    monkeypatch.setattr(batch_runs, "batch_command", command)


def _wait(run_id: str, settings: Settings, timeout: float = 20) -> store.BatchRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = store.get_batch_run(run_id, settings)
        assert run is not None
        run = batch_runs.refresh(run, settings)
        if run.status != "running":
            return run
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def test_command_follows_the_cli_contract(tmp_path: Path) -> None:
    command = batch_runs.batch_command(tmp_path / "in.csv", tmp_path / "out.csv", "intro")
    assert command[-6:] == [
        "batch",
        str(tmp_path / "in.csv"),
        "-o",
        str(tmp_path / "out.csv"),
        "--kind",
        "intro",
    ]
    assert Path(command[0]).name == "outreach" or command[:3] == [sys.executable, "-m", "core"]
    assert "--kind" not in batch_runs.batch_command(tmp_path / "a", tmp_path / "b", None)


def test_a_finished_run_is_done_with_progress_and_review(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(
        monkeypatch,
        "import json, sys, pathlib\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('-o') + 1])\n"
        "j = out.with_name(out.name + '.journal.jsonl')\n"
        "j.write_text(json.dumps({'row_id': 'a', 'index': 0, 'status': 'ok', 'draft': 'hi'}) + '\\n'"
        " + json.dumps({'row_id': 'b', 'index': 1, 'status': 'flagged', 'draft': 'buy', 'pitch_score': 0.8}) + '\\n'"
        " + '{\"torn')\n"
        "out.write_text('name,draft\\n')\n"
        "print('done')\n",
    )
    run = batch_runs.start_run("my list.csv", CSV, "compliment", settings)
    assert Path(run.input_path).name == "my-list.csv"
    assert Path(run.output_path).parent == settings.home / "batches" / run.id
    assert run.total_rows == 2 and run.pid
    finished = _wait(run.id, settings)
    assert finished.status == "done" and finished.exit_code == 0
    progress = batch_runs.progress(finished)
    assert (progress.done, progress.total, progress.fraction) == (2, 2, 1.0)
    assert progress.counts == {"ok": 1, "flagged": 1}
    queue = batch_runs.review_queue(finished)
    assert [(r.name, r.status, r.draft) for r in queue] == [("Ben", "flagged", "buy")]
    assert "done" in batch_runs.log_tail(finished)


def test_a_crash_is_failed_and_resume_relaunches(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, "import sys; print('boom: no backend'); sys.exit(2)")
    run = batch_runs.start_run("c.csv", CSV, None, settings)
    failed = _wait(run.id, settings)
    assert failed.status == "failed" and failed.exit_code == 2
    assert "boom: no backend" in batch_runs.log_tail(failed)
    _use(
        monkeypatch,
        "import sys, pathlib; out = pathlib.Path(sys.argv[sys.argv.index('-o') + 1]); "
        "j = out.with_name(out.name + '.journal.jsonl'); "
        'j.write_text(\'\'.join(\'{"row_id": "%s", "index": %d, "status": "ok"}\\n\' % (r, i) for i, r in enumerate(\'ab\'))); '
        "out.write_text('x')",
    )
    batch_runs.resume_run(failed, settings)
    assert store.get_batch_run(run.id, settings).status == "running"  # type: ignore[union-attr]
    assert _wait(run.id, settings).status == "done"


def test_stop_sends_sigterm_and_the_run_is_stopped(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, "import time; time.sleep(30)")
    run = batch_runs.start_run("s.csv", CSV, None, settings)
    assert batch_runs.refresh(run, settings).status == "running"
    assert batch_runs.stop(run)
    stopped = _wait(run.id, settings)
    assert stopped.status == "stopped" and stopped.exit_code == -signal.SIGTERM
    assert not batch_runs.stop(stopped)


def test_a_run_from_an_earlier_server_is_judged_by_its_files(
    settings: Settings, tmp_path: Path
) -> None:
    """No child handle (the server restarted) and the pid is gone: output decides."""
    output = tmp_path / "out.csv"
    output.write_text("name\n")
    journal = output.with_name(output.name + ".journal.jsonl")
    journal.write_text(json.dumps({"row_id": "a", "index": 0, "status": "ok"}) + "\n")
    run = store.BatchRun(
        id="old",
        input_path=str(tmp_path / "in.csv"),
        output_path=str(output),
        kind="",
        total_rows=2,
        pid=2**22 + 12345,  # beyond pid_max on common systems: never alive
        started_at=store.utc_now(),
    )
    store.add_batch_run(run, settings)
    assert batch_runs.refresh(run, settings).status == "stopped"  # 1 of 2 rows journaled


def test_an_unreadable_upload_launches_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, "raise SystemExit('must not run')")
    with pytest.raises(Exception, match="name"):
        batch_runs.start_run("x.csv", b"colour\nred\n", None, settings)
    assert store.list_batch_runs(settings) == []
    assert not any((settings.home / "batches").iterdir())


@pytest.mark.integration
def test_the_real_batch_cli_runs_detached_to_the_end(settings: Settings) -> None:
    """The actual `outreach batch` command, offline: journal, output CSV, review queue."""
    if not Path(sys.executable).with_name("outreach").is_file():
        pytest.skip("the outreach console script is not installed next to this Python")
    data = (
        b"name,kind,their_work,notes\n"
        b"Priya Raman,compliment,her talk on CRDTs at Strange Loop,book club\n"
        b"Tom Lee,follow_up,,we met at the Rust meetup hike\n"
        b",intro,,a row without a name\n"
    )
    run = batch_runs.start_run("people.csv", data, "intro", settings)
    finished = _wait(run.id, settings, timeout=240)
    assert finished.status == "done", batch_runs.log_tail(finished)
    progress = batch_runs.progress(finished)
    assert progress.done == 3
    assert progress.counts.get("ok", 0) + progress.counts.get("flagged", 0) == 2, progress.counts
    assert Path(finished.output_path).is_file()
    queue = batch_runs.review_queue(finished)
    assert any(row.status == "error" for row in queue)  # the row without a name
