"""Deterministic train / dev / test split of the raw pitch data (~60/20/20).

Stratified by label + category. Order inside a stratum comes from sha256(seed + text),
not from a library RNG, so the committed CSVs are reproducible byte for byte on any
machine and any library version. `python -m evals.datasets.split` rewrites them.

`raw/` is split three ways. `raw_train/` (data added after the test split was frozen)
goes to train only: adding training data must never move a message into or out of
test or dev, or every earlier measurement on them stops being comparable.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from pathlib import Path

DATASETS = Path(__file__).resolve().parent
RAW = DATASETS / "raw"
RAW_TRAIN = DATASETS / "raw_train"
#: `ask` is the sentence that carries a pitch's ask, where the writer marked it (else empty).
COLUMNS = ("text", "label", "kind", "category", "rationale", "ask")
SPLITS = ("train", "dev", "test")
SEED = "pitch-split-v1"
FRACTIONS = (0.6, 0.2)  # train, dev; the rest is test


def split_path(name: str, root: Path = DATASETS) -> Path:
    return root / f"pitch_{name}.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{c: (row.get(c) or "").strip() for c in COLUMNS} for row in csv.DictReader(handle)]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def raw_rows(raw_dir: Path = RAW, seen: set[str] | None = None) -> list[dict[str, str]]:
    """Every raw CSV, deduplicated on whitespace-normalised text (first file wins).

    `seen` carries the keys already taken (and is updated), so later directories can
    never repeat an earlier one's message.
    """
    seen = set() if seen is None else seen
    rows: list[dict[str, str]] = []
    for path in sorted(raw_dir.glob("*.csv")):
        for row in read_rows(path):
            key = _key(row["text"])
            if row["text"] and key not in seen:
                seen.add(key)
                rows.append(row)
    return rows


def _order(text: str) -> str:
    return hashlib.sha256(f"{SEED}\n{text}".encode()).hexdigest()


def assign(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    strata: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        strata[(row["label"], row["category"])].append(row)
    out: dict[str, list[dict[str, str]]] = {name: [] for name in SPLITS}
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda r: _order(r["text"]))
        n_train = round(len(group) * FRACTIONS[0])
        n_dev = round(len(group) * FRACTIONS[1])
        out["train"] += group[:n_train]
        out["dev"] += group[n_train : n_train + n_dev]
        out["test"] += group[n_train + n_dev :]
    for name in SPLITS:
        out[name].sort(key=lambda r: _order(r["text"]))
    return out


def build_splits(
    raw_dir: Path = RAW, raw_train_dir: Path = RAW_TRAIN
) -> dict[str, list[dict[str, str]]]:
    seen: set[str] = set()
    out = assign(raw_rows(raw_dir, seen))
    out["train"] = sorted(
        out["train"] + raw_rows(raw_train_dir, seen), key=lambda r: _order(r["text"])
    )
    return out


def write_splits(
    out_dir: Path = DATASETS, raw_dir: Path = RAW, raw_train_dir: Path = RAW_TRAIN
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, rows in build_splits(raw_dir, raw_train_dir).items():
        with split_path(name, out_dir).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts


if __name__ == "__main__":
    print(write_splits())
