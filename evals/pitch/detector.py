"""The detector's entry point: a score, a label and the sentences that carry the ask."""

from __future__ import annotations

from core.models import PitchSpan, PitchVerdict
from evals.pitch.rules import rule_hits

THRESHOLD = 0.5


def detect_pitch(text: str, kind: str | None = None) -> PitchVerdict:
    hits = rule_hits(text)
    score = max((h.score for h in hits), default=0.0)
    return PitchVerdict(
        is_pitch=score >= THRESHOLD,
        pitch_score=score,
        reasons=[PitchSpan(sentence=h.sentence, category=h.category, reason=h.reason) for h in hits if h.score >= THRESHOLD],
        signals={"rules": score},
    )
