"""The detector measured only on what it never trained on, source by source.

`outreach eval --by-source` (or `python -m evals.pitch.by_source`) retrains without each
round-robin group of the team's writer files (`raw_train/`, one writer each) and scores
that group. Then, with the shipped artifact, it scores the sets nothing was ever trained
or tuned on: the public corpora (`evals.pitch.public`, each held out whole) and the fresh
blind sets under `evals/datasets/fresh/`.
The figures are written next to the artifact (`pitch_detector.by_source.json`, with the
artifact's hash) so `outreach eval` can print them without retraining.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from evals.datasets.split import RAW_TRAIN, read_rows
from evals.pitch import public
from evals.pitch.data import labels, load_split
from evals.pitch.detector import detect_pitch
from evals.pitch.heldout_writers import RULES, round_robin, run_group
from evals.pitch.metrics import binary_metrics
from evals.pitch.model import ARTIFACT, PitchModel, load_model

REPORT = ARTIFACT.with_name("pitch_detector.by_source.json")
GROUPS = 4


@dataclass
class SourceResult:
    source: str
    how: str  # "left out of training" | "never trained on"
    n: int
    positives: int
    precision: float
    recall: float
    f1: float
    fpr: float
    #: The confusion counts, so several sources can be pooled exactly.
    tp: int
    fp: int
    fn: int
    tn: int
    threshold: float
    #: The held-out messages the detector got wrong, a few of each, for reading.
    missed: list[str]
    false_alarms: list[str]


def _scores(rows: list[dict[str, str]], model: PitchModel) -> np.ndarray:
    return np.array([detect_pitch(r["text"], model=model).pitch_score for r in rows])


def measure(source: str, how: str, rows: list[dict[str, str]], model: PitchModel) -> SourceResult:
    return _result(source, how, rows, _scores(rows, model), model.threshold)


def _result(
    source: str, how: str, rows: list[dict[str, str]], scores: np.ndarray, threshold: float
) -> SourceResult:
    y = np.array(labels(rows))
    predicted = (scores >= threshold).astype(int)
    m = binary_metrics(y.tolist(), predicted.tolist())
    texts = [r["text"] for r in rows]
    return SourceResult(
        source=source,
        how=how,
        n=len(rows),
        positives=int(y.sum()),
        precision=round(m["precision"], 4),
        recall=round(m["recall"], 4),
        f1=round(m["f1"], 4),
        fpr=round(m["fpr"], 4),
        tp=int(m["tp"]),
        fp=int(m["fp"]),
        fn=int(m["fn"]),
        tn=int(m["tn"]),
        threshold=threshold,
        missed=[t[:300] for t, yy, p in zip(texts, y, predicted, strict=True) if yy and not p][:5],
        false_alarms=[
            t[:300] for t, yy, p in zip(texts, y, predicted, strict=True) if p and not yy
        ][:5],
    )


def leave_one_source_out(
    groups: int = GROUPS, log: Callable[[str], None] = print
) -> list[SourceResult]:
    """Each round-robin group of writer files, scored by a detector trained without it
    (evals.pitch.heldout_writers does the retraining, at the shipped threshold rule)."""
    shipped_rule = next(iter(RULES))
    train_rows = load_split("train")
    results: list[SourceResult] = []
    for group in round_robin(sorted(RAW_TRAIN.glob("*.csv")), groups):
        run = run_group(group, train_rows)
        held_rows = [r for path in group for r in read_rows(path)]
        name = "team writers: " + ", ".join(run.files)
        results.append(
            _result(
                name, "left out of training", held_rows, run.scores, run.thresholds[shipped_rule]
            )
        )
        log(_line(results[-1]))
    return results


def never_trained_on(model: PitchModel | None = None) -> list[SourceResult]:
    """The shipped artifact on every set nothing was trained or tuned on."""
    from evals.pitch.fresh import fresh_sets

    model = model or load_model()
    results: list[SourceResult] = []
    halves: list[SourceResult] = []
    for c in public.available():
        rows = public.load_corpus(c.name)
        scores = _scores(rows, model)
        results.append(
            _result(f"public: {c.title}", "never trained on", rows, scores, model.threshold)
        )
        if c.name in public.READ_HALF_ONLY:
            unread = [i for i, r in enumerate(rows) if not public.in_read_half(r["text"])]
            # Not prefixed "public:", so the pooled target counts each corpus once.
            halves.append(
                _result(
                    f"unread half of {c.title}",
                    "never trained on or read",
                    [rows[i] for i in unread],
                    scores[unread],
                    model.threshold,
                )
            )
    results += halves
    results += [measure(name, "never trained on", rows, model) for name, rows in fresh_sets()]
    return results


def _line(r: SourceResult) -> str:
    return (
        f"{r.source} ({r.how}): n={r.n} P {r.precision:.3f} R {r.recall:.3f} "
        f"F1 {r.f1:.3f} FPR {r.fpr:.3f}"
    )


def artifact_sha256(path: Path = ARTIFACT) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_report(results: list[SourceResult], path: Path = REPORT) -> None:
    payload = {
        "artifact_sha256": artifact_sha256(),
        "missing_public_corpora": [c.name for c in public.missing()],
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def read_report(path: Path = REPORT) -> dict | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=GROUPS, help="groups of writer files")
    args = parser.parse_args(argv)
    results = leave_one_source_out(args.groups)
    for r in never_trained_on():
        print(_line(r), flush=True)
        results.append(r)
    write_report(results)
    print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
