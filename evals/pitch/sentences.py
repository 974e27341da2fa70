"""Sentence-level training data for the ask classifier.

A pitch is carried by one sentence (often a P.S. or a clause deep in a long email), so
the strongest signal is a classifier that reads sentences, not whole messages:
  - labelled single sentences (`evals/datasets/sentences/*.csv`: text,label,category);
  - sentences of the training messages: every sentence of a non-pitch is a negative;
    a pitch contributes the sentence that carries its ask: the annotated `ask` span when
    the row has one, else the sentence the rules score highest (when they fire at all).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evals.pitch.features import Analysed
from evals.pitch.normalize import mask_links

SENTENCES_DIR = Path(__file__).resolve().parents[1] / "datasets" / "sentences"
#: A rule score at least this strong names a pitch's ask sentence when there is no span.
RULE_POSITIVE = 0.6


@dataclass
class SentenceSet:
    texts: list[str]
    vectors: np.ndarray
    labels: np.ndarray


def load_sentence_rows(directory: Path = SENTENCES_DIR) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += [r for r in csv.DictReader(handle) if (r.get("text") or "").strip()]
    return rows


def sentence_inputs(rows: list[dict[str, str]]) -> list[str]:
    return [mask_links(r["text"].strip())[:400] for r in rows]


def _overlap(a: str, b: str) -> float:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(1, len(wb))


def ask_index(
    row: dict[str, str],
    analysed: Analysed,
    vectors: np.ndarray,
    scorer: Callable[[list[str], np.ndarray], np.ndarray] | None = None,
) -> int | None:
    """Which embedded sentence carries this pitch's ask (None when we cannot tell)."""
    embedded = [analysed.sentences[i] for i in analysed.embedded]
    index = span_index(row.get("ask") or "", embedded)
    if index is not None:
        return index
    index = rule_index([analysed.signals[i].score for i in analysed.embedded])
    if index is not None:
        return index
    if scorer is not None:  # multiple-instance step: trust the current classifier's top sentence
        return int(np.argmax(scorer(embedded, vectors)))
    return None


def span_index(span: str, sentences: list[str]) -> int | None:
    """The sentence that holds a writer-marked ask span (None when none overlaps enough)."""
    if not span.strip() or not sentences:
        return None
    scores = [_overlap(s, span) for s in sentences]
    best = int(np.argmax(scores))
    return best if scores[best] >= 0.5 else None


def rule_index(rule_scores: list[float]) -> int | None:
    """The sentence the rules score highest, when they are sure enough it is the ask."""
    if not rule_scores:
        return None
    best = int(np.argmax(rule_scores))
    return best if rule_scores[best] >= RULE_POSITIVE else None


def ranker_examples(
    rows: list[dict[str, str]], analysed: list[Analysed]
) -> tuple[list[str], list[int]]:
    """Every sentence of a non-pitch is a negative; a pitch gives its ask sentence (the
    marked span, else the strongest rule hit). The rest of a pitch is left out: a second
    sentence often shares the ask ("the link is below")."""
    texts: list[str] = []
    ys: list[int] = []
    for row, an in zip(rows, analysed, strict=True):
        if int(row["label"]) == 0:
            texts += an.sentences
            ys += [0] * len(an.sentences)
            continue
        index = span_index(row.get("ask") or "", an.sentences)
        if index is None:
            index = rule_index([s.score for s in an.signals])
        if index is not None:
            texts.append(an.sentences[index])
            ys.append(1)
    return texts, ys


def message_sentences(
    rows: list[dict[str, str]],
    analysed: list[Analysed],
    vectors: list[np.ndarray],
    scorer: Callable[[list[str], np.ndarray], np.ndarray] | None = None,
) -> SentenceSet:
    texts: list[str] = []
    xs: list[np.ndarray] = []
    ys: list[int] = []
    for row, an, vecs in zip(rows, analysed, vectors, strict=True):
        embedded = [an.sentences[i] for i in an.embedded]
        if int(row["label"]) == 0:
            texts += embedded
            xs += list(vecs)
            ys += [0] * len(vecs)
            continue
        index = ask_index(row, an, vecs, scorer)
        if index is not None:
            texts.append(embedded[index])
            xs.append(vecs[index])
            ys.append(1)
    if not xs:
        return SentenceSet([], np.zeros((0, 384), dtype=np.float32), np.zeros(0, dtype=int))
    return SentenceSet(texts, np.stack(xs), np.array(ys))
