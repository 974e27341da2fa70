"""When to retry an LLM request, and how long to wait. tenacity owns the retries.

Retried, one reason each:
- 408 request timeout, 409 conflict (lock contention server-side), 429 rate limit
  (but never an exhausted quota), any 5xx: the same request may well succeed later;
- timeouts and dropped connections: transient network trouble;
- a 200 whose body is not valid JSON: a flaky proxy or server, worth one more try.
Never retried: 400 (the request itself is wrong), 401/403 (key or permission), 404
(no such model), an exhausted quota. Those stop a batch with one clear message.
"""

from __future__ import annotations

import random

import openai

MAX_ATTEMPTS = 6
INITIAL_WAIT_S = 0.5
MAX_WAIT_S = 30.0
#: Never sleep longer than this on a server's Retry-After, whatever it says.
MAX_RETRY_AFTER_S = 60.0
RETRYABLE_STATUS = frozenset({408, 409, 429})


def is_quota_exhausted(exc: BaseException) -> bool:
    if not isinstance(exc, openai.APIStatusError) or exc.status_code != 429:
        return False
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    code = error.get("code") if isinstance(error, dict) else None
    return code == "insufficient_quota" or "quota" in str(exc.message).lower()


def should_retry(exc: BaseException) -> bool:
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        return True
    if isinstance(exc, openai.APIResponseValidationError):
        return True
    if isinstance(exc, openai.APIStatusError):
        if is_quota_exhausted(exc):
            return False
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    # JSON errors from a malformed 200 body surface as ValueError subclasses.
    return isinstance(exc, ValueError)


def is_fatal(exc: BaseException) -> bool:
    """The endpoint refused in a way no retry can fix."""
    return isinstance(exc, openai.APIStatusError) and not should_retry(exc)


def retry_after_s(exc: BaseException | None) -> float | None:
    """The server's requested wait, from `retry-after-ms` or `Retry-After` (seconds)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            continue  # an HTTP date: rare for APIs, fall back to backoff
        if 0 <= seconds <= MAX_RETRY_AFTER_S:
            return seconds
    return None


def backoff_s(attempt: int, rng: random.Random | None = None) -> float:
    """Random exponential backoff ("full jitter"): uniform in [0, min(cap, base * 2^n)]."""
    source: random.Random = rng or random._inst  # the module's shared generator
    ceiling = min(MAX_WAIT_S, INITIAL_WAIT_S * (2 ** max(0, attempt - 1)))
    return source.uniform(0, ceiling)


def wait_s(attempt: int, exc: BaseException | None) -> float:
    """Honour Retry-After when the server gives one (plus a little jitter), else back off."""
    hinted = retry_after_s(exc)
    if hinted is not None:
        return hinted + random.uniform(0, min(0.25, hinted * 0.1 + 0.01))
    return backoff_s(attempt)
