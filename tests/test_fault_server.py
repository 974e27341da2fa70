"""The fault server, driven by the real openai SDK over loopback (hermetic, a few seconds)."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest

from core.fault_server import FaultConfig, FaultServer

MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Write a note to Ada about her talk on compilers."},
]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(FaultConfig(seed=7)) as srv:
        yield srv


def client_for(server: FaultServer, timeout: float = 5.0) -> openai.OpenAI:
    # max_retries=0: each test sees exactly the fault the server injected.
    return openai.OpenAI(
        base_url=server.base_url, api_key="test-key", max_retries=0, timeout=timeout
    )


def chat(client: openai.OpenAI) -> openai.types.chat.ChatCompletion:
    return client.chat.completions.create(model="fault-model", messages=MESSAGES)  # type: ignore[arg-type]


def raw(server: FaultServer, method: str, path: str, body: bytes | None = None, **headers: str):
    """A plain HTTP call, for what the SDK hides (headers, missing auth, bad JSON)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_normal_completion_returns_reply_and_usage(server: FaultServer) -> None:
    result = chat(client_for(server))
    assert result.object == "chat.completion"
    assert result.model == "fault-model"
    choice = result.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content == "Draft for: Write a note to Ada about her talk on compilers."
    assert choice.finish_reason == "stop"
    assert result.usage is not None
    prompt_len = len("Be brief.\nWrite a note to Ada about her talk on compilers.")
    assert result.usage.prompt_tokens == prompt_len // 4
    assert result.usage.completion_tokens == len(choice.message.content) // 4
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    assert server.stats.snapshot()["ok"] == 1


def test_custom_reply_callable_sees_the_request() -> None:
    seen: list[dict] = []

    def reply(request: dict) -> str:
        seen.append(request)
        return "custom text"

    with FaultServer(reply=reply) as srv:
        assert chat(client_for(srv)).choices[0].message.content == "custom text"
    assert seen[0]["messages"] == MESSAGES


def test_429_carries_retry_after_and_raises_rate_limit_error(server: FaultServer) -> None:
    server.config.p_429 = 1.0
    server.config.retry_after_s = 0.25
    with pytest.raises(openai.RateLimitError) as info:
        chat(client_for(server))
    assert info.value.status_code == 429
    assert info.value.response.headers["retry-after"] == "0.25"
    assert info.value.response.headers["retry-after-ms"] == "250"
    assert info.value.code == "rate_limit_exceeded"


def test_sdk_retries_429_then_succeeds_when_fault_clears(server: FaultServer) -> None:
    # Retry-After is honoured by the SDK's own retry loop; flip the fault off mid-run.
    server.config.p_429 = 1.0
    client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=3, timeout=5)
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(chat, client)
        deadline = time.monotonic() + 3
        while server.stats.snapshot()["total"] < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.config.p_429 = 0.0
        assert future.result(timeout=5).choices[0].message.content
    assert server.stats.snapshot()["by_status"]["429"] >= 1


def test_500_raises_internal_server_error(server: FaultServer) -> None:
    server.config.p_500 = 1.0
    with pytest.raises(openai.InternalServerError) as info:
        chat(client_for(server))
    assert info.value.status_code == 500


def test_fatal_401_raises_authentication_error(server: FaultServer) -> None:
    server.config.fatal_status = 401
    with pytest.raises(openai.AuthenticationError) as info:
        chat(client_for(server))
    assert info.value.code == "invalid_api_key"
    assert info.value.body == {
        "message": "Incorrect API key provided",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_api_key",
    }


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, openai.BadRequestError), (403, openai.PermissionDeniedError)],
)
def test_fatal_400_and_403(server: FaultServer, status: int, error: type[Exception]) -> None:
    server.config.fatal_status = status
    with pytest.raises(error):
        chat(client_for(server))


def test_fatal_429_is_insufficient_quota(server: FaultServer) -> None:
    server.config.fatal_status = 429
    with pytest.raises(openai.RateLimitError) as info:
        chat(client_for(server))
    assert info.value.code == "insufficient_quota"
    assert info.value.type == "insufficient_quota"
    assert "retry-after" not in info.value.response.headers  # nothing to wait for


def test_malformed_body_surfaces_as_json_decode_error(server: FaultServer) -> None:
    # What this SDK version actually does: a 200 application/json body that does not parse
    # escapes as json.JSONDecodeError (a ValueError), not as an openai.APIError subclass.
    server.config.p_malformed = 1.0
    with pytest.raises(json.JSONDecodeError):
        chat(client_for(server))
    stats = server.stats.snapshot()
    assert stats["malformed"] == 1
    assert stats["ok"] == 0


def test_dropped_connection_raises_api_connection_error(server: FaultServer) -> None:
    server.config.p_drop = 1.0
    with pytest.raises(openai.APIConnectionError) as info:
        chat(client_for(server))
    assert not isinstance(info.value, openai.APITimeoutError)
    assert server.stats.snapshot()["dropped"] == 1


def test_timeout_raises_and_stop_is_prompt_while_hanging() -> None:
    srv = FaultServer(FaultConfig(p_timeout=1.0, hang_s=30.0)).start()
    try:
        with pytest.raises(openai.APITimeoutError):
            chat(client_for(srv, timeout=0.3))
        # A second hanging request still open while we stop.
        hung = ThreadPoolExecutor(1)
        future = hung.submit(chat, client_for(srv, timeout=10))
        deadline = time.monotonic() + 3
        while srv.stats.snapshot()["timed_out"] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert srv.stats.snapshot()["timed_out"] == 2
    finally:
        started = time.monotonic()
        srv.stop()
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    with pytest.raises(openai.APIConnectionError):
        future.result(timeout=5)  # released by stop(), not left to its 10 s timeout
    hung.shutdown()


def test_32_concurrent_slow_requests_run_in_parallel() -> None:
    with FaultServer(FaultConfig(latency_s=0.2)) as srv:
        client = client_for(srv)
        started = time.monotonic()
        with ThreadPoolExecutor(32) as pool:
            results = list(pool.map(lambda _: chat(client), range(32)))
        elapsed = time.monotonic() - started
        stats = srv.stats.snapshot()
    assert len(results) == 32
    assert elapsed < 1.5, f"32 x 0.2 s took {elapsed:.2f} s: requests were serialised"
    assert stats["max_concurrency"] >= 16
    assert stats["total"] == stats["ok"] == 32


def test_stats_count_every_request_and_reset() -> None:
    cfg = FaultConfig(p_429=0.25, p_500=0.25, p_drop=0.25, seed=3)
    with FaultServer(cfg) as srv:
        client = client_for(srv)
        outcomes = []
        for _ in range(40):
            try:
                chat(client)
                outcomes.append("ok")
            except openai.APIStatusError as exc:
                outcomes.append(str(exc.status_code))
            except openai.APIConnectionError:
                outcomes.append("dropped")
        stats = srv.stats.snapshot()
        assert stats["total"] == 40
        assert stats["ok"] == outcomes.count("ok")
        assert stats["by_status"].get("429", 0) == outcomes.count("429")
        assert stats["by_status"].get("500", 0) == outcomes.count("500")
        assert stats["dropped"] == outcomes.count("dropped")
        assert {"ok", "429", "500", "dropped"} <= set(outcomes)  # seed 3 hits every fault
        # The same counters over HTTP.
        status, _, body = raw(srv, "GET", "/stats")
        assert status == 200 and json.loads(body)["total"] == 40
        srv.stats.reset()
        assert srv.stats.snapshot()["total"] == 0


def test_seed_makes_fault_sequence_reproducible() -> None:
    def run() -> list[str]:
        with FaultServer(FaultConfig(p_500=0.5, seed=11)) as srv:
            client = client_for(srv)
            out = []
            for _ in range(12):
                try:
                    chat(client)
                    out.append("ok")
                except openai.InternalServerError:
                    out.append("500")
            return out

    assert run() == run()


def test_rpm_limit_returns_429_after_limit() -> None:
    with FaultServer(FaultConfig(rpm_limit=3, rpm_window_s=0.5)) as srv:
        client = client_for(srv)
        for _ in range(3):
            chat(client)
        with pytest.raises(openai.RateLimitError) as info:
            chat(client)
        retry_after = float(info.value.response.headers["retry-after"])
        assert 0 < retry_after <= 0.5
        time.sleep(retry_after + 0.05)
        assert chat(client).choices[0].message.content  # the window rolled on
        assert srv.stats.snapshot()["by_status"] == {"200": 4, "429": 1}


def test_missing_or_empty_auth_gets_401(server: FaultServer) -> None:
    body = json.dumps({"model": "m", "messages": MESSAGES}).encode()
    for headers in ({}, {"Authorization": ""}, {"Authorization": "Bearer "}):
        status, _, payload = raw(server, "POST", "/v1/chat/completions", body, **headers)
        assert status == 401
        assert json.loads(payload)["error"]["type"] == "invalid_request_error"
    assert raw(server, "GET", "/v1/models")[0] == 401
    assert server.stats.snapshot()["by_status"] == {"401": 3}


def test_bad_json_body_gets_400(server: FaultServer) -> None:
    auth = {"Authorization": "Bearer test-key", "Content-Type": "application/json"}
    status, _, payload = raw(server, "POST", "/v1/chat/completions", b"{not json", **auth)
    assert status == 400
    assert json.loads(payload)["error"]["type"] == "invalid_request_error"


def test_models_health_and_keep_alive(server: FaultServer) -> None:
    models = client_for(server).models.list()
    assert [m.id for m in models.data] == ["fault-model"]
    # Several requests over one HTTP/1.1 connection: Content-Length keeps them in step.
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        for path in ("/health", "/stats", "/health"):
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == 200
            assert int(resp.headers["Content-Length"]) == len(body)
            assert resp.headers.get("Connection", "keep-alive").lower() != "close"
    finally:
        conn.close()
