"""Hermetic defaults for every test: a temp workspace, the offline backend, no LLM keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import core
from core.backends.base import ChatReply

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _hermetic_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "outreach-home"
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    monkeypatch.setenv("OUTREACH_BACKEND", "offline")
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OUTREACH_MODEL",
        "OUTREACH_CHROMA_URL",
        "OUTREACH_LOCK_TIMEOUT",
        "OUTREACH_EMBEDDINGS",
        "OUTREACH_SENDER_NAME",
        "OUTREACH_SENDER_ROLE",
        "OUTREACH_SENDER_COMPANY",
        "OUTREACH_SENDER_ABOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    core._services.clear()
    yield home
    core._services.clear()


@dataclass
class FakeChatModel:
    """A chat backend with a queue of canned replies and a history of what it was asked."""

    replies: list[str]
    name: str = "fake"
    model: str = "fake-model"
    history: list[list[dict[str, str]]] = field(default_factory=list)

    def complete(self, messages: list[dict[str, str]]) -> ChatReply:
        self.history.append([dict(m) for m in messages])
        if not self.replies:
            raise AssertionError("FakeChatModel ran out of replies")
        return ChatReply(text=self.replies.pop(0), attempts=1)


@pytest.fixture
def fake_chat() -> type[FakeChatModel]:
    return FakeChatModel
