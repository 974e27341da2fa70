"""A token-bucket governor for requests and tokens per minute.

It paces requests so a batch stays under the endpoint's limits instead of provoking 429s.
Servers enforce limits over rolling windows, often shorter than they advertise, so there
is no burst: the request bucket holds one request (requests go out evenly spaced, so no
rolling window ever sees more than the limit), and the token bucket holds one second's
worth. A request larger than the token bucket waits for a full bucket and leaves it in
debt, so the average never exceeds the limit however large the requests are.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Token bucket size, in seconds of the tokens-per-minute rate.
_TOKEN_BURST_SECONDS = 1.0


class _Bucket:
    def __init__(self, per_minute: float, clock: Callable[[], float], capacity: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, capacity)
        self.level = self.capacity
        self.clock = clock
        self.stamp = clock()

    def refill(self) -> None:
        now = self.clock()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        """Seconds until `amount` may be taken (an amount over capacity waits for a full bucket)."""
        self.refill()
        need = min(amount, self.capacity) - self.level
        # A rounding-sized shortfall counts as none: it could never be slept away.
        return 0.0 if need <= 1e-9 * self.capacity else need / self.rate

    def take(self, amount: float) -> None:
        self.level -= amount  # may go below zero: the debt delays the next request


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
        self._requests = _Bucket(rpm, clock, 1.0) if rpm else None
        self._tokens = _Bucket(tpm, clock, tpm / 60.0 * _TOKEN_BURST_SECONDS) if tpm else None
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
                pause = min(wait, 1.0)  # re-check at least every second
                self.waited_s += pause
            self._sleep(pause)

    def settle(self, estimated: float, actual: float) -> None:
        """Correct the token bucket once the real usage is known."""
        if self._tokens is None:
            return
        with self._lock:
            self._tokens.refill()
            self._tokens.level = min(self._tokens.capacity, self._tokens.level + estimated - actual)
