"""The habit picture's numbers, with fixed dates."""

from __future__ import annotations

from datetime import date, timedelta

from core.habit import NO_COMPANY, spread, weekly, year_start

TODAY = date(2024, 6, 5)  # Wednesday; this week starts Monday 2024-06-03


def test_weekly_counts_cover_52_weeks_ending_this_week() -> None:
    events = [
        ("a", "sent", date(2024, 6, 3)),
        ("b", "sent", date(2024, 6, 5)),
        ("a", "replied", date(2024, 6, 4)),
        ("c", "sent", date(2024, 5, 29)),  # last week
        ("c", "approved", date(2024, 5, 29)),  # approving is not sending
        ("d", "sent", year_start(TODAY)),  # the first day on the chart
        ("e", "sent", year_start(TODAY) - timedelta(days=1)),  # before it
        ("f", "sent", TODAY + timedelta(days=1)),  # the future is not history
    ]
    habit = weekly(events, TODAY)
    assert len(habit.weeks) == 52 == habit.goal
    assert habit.weeks[0].start == year_start(TODAY) == date(2023, 6, 12)
    assert habit.weeks[-1].start == date(2024, 6, 3)
    assert (habit.weeks[-1].sent, habit.weeks[-1].replied) == (2, 1)
    assert habit.weeks[-2].sent == 1 and habit.weeks[0].sent == 1
    assert (habit.sent, habit.replied, habit.weeks_on_target, habit.people) == (4, 1, 3, 4)


def test_spread_by_company_with_the_tail_summed() -> None:
    events = [(k, "sent", date(2024, 6, 1)) for k in ("a", "a", "b", "c", "d", "e")]
    events.append(("a", "replied", date(2024, 6, 2)))
    labels = {"a": ["Acme"], "b": ["Globex"], "c": [], "d": ["Hooli"], "e": ["Initech"]}
    assert spread(events, labels, TODAY) == [
        ("Acme", 2),
        ("Globex", 1),
        ("Hooli", 1),
        ("Initech", 1),
        (NO_COMPANY, 1),
    ]
    assert spread(events, labels, TODAY, top=3) == [("Acme", 2), ("Globex", 1), ("3 others", 3)]
    fields = {"a": ["design", "rust"], "b": ["rust"]}
    assert spread(events, fields, TODAY, missing=None) == [("rust", 3), ("design", 2)]
