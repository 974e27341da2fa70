"""The detector's entry point: a score, a label and the sentences that carry the ask.

Rules say which sentence asks for what and who benefits; the embedding classifier
catches asks the rules have no words for; a combiner trained on held-out logits weighs
them. An optional LLM judge (evals.pitch.judge) can add a vote when the caller opts in.
"""

from __future__ import annotations

import numpy as np

from core.models import PitchSpan, PitchVerdict
from evals.pitch.features import analyse, embed_inputs, message_vector
from evals.pitch.judge import PitchJudge
from evals.pitch.model import PitchModel, combiner_inputs, load_model
from evals.pitch.rules import RULE_DECIDES

#: A sentence's rule score at or above this is listed as carrying the ask.
RULE_REASON = 0.6


def _embedder():
    from core.embeddings import _local

    return _local()


def detect_pitch(
    text: str,
    kind: str | None = None,
    model: PitchModel | None = None,
    judge: PitchJudge | None = None,
) -> PitchVerdict:
    """Judge the ask, not the tone. `kind` is accepted for the interface; the ask decides.

    With an opt-in `judge`, its vote is averaged with the local score (equal weight).
    """
    model = model or load_model()
    analysed = analyse(text, model.ranker)
    if not analysed.sentences:
        return PitchVerdict(
            is_pitch=False, pitch_score=0.0, signals={"rules": 0.0, "classifier": 0.0}
        )
    # First stage: words and rules only. A message far below every pitch seen in held-out
    # data is cleared here, without the embedding model (most genuine notes, and almost
    # every draft this project writes, so checks stay cheap).
    screen = model.screen(analysed.ranks, analysed.rule_feats)
    explicit = analysed.rule_feats["rules"] >= RULE_DECIDES
    if screen < model.screen_cut and judge is None and not explicit:
        return PitchVerdict(
            is_pitch=False,
            pitch_score=round(screen, 4),
            signals={
                "screen": round(screen, 4),
                "screened": 1.0,
                "rules": analysed.rule_feats["rules"],
            },
        )
    # Cached per sentence: a revision or a re-check repeats most of a message's sentences.
    vectors = _embedder().embed_sentences(embed_inputs(analysed))
    sent_logits = model.logits(vectors)
    ask_logits = model.ask_logits(vectors, [analysed.sentences[i] for i in analysed.embedded])
    msg_logit = float(model.logits(message_vector(vectors)[None, :])[0])
    score = model.combine(combiner_inputs(analysed, msg_logit, sent_logits, ask_logits))
    vote = judge.vote(text) if judge is not None else None
    ask_p = float(1 / (1 + np.exp(-np.max(ask_logits))))
    if ask_p >= model.ask_cut or explicit:
        # One sentence that asks for the sender makes the message a pitch, wherever it
        # sits and however warm the rest: the message score cannot dilute it.
        score = max(score, model.threshold)
    local = score
    if vote is not None:
        # Map the judge's probability onto the local threshold's scale before averaging.
        score = (score + _rescale(vote.score, model.threshold)) / 2
    is_pitch = score >= model.threshold

    reasons: list[PitchSpan] = []
    if is_pitch:
        reasons = [
            PitchSpan(sentence=s.sentence, category=s.category or "", reason=s.reason)
            for s in analysed.signals
            if s.score >= RULE_REASON
        ]
        if vote is not None and vote.is_pitch and vote.ask_sentence and not reasons:
            reasons = [
                PitchSpan(
                    sentence=vote.ask_sentence,
                    category="llm_judge",
                    reason=f"LLM judge: {vote.reason}",
                )
            ]
        if not reasons:
            # Only the classifier fired: name the sentence it reads as the ask.
            top = int(np.argmax(ask_logits))
            sentence = analysed.sentences[analysed.embedded[top]]
            reasons = [
                PitchSpan(
                    sentence=sentence,
                    category=model.nearest_category(vectors[top]),
                    reason="no explicit rule matched; the classifier reads this sentence as an ask for the sender's benefit",
                )
            ]
    signals = {
        "rules": analysed.rule_feats["rules"],
        "offer": analysed.rule_feats["offer"],
        "mutual": analysed.rule_feats["mutual"],
        "classifier": round(1 / (1 + np.exp(-msg_logit)), 4),
        "classifier_sentence_max": round(float(1 / (1 + np.exp(-np.max(sent_logits)))), 4),
        "ask_sentence_max": round(float(1 / (1 + np.exp(-np.max(ask_logits)))), 4),
        "local": round(local, 4),
        "combined": round(score, 4),
        "threshold": model.threshold,
        "screen": round(screen, 4),
    }
    if vote is not None:
        signals["judge"] = vote.score
    return PitchVerdict(
        is_pitch=is_pitch, pitch_score=round(score, 4), reasons=reasons, signals=signals
    )


def _rescale(p: float, threshold: float) -> float:
    """Piecewise-linear map sending 0.5 to `threshold`, keeping 0 and 1 fixed."""
    return p / 0.5 * threshold if p <= 0.5 else threshold + (p - 0.5) / 0.5 * (1 - threshold)
