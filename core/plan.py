"""The weekly plan: whom to write to now, and why, from each contact's timeline facts.

Pure rules over plain data and a fixed `today` (no database, no clock), so each rule is
tested with fixed dates. The rules, in priority order:

1. follow-ups due: met (met_on) in the last 14 days and nothing sent since;
2. one new person a week: admired (their work noted) or noted, never written to;
3. going quiet: nothing either way for longer than the contact's cadence
   (default 90 days for a weak tie, 30 for a close one);

with variety (a second person from a company, field or circle already in this week's
picks waits until nobody else is left) and exclusions: written to in the last 14 days,
snoozed, or marked "do not suggest".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from core.contacts import Contact, contact_email, normalize_column
from core.kinds import Kind

Rule = Literal["follow_up_due", "new_person", "going_quiet"]

#: Extra columns read as a person's field or circle, for variety (tags split on , ; |).
GROUP_COLUMNS = {"field", "industry", "sector", "circle", "community", "group", "tags"}


@dataclass(frozen=True)
class PlanOptions:
    n: int = 3
    #: "One new person a week is 52 a year": never-contacted picks per week.
    new_per_week: int = 1
    #: A follow-up is due this many days after meeting (the shared moment is fresh).
    follow_up_days: int = 14
    #: Nobody written to this recently is suggested.
    quiet_after_sent_days: int = 14


@dataclass(frozen=True)
class Relationship:
    """One contact and the timeline facts the rules read."""

    key: str
    contact: Contact
    added_on: date | None = None
    last_sent: date | None = None
    first_sent: date | None = None
    last_replied: date | None = None
    last_approved: date | None = None
    snoozed_until: date | None = None
    do_not_suggest: bool = False


@dataclass(frozen=True)
class Suggestion:
    key: str
    contact: Contact
    kind: Kind
    rule: Rule
    reason: str
    #: The day to write by (for an overdue one, the day it became due).
    due: date

    @property
    def name(self) -> str:
        return self.contact.name

    @property
    def company(self) -> str:
        return self.contact.company

    @property
    def email(self) -> str:
        return contact_email(self.contact)

    def to_json_dict(self) -> dict[str, str]:
        """The stable JSON shape of `outreach plan --json`."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "reason": self.reason,
            "due": self.due.isoformat(),
            "rule": self.rule,
            "company": self.company,
            "email": self.email,
            "key": self.key,
        }


@dataclass
class Plan:
    today: date
    picks: list[Suggestion]
    #: Every follow-up due, picked or not: they go into the calendar file too.
    follow_ups_due: list[Suggestion] = field(default_factory=list)

    def reminders(self) -> list[Suggestion]:
        """The week's picks, then the follow-ups due that did not make the picks."""
        picked = {s.key for s in self.picks}
        return [*self.picks, *(s for s in self.follow_ups_due if s.key not in picked)]


def week_bounds(today: date) -> tuple[date, date]:
    """Monday and Sunday of today's ISO week."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def exclusion(rel: Relationship, today: date, options: PlanOptions = PlanOptions()) -> str | None:
    """Why this person is not suggested now, or None."""
    if rel.do_not_suggest:
        return "marked do not suggest"
    if rel.snoozed_until and rel.snoozed_until >= today:
        return f"snoozed until {rel.snoozed_until.isoformat()}"
    if rel.last_sent and 0 <= (today - rel.last_sent).days <= options.quiet_after_sent_days:
        return f"written to on {rel.last_sent.isoformat()}"
    return None


def follow_up_due(
    rel: Relationship, today: date, options: PlanOptions = PlanOptions()
) -> Suggestion | None:
    met = rel.contact.met_on
    if met is None or not 0 <= (today - met).days <= options.follow_up_days:
        return None
    if rel.last_sent and rel.last_sent >= met:
        return None
    days = (today - met).days
    where = _where_met(rel.contact)
    when = "today" if days == 0 else ("yesterday" if days == 1 else f"{days} days ago")
    due = met + timedelta(days=options.follow_up_days)
    return _suggest(
        rel,
        Kind.FOLLOW_UP,
        "follow_up_due",
        f"You met {where} {when} ({met.isoformat()}) and have not followed up: "
        f"write while the shared moment is fresh, by {due.isoformat()}.",
        due,
    )


def new_person(rel: Relationship, today: date) -> Suggestion | None:
    contact = rel.contact
    if rel.first_sent or rel.last_replied or contact.met_on:
        return None
    if contact.their_work:
        kind, why = Kind.COMPLIMENT, f"you admire their work ({_short(contact.their_work)})"
    elif contact.notes or contact.shared_interests:
        kind, why = (
            Kind.INTRO,
            f"your notes say {_short(contact.notes or contact.shared_interests)}",
        )
    else:
        return None  # nothing to say yet: a bare connection is not someone admired
    return _suggest(
        rel,
        kind,
        "new_person",
        f"Never written to, and {why}. One new person a week is 52 in a year.",
        week_bounds(today)[1],
    )


def going_quiet(rel: Relationship, today: date) -> Suggestion | None:
    contact = rel.contact
    last = max((d for d in (rel.last_sent, rel.last_replied, contact.met_on) if d), default=None)
    if last is None:
        return None
    cadence = contact.effective_cadence_days
    quiet = (today - last).days
    if quiet <= cadence:
        return None
    if contact.their_work:
        kind = Kind.COMPLIMENT
    elif contact.event or contact.how_we_met:
        kind = Kind.FOLLOW_UP
    else:
        kind = Kind.INTRO
    if last == rel.last_sent:
        what = f"your last message was {quiet} days ago ({last.isoformat()})"
    elif last == rel.last_replied:
        what = f"they last wrote {quiet} days ago ({last.isoformat()}) and nothing since"
    else:
        what = f"you met {quiet} days ago ({last.isoformat()}) and have not written"
    tie = contact.effective_tie
    every = "your cadence" if contact.cadence_days else f"the {tie}-tie cadence"
    return _suggest(
        rel,
        kind,
        "going_quiet",
        f"Going quiet: {what}; {every} is every {cadence} days. People forget you unless "
        "you stay in touch.",
        last + timedelta(days=cadence),
    )


def candidates(
    relationships: Iterable[Relationship], today: date, options: PlanOptions = PlanOptions()
) -> tuple[list[Suggestion], list[Suggestion], list[Suggestion]]:
    """(follow-ups due, new people, going quiet) after exclusions, each most urgent first."""
    follow, new, quiet = [], [], []
    order_new: dict[str, tuple[object, ...]] = {}
    for rel in relationships:
        if exclusion(rel, today, options):
            continue
        if (s := follow_up_due(rel, today, options)) is not None:
            follow.append(s)
        elif (s := new_person(rel, today)) is not None:
            new.append(s)
            # Someone whose work you admire first, then whoever was saved longest ago.
            order_new[s.key] = (s.kind != Kind.COMPLIMENT, rel.added_on or date.max, s.name)
        elif (s := going_quiet(rel, today)) is not None:
            quiet.append(s)
    follow.sort(key=lambda s: (s.due, s.name))
    new.sort(key=lambda s: order_new[s.key])
    quiet.sort(key=lambda s: (s.due, s.name))
    return follow, new, quiet


def plan_week(
    relationships: Sequence[Relationship], today: date, options: PlanOptions = PlanOptions()
) -> Plan:
    """Up to `options.n` picks: follow-ups due, the week's new person, then people going quiet."""
    follow, new, quiet = candidates(relationships, today, options)
    monday, _ = week_bounds(today)
    this_week = [r for r in relationships if r.last_sent and monday <= r.last_sent <= today]
    new_quota = options.new_per_week - sum(
        1 for r in this_week if r.first_sent and r.first_sent >= monday
    )
    used = set().union(*(groups(r.contact) for r in this_week))
    picks: list[Suggestion] = []
    deferred: list[Suggestion] = []
    for pool, cap in ((follow, options.n), (new, max(0, new_quota)), (quiet, options.n)):
        taken = 0
        for s in pool:
            if len(picks) >= options.n or taken >= cap:
                break
            if groups(s.contact) & used:
                deferred.append(s)  # variety: someone else first
                continue
            picks.append(s)
            used |= groups(s.contact)
            taken += 1
    new_taken = sum(1 for s in picks if s.rule == "new_person")
    for s in deferred:
        if len(picks) >= options.n:
            break
        if s.rule == "new_person":
            if new_taken >= new_quota:
                continue
            new_taken += 1
        picks.append(s)
    return Plan(today=today, picks=picks, follow_ups_due=follow)


def fields_of(contact: Contact) -> list[str]:
    """The person's fields and circles from `field`, `circle`, `tags`... columns, as written."""
    out: list[str] = []
    for column, value in contact.extra.items():
        if normalize_column(column) in GROUP_COLUMNS:
            out += [v.strip() for v in re.split(r"[,;|]", value) if v.strip()]
    return out


def groups(contact: Contact) -> set[str]:
    """The company, field and circles a person belongs to, normalized for comparison."""
    out = {f"company:{_norm(contact.company)}"} if contact.company.strip() else set()
    return out | {f"group:{_norm(v)}" for v in fields_of(contact)}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _where_met(contact: Contact) -> str:
    if contact.event:
        return f"at {contact.event}"
    if contact.how_we_met:
        return f"({_short(contact.how_we_met)})"
    return ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _suggest(rel: Relationship, kind: Kind, rule: Rule, reason: str, due: date) -> Suggestion:
    approved = rel.last_approved
    if approved and not (rel.last_sent and rel.last_sent >= approved):
        reason += f" You approved a draft on {approved.isoformat()}: mark it sent once it is."
    return Suggestion(
        key=rel.key,
        contact=rel.contact,
        kind=kind,
        rule=rule,
        reason=" ".join(reason.split()),
        due=due,
    )
