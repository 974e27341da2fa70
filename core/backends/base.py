"""The small interface every chat backend implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ChatReply:
    text: str
    #: Requests made for this reply, retries included.
    attempts: int = 1
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ChatBackend(Protocol):
    name: str
    model: str

    def complete(self, messages: list[dict[str, str]]) -> ChatReply: ...
