"""A picture of the habit: messages sent per week against one a week, replies, and spread.

Pure functions over timeline events (contact key, type, day) and a fixed `today`, so the
This week page's chart is tested with fixed dates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from core.plan import week_bounds

WEEKS_IN_A_YEAR = 52
NO_COMPANY = "(no company)"


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    sent: int
    replied: int


@dataclass(frozen=True)
class HabitSummary:
    weeks: list[Week]
    sent: int
    replied: int
    weeks_on_target: int  # weeks with at least one message sent
    people: int  # different people written to

    @property
    def goal(self) -> int:
        return len(self.weeks)


def year_start(today: date, weeks: int = WEEKS_IN_A_YEAR) -> date:
    """The Monday `weeks - 1` weeks before this week's: the first week on the chart."""
    return week_bounds(today)[0] - timedelta(weeks=weeks - 1)


def weekly(
    events: Iterable[tuple[str, str, date]], today: date, weeks: int = WEEKS_IN_A_YEAR
) -> HabitSummary:
    """Sent and replied per week for the `weeks` weeks ending with this one."""
    first = year_start(today, weeks)
    sent: Counter[date] = Counter()
    replied: Counter[date] = Counter()
    people: set[str] = set()
    for key, kind, day in events:
        if not first <= day <= today:
            continue
        monday = week_bounds(day)[0]
        if kind == "sent":
            sent[monday] += 1
            people.add(key)
        elif kind == "replied":
            replied[monday] += 1
    mondays = [first + timedelta(weeks=i) for i in range(weeks)]
    rows = [Week(m, sent[m], replied[m]) for m in mondays]
    return HabitSummary(
        weeks=rows,
        sent=sum(r.sent for r in rows),
        replied=sum(r.replied for r in rows),
        weeks_on_target=sum(1 for r in rows if r.sent),
        people=len(people),
    )


def spread(
    events: Iterable[tuple[str, str, date]],
    labels: Mapping[str, Iterable[str]],
    today: date,
    *,
    top: int = 10,
    weeks: int = WEEKS_IN_A_YEAR,
    missing: str | None = NO_COMPANY,
) -> list[tuple[str, int]]:
    """Messages sent in the period by label (a contact's company, or its fields), most first.

    `labels` maps a contact key to its labels; a contact with none counts under `missing`
    (or not at all when it is None). The tail past `top` is summed as "N others".
    """
    first = year_start(today, weeks)
    counts: Counter[str] = Counter()
    for key, kind, day in events:
        if kind != "sent" or not first <= day <= today:
            continue
        for label in labels.get(key, ()) or ((missing,) if missing else ()):
            counts[label] += 1
    ranked = sorted(counts.items(), key=lambda i: (-i[1], i[0] == missing, i[0].lower()))
    if len(ranked) <= top:
        return ranked
    rest = sum(count for _, count in ranked[top - 1 :])
    return [*ranked[: top - 1], (f"{len(ranked) - top + 1} others", rest)]
