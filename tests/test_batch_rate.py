"""One rate everywhere: the progress bar and the summary report the same drafts/min.

Rows that fail at once (no name, an unknown kind) finish in microseconds; a rate taken over
a sliding window of them read "3191/min" beside a summary of "217 drafts/min". Both now
come from the batch's own figure.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from fixtures.batchkit import seed_workspace, write_contacts_csv

from core.batch import BatchOptions, BatchSummary, run_batch
from core.cli import main as cli_main


@pytest.fixture
def source(_hermetic_env: Path, tmp_path: Path) -> Path:
    seed_workspace(_hermetic_env)
    path = tmp_path / "contacts.csv"
    write_contacts_csv(path, 6, seed=3)
    with path.open("a", encoding="utf-8") as handle:  # rows that error at once
        handle.write("r9001,,intro,,,,,,\n" + "r9002,Ada Obi,sales,,,,,,\n" * 1)
    return path


class Recording:
    def __init__(self) -> None:
        self.rates: list[float] = []
        self.final: BatchSummary | None = None

    def start(self, total: int, already_done: int) -> None:
        self.total = total

    def advance(self, status: str, drafts_per_minute: float) -> None:
        self.rates.append(drafts_per_minute)

    def finish(self, summary: BatchSummary) -> None:
        self.final = summary


def test_the_sink_is_told_the_summarys_rate_as_it_stands(source: Path, tmp_path: Path) -> None:
    sink = Recording()
    summary = run_batch(source, tmp_path / "out.csv", BatchOptions(), progress=sink)
    assert summary.done == 8 and summary.errors == 2
    assert sink.final is summary and len(sink.rates) == 8
    assert all(rate > 0 for rate in sink.rates)
    # The last running figure is the summary's, up to the moment between them.
    assert summary.drafts_per_minute <= sink.rates[-1] <= summary.drafts_per_minute * 1.1


def test_bar_and_summary_print_the_same_drafts_per_minute(
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        sys, "argv", ["outreach", "batch", str(source), "-o", str(tmp_path / "o.csv")]
    )
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as info:
        cli_main()
    assert info.value.code in (0, None)
    err = capsys.readouterr().err
    bar = [line for line in err.splitlines() if line.startswith("drafting")]
    summary = [line for line in err.splitlines() if line.startswith("done 8")]
    assert bar and summary, err
    bar_rate = re.findall(r"(\d+) drafts/min", bar[-1])
    summary_rate = re.findall(r"(\d+) drafts/min", summary[0])
    assert bar_rate == summary_rate and int(summary_rate[0]) > 0, err
    assert "eta 0:00:00" in bar[-1]
