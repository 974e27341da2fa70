"""Fresh sets written blind for measurement: never trained or tuned on.

`evals/datasets/fresh/` holds sentences and messages written for this purpose by a writer
who saw neither the training data nor the detector, and one set built from them: the
offline composer's own drafts with one added sentence, the product's real failure case
("a compliment ending in 'P.S. ... happy to set you up with a free trial'").

`python -m evals.pitch.fresh` rebuilds `drafts_plus_one.csv` deterministically.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from evals.datasets.split import DATASETS
from evals.pitch.data import load_csv

FRESH_DIR = DATASETS / "fresh"
DRAFTS_PLUS_ONE = FRESH_DIR / "drafts_plus_one.csv"
EXAMPLE_CONTACTS = Path(__file__).resolve().parents[2] / "examples" / "contacts.csv"
SEED = 11
COLUMNS = ("text", "label", "kind", "category", "inserted", "shape")


def _read(path: Path) -> list[dict[str, str]]:
    return load_csv(path) if path.is_file() else []


def fresh_sets() -> list[tuple[str, list[dict[str, str]]]]:
    """(name, rows) for every fresh set present."""
    sets = [
        ("fresh: whole messages written blind", _read(FRESH_DIR / "whole_messages.csv")),
        ("fresh: offline drafts + one added sentence", _read(DRAFTS_PLUS_ONE)),
    ]
    return [(name, rows) for name, rows in sets if rows]


def insert_sentence(draft: str, sentence: str, shape: str) -> str:
    """Put `sentence` where a writer would: a P.S. after the sign-off, an aside after the
    first paragraph, or a closing line just before the sign-off."""
    paragraphs = draft.split("\n\n")
    if shape == "ps":
        text = sentence if sentence.lower().startswith("p.s") else f"P.S. {sentence}"
        return f"{draft}\n\n{text}"
    if shape == "aside" and len(paragraphs) >= 3:
        paragraphs[1] = f"{paragraphs[1]} {sentence}"
        return "\n\n".join(paragraphs)
    # closing (and plain): the last paragraph before the sign-off.
    at = max(1, len(paragraphs) - 1)
    paragraphs[at - 1] = f"{paragraphs[at - 1]} {sentence}"
    return "\n\n".join(paragraphs)


def _drafts() -> list[tuple[str, str]]:
    from core.composer import compose
    from core.contacts import contact_from_row
    from core.kinds import Kind
    from core.models import Sender

    sender = Sender(name="Sam Lee", role="Backend engineer", company="Tidewater")
    drafts = []
    for contact in (contact_from_row(r) for r in _read(EXAMPLE_CONTACTS)):
        for kind in Kind:
            for variant in (0, 1):
                drafts.append((kind.value, compose(contact, kind, sender, variant=variant).text))
    return drafts


def build_drafts_plus_one(out: Path = DRAFTS_PLUS_ONE) -> int:
    pitches = _read(FRESH_DIR / "pitch_sentences.csv")
    genuine = _read(FRESH_DIR / "genuine_sentences.csv")
    if not pitches or not genuine:
        raise SystemExit(f"missing fresh sentences in {FRESH_DIR}")
    rng = random.Random(SEED)
    rng.shuffle(pitches)
    rng.shuffle(genuine)
    rows = []
    for i, (kind, draft) in enumerate(_drafts()):
        rows.append({"text": draft, "label": "0", "kind": kind, "category": "plain_draft"})
        for j in range(2):
            p = pitches[(2 * i + j) % len(pitches)]
            shape = (
                ("ps", "aside", "closing")[(2 * i + j) % 3] if p["shape"] == "plain" else p["shape"]
            )
            rows.append(
                {
                    "text": insert_sentence(draft, p["text"], shape),
                    "label": "1",
                    "kind": kind,
                    "category": p["category"],
                    "inserted": p["text"],
                    "shape": shape,
                }
            )
        g = genuine[i % len(genuine)]
        shape = ("ps", "aside", "closing")[i % 3] if g["shape"] == "plain" else g["shape"]
        rows.append(
            {
                "text": insert_sentence(draft, g["text"], shape),
                "label": "0",
                "kind": kind,
                "category": g["category"],
                "inserted": g["text"],
                "shape": shape,
            }
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"wrote {build_drafts_plus_one()} rows to {DRAFTS_PLUS_ONE}")
