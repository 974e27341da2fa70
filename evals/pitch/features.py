"""Turn one message into what the model reads: sentences, rule signals, embeddings.

Shared by training and run time so the two can never drift apart. Only sentences are
embedded (one batched ONNX call); the message vector is their normalised mean, which
keeps long messages inside the 256-token window and a P.S. as visible as the opening.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from evals.pitch.normalize import mask_links, normalize, split_sentences
from evals.pitch.ranker import Ranker
from evals.pitch.rules import SentenceSignal, names_senders_thing, rule_features, score_sentence

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
    #: Per sentence: the ranker's ask score (the rule score when there is no ranker).
    ranks: list[float]


def select(ranks: list[float]) -> list[int]:
    """Which sentences to embed: the MAX_SENTENCES most likely asks, in message order."""
    order = sorted(range(len(ranks)), key=lambda i: (-ranks[i], i))
    return sorted(order[:MAX_SENTENCES])


def analyse(text: str, ranker: Ranker | None = None) -> Analysed:
    sentences = split_sentences(text)
    if not sentences:
        stripped = normalize(text) or (text or "").strip()
        sentences = [stripped] if stripped else []
    # Who gains can be named one sentence earlier than the ask ("Our tool ... Happy to set
    # you up with a trial."), so each sentence knows whether the one before named the
    # sender's own thing.
    ours = [names_senders_thing(s) for s in sentences]
    signals = [score_sentence(s, i > 0 and ours[i - 1]) for i, s in enumerate(sentences)]
    ranks = ranker.scores(sentences) if ranker else [s.score for s in signals]
    return Analysed(sentences, signals, select(ranks), rule_features(signals), ranks)


def reselect(analysed: Analysed, ranker: Ranker) -> Analysed:
    """The same sentences and rules, with the embedded ones chosen by another ranker."""
    ranks = ranker.scores(analysed.sentences)
    return replace(analysed, embedded=select(ranks), ranks=ranks)


def embed_input(sentence: str) -> str:
    return mask_links(sentence)[:MAX_SENTENCE_CHARS]


def embed_inputs(analysed: Analysed) -> list[str]:
    return [embed_input(analysed.sentences[i]) for i in analysed.embedded] or [" "]


def message_vector(sentence_vectors: np.ndarray) -> np.ndarray:
    mean = sentence_vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)
