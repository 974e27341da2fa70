"""Checks in processes of their own: the same reports as in the drafting process, errors
raised where the check was asked for, and a dead check process never loses a check."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.check_pool import CheckFailed, CheckPool
from core.contacts import Contact
from core.kinds import Kind
from core.models import Sender
from evals.checks import run_checks

pytestmark = pytest.mark.integration
PRIYA = Contact(name="Priya Raman", their_work="Gave a talk at PyCon 2024 on testing async code")
TEXTS = [
    "Hi Priya,\n\nYour PyCon 2024 talk on testing async code stayed with me. Thank you.\n\nSam",
    "Hi Priya, loved the PyCon talk! P.S. Book a demo of our testing tool, 30% off this week.",
]


@pytest.fixture
def pool() -> Iterator[CheckPool]:
    with CheckPool(2) as started:
        yield started


def test_reports_are_the_ones_the_drafting_process_would_make(pool: CheckPool) -> None:
    with ThreadPoolExecutor(4) as threads:
        reports = list(
            threads.map(lambda t: pool(t, PRIYA, Kind.COMPLIMENT, Sender(name="Sam")), TEXTS * 3)
        )
    expected = [run_checks(t, PRIYA, Kind.COMPLIMENT, Sender(name="Sam")) for t in TEXTS * 3]
    assert [r.model_dump() for r in reports] == [r.model_dump() for r in expected]
    assert reports[1].is_pitch and not reports[0].is_pitch


def test_a_check_that_fails_raises_where_it_was_asked(pool: CheckPool) -> None:
    with pytest.raises(CheckFailed, match="AttributeError"):
        pool(TEXTS[0], PRIYA, "compliment", Sender())  # type: ignore[arg-type]


def test_a_killed_check_process_hands_its_checks_back(pool: CheckPool) -> None:
    assert pool(TEXTS[1], PRIYA, Kind.COMPLIMENT, Sender()).is_pitch
    for process in pool._processes:
        os.kill(process._proc.pid, signal.SIGKILL)
        process._proc.wait(timeout=10)
    report = pool(TEXTS[1], PRIYA, Kind.COMPLIMENT, Sender())  # checked here instead
    assert (
        report.model_dump() == run_checks(TEXTS[1], PRIYA, Kind.COMPLIMENT, Sender()).model_dump()
    )
    assert not any(p._alive for p in pool._processes)
