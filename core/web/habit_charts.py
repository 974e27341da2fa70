"""The This week page's picture of the habit: sent per week against one a week, replies,
and the spread across companies and fields. Charts are Altair (shipped with Streamlit,
drawn in the browser, no network)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from core.habit import HabitSummary


def show_habit(habit: HabitSummary) -> None:
    left, middle, right = st.columns(3)
    left.metric("Sent in the past year", f"{habit.sent} of {habit.goal}")
    middle.metric("Weeks with a message", f"{habit.weeks_on_target} of {habit.goal}")
    right.metric("Replies", habit.replied)
    rows = [
        {"week": w.start.isoformat(), "count": n, "series": series}
        for w in habit.weeks
        for series, n in (("Sent", w.sent), ("Replies", w.replied))
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("week:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6))
    )
    sent = (
        base.transform_filter(alt.datum.series == "Sent")
        .mark_bar(color="#4c78a8")
        .encode(
            y=alt.Y("count:Q", title="messages per week", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("week:T", title="week of"), alt.Tooltip("count:Q", title="sent")],
        )
    )
    replies = (
        base.transform_filter(alt.datum.series == "Replies")
        .mark_line(point=True, color="#f58518")
        .encode(
            y="count:Q",
            tooltip=[
                alt.Tooltip("week:T", title="week of"),
                alt.Tooltip("count:Q", title="replies"),
            ],
        )
    )
    goal = (
        alt.Chart(alt.Data(values=[{"goal": 1}]))
        .mark_rule(strokeDash=[6, 4], color="#54a24b")
        .encode(y="goal:Q")
    )
    st.markdown("##### Messages sent per week (bars), replies (line), one a week (dashed)")
    st.altair_chart(alt.layer(sent, replies, goal).properties(height=220), width="stretch")


def show_spread(title: str, counts: list[tuple[str, int]]) -> None:
    if not counts:
        return
    rows = [{"who": label, "sent": n} for label, n in counts]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#72b7b2")
        .encode(
            x=alt.X("sent:Q", title="messages sent", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("who:N", title=None, sort="-x"),
            tooltip=["who:N", "sent:Q"],
        )
        .properties(height=max(60, 24 * len(rows)))
    )
    st.markdown(f"##### {title}")
    st.altair_chart(chart, width="stretch")
