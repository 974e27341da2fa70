"""Loading the labelled splits, and the hash that ties a model to its training data."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from evals.datasets.split import DATASETS, split_path

HOLDOUT_DIR = DATASETS / "holdout"


def load_split(name: str, root: Path = DATASETS) -> list[dict[str, str]]:
    with split_path(name, root).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def labels(rows: list[dict[str, str]]) -> list[int]:
    return [int(str(r.get("label", "0")).strip() or 0) for r in rows]
