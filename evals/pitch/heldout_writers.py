"""How the detector does on writers it has never seen, and which threshold rule holds up.

`python -m evals.pitch.heldout_writers [--groups 6] [--group a,b ...]`

Each `raw_train/` file is one writer. The files are split into groups; for each group the
detector is trained on the train split without that group's messages, its threshold is
re-chosen by every candidate rule on that run's own held-out pool (out-of-fold train +
dev), and the held-out writers are scored. Dev and test are never trained on here, and
test is never read. Takes about 1.5 minutes per group on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evals.datasets.split import RAW_TRAIN, read_rows
from evals.pitch.data import labels, load_split
from evals.pitch.detector import detect_pitch
from evals.pitch.metrics import binary_metrics
from evals.pitch.model import load_model
from evals.pitch.train import pick_threshold, train

#: A rule picks a threshold from held-out scores, labels and which rows are the team's own
#: natural mail (the `raw/` part of train, and dev) rather than deliberate look-alikes.
Rule = Callable[[np.ndarray, np.ndarray, np.ndarray], float]

RULES: dict[str, Rule] = {
    "best F1, FPR <= 3% on the pool (shipped)": lambda s, y, natural: pick_threshold(s, y),
    "best F1, no FPR limit": lambda s, y, natural: pick_threshold(s, y, max_fpr=1.0),
    "fixed 0.5": lambda s, y, natural: 0.5,
    "best F1, FPR <= 3% on natural rows only": lambda s, y, natural: pick_threshold(
        s, y, fpr_rows=natural
    ),
    "best F1, FPR <= 5% on the pool": lambda s, y, natural: pick_threshold(s, y, max_fpr=0.05),
}


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def round_robin(files: list[Path], groups: int) -> list[list[Path]]:
    """Deterministic groups: sorted files dealt out in turn."""
    ordered = sorted(files)
    return [g for g in (ordered[i::groups] for i in range(groups)) if g]


@dataclass
class GroupResult:
    files: list[str]
    y: np.ndarray
    scores: np.ndarray
    thresholds: dict[str, float] = field(default_factory=dict)


def run_group(held: list[Path], train_rows: list[dict[str, str]]) -> GroupResult:
    held_keys = {_key(r["text"]) for path in held for r in read_rows(path)}
    natural_keys = {_key(r["text"]) for r in train_rows} - {
        _key(r["text"]) for path in RAW_TRAIN.glob("*.csv") for r in read_rows(path)
    }
    rows = [r for r in train_rows if _key(r["text"]) not in held_keys]
    pool: dict[str, np.ndarray] = {}

    def keep(pool_rows: list[dict[str, str]], scores: np.ndarray) -> None:
        pool["y"] = np.array(labels(pool_rows))
        pool["scores"] = scores
        pool["natural"] = np.array(
            [r["split"] == "dev" or _key(r["text"]) in natural_keys for r in pool_rows]
        )

    with tempfile.TemporaryDirectory() as out:
        train(out, train_rows=rows, on_held_out=keep)
        model = load_model(Path(out) / "pitch_detector.json")
        held_rows = [r for path in held for r in read_rows(path)]
        scores = np.array([detect_pitch(r["text"], model=model).pitch_score for r in held_rows])
    result = GroupResult([p.stem for p in held], np.array(labels(held_rows)), scores)
    for name, rule in RULES.items():
        result.thresholds[name] = rule(pool["scores"], pool["y"], pool["natural"])
    return result


def summarise(results: list[GroupResult]) -> dict[str, dict[str, float]]:
    """Per rule: metrics over every held-out message, each group at its own threshold."""
    table = {}
    for name in RULES:
        y = np.concatenate([r.y for r in results])
        predicted = np.concatenate([(r.scores >= r.thresholds[name]) for r in results])
        table[name] = binary_metrics(y.tolist(), predicted.astype(int).tolist())
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=6, help="round-robin groups of files")
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        help="comma-separated raw_train file stems held out together (repeatable; "
        "overrides --groups)",
    )
    args = parser.parse_args(argv)
    files = sorted(RAW_TRAIN.glob("*.csv"))
    if args.group:
        by_stem = {p.stem: p for p in files}
        unknown = sorted({s for g in args.group for s in g.split(",")} - set(by_stem))
        if unknown:
            parser.error(f"no such raw_train file: {', '.join(unknown)} (see {RAW_TRAIN})")
        groups = [[by_stem[s] for s in g.split(",")] for g in args.group]
    else:
        groups = round_robin(files, args.groups)
    train_rows = load_split("train")
    results = []
    for held in groups:
        result = run_group(held, train_rows)
        shipped = result.thresholds[next(iter(RULES))]
        m = binary_metrics(result.y.tolist(), (result.scores >= shipped).astype(int).tolist())
        print(
            f"held out {', '.join(result.files)}: n={m['n']} threshold {shipped:.2f} "
            f"F1 {m['f1']:.3f} FPR {m['fpr']:.3f}",
            flush=True,
        )
        results.append(result)
    print("\nthreshold rule | P | R | F1 | FPR (every held-out message, each group's own run)")
    for name, m in summarise(results).items():
        print(f"{name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['fpr']:.3f}")


if __name__ == "__main__":
    main()
