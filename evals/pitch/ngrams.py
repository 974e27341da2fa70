"""Sparse word features of a sentence: who asks whom for what is in the words.

MiniLM vectors encode the topic of a sentence well and its direction poorly: "here's the
checklist I mentioned" and "here's our pricing" sit close together. Word n-grams ("would
you mind", "for my website", "I mentioned") and the rule flags (an ask, the sender's own
thing, an offer, a mutual invite) carry the direction. The same function produces the
features at training and at run time, so the two cannot drift apart.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import lru_cache

from evals.pitch.normalize import has_link, mask_links
from evals.pitch.rules import score_sentence

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[?$£€%]")


def tokens(sentence: str) -> list[str]:
    text = mask_links(sentence.lower().replace("’", "'"))
    return ["<num>" if t.isdigit() else t for t in _TOKEN.findall(text)]


def sentence_features(sentence: str) -> list[str]:
    """Unigrams, bigrams and trigrams, plus the rule flags as named features."""
    return list(_sentence_features(sentence))


@lru_cache(maxsize=8192)
def _sentence_features(sentence: str) -> tuple[str, ...]:
    # Cached: the screen and the ask classifier both read every sentence.
    words = tokens(sentence)
    feats = set(words)
    feats.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    feats.update(f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False))
    signal = score_sentence(sentence)
    for flag in ("ask", "ours", "offer", "mutual"):
        if getattr(signal, flag):
            feats.add(f"__{flag}__")
    if has_link(sentence):
        feats.add("__link__")
    if signal.category:
        feats.add(f"__rule_{signal.category}__")
        feats.add("__rule_strong__" if signal.score >= 0.6 else "__rule_weak__")
    return tuple(sorted(feats))


def sparse_score(features: list[str], weights: dict[str, float]) -> float:
    """The linear score of binary features, L2-normalised over the known ones (as in training)."""
    known = [weights[f] for f in features if f in weights]
    if not known:
        return 0.0
    return sum(known) / math.sqrt(len(known))
