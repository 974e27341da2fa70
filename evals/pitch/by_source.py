"""The detector measured only on what it never trained on, source by source.

`outreach eval --by-source` (or `python -m evals.pitch.by_source`) retrains without each
source in turn and scores that source:
  - the team's writer files (`raw_train/`, one writer each), in round-robin groups;
  - each public corpus the detector may train on (`evals.pitch.public`, use "train"),
    held out whole.
Then, with the shipped artifact, it scores the sets nothing was ever trained or tuned on:
public "measure" corpora, and the fresh blind sets under `evals/datasets/fresh/`.
The figures are written next to the artifact (`pitch_detector.by_source.json`, with the
artifact's hash) so `outreach eval` can print them without retraining.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from evals.datasets.split import RAW_TRAIN, read_rows
from evals.pitch import public
from evals.pitch.data import labels, load_split
from evals.pitch.detector import detect_pitch
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
    threshold: float
    #: The held-out messages the detector got wrong, a few of each, for reading.
    missed: list[str]
    false_alarms: list[str]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _score(rows: list[dict[str, str]], model: PitchModel) -> np.ndarray:
    return np.array([detect_pitch(r["text"], model=model).pitch_score for r in rows])


def measure(source: str, how: str, rows: list[dict[str, str]], model: PitchModel) -> SourceResult:
    y = np.array(labels(rows))
    scores = _score(rows, model)
    predicted = (scores >= model.threshold).astype(int)
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
        threshold=model.threshold,
        missed=[t[:300] for t, yy, p in zip(texts, y, predicted, strict=True) if yy and not p][:5],
        false_alarms=[
            t[:300] for t, yy, p in zip(texts, y, predicted, strict=True) if p and not yy
        ][:5],
    )


def training_rows(exclude: set[str] = frozenset()) -> list[dict[str, str]]:  # type: ignore[assignment]
    """What the shipped detector trains on: the train split plus every available public
    corpus whose use is "train", minus the sources named in `exclude`."""
    from evals.pitch.train import public_training_rows

    return [*load_split("train"), *public_training_rows(exclude=exclude)]


def _retrained(
    rows: list[dict[str, str]], train: Callable[..., dict] | None = None
) -> tuple[PitchModel, tempfile.TemporaryDirectory[str]]:
    from evals.pitch.train import train as default_train

    out = tempfile.TemporaryDirectory()
    (train or default_train)(out.name, train_rows=rows)
    return load_model(Path(out.name) / "pitch_detector.json"), out


def writer_groups(groups: int = GROUPS) -> list[list[Path]]:
    files = sorted(RAW_TRAIN.glob("*.csv"))
    return [g for g in (files[i::groups] for i in range(groups)) if g]


def leave_one_source_out(
    groups: int = GROUPS, log: Callable[[str], None] = print
) -> list[SourceResult]:
    results: list[SourceResult] = []
    for group in writer_groups(groups):
        held_rows = [r for path in group for r in read_rows(path)]
        held = {_key(r["text"]) for r in held_rows}
        rows = [r for r in training_rows() if _key(r["text"]) not in held]
        model, tmp = _retrained(rows)
        with tmp:
            name = "team writers: " + ", ".join(p.stem for p in group)
            results.append(measure(name, "left out of training", held_rows, model))
        log(_line(results[-1]))
    for corpus in public.available():
        if corpus.use != "train":
            continue
        model, tmp = _retrained(training_rows(exclude={corpus.name}))
        with tmp:
            rows = public.load_corpus(corpus.name)
            results.append(measure(f"public: {corpus.title}", "left out of training", rows, model))
        log(_line(results[-1]))
    return results


def never_trained_on(model: PitchModel | None = None) -> list[SourceResult]:
    """The shipped artifact on every set nothing was trained or tuned on."""
    from evals.pitch.fresh import fresh_sets

    model = model or load_model()
    results = [
        measure(f"public: {c.title}", "never trained on", public.load_corpus(c.name), model)
        for c in public.available()
        if c.use == "measure"
    ]
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
