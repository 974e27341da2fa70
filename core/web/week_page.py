"""This week: whom to write to now and why, drafted in place; then the habit so far."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from core import timeline
from core.calendar_file import plan_to_ics
from core.habit import spread, weekly, year_start
from core.kinds import Kind
from core.plan import PlanOptions, Relationship, Suggestion, fields_of, plan_week
from core.web.habit_charts import show_habit, show_spread
from core.web.ui import errors_shown, md_escape, page_header
from core.web.week_draft import open_draft_key, show_draft_in_place, start_draft

TODAY = "week_today"  # a fixed day (tests, or a look ahead); else the real today
FLASH = "week_flash"  # one message from the last action, shown once
N = "week_n"
SNOOZE_DAYS = 7
KIND_WORDS = {Kind.COMPLIMENT: "Compliment", Kind.INTRO: "Intro", Kind.FOLLOW_UP: "Follow-up"}
RULE_WORDS = {
    "follow_up_due": "Follow-up due",
    "new_person": "Someone new",
    "going_quiet": "Going quiet",
}


def today() -> date:
    fixed = st.session_state.get(TODAY)
    return fixed if isinstance(fixed, date) else date.today()


def render() -> None:
    page_header(
        "This week",
        "Whom to write to now, and why: follow-ups while the moment is fresh, one new person "
        "a week, and people going quiet. Draft in place; nothing is sent for you.",
    )
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(md_escape(flash))
    with errors_shown():
        relationships = timeline.relationships()
        if not relationships:
            st.info(
                "No contacts yet: import a CSV or LinkedIn's Connections.csv on the Contacts "
                "page (and `outreach history import messages.csv` for what you already sent)."
            )
            return
        day = today()
        n = st.number_input("How many people", 1, 10, 3, key=N)
        plan = plan_week(relationships, day, PlanOptions(n=int(n)))
        _suggestions(plan.picks, day)
        if plan.reminders():
            st.download_button(
                "Add to my calendar (.ics)",
                data=plan_to_ics(plan),
                file_name=f"outreach-week-{day.isoformat()}.ics",
                mime="text/calendar",
                icon=":material/calendar_add_on:",
                help="The picks and every follow-up due, as all-day reminders for Google "
                "Calendar, Outlook or Apple Calendar.",
            )
        _on_hold(relationships, day)
    with errors_shown():
        _habit(relationships, day)


def _suggestions(picks: list[Suggestion], day: date) -> None:
    if not picks:
        st.info(
            "Nobody is due this week. Note whose work you admire (their work) or when you "
            "met someone (met on) on the Contacts page to get suggestions."
        )
        return
    opened = open_draft_key()
    for index, s in enumerate(picks):
        with st.container(border=True):
            company = f" · {md_escape(s.company)}" if s.company else ""
            st.markdown(f"**{md_escape(s.name)}**{company}")
            st.caption(
                f"{RULE_WORDS[s.rule]} · {KIND_WORDS[s.kind]} · write by {s.due.isoformat()}"
            )
            st.markdown(md_escape(s.reason))
            if opened == s.key:
                show_draft_in_place(s, day)
                continue
            left, middle, right = st.columns(3)
            if left.button("Draft", key=f"week_draft_{index}", type="primary", width="stretch"):
                start_draft(s)
                st.rerun()
            middle.button(
                f"Snooze {SNOOZE_DAYS} days",
                key=f"week_snooze_{index}",
                width="stretch",
                on_click=_snooze,
                args=(s.key, s.name, day),
            )
            right.button(
                "Don't suggest",
                key=f"week_hide_{index}",
                width="stretch",
                on_click=_hide,
                args=(s.key, s.name, day),
            )


# Callbacks run before the next script run, so the plan drawn next already knows.
def _snooze(key: str, name: str, day: date) -> None:
    until = day + timedelta(days=SNOOZE_DAYS)
    timeline.add_event(key, "snooze", day, until=until, source="web")
    st.session_state[FLASH] = f"Snoozed {name} until {until.isoformat()}."


def _hide(key: str, name: str, day: date) -> None:
    timeline.add_event(key, "do_not_suggest", day, source="web")
    st.session_state[FLASH] = f"{name} will not be suggested again (undo below)."


def _on_hold(relationships: list[Relationship], day: date) -> None:
    held = [
        r for r in relationships if r.do_not_suggest or (r.snoozed_until and r.snoozed_until >= day)
    ]
    if not held:
        return
    with st.expander(f"Snoozed or not suggested ({len(held)})"):
        for index, r in enumerate(held):
            why = (
                "not suggested"
                if r.do_not_suggest
                else f"snoozed until {r.snoozed_until.isoformat() if r.snoozed_until else ''}"
            )
            left, right = st.columns([3, 1])
            left.markdown(f"{md_escape(r.contact.name)} · {why}")
            right.button(
                "Suggest again",
                key=f"week_unhold_{index}",
                on_click=_unhold,
                args=(r.key, r.contact.name),
            )


def _unhold(key: str, name: str) -> None:
    timeline.clear_holds(key)
    st.session_state[FLASH] = f"{name} can be suggested again."


def _habit(relationships: list[Relationship], day: date) -> None:
    st.subheader("Your habit")
    events = timeline.events_between(year_start(day), day, ("sent", "replied"))
    habit = weekly(events, day)
    if habit.sent == 0:
        st.caption(
            "Nothing marked sent in the past year yet: press Mark sent after you send a "
            "message, or import LinkedIn's messages.csv, to see your weeks here."
        )
    show_habit(habit)
    companies = {r.key: [r.contact.company] if r.contact.company else [] for r in relationships}
    show_spread("Messages sent by company (past year)", spread(events, companies, day))
    fields = {r.key: fields_of(r.contact) for r in relationships}
    show_spread("By field or circle (past year)", spread(events, fields, day, missing=None))
