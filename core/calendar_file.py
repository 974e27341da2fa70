"""The week's plan as an iCalendar file (RFC 5545) for Google Calendar, Outlook, Apple Calendar.

One all-day event per reminder, on the day to write (an overdue one on the plan's day).
UIDs are stable for a person, rule and due date, so importing next week's file again
updates the same events instead of doubling them. Made with the `icalendar` package.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

import icalendar

from core.plan import Plan, Suggestion

PRODID = "-//outreach//keep in touch//EN"
_RULE_TITLES = {
    "follow_up_due": "Follow up with {name}",
    "new_person": "Write to someone new: {name}",
    "going_quiet": "Stay in touch with {name}",
}
_KIND_WORDS = {"compliment": "a compliment", "intro": "an intro", "follow_up": "a follow-up"}


def _event(suggestion: Suggestion, today: date) -> icalendar.Event:
    day = max(suggestion.due, today)
    seed = f"{suggestion.key}|{suggestion.rule}|{suggestion.due.isoformat()}"
    event = icalendar.Event()
    event.add("uid", hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32] + "@outreach")
    # Fixed by the plan's day, not the clock: the same plan gives the same file.
    event.add("dtstamp", datetime.combine(today, time(0, 0), tzinfo=UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", _RULE_TITLES[suggestion.rule].format(name=suggestion.name))
    event.add(
        "description",
        f"{suggestion.reason}\n\nSuggested: {_KIND_WORDS[suggestion.kind.value]} "
        f"(outreach draft --saved --name {suggestion.email or suggestion.name!r} "
        f"--kind {suggestion.kind.value}).",
    )
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: never shown as busy
    event.add("categories", ["Outreach"])
    return event


def plan_to_ics(plan: Plan) -> bytes:
    """The picks and every follow-up due, as one calendar."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Outreach: keep in touch")
    for suggestion in plan.reminders():
        calendar.add_component(_event(suggestion, plan.today))
    return calendar.to_ical()
