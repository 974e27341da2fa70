"""The held-out-writers harness: its threshold rules, its grouping, and training on rows
given by the caller (the hook it needs), with one real training run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evals.datasets.split import split_path
from evals.pitch.data import file_sha256, load_split
from evals.pitch.detector import detect_pitch
from evals.pitch.heldout_writers import RULES, GroupResult, main, round_robin, summarise
from evals.pitch.model import load_model
from evals.pitch.train import pick_threshold, train


def _pool() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """100 pitches (half sure, half at 0.52) and 100 genuine notes, ten of them deliberate
    look-alikes at 0.55 that are not the team's natural mail."""
    scores = np.array([0.9] * 50 + [0.52] * 50 + [0.1] * 90 + [0.55] * 10)
    y = np.array([1] * 100 + [0] * 100)
    natural = np.array([True] * 190 + [False] * 10)
    return scores, y, natural


def test_threshold_rules_trade_recall_for_false_positives_as_documented() -> None:
    scores, y, natural = _pool()
    # Holding FPR <= 3% over the whole pool must step over the look-alikes at 0.55.
    assert pick_threshold(scores, y) == 0.56
    # Without the limit, or with it counted on natural rows only, all pitches are kept.
    assert pick_threshold(scores, y, max_fpr=1.0) == 0.5
    assert pick_threshold(scores, y, fpr_rows=natural) == 0.5
    picked = {name: rule(scores, y, natural) for name, rule in RULES.items()}
    assert picked["best F1, FPR <= 3% on the pool (shipped)"] == 0.56
    assert picked["fixed 0.5"] == 0.5


def test_round_robin_deals_every_file_exactly_once() -> None:
    files = [Path(f"{name}.csv") for name in "edcbagf"]
    groups = round_robin(files, 3)
    assert [[p.stem for p in g] for g in groups] == [["a", "d", "g"], ["b", "e"], ["c", "f"]]
    assert round_robin(files, 10) == [[p] for p in sorted(files)]


def test_summary_scores_each_group_at_its_own_threshold() -> None:
    name = next(iter(RULES))
    low = GroupResult(["a"], np.array([1, 0]), np.array([0.6, 0.4]), {n: 0.5 for n in RULES})
    high = GroupResult(["b"], np.array([1, 0]), np.array([0.6, 0.4]), {n: 0.3 for n in RULES})
    m = summarise([low, high])[name]
    # Group a at 0.5: one hit, no false positive; group b at 0.3: one hit, one false positive.
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (2, 1, 0, 1)


def test_an_unknown_group_names_the_file_to_fix(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--group", "no_such_writer"])
    assert stop.value.code == 2
    assert "no such raw_train file: no_such_writer" in capsys.readouterr().err


@pytest.mark.integration
def test_training_on_given_rows_reports_its_pool_and_names_its_data(tmp_path: Path) -> None:
    rows = load_split("train")
    small = [r for r in rows if r["label"] == "1"][:60] + [r for r in rows if r["label"] == "0"][
        :60
    ]
    pools: list[tuple[list[dict[str, str]], np.ndarray]] = []
    meta = train(tmp_path, train_rows=small, on_held_out=lambda r, s: pools.append((r, s)))

    n_dev = len(load_split("dev"))
    ((pool_rows, pool_scores),) = pools
    assert len(pool_rows) == len(pool_scores) == len(small) + n_dev
    assert [r["split"] for r in pool_rows].count("dev") == n_dev
    assert ((pool_scores >= 0) & (pool_scores <= 1)).all()
    assert meta["n_train"] == 120
    # The artifact names the rows it really saw, not the split file it did not.
    assert meta["train_sha256"] != file_sha256(split_path("train"))
    model = load_model(tmp_path / "pitch_detector.json")
    verdict = detect_pitch(
        "Loved your talk. P.S. use code PYCON for 30% off our tool.", model=model
    )
    assert 0.0 <= verdict.pitch_score <= 1.0
