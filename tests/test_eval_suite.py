"""`run_eval`: dataset metrics with a report, and the drafts mode."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rich.console import Console

from evals.suite import run_eval


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=200, color_system=None), buffer


def test_run_eval_prints_metrics_and_writes_report(tmp_path: Path) -> None:
    console, buffer = _console()
    code = run_eval(report_dir=tmp_path, console=console)
    out = buffer.getvalue()
    assert code in (0, 1)
    for word in (
        "dev",
        "test",
        "precision",
        "recall",
        "F1",
        "FPR",
        "kind=",
        "category=",
        "Targets on test",
    ):
        assert word in out
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## test" in report and "F1" in report
    assert (tmp_path / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"


def test_drafts_mode_reports_pass_rates(tmp_path: Path) -> None:
    path = tmp_path / "drafts.csv"
    rows = [
        {
            "name": "Ada Lee",
            "kind": "compliment",
            "notes": "Gave a talk on calm on-call rotations at SREcon.",
            "status": "ok",
            "draft": "Hi Ada, your SREcon talk on calm on-call rotations changed how my team hands over. Thank you for giving it; the written handover note alone saved us a rough weekend.",
        },
        {
            "name": "Bo Chen",
            "kind": "intro",
            "notes": "Writes about Rust async.",
            "status": "flagged",
            "draft": "Hi Bo, loved your Rust async posts. Could I demo our async profiler for your team? It is 20% off this month.",
        },
        {"name": "Cy Park", "kind": "follow_up", "notes": "", "status": "error", "draft": ""},
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    console, buffer = _console()
    assert run_eval(drafts=path, console=console) == 0
    out = buffer.getvalue()
    assert "not_pitch" in out and "50.0% (1/2)" in out
    assert "error: 1" in out and "flagged: 1" in out and "ok: 1" in out
