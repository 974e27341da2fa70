"""`outreach check`: JSON lines in, one JSON line out per input, in order, never a crash."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from evals.pitch import detect_pitch

if TYPE_CHECKING:
    from evals.pitch.judge import PitchJudge


def verdict_json(
    text: str, kind: str | None = None, judge: PitchJudge | None = None
) -> dict[str, Any]:
    verdict = detect_pitch(text, kind, judge=judge)
    return {
        "is_pitch": verdict.is_pitch,
        "pitch_score": round(verdict.pitch_score, 4),
        "reasons": [span.model_dump() for span in verdict.reasons],
        "signals": {k: round(v, 4) for k, v in verdict.signals.items()},
    } | ({"judge": verdict.signals.get("judge")} if judge is not None else {})


def check_line(line: str, number: int, judge: PitchJudge | None = None) -> dict[str, Any]:
    """One output object for one input line; invalid input gives an error object."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": number, "error": f"line {number} is not valid JSON ({exc.msg})"}
    if not isinstance(data, dict):
        return {"line": number, "error": f"line {number} must be a JSON object with a `text` field"}
    text = data.get("text")
    if not isinstance(text, str):
        return {"line": number, "error": f"line {number} has no string `text` field"}
    kind = data.get("kind")
    if kind is not None and not isinstance(kind, str):
        return {"line": number, "error": f"line {number}: `kind` must be a string"}
    result = verdict_json(text, kind, judge)
    if "id" in data:
        result = {"id": data["id"], **result}
    return result


def check_jsonl_stream(source: TextIO, sink: TextIO, judge: PitchJudge | None = None) -> int:
    """Check every line of `source`; blank lines are echoed as errors to keep positions aligned."""
    count = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        sink.write(json.dumps(check_line(line, number, judge), ensure_ascii=False) + "\n")
        sink.flush()
        count += 1
    return count
