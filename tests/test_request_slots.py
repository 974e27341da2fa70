"""Request slots: at most N requests in flight, and none after a failure no retry can fix."""

from __future__ import annotations

import threading

import httpx
import openai
import pytest

from core.batch import RunStopped, _RequestSlots


def _status_error(status: int, body: dict[str, object] | None = None) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx.Response(status, request=request, json=body or {})
    return openai.APIStatusError("refused", response=response, body=body)


def test_slots_bound_how_many_are_held_at_once() -> None:
    slots = _RequestSlots(2, threading.Event())
    with slots, slots:
        third = threading.Thread(target=lambda: slots.__enter__())
        third.start()
        third.join(0.2)
        assert third.is_alive()  # waits for a free slot
    third.join(1)
    assert not third.is_alive()


def test_a_fatal_failure_stops_the_run_before_the_slot_is_handed_on() -> None:
    stop = threading.Event()
    slots = _RequestSlots(1, stop)
    with pytest.raises(openai.APIStatusError), slots:
        raise _status_error(401)
    assert stop.is_set()
    with pytest.raises(RunStopped), slots:
        pass  # nothing may be sent once the run has stopped


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_retryable_failure_does_not_stop_the_run(status: int) -> None:
    stop = threading.Event()
    slots = _RequestSlots(1, stop)
    with pytest.raises(openai.APIStatusError), slots:
        raise _status_error(status)
    assert not stop.is_set()


def test_an_exhausted_quota_stops_the_run() -> None:
    stop = threading.Event()
    with pytest.raises(openai.APIStatusError), _RequestSlots(1, stop):
        raise _status_error(429, {"error": {"code": "insufficient_quota", "message": "quota"}})
    assert stop.is_set()
