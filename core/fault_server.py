"""A fault-injecting, OpenAI-compatible chat-completions server for tests and benchmarks.

It answers ``POST /v1/chat/completions`` like the real API, but can be told to add latency,
return 429/500, drop or hang connections, send unparseable bodies, enforce a per-minute
request limit, or fail every call with a fatal status. Standard library only, so the test
suite and benchmarks need nothing beyond what the project already installs.

    with FaultServer(FaultConfig(latency_s=0.2, p_429=0.1, seed=1)) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")

CLI: ``python -m core.fault_server --port 8089 --latency 0.2 --p429 0.1 --p500 0.05``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import select
import signal
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FaultConfig", "FaultServer", "FaultStats", "main"]

# Bodies larger than this are refused rather than buffered: this is a test server.
_MAX_BODY_BYTES = 16 * 1024 * 1024
# Granularity at which hanging handlers notice a stop or a vanished client.
_HANG_SLICE_S = 0.05


@dataclass
class FaultConfig:
    """What to inject. Read afresh on every request, so tests may mutate it while serving."""

    latency_s: float = 0.0  # sleep before answering every chat request
    jitter_s: float = 0.0  # extra uniform random 0..jitter
    p_429: float = 0.0  # probability of 429 with Retry-After (and retry-after-ms)
    retry_after_s: float = 0.05  # value of Retry-After; fractional seconds allowed
    p_500: float = 0.0  # probability of 500 with a JSON error body
    p_drop: float = 0.0  # probability of closing the connection without any response
    p_timeout: float = 0.0  # probability of hanging for hang_s, then closing without a response
    hang_s: float = 5.0
    p_malformed: float = 0.0  # probability of 200 whose body is not valid JSON
    rpm_limit: int | None = None  # more than this many chat requests per window -> 429
    rpm_window_s: float = 60.0  # the rolling window of rpm_limit; shorten it in tests
    fatal_status: int | None = None  # 400/401/403/429(insufficient_quota) on every chat request
    seed: int | None = None  # seeds the fault RNG (applied at construction and on reseed())
    model: str = "fault-model"


class FaultStats:
    """Thread-safe counters about ``/v1/chat/completions`` traffic."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.total = 0  # every chat request received, faulted or not
            self.ok = 0  # well-formed 200 completions
            self.by_status: dict[int, int] = {}
            self.dropped = 0
            self.timed_out = 0
            self.malformed = 0
            self.in_flight = 0
            self.max_concurrency = 0

    def begin(self) -> None:
        with self._lock:
            self.total += 1
            self.in_flight += 1
            self.max_concurrency = max(self.max_concurrency, self.in_flight)

    def end(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def record_status(self, status: int, *, ok: bool = False, malformed: bool = False) -> None:
        with self._lock:
            self.by_status[status] = self.by_status.get(status, 0) + 1
            self.ok += ok
            self.malformed += malformed

    def record_dropped(self) -> None:
        with self._lock:
            self.dropped += 1

    def record_timed_out(self) -> None:
        with self._lock:
            self.timed_out += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self.total,
                "ok": self.ok,
                "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
                "dropped": self.dropped,
                "timed_out": self.timed_out,
                "malformed": self.malformed,
                "in_flight": self.in_flight,
                "max_concurrency": self.max_concurrency,
            }


def _error_body(message: str, type_: str, code: str | None, param: str | None = None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


# OpenAI-shaped bodies for the statuses fatal_status may force.
_FATAL_BODIES: dict[int, dict] = {
    400: _error_body("Invalid request (injected fault).", "invalid_request_error", None),
    401: _error_body("Incorrect API key provided", "invalid_request_error", "invalid_api_key"),
    403: _error_body(
        "You are not allowed to access this resource (injected fault).",
        "invalid_request_error",
        "permission_denied",
    ),
    429: _error_body(
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota",
        "insufficient_quota",
    ),
}


def _fmt_seconds(value: float) -> str:
    """'0.05', '2', '1.5': plain decimals, never exponent notation that parsers choke on."""
    text = f"{max(value, 0.0):.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _prompt_text(messages: list) -> str:
    """All message text, for token estimates; content may be a string or a list of parts."""
    parts: list[str] = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(
                p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
            )
    return "\n".join(parts)


def default_reply(request: dict) -> str:
    """Deterministic text from the last user message, so tests can assert on it."""
    last = ""
    for message in request.get("messages") or []:
        if isinstance(message, dict) and message.get("role") == "user":
            last = _prompt_text([message])
    return f"Draft for: {last[:60]}"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a hanging handler must never keep the process alive
    block_on_close = False  # stop() must not wait on idle keep-alive connections
    request_queue_size = 128  # bursts of concurrent clients must not be refused at accept
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: FaultServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects
    disable_nagle_algorithm = True  # headers and body go in separate writes; avoid 40 ms stalls
    server: _HTTPServer
    server_version = "FaultServer/1.0"

    # --- plumbing -------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        # Only the request line is ever logged (never headers, so never the API key).
        if self.server.owner.verbose:
            super().log_message(format, *args)

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:24]}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _read_body(self) -> bytes | None:
        """The whole request body, always consumed so the keep-alive stream stays in sync."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            size_total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return b"".join(chunks)
                size_total += size
                if size_total > _MAX_BODY_BYTES:
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY_BYTES:
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _authorized(self) -> bool:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and bool(token.strip())

    def _send_unauthorized(self) -> None:
        self._send_json(
            401,
            _error_body(
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                "invalid_request_error",
                None,
            ),
        )

    # --- routing --------------------------------------------------------------------------

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/health":
            self._send_json(200, {"status": "ok"})
        elif path == "/stats":
            self._send_json(200, owner.stats.snapshot())
        elif path == "/v1/models":
            if not self._authorized():
                self._send_unauthorized()
                return
            model = {"id": owner.config.model, "object": "model", "created": 0, "owned_by": "fault"}
            self._send_json(200, {"object": "list", "data": [model]})
        else:
            self._send_json(404, _error_body(f"Unknown path {path}", "invalid_request_error", None))

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        body = self._read_body()
        if body is None:
            self.close_connection = True  # the unread body would corrupt the stream
            self._send_json(413, _error_body("Request too large", "invalid_request_error", None))
            return
        if path == "/v1/chat/completions":
            stats = self.server.owner.stats
            stats.begin()
            try:
                self._chat(body)
            finally:
                stats.end()
        elif path == "/stats/reset":
            self.server.owner.stats.reset()
            self._send_json(200, {"reset": True})
        else:
            self._send_json(404, _error_body(f"Unknown path {path}", "invalid_request_error", None))

    # --- chat completions -----------------------------------------------------------------

    def _chat(self, body: bytes) -> None:
        owner = self.server.owner
        cfg = owner.config
        stats = owner.stats

        def send(status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            stats.record_status(status)
            self._send_json(status, payload, headers)

        if not self._authorized():
            stats.record_status(401)
            self._send_unauthorized()
            return
        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            msg = f"We could not parse the JSON body of your request. ({exc})"
            send(400, _error_body(msg, "invalid_request_error", None))
            return
        if not isinstance(request, dict) or not isinstance(request.get("messages"), list):
            msg = "'messages' is a required property and must be an array"
            send(400, _error_body(msg, "invalid_request_error", None, "messages"))
            return
        if request.get("stream"):
            msg = "This fault server does not support streaming"
            send(400, _error_body(msg, "invalid_request_error", None, "stream"))
            return

        if cfg.fatal_status is not None:
            status = cfg.fatal_status
            fallback = _error_body(f"Injected fatal status {status}", "server_error", None)
            send(status, _FATAL_BODIES.get(status, fallback))
            return

        wait = owner._rpm_admit()
        if wait is not None:
            msg = f"Rate limit reached for requests (limit {cfg.rpm_limit} per window)."
            send(429, _error_body(msg, "requests", "rate_limit_exceeded"), _retry_headers(wait))
            return

        roll, jitter = owner._draw()
        delay = cfg.latency_s + jitter * cfg.jitter_s
        # Event.wait rather than sleep so stop() is not held up by slow requests.
        if delay > 0 and owner._stopping.wait(delay):
            self.close_connection = True
            return

        fault = _pick_fault(cfg, roll)
        if fault == "drop":
            stats.record_dropped()
            self._abort()
        elif fault == "timeout":
            stats.record_timed_out()
            self._hang(cfg.hang_s)
            self._abort()
        elif fault == "429":
            msg = "Rate limit reached for requests (injected fault). Please try again shortly."
            payload = _error_body(msg, "requests", "rate_limit_exceeded")
            send(429, payload, _retry_headers(cfg.retry_after_s))
        elif fault == "500":
            msg = "The server had an error while processing your request (injected fault)."
            send(500, _error_body(msg, "server_error", None))
        elif fault == "malformed":
            stats.record_status(200, malformed=True)
            # Truncated JSON: what a proxy cutting a response short would produce.
            self._send_raw(200, b'{"id": "chatcmpl-broken", "object": "chat.completion", "choi')
        else:
            try:
                content = owner.reply(request)
            except Exception as exc:  # a buggy reply callable must show up as a 500, not a hang
                msg = f"reply callable failed: {type(exc).__name__}"
                send(500, _error_body(msg, "server_error", None))
                return
            stats.record_status(200, ok=True)
            self._send_json(200, _completion(cfg.model, request, content))

    def _hang(self, seconds: float) -> None:
        """Hold the request open, but give up on stop() or once the client has gone away."""
        deadline = time.monotonic() + seconds
        stopping = self.server.owner._stopping
        while (left := deadline - time.monotonic()) > 0:
            if stopping.wait(min(_HANG_SLICE_S, left)):
                return
            try:
                readable, _, _ = select.select([self.connection], [], [], 0)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    return  # client closed its end (it timed out)
            except OSError:
                return

    def _abort(self) -> None:
        """Close the connection with nothing written, as a crashed upstream would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _pick_fault(cfg: FaultConfig, roll: float) -> str:
    """One uniform draw decides the fault, so the probabilities are exclusive and add up."""
    for p, fault in (
        (cfg.p_drop, "drop"),
        (cfg.p_timeout, "timeout"),
        (cfg.p_429, "429"),
        (cfg.p_500, "500"),
        (cfg.p_malformed, "malformed"),
    ):
        if roll < p:
            return fault
        roll -= p
    return "none"


def _retry_headers(seconds: float) -> dict[str, str]:
    return {"Retry-After": _fmt_seconds(seconds), "retry-after-ms": str(round(seconds * 1000))}


def _completion(model: str, request: dict, content: str) -> dict:
    prompt_tokens = len(_prompt_text(request["messages"])) // 4
    completion_tokens = len(content) // 4
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class FaultServer:
    """Serves the fault-injecting API on a background thread; use as a context manager."""

    def __init__(
        self,
        config: FaultConfig | None = None,
        reply: Callable[[dict], str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        verbose: bool = False,
    ) -> None:
        self.config = config if config is not None else FaultConfig()
        self.reply: Callable[[dict], str] = reply or default_reply
        self.host = host
        self.port = port
        self.verbose = verbose
        self.stats = FaultStats()
        self._rng = random.Random(self.config.seed)
        self._rng_lock = threading.Lock()
        self._rpm_times: deque[float] = deque()
        self._rpm_lock = threading.Lock()
        self._stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> FaultServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _HTTPServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]  # the real port when 0 was asked for
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fault-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # wakes every sleeping or hanging handler
        httpd.shutdown()
        httpd.server_close()
        # Idle keep-alive handlers block in readline; shutting their sockets releases them.
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reseed(self, seed: int | None = None) -> None:
        """Restart the fault RNG (from config.seed unless given) for a reproducible run."""
        with self._rng_lock:
            self._rng.seed(self.config.seed if seed is None else seed)

    # --- used by the handler --------------------------------------------------------------

    def _draw(self) -> tuple[float, float]:
        """(fault roll, jitter fraction), drawn together so a seed gives a fixed sequence."""
        with self._rng_lock:
            return self._rng.random(), self._rng.random()

    def _rpm_admit(self) -> float | None:
        """None if the request fits the rolling window, else seconds until a slot frees up."""
        limit = self.config.rpm_limit
        if limit is None:
            return None
        window = self.config.rpm_window_s
        now = time.monotonic()
        with self._rpm_lock:
            while self._rpm_times and self._rpm_times[0] <= now - window:
                self._rpm_times.popleft()
            if limit <= 0:
                return window
            if len(self._rpm_times) >= limit:
                # A slot frees when the oldest surplus entry leaves the window. Rejected
                # requests are not recorded, as with OpenAI: waiting is enough to recover.
                return max(self._rpm_times[-limit] + window - now, 0.001)
            self._rpm_times.append(now)
            return None

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._conns_lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m core.fault_server",
        description="Fault-injecting OpenAI-compatible chat-completions server (loopback).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per chat request")
    parser.add_argument("--jitter", type=float, default=0.0, help="extra uniform 0..JITTER s")
    parser.add_argument("--p429", type=float, default=0.0)
    parser.add_argument("--retry-after", type=float, default=0.05, help="Retry-After seconds")
    parser.add_argument("--p500", type=float, default=0.0)
    parser.add_argument("--p-drop", type=float, default=0.0)
    parser.add_argument("--p-timeout", type=float, default=0.0)
    parser.add_argument("--hang", type=float, default=5.0, help="seconds a timeout fault hangs")
    parser.add_argument("--p-malformed", type=float, default=0.0)
    parser.add_argument("--rpm-limit", type=int, default=None)
    parser.add_argument("--fatal-status", type=int, default=None, choices=[400, 401, 403, 429])
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--model", default="fault-model")
    parser.add_argument("--verbose", action="store_true", help="log request lines (no headers)")
    parser.add_argument(
        "--reply",
        choices=["echo", "grounded", "revise"],
        default="echo",
        help="echo: 'Draft for: <prompt>'; grounded: a believable draft from the contact facts; "
        "revise: a pitch in every first draft, the grounded draft on revision",
    )
    args = parser.parse_args(argv)

    config = FaultConfig(
        latency_s=args.latency,
        jitter_s=args.jitter,
        p_429=args.p429,
        retry_after_s=args.retry_after,
        p_500=args.p500,
        p_drop=args.p_drop,
        p_timeout=args.p_timeout,
        hang_s=args.hang,
        p_malformed=args.p_malformed,
        rpm_limit=args.rpm_limit,
        fatal_status=args.fatal_status,
        seed=args.seed,
        model=args.model,
    )
    from core.fault_replies import grounded_reply, revise_reply

    reply = {"grounded": grounded_reply, "revise": revise_reply}.get(args.reply, default_reply)
    server = FaultServer(
        config, reply=reply, host=args.host, port=args.port, verbose=args.verbose
    ).start()
    print(server.base_url, flush=True)
    # Scripts stop background servers with SIGTERM (background jobs ignore SIGINT).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print(json.dumps(server.stats.snapshot()), flush=True)


if __name__ == "__main__":
    main()
