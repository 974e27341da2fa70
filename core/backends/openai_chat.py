"""Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp ...).

Reads the draft from the message content, never from tool calls or JSON mode, which
compatible servers implement unevenly: JSON content with a `draft`/`text`/`message` field
is unwrapped, anything else is the draft itself. tenacity owns the retries; the SDK's own
are off so a failure is never retried at two layers.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

import openai
from openai.types.chat import ChatCompletion
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
)

from core.backends.base import ChatReply
from core.backends.retry_policy import MAX_ATTEMPTS, is_quota_exhausted, should_retry, wait_s
from core.config import Settings
from core.errors import BackendError, FatalBackendError


class Limiter(Protocol):
    """Paces requests (see core.ratelimit.RateGovernor)."""

    def acquire(self, tokens: float = 0.0) -> None: ...

    def settle(self, estimated: float, actual: float) -> None: ...


_FENCE = re.compile(r"^```(?:json|text)?\s*|\s*```$", re.IGNORECASE)


def extract_draft(content: str | None) -> str:
    """The draft text from a reply's content (JSON-wrapped or plain)."""
    text = _FENCE.sub("", (content or "").strip()).strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return text
        if isinstance(data, dict):
            for key in ("draft", "text", "message", "content", "body"):
                if isinstance(data.get(key), str):
                    return data[key].strip()
    return text


def _fatal_message(exc: openai.APIStatusError) -> str:
    status = exc.status_code
    if is_quota_exhausted(exc):
        return "the LLM account's quota is exhausted (429 insufficient_quota): add credit or switch endpoints"
    if status == 401:
        return "the LLM endpoint rejected the API key (401): check OPENAI_API_KEY"
    if status == 403:
        return "the LLM endpoint refused access (403): check the key's permissions for this model"
    if status == 404:
        return "the LLM endpoint has no such model or path (404): check OUTREACH_MODEL and OPENAI_BASE_URL"
    # The server's own words say what was wrong (e.g. the prompt exceeds its context).
    # Only here: a 401's message may echo part of the key.
    detail = _server_message(exc)
    return f"the LLM endpoint rejected the request ({status}{': ' + detail if detail else ''}); this is not retried"


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body)
    message = error.get("message") if isinstance(error, dict) else None
    text = " ".join(str(message or "").split())
    return text[:200] + ("..." if len(text) > 200 else "")


class OpenAIChatBackend:
    name = "openai"

    def __init__(
        self,
        settings: Settings,
        *,
        client: openai.OpenAI | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        sleep: Callable[[float], None] | None = None,
        on_retry: Callable[[BaseException, float], None] | None = None,
        temperature: float = 0.7,
        max_tokens: int = 400,
        limiter: Limiter | None = None,
    ) -> None:
        self.model = settings.chat_model
        self._client = client or openai.OpenAI(
            api_key=settings.api_key_value(),
            base_url=settings.openai_base_url,
            timeout=settings.request_timeout_s,
            max_retries=0,
        )
        self._max_attempts = max_attempts
        self._sleep = sleep
        self._on_retry = on_retry
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._limiter = limiter
        self._slots: AbstractContextManager[Any] | None = None

    def with_hooks(
        self,
        *,
        limiter: Limiter | None = None,
        on_retry: Callable[[BaseException, float], None] | None = None,
        slots: AbstractContextManager[Any] | None = None,
    ) -> OpenAIChatBackend:
        """A copy sharing the HTTP client, paced by `limiter`, reporting retries, and
        holding one of `slots` for exactly as long as a request is in flight."""
        clone = copy.copy(self)
        clone._limiter = limiter
        clone._on_retry = on_retry
        clone._slots = slots
        return clone

    def _estimate_tokens(self, messages: list[dict[str, str]]) -> int:
        # ~4 characters per token, plus the reply budget: close enough to pace by.
        return sum(len(m.get("content", "")) for m in messages) // 4 + self._max_tokens

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        return wait_s(state.attempt_number, exc)

    def _before_sleep(self, state: RetryCallState) -> None:
        # Reported here, not from _wait: tenacity computes a wait even after the last
        # attempt, which would count a retry that never happens.
        exc = state.outcome.exception() if state.outcome else None
        if self._on_retry and exc is not None:
            self._on_retry(exc, state.upcoming_sleep)

    def complete(self, messages: list[dict[str, str]]) -> ChatReply:
        retrying = Retrying(
            retry=retry_if_exception(should_retry),
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            before_sleep=self._before_sleep,
            reraise=True,
            sleep=self._sleep or time.sleep,
        )
        attempts = 0
        try:
            for attempt in retrying:
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    estimate = self._estimate_tokens(messages)
                    if self._limiter is not None:
                        self._limiter.acquire(estimate)
                    # The SDK's documented low-level `post`: same client, errors and
                    # parsing as `chat.completions.create`, without its typed-parameter
                    # transform (a few ms of CPU per request, which a batch pays 1,000s of times).
                    with self._slots or contextlib.nullcontext():
                        response = self._client.post(
                            "/chat/completions",
                            cast_to=ChatCompletion,
                            body={
                                "model": self.model,
                                "messages": messages,
                                "temperature": self._temperature,
                                "max_tokens": self._max_tokens,
                            },
                        )
                    reply = self._reply(response, attempts)
                    if self._limiter is not None:
                        used = reply.prompt_tokens + reply.completion_tokens
                        self._limiter.settle(estimate, used or estimate)
        except openai.APIStatusError as exc:
            if not should_retry(exc):
                raise FatalBackendError(
                    _fatal_message(exc), attempts=attempts, status_code=exc.status_code
                ) from None
            raise BackendError(
                f"the LLM endpoint kept failing ({exc.status_code}) after {attempts} attempts; "
                "try again later or lower --concurrency/--rpm",
                attempts=attempts,
                status_code=exc.status_code,
            ) from None
        except (openai.APIConnectionError, openai.APIResponseValidationError, ValueError) as exc:
            raise BackendError(
                f"the LLM endpoint could not be reached or answered garbage after {attempts} "
                f"attempts ({type(exc).__name__}); check OPENAI_BASE_URL and that the server is up",
                attempts=attempts,
            ) from None
        return reply

    def _reply(self, response: Any, attempts: int) -> ChatReply:
        choices = getattr(response, "choices", None)
        if not choices:
            raise ValueError("reply has no choices")
        text = extract_draft(choices[0].message.content)
        if not text:
            raise ValueError("reply content is empty")
        usage = getattr(response, "usage", None)
        return ChatReply(
            text=text,
            attempts=attempts,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        )
