"""Turn one message into what the model reads: sentences, rule signals, embeddings.

Shared by training and run time so the two can never drift apart. Only sentences are
embedded (one batched ONNX call); the message vector is their normalised mean, which
keeps long messages inside the 256-token window and a P.S. as visible as the opening.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evals.pitch.normalize import mask_links, normalize, split_sentences
from evals.pitch.rules import SentenceSignal, rule_features, score_sentence

#: Most sentences embedded per message: keeps a long email under the latency budget.
MAX_SENTENCES = 5
#: Characters kept per sentence (MiniLM truncates at 256 tokens anyway).
MAX_SENTENCE_CHARS = 240


@dataclass
class Analysed:
    sentences: list[str]
    signals: list[SentenceSignal]
    #: Indices (into `sentences`) of the embedded sentences, in message order.
    embedded: list[int]
    rule_feats: dict[str, float]


def select(signals: list[SentenceSignal]) -> list[int]:
    """Which sentences to embed: every likely ask first, then the opening and the end."""
    n = len(signals)
    if n <= MAX_SENTENCES:
        return list(range(n))
    ranked = sorted(range(n), key=lambda i: (-signals[i].score, -int(signals[i].ask), i))
    keep = set(ranked[: MAX_SENTENCES // 2])
    for i in [*range(n)[:3], *range(n)[-2:], *ranked]:
        if len(keep) >= MAX_SENTENCES:
            break
        keep.add(i)
    return sorted(keep)


def analyse(text: str) -> Analysed:
    sentences = split_sentences(text)
    if not sentences:
        stripped = normalize(text) or (text or "").strip()
        sentences = [stripped] if stripped else []
    signals = [score_sentence(s) for s in sentences]
    return Analysed(sentences, signals, select(signals), rule_features(signals))


def embed_inputs(analysed: Analysed) -> list[str]:
    return [mask_links(analysed.sentences[i])[:MAX_SENTENCE_CHARS] for i in analysed.embedded] or [
        " "
    ]


def message_vector(sentence_vectors: np.ndarray) -> np.ndarray:
    mean = sentence_vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)
