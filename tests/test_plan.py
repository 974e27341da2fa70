"""The weekly plan's rules, one test each, with fixed dates (nothing depends on today)."""

from __future__ import annotations

from datetime import date, timedelta

from core.contacts import Contact
from core.kinds import Kind
from core.plan import PlanOptions, Relationship, exclusion, groups, plan_week, week_bounds

TODAY = date(2024, 6, 5)  # a Wednesday
MONDAY, SUNDAY = date(2024, 6, 3), date(2024, 6, 9)


def rel(name: str, **facts: object) -> Relationship:
    fields = {k: facts.pop(k) for k in list(facts) if k in Contact.model_fields}
    return Relationship(key=f"name:{name.lower()}|", contact=Contact(name=name, **fields), **facts)  # type: ignore[arg-type]


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def picks(*rels: Relationship, n: int = 3, **options: int) -> list[tuple[str, str, str]]:
    plan = plan_week(list(rels), TODAY, PlanOptions(n=n, **options))
    return [(s.name, s.rule, s.kind.value) for s in plan.picks]


def test_week_bounds_are_monday_to_sunday() -> None:
    assert week_bounds(TODAY) == (MONDAY, SUNDAY)
    assert week_bounds(SUNDAY) == (MONDAY, SUNDAY)
    assert week_bounds(MONDAY + timedelta(days=7))[0] == date(2024, 6, 10)


# -- rule 1: follow-ups due -------------------------------------------------------------


def test_follow_up_due_within_14_days_of_meeting_until_something_is_sent() -> None:
    met = days_ago(3)
    dana = rel("Dana", met_on=met, event="the November builders book club")
    plan = plan_week([dana], TODAY)
    (s,) = plan.picks
    assert (s.rule, s.kind) == ("follow_up_due", Kind.FOLLOW_UP)
    assert s.due == met + timedelta(days=14) == date(2024, 6, 16)
    assert "at the November builders book club 3 days ago (2024-06-02)" in s.reason
    assert plan.follow_ups_due == [s]
    # Day 14 is still due; day 15 is not a follow-up any more; a future meeting is not yet.
    assert picks(rel("Dana", met_on=days_ago(14), event="x")) == [
        ("Dana", "follow_up_due", "follow_up")
    ]
    assert [r for _, r, _ in picks(rel("Dana", met_on=days_ago(15), event="x"))] != [
        "follow_up_due"
    ]
    assert picks(rel("Dana", met_on=TODAY + timedelta(days=2), event="x")) == []
    # A message sent since the meeting is the follow-up; one sent before it is not.
    assert picks(rel("Dana", met_on=met, event="x", last_sent=met, first_sent=met)) == []
    before = rel("Dana", met_on=met, event="x", last_sent=days_ago(40), first_sent=days_ago(40))
    assert picks(before) == [("Dana", "follow_up_due", "follow_up")]


def test_follow_ups_come_first_soonest_deadline_first() -> None:
    old = rel("Old", met_on=days_ago(12), event="a meetup", company="A")
    fresh = rel("Fresh", met_on=days_ago(1), event="a hike", company="B")
    admired = rel("Admired", their_work="a talk on CRDTs", company="C")
    assert picks(admired, fresh, old) == [
        ("Old", "follow_up_due", "follow_up"),
        ("Fresh", "follow_up_due", "follow_up"),
        ("Admired", "new_person", "compliment"),
    ]


# -- rule 2: one new person a week ------------------------------------------------------


def test_never_contacted_admired_people_one_new_person_a_week() -> None:
    people = [
        rel("Ann", their_work="her essay on calm software", company="A", added_on=date(2024, 1, 2)),
        rel("Ben", their_work="his paper on weak ties", company="B", added_on=date(2024, 1, 1)),
        rel("Cat", notes="runs the Rust meetup", company="C", added_on=date(2023, 1, 1)),
        rel("Bare", company="D"),  # a bare LinkedIn connection: nothing admired yet
    ]
    plan = plan_week(people, TODAY)
    (s,) = plan.picks  # one new person a week, even with room for three
    assert (s.name, s.rule, s.kind) == ("Ben", "new_person", Kind.COMPLIMENT)
    assert s.due == SUNDAY
    assert "his paper on weak ties" in s.reason and "52" in s.reason
    # With only notes, the suggestion is an intro; "by default" one, but configurable.
    assert picks(*people, new_per_week=3) == [
        ("Ben", "new_person", "compliment"),
        ("Ann", "new_person", "compliment"),
        ("Cat", "new_person", "intro"),
    ]


def test_a_first_message_sent_this_week_uses_the_weeks_new_person() -> None:
    first_this_week = rel("Ann", their_work="x", last_sent=MONDAY, first_sent=MONDAY)
    waiting = rel("Ben", their_work="his paper on weak ties")
    assert picks(first_this_week, waiting) == []
    # A first message last week does not count against this week.
    last_week = rel("Ann", their_work="x", last_sent=days_ago(15), first_sent=days_ago(15))
    assert picks(last_week, waiting) == [("Ben", "new_person", "compliment")]


# -- rule 3: going quiet ----------------------------------------------------------------


def test_going_quiet_after_90_days_for_weak_ties_and_30_for_close_ones() -> None:
    weak = rel(
        "Weak", their_work="x", company="A", last_sent=days_ago(91), first_sent=days_ago(200)
    )
    weak_ok = rel("WeakOk", company="B", last_sent=days_ago(90), first_sent=days_ago(90))
    close = rel("Close", tie="close", company="C", event="hike", last_sent=days_ago(35))
    close_ok = rel("CloseOk", tie="close", company="D", last_sent=days_ago(30))
    plan = plan_week([weak, weak_ok, close, close_ok], TODAY, PlanOptions(n=5))
    assert [(s.name, s.rule, s.kind.value, s.due.isoformat()) for s in plan.picks] == [
        ("Close", "going_quiet", "follow_up", "2024-05-31"),  # most overdue first
        ("Weak", "going_quiet", "compliment", "2024-06-04"),
    ]
    close_pick, weak_pick = plan.picks
    assert weak_pick.due == days_ago(91) + timedelta(days=90)
    assert "91 days ago" in weak_pick.reason and "weak-tie cadence is every 90 days" in (
        weak_pick.reason
    )
    assert "close-tie cadence is every 30 days" in close_pick.reason


def test_a_per_contact_cadence_overrides_the_default() -> None:
    monthly = rel("Mo", cadence_days=10, last_sent=days_ago(20), first_sent=days_ago(20))
    (s,) = plan_week([monthly], TODAY).picks
    assert s.rule == "going_quiet" and "your cadence is every 10 days" in s.reason
    yearly = rel("Yo", tie="close", cadence_days=365, last_sent=days_ago(200))
    assert picks(yearly) == []


def test_a_reply_or_a_meeting_counts_as_contact_for_going_quiet() -> None:
    replied = rel("Re", last_sent=days_ago(120), first_sent=days_ago(120), last_replied=days_ago(5))
    assert picks(replied) == []
    met_long_ago = rel("Met", met_on=days_ago(100), how_we_met="a PyCon hallway chat")
    (s,) = plan_week([met_long_ago], TODAY).picks
    assert (s.rule, s.kind) == ("going_quiet", Kind.FOLLOW_UP)
    assert "you met 100 days ago" in s.reason


# -- rule 4: variety --------------------------------------------------------------------


def test_variety_not_all_from_one_company_field_or_circle() -> None:
    quiet = {"last_sent": days_ago(100), "first_sent": days_ago(300)}
    a1 = rel("A1", company="Acme", **quiet)
    a2 = rel("A2", company="ACME", **quiet)  # same company, spelled differently
    a3 = rel("A3", company="Acme", **quiet)
    g1 = rel("G1", company="Globex", extra={"Field": "design"}, last_sent=days_ago(99))
    g2 = rel("G2", company="Hooli", extra={"tags": "book club; design"}, last_sent=days_ago(98))
    i1 = rel("I1", company="Initech", last_sent=days_ago(97))
    assert [name for name, _, _ in picks(a1, a2, a3, g1, g2, i1)] == ["A1", "G1", "I1"]
    # When nobody else is left, the same company is still better than no one.
    assert [name for name, _, _ in picks(a1, a2, a3)] == ["A1", "A2", "A3"]
    assert groups(g2.contact) == {"company:hooli", "group:book club", "group:design"}


def test_variety_counts_people_already_written_to_this_week() -> None:
    sent_monday = rel("Sent", company="Acme", last_sent=MONDAY, first_sent=date(2023, 1, 1))
    acme = rel("Acme2", company="Acme", last_sent=days_ago(100), first_sent=days_ago(100))
    other = rel("Other", company="Globex", last_sent=days_ago(95), first_sent=days_ago(95))
    assert [name for name, _, _ in picks(sent_monday, acme, other, n=1)] == ["Other"]


# -- rule 5: exclusions -----------------------------------------------------------------


def test_never_someone_written_to_in_the_last_14_days() -> None:
    met = rel("Dana", met_on=days_ago(20), last_sent=days_ago(14), first_sent=days_ago(14))
    assert exclusion(met, TODAY) == "written to on 2024-05-22"
    assert picks(rel("Dana", their_work="x", last_sent=days_ago(14), tie="close")) == []
    assert picks(rel("Dana", cadence_days=1, last_sent=days_ago(15))) == [
        ("Dana", "going_quiet", "intro")
    ]


def test_never_someone_snoozed_until_the_snooze_ends() -> None:
    snoozed = rel("Sno", their_work="x", snoozed_until=TODAY)
    assert exclusion(snoozed, TODAY) == "snoozed until 2024-06-05"
    assert picks(snoozed) == []
    assert picks(rel("Sno", their_work="x", snoozed_until=days_ago(1))) == [
        ("Sno", "new_person", "compliment")
    ]


def test_never_someone_marked_do_not_suggest() -> None:
    dns = rel("Dns", met_on=days_ago(2), event="x", do_not_suggest=True)
    assert exclusion(dns, TODAY) == "marked do not suggest"
    assert picks(dns) == []
    assert plan_week([dns], TODAY).follow_ups_due == []  # not in the calendar either


# -- shape --------------------------------------------------------------------------------


def test_n_limits_the_picks_and_an_approved_draft_is_not_a_sent_one() -> None:
    people = [
        rel(f"P{i}", company=f"C{i}", event="x", met_on=days_ago(i), last_approved=days_ago(0))
        for i in range(1, 6)
    ]
    plan = plan_week(people, TODAY, PlanOptions(n=2))
    assert [s.name for s in plan.picks] == ["P5", "P4"]
    assert len(plan.follow_ups_due) == 5 and len(plan.reminders()) == 5
    assert "You approved a draft on 2024-06-05: mark it sent" in plan.picks[0].reason
    data = plan.picks[0].to_json_dict()
    assert {"name", "kind", "reason", "due"} <= set(data)
    assert data["due"] == "2024-06-14" and data["kind"] == "follow_up"


# -- the calendar file ----------------------------------------------------------------------


def test_ics_has_the_picks_and_every_follow_up_due_and_parses_back() -> None:
    import icalendar

    from core.calendar_file import plan_to_ics

    people = [
        rel("Dana Whitfield", met_on=days_ago(3), event="the book club", company="A"),  # deferred
        rel("Tom Lee", met_on=days_ago(5), event="the book club", company="A"),
        rel("Priya Raman", their_work="her PyCon talk", company="B"),
        rel("Old Friend", company="C", last_sent=days_ago(200), first_sent=days_ago(300)),
    ]
    plan = plan_week(people, TODAY, PlanOptions(n=3))
    assert [s.name for s in plan.picks] == ["Tom Lee", "Priya Raman", "Old Friend"]
    data = plan_to_ics(plan)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and "outreach" in str(calendar["PRODID"])
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Follow up with Dana Whitfield",  # not picked (variety), but a follow-up due goes in
        "Write to someone new: Priya Raman",
        "Stay in touch with Old Friend",
        "Follow up with Tom Lee",
    }
    dana = events["Follow up with Dana Whitfield"]
    assert dana.decoded("DTSTART") == date(2024, 6, 16)  # the day to write by
    assert dana.decoded("DTEND") == date(2024, 6, 17)  # an all-day event
    assert "book club" in str(dana["DESCRIPTION"]) and "--kind follow_up" in str(
        dana["DESCRIPTION"]
    )
    # Overdue reminders land on the plan's day, never in the past.
    assert events["Stay in touch with Old Friend"].decoded("DTSTART") == TODAY
    for event in events.values():
        assert event["UID"] and event.decoded("DTSTAMP")
    # Same plan, same file: importing it again updates instead of doubling.
    assert plan_to_ics(plan_week(people, TODAY, PlanOptions(n=3))) == data
    assert b"\r\n" in data
