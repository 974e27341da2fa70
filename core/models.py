"""Typed results shared by the engine, the checks, the CLI and the web app."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.kinds import Kind

Status = Literal["ok", "flagged", "error"]

#: Shown wherever a draft from the offline composer appears: it is not an LLM.
OFFLINE_LABEL = "Drafted offline by the deterministic composer (no LLM was used)."


class Sender(BaseModel):
    """The user: facts about them are theirs to state, so they count as grounded."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = ""
    role: str = ""
    company: str = ""
    about: str = ""

    def text(self) -> str:
        return "\n".join(v for v in (self.name, self.role, self.company, self.about) if v)


class PitchSpan(BaseModel):
    """One sentence that carries an ask for the sender, and why."""

    sentence: str
    category: str
    reason: str


class PitchVerdict(BaseModel):
    is_pitch: bool
    pitch_score: float = Field(ge=0.0, le=1.0)
    reasons: list[PitchSpan] = Field(default_factory=list)
    #: Which signals voted (e.g. {"rules": 0.9, "classifier": 0.8}).
    signals: dict[str, float] = Field(default_factory=dict)


class CheckResult(BaseModel):
    name: str
    passed: bool
    reasons: list[str] = Field(default_factory=list)
    #: False when no wording can pass it (the contact lacks the data): only the user can.
    fixable: bool = True


class CheckReport(BaseModel):
    """Every check run on one text. `passed` is True only when all of them pass."""

    is_pitch: bool
    pitch_score: float
    pitch: PitchVerdict
    results: list[CheckResult]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if not r.passed]

    @property
    def rewording_can_help(self) -> bool:
        """Whether another wording (a revision, another realization) could pass every check."""
        return any(r.fixable for r in self.failures())

    def failure_reasons(self) -> list[str]:
        return [f"{r.name}: {reason}" for r in self.failures() for reason in r.reasons]

    def summary(self) -> dict[str, bool]:
        return {r.name: r.passed for r in self.results}


class GuidanceRef(BaseModel):
    """A retrieved guidance chunk, as cited by a draft."""

    id: str
    title: str
    source: str
    text: str
    score: float = 0.0


class Draft(BaseModel):
    """One drafted message with its provenance and the checks it went through."""

    text: str
    kind: Kind
    contact_name: str
    status: Status
    backend: str
    model: str
    prompt_id: str
    prompt_version: str
    guidance: list[GuidanceRef] = Field(default_factory=list)
    note_snippets: list[str] = Field(default_factory=list)
    checks: CheckReport
    attempts: int = 1
    label: str = ""
    #: The coach's score card (core.scorecard): words, reading grade, specificity, asks.
    score: dict[str, object] = Field(default_factory=dict)

    @property
    def guidance_ids(self) -> list[str]:
        return [g.id for g in self.guidance]

    def to_json_dict(self) -> dict[str, object]:
        """The stable JSON shape of `outreach draft --json`."""
        return {
            "text": self.text,
            "kind": self.kind.value,
            "contact_name": self.contact_name,
            "status": self.status,
            "backend": self.backend,
            "model": self.model,
            "label": self.label,
            "prompt_id": self.prompt_id,
            "prompt_version": self.prompt_version,
            "guidance_ids": self.guidance_ids,
            "guidance": [g.model_dump(exclude={"text"}) for g in self.guidance],
            "note_snippets": self.note_snippets,
            "attempts": self.attempts,
            "score": self.score,
            "checks": {
                "is_pitch": self.checks.is_pitch,
                "pitch_score": round(self.checks.pitch_score, 4),
                "passed": self.checks.passed,
                "results": {r.name: r.passed for r in self.checks.results},
                "reasons": self.checks.failure_reasons(),
                "pitch_reasons": [s.model_dump() for s in self.checks.pitch.reasons],
            },
        }
