"""The Settings connection test against real sockets on 127.0.0.1: a closed port, the
fault server answering, refusing, failing and hanging; and the offline case."""

from __future__ import annotations

import socket

import pytest

from core.config import Settings
from core.connection import check_connection
from core.fault_server import FaultConfig, FaultServer


def _closed_port() -> int:
    """A port nothing listens on: bound once to get a free number, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings(monkeypatch: pytest.MonkeyPatch, base_url: str) -> Settings:
    monkeypatch.setenv("OUTREACH_BACKEND", "auto")
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("OUTREACH_MODEL", "tiny-test-model")
    return Settings.from_env()


def test_offline_has_nothing_to_test_and_says_so() -> None:
    result = check_connection(Settings.from_env())  # the hermetic env: offline
    assert result.outcome == "nothing_to_test"
    assert "Nothing to test" in result.message and "offline" in result.message


def test_a_closed_port_fails_and_names_what_was_tested(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    result = check_connection(_settings(monkeypatch, url))
    assert result.outcome == "failed"
    assert url in result.message and "tiny-test-model" in result.message
    assert "nothing answered" in result.message
    assert "APIConnectionError" not in result.message


def test_a_server_that_answers_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    with FaultServer() as server:
        result = check_connection(_settings(monkeypatch, server.base_url))
        asked = server.stats.total
    assert result.outcome == "ok", result.message
    assert server.base_url in result.message and "answered" in result.message
    assert asked == 1


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (FaultConfig(fatal_status=401), "rejected the API key"),
        (FaultConfig(p_500=1.0), "failed with an error (500)"),
        (FaultConfig(p_429=1.0), "busy or limiting requests (429)"),
        (FaultConfig(p_malformed=1.0), "not with a chat reply"),
        (FaultConfig(p_timeout=1.0, hang_s=5.0), "no answer within 1 s"),
    ],
)
def test_a_failing_server_fails_once_without_retries(
    monkeypatch: pytest.MonkeyPatch, config: FaultConfig, expected: str
) -> None:
    with FaultServer(config) as server:
        result = check_connection(_settings(monkeypatch, server.base_url), timeout_s=1.0)
        asked = server.stats.total
    assert result.outcome == "failed"
    assert asked == 1  # one attempt: a connection test does not retry
    assert expected in result.message, result.message
    assert "--concurrency" not in result.message and "attempts" not in result.message
