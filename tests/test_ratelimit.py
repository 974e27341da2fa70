"""The token-bucket governor: even pacing, no start-up burst, token debt, settling."""

from __future__ import annotations

import itertools
import random
import threading
import time

import pytest

from core.ratelimit import RateGovernor


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


def governor(clock: FakeClock, rpm: float | None = None, tpm: float | None = None) -> RateGovernor:
    return RateGovernor(rpm, tpm, clock=clock, sleep=clock.sleep)


def test_no_limits_never_waits() -> None:
    clock = FakeClock()
    gov = governor(clock)
    assert not gov.active
    for _ in range(1000):
        gov.acquire(10_000)
    assert clock.now == 1000.0 and gov.waited_s == 0


def test_rpm_spaces_requests_evenly_from_the_start() -> None:
    clock = FakeClock()
    gov = governor(clock, rpm=120)  # one request per 0.5 s
    stamps = []
    for _ in range(21):
        gov.acquire()
        stamps.append(clock.now - 1000.0)
    assert stamps[0] == 0.0  # the first request goes at once
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert all(gap == pytest.approx(0.5) for gap in gaps)  # no burst, ever
    assert stamps[-1] == pytest.approx(10.0)


def test_rolling_window_never_exceeds_rpm_whatever_the_arrivals() -> None:
    """Requests arriving in bursts after idle spells still never exceed the limit in any
    rolling minute (what a server's rpm limit measures)."""
    rng = random.Random(3)
    clock = FakeClock()
    rpm = 90
    gov = governor(clock, rpm=rpm)
    stamps: list[float] = []
    for _ in range(600):
        if rng.random() < 0.05:
            clock.now += rng.uniform(0, 90)  # idle, then a burst of arrivals
        gov.acquire()
        stamps.append(clock.now)
    left = 0
    for right, stamp in enumerate(stamps):
        while stamps[left] <= stamp - 60.0 + 1e-6:
            left += 1
        assert right - left + 1 <= rpm


def test_tpm_paces_by_tokens_and_large_requests_leave_a_debt() -> None:
    clock = FakeClock()
    gov = governor(clock, tpm=60_000)  # 1,000 tokens per second, bucket of 1,000
    for _ in range(11):
        gov.acquire(1_500)  # larger than the bucket: allowed, then paid back
    # 10 paid-back requests of 1,500 tokens at 1,000 tokens/s.
    assert clock.now - 1000.0 == pytest.approx(15.0, rel=0.01)


def test_settle_refunds_overestimates_and_charges_underestimates() -> None:
    clock = FakeClock()
    gov = governor(clock, tpm=60_000)
    gov.acquire(1_000)
    gov.settle(estimated=1_000, actual=200)  # 800 tokens back: the next goes at once
    gov.acquire(800)
    assert clock.now == 1000.0
    gov.settle(estimated=800, actual=1_800)  # 1,000 more were used than estimated
    gov.acquire(1_000)
    assert clock.now - 1000.0 == pytest.approx(2.0, rel=0.01)


def test_both_limits_apply_and_the_stricter_wins() -> None:
    clock = FakeClock()
    gov = governor(clock, rpm=600, tpm=6_000)  # 10 req/s but only 100 tokens/s
    for _ in range(5):
        gov.acquire(100)
    assert clock.now - 1000.0 == pytest.approx(4.0, rel=0.01)


def test_threads_share_one_pace() -> None:
    gov = RateGovernor(rpm=1200)  # 20 per second
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(3):
            gov.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    stamps.sort()
    assert len(stamps) == 24
    assert 23 / 20 * 0.95 <= elapsed < 23 / 20 + 1.0
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) > 0.03  # never two at once
