"""A token-bucket governor for requests and tokens per minute.

It paces requests so a batch stays under the endpoint's limits instead of provoking 429s.
Buckets hold at most ten seconds' worth, so a run starts without a burst of a full
minute's quota (servers often enforce limits over shorter windows than they advertise).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_BURST_SECONDS = 10.0


class _Bucket:
    def __init__(self, per_minute: float, clock: Callable[[], float]) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * _BURST_SECONDS)
        self.level = self.capacity
        self.clock = clock
        self.stamp = clock()

    def refill(self) -> None:
        now = self.clock()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        """Seconds until `amount` is available (amount is capped at capacity)."""
        self.refill()
        need = min(amount, self.capacity) - self.level
        return 0.0 if need <= 0 else need / self.rate

    def take(self, amount: float) -> None:
        self.level -= min(amount, self.capacity)


class RateGovernor:
    """`acquire(tokens)` blocks until one request of about `tokens` tokens may be sent."""

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._requests = _Bucket(rpm, clock) if rpm else None
        self._tokens = _Bucket(tpm, clock) if tpm else None
        self._lock = threading.Lock()
        self._sleep = sleep
        self.waited_s = 0.0

    @property
    def active(self) -> bool:
        return self._requests is not None or self._tokens is not None

    def acquire(self, tokens: float = 0.0) -> None:
        if not self.active:
            return
        while True:
            with self._lock:
                wait = max(
                    self._requests.wait_for(1) if self._requests else 0.0,
                    self._tokens.wait_for(tokens) if self._tokens else 0.0,
                )
                if wait <= 0:
                    if self._requests:
                        self._requests.take(1)
                    if self._tokens:
                        self._tokens.take(tokens)
                    return
                self.waited_s += wait
            self._sleep(min(wait, 1.0))

    def settle(self, estimated: float, actual: float) -> None:
        """Correct the token bucket once the real usage is known."""
        if self._tokens is None:
            return
        with self._lock:
            self._tokens.refill()
            self._tokens.level = min(self._tokens.capacity, self._tokens.level + estimated - actual)
