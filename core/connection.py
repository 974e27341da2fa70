"""Is the configured model endpoint answering? One tiny chat request, one attempt, and a
message that says what was tested and what came back.

Used by the web app's Settings page. With no endpoint configured there is nothing to
test: that is said as such, never reported as a successful connection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from core.backends.openai_chat import OpenAIChatBackend
from core.config import Settings
from core.errors import BackendError, FatalBackendError, OutreachError

#: A connection test should answer in seconds, not wait out a drafting timeout.
TEST_TIMEOUT_S = 10.0
PROMPT = [{"role": "user", "content": "Reply with the single word: ok"}]

Outcome = Literal["ok", "failed", "nothing_to_test"]


@dataclass(frozen=True)
class ConnectionResult:
    outcome: Outcome
    message: str


def describe_endpoint(settings: Settings) -> str:
    return settings.openai_base_url or "the OpenAI API (no OPENAI_BASE_URL set)"


def check_connection(
    settings: Settings,
    *,
    timeout_s: float = TEST_TIMEOUT_S,
    backend: OpenAIChatBackend | None = None,
) -> ConnectionResult:
    """Send one chat request to the configured endpoint, without retries."""
    if not settings.llm_configured:
        return ConnectionResult(
            "nothing_to_test",
            "Nothing to test: no model endpoint is configured, so drafts are written offline "
            "by the composer, which needs no connection. Set OPENAI_BASE_URL (a local server) "
            "or OPENAI_API_KEY to draft with a model.",
        )
    where, model = describe_endpoint(settings), settings.chat_model
    started = time.monotonic()
    try:
        chat = backend or OpenAIChatBackend(
            settings.model_copy(
                update={"request_timeout_s": min(timeout_s, settings.request_timeout_s)}
            ),
            max_attempts=1,
            max_tokens=5,
        )
        reply = chat.complete(PROMPT)
    except OutreachError as exc:
        return ConnectionResult(
            "failed", f"Tested {where} with model {model}: {_why(exc, timeout_s)}"
        )
    elapsed = time.monotonic() - started
    return ConnectionResult(
        "ok",
        f"Tested {where}: model {model} answered a one-word chat request in {elapsed:.1f} s "
        f"(it replied “{reply.text.strip()[:40]}”).",
    )


def _why(exc: OutreachError, timeout_s: float) -> str:
    """What went wrong, in words: the backend's own messages are written for a batch."""
    text = str(exc)
    if isinstance(exc, BackendError) and exc.status_code is None:
        if "APITimeoutError" in text:
            return (
                f"no answer within {timeout_s:.0f} s. Check that the server is running and "
                "not overloaded."
            )
        if "APIConnectionError" in text:
            return (
                "nothing answered there (the connection failed). Check that the server is "
                "running and that OPENAI_BASE_URL is right."
            )
        return (
            "it answered, but not with a chat reply. Check that OPENAI_BASE_URL points at "
            "an OpenAI-compatible /v1 endpoint."
        )
    if isinstance(exc, BackendError) and not isinstance(exc, FatalBackendError):
        if exc.status_code is not None and exc.status_code >= 500:
            return f"the server failed with an error ({exc.status_code}). Try again later."
        return (
            f"the server is busy or limiting requests ({exc.status_code}). Try again in a minute."
        )
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
