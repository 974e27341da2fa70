"""The OpenAI-compatible backend against the fault server: tenacity owns every retry.

Requests are counted at the server, so a retry hidden inside the SDK would show up.
Waits go through an injected `sleep`, so Retry-After values are checked without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from core.backends import retry_policy
from core.backends.openai_chat import OpenAIChatBackend, extract_draft
from core.config import Settings
from core.errors import BackendError, FatalBackendError
from core.fault_server import FaultConfig, FaultServer

MESSAGES = [
    {"role": "system", "content": "You write short notes."},
    {"role": "user", "content": "Write a thank-you to Ada for her compiler talk."},
]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(FaultConfig(seed=1), reply=lambda _r: "Hi Ada, thank you.") as srv:
        yield srv


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def backend(
    server: FaultServer, tmp_path: Path, *, timeout: float = 5.0, **kwargs: Any
) -> OpenAIChatBackend:
    settings = Settings(
        home=tmp_path,
        openai_api_key="test-key",  # type: ignore[arg-type]
        openai_base_url=server.base_url,
        backend="openai",
        request_timeout_s=timeout,
    )
    return OpenAIChatBackend(settings, **kwargs)


def test_a_normal_reply(server: FaultServer, tmp_path: Path) -> None:
    reply = backend(server, tmp_path).complete(MESSAGES)
    assert reply.text == "Hi Ada, thank you." and reply.attempts == 1
    assert reply.prompt_tokens > 0 and reply.completion_tokens > 0
    assert server.stats.snapshot()["total"] == 1


def test_sdk_retries_are_off(server: FaultServer, tmp_path: Path) -> None:
    server.config.p_500 = 1.0
    with pytest.raises(BackendError):
        backend(server, tmp_path, max_attempts=1).complete(MESSAGES)
    assert server.stats.snapshot()["total"] == 1  # the SDK would have made 3
    b = backend(server, tmp_path, max_attempts=1)
    assert b._client.max_retries == 0


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("p_429", {"retry_after_s": 0.01}),
        ("p_500", {}),
        ("p_drop", {}),
        ("p_malformed", {}),
        ("p_timeout", {"hang_s": 3.0}),
    ],
)
def test_transient_failures_are_retried_by_tenacity_only(
    field: str, extra: dict[str, float], server: FaultServer, tmp_path: Path
) -> None:
    setattr(server.config, field, 1.0)
    for name, value in extra.items():
        setattr(server.config, name, value)
    sleeps = Sleeps()
    retried: list[BaseException] = []
    b = backend(
        server,
        tmp_path,
        timeout=0.3,
        max_attempts=3,
        sleep=sleeps,
        on_retry=lambda exc, _wait: retried.append(exc),
    )
    start = time.monotonic()
    with pytest.raises(BackendError) as info:
        b.complete(MESSAGES)
    assert not isinstance(info.value, FatalBackendError)
    assert info.value.attempts == 3
    assert "after 3 attempts" in str(info.value)
    assert server.stats.snapshot()["total"] == 3  # exactly one request per attempt
    assert len(sleeps.waits) == len(retried) == 2
    assert time.monotonic() - start < 3.0  # a hung request is cut at the timeout


def test_a_retry_then_success_reports_its_attempts(server: FaultServer, tmp_path: Path) -> None:
    server.config.p_500 = 1.0
    sleeps = Sleeps()

    def recover(_seconds: float) -> None:
        sleeps(_seconds)
        server.config.p_500 = 0.0

    reply = backend(server, tmp_path, sleep=recover).complete(MESSAGES)
    assert reply.attempts == 2 and server.stats.snapshot()["total"] == 2


@pytest.mark.parametrize(
    ("status", "needle"),
    [
        (400, "(400: Invalid request (injected fault).); this is not retried"),
        (401, "check OPENAI_API_KEY"),
        (403, "(403)"),
        (429, "quota is exhausted"),
    ],
)
def test_fatal_statuses_are_never_retried(
    status: int, needle: str, server: FaultServer, tmp_path: Path
) -> None:
    server.config.fatal_status = status
    sleeps = Sleeps()
    with pytest.raises(FatalBackendError) as info:
        backend(server, tmp_path, sleep=sleeps).complete(MESSAGES)
    assert needle in str(info.value)
    assert info.value.status_code == status
    assert "test-key" not in str(info.value)
    assert server.stats.snapshot()["total"] == 1 and sleeps.waits == []


def test_retry_after_is_honoured(server: FaultServer, tmp_path: Path) -> None:
    server.config.p_429 = 1.0
    server.config.retry_after_s = 2.5
    sleeps = Sleeps()
    with pytest.raises(BackendError):
        backend(server, tmp_path, max_attempts=4, sleep=sleeps).complete(MESSAGES)
    assert len(sleeps.waits) == 3
    assert all(2.5 <= w <= 2.5 + 0.25 for w in sleeps.waits), sleeps.waits


def test_without_retry_after_the_backoff_is_random_exponential(
    server: FaultServer, tmp_path: Path
) -> None:
    server.config.p_500 = 1.0
    sleeps = Sleeps()
    with pytest.raises(BackendError):
        backend(server, tmp_path, max_attempts=6, sleep=sleeps).complete(MESSAGES)
    assert len(sleeps.waits) == 5
    for attempt, wait in enumerate(sleeps.waits, start=1):
        assert 0 <= wait <= retry_policy.INITIAL_WAIT_S * 2 ** (attempt - 1)
    assert len(set(sleeps.waits)) == 5  # jittered, not a fixed schedule


class FakeLimiter:
    def __init__(self) -> None:
        self.acquired: list[float] = []
        self.settled: list[tuple[float, float]] = []

    def acquire(self, tokens: float = 0.0) -> None:
        self.acquired.append(tokens)

    def settle(self, estimated: float, actual: float) -> None:
        self.settled.append((estimated, actual))


def test_limiter_paces_every_attempt_and_is_settled_with_usage(
    server: FaultServer, tmp_path: Path
) -> None:
    server.config.p_500 = 1.0
    limiter = FakeLimiter()
    retries: list[float] = []

    def recover(_seconds: float) -> None:
        server.config.p_500 = 0.0

    base = backend(server, tmp_path, sleep=recover)
    hooked = base.with_hooks(limiter=limiter, on_retry=lambda _exc, wait: retries.append(wait))
    reply = hooked.complete(MESSAGES)
    assert len(limiter.acquired) == 2  # the retry is paced too
    assert limiter.acquired[0] > 400  # prompt estimate plus the reply budget
    assert limiter.settled == [(limiter.acquired[1], reply.prompt_tokens + reply.completion_tokens)]
    assert len(retries) == 1
    assert hooked._client is base._client and base._limiter is None  # a copy, same pool


def test_extract_draft_unwraps_json_and_fences() -> None:
    assert extract_draft('{"draft": " Hi Ada "}') == "Hi Ada"
    assert extract_draft('```json\n{"message": "Hi"}\n```') == "Hi"
    assert extract_draft("```\nHi Ada\n```") == "Hi Ada"
    assert extract_draft("{not json} Hi") == "{not json} Hi"
    assert extract_draft(None) == ""


def test_empty_content_is_retried_then_reported(server: FaultServer, tmp_path: Path) -> None:
    server.reply = lambda _r: "   "
    with pytest.raises(BackendError) as info:
        backend(server, tmp_path, max_attempts=2, sleep=Sleeps()).complete(MESSAGES)
    assert "garbage" in str(info.value) and server.stats.snapshot()["total"] == 2


def _status_error(status: int, headers: dict[str, str], body: Any = None) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx.Response(status, headers=headers, request=request)
    return openai.APIStatusError("boom", response=response, body=body)


def test_retry_after_parsing() -> None:
    assert retry_policy.retry_after_s(_status_error(429, {"retry-after-ms": "250"})) == 0.25
    assert retry_policy.retry_after_s(_status_error(429, {"retry-after": "2"})) == 2.0
    both = {"retry-after-ms": "100", "retry-after": "7"}
    assert retry_policy.retry_after_s(_status_error(429, both)) == 0.1
    date = {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}
    assert retry_policy.retry_after_s(_status_error(429, date)) is None  # falls back to backoff
    assert retry_policy.retry_after_s(_status_error(429, {"retry-after": "3600"})) is None
    assert retry_policy.retry_after_s(None) is None


def test_retry_classification() -> None:
    quota = {"error": {"code": "insufficient_quota", "message": "You exceeded your quota"}}
    assert retry_policy.should_retry(_status_error(429, {}))
    assert not retry_policy.should_retry(_status_error(429, {}, quota))
    for status in (408, 409, 500, 502, 503):
        assert retry_policy.should_retry(_status_error(status, {}))
    for status in (400, 401, 403, 404, 422):
        assert not retry_policy.should_retry(_status_error(status, {}))
