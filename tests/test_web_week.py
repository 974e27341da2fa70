"""The This week page, headless through AppTest: the first page, suggestions with reasons,
drafting in place, approve, mark sent, snooze, the calendar file and the habit charts.

The page's day is fixed through session state (no test depends on today's date).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from core import store, timeline
from core.contacts import Contact
from tests.test_web_app import APP, TIMEOUT, texts

TODAY = date(2024, 6, 5)


def _seed() -> dict[str, str]:
    people = {
        "dana": Contact(
            name="Dana Whitfield",
            company="Builders Book Club",
            event="the November builders book club",
            notes="We argued about chapter 3; I promised her my notes.",
            met_on=TODAY - timedelta(days=3),
            extra={"email": "dana@example.org"},
        ),
        "tom": Contact(
            name="Tom Lee",
            company="Initech",
            event="the Rust meetup",
            notes="He told me about his on-call rotation that actually rests people.",
            met_on=TODAY - timedelta(days=6),
        ),
        "priya": Contact(
            name="Priya Raman",
            company="Stripe",
            their_work="her PyCon 2024 talk on testing async code",
            extra={"email": "priya@example.com", "field": "testing"},
        ),
        "old": Contact(name="Old Friend", company="Globex", tie="close"),
    }
    keys = {name: store.upsert_contact(c)[0] for name, c in people.items()}
    timeline.add_event(keys["old"], "sent", TODAY - timedelta(days=60), kind="intro")
    timeline.add_event(keys["old"], "replied", TODAY - timedelta(days=58))
    return keys


def week() -> AppTest:
    """The app as launched: its first page, on a fixed day."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["week_today"] = TODAY
    return at.run()


def _names(at: AppTest) -> list[str]:
    """The people suggested, in order (each card starts with the name in bold)."""
    return [m.split("**")[1] for m in texts(at.markdown) if re.match(r"\*\*[^*]+\*\*", m)]


def shown(elements) -> list[str]:  # type: ignore[no-untyped-def]
    """What a person reads: the Markdown escapes of user text removed."""
    return [t.replace("\\", "") for t in texts(elements)]


def _approve(at: AppTest) -> None:
    at.button(key="week_approve").click().run()
    if any(b.key == "week_approve_anyway" for b in at.button):  # the checks flagged it
        at.button(key="week_approve_anyway").click().run()


def test_this_week_is_the_first_page_and_explains_each_suggestion() -> None:
    _seed()
    at = week()
    assert not at.exception
    assert texts(at.title) == ["This week"]
    names = _names(at)
    assert names[:3] == ["Tom Lee", "Dana Whitfield", "Priya Raman"]
    captions = texts(at.caption)
    assert "Follow-up due · Follow-up · write by 2024-06-16" in captions  # Tom
    assert "Someone new · Compliment · write by 2024-06-09" in captions  # Priya
    reasons = " ".join(shown(at.markdown))
    assert "the Rust meetup 6 days ago" in reasons
    assert "One new person a week is 52 in a year" in reasons
    # The calendar file is offered, and it is a calendar.
    (download,) = [d for d in at.get("download_button") if "calendar" in d.proto.label]
    assert download.proto.label == "Add to my calendar (.ics)"
    # The habit: numbers and charts (sent per week against one a week, spread by company).
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sent in the past year"] == "1 of 52"
    assert metrics["Replies"] == "1"
    assert len(at.get("vega_lite_chart")) == 2  # per week; by company (no fields sent to yet)


def test_draft_in_place_approve_and_mark_sent_then_the_next_follow_up_is_there() -> None:
    keys = _seed()
    at = week()
    at.number_input(key="week_n").set_value(1).run()
    assert _names(at) == ["Tom Lee"]
    at.button(key="week_draft_0").click().run()
    assert not at.exception, at.exception
    text = at.text_area(key="week_text").value
    assert "Tom" in text and "Rust meetup" in text
    assert at.success or at.warning  # the checks ran on it
    assert any("Not a disguised pitch" in m for m in texts(at.markdown))
    _approve(at)
    assert any("Approved and saved" in s for s in shown(at.success))
    assert [e.type for e in timeline.list_events(keys["tom"])] == ["approved"]
    assert any("No email saved for Tom Lee" in c for c in shown(at.caption))
    at.selectbox(key="week_channel").set_value("linkedin")
    at.button(key="week_sent").click().run()
    assert not at.exception
    assert any("Marked sent to Tom Lee on 2024-06-05 (linkedin)" in s for s in shown(at.success))
    sent = [e for e in timeline.list_events(keys["tom"]) if e.type == "sent"]
    assert [(e.on_date, e.kind, e.channel, e.text) for e in sent] == [
        (TODAY, "follow_up", "linkedin", text)
    ]
    # Re-planned at once: Tom is gone, the next follow-up due is there.
    assert _names(at) == ["Dana Whitfield"]
    assert at.metric[0].value == "2 of 52"


def test_an_approved_draft_with_an_email_opens_in_the_mail_app() -> None:
    _seed()
    at = week()
    at.button(key="week_draft_1").click().run()  # Dana has an email
    _approve(at)
    links = at.get("link_button")
    assert [b.proto.label for b in links] == ["Open in my mail app"]
    url = links[0].proto.url
    assert url.startswith("mailto:dana@example.org?subject=Great%20to%20meet%20you%20at")
    assert "&body=" in url and " " not in url
    assert any(d.proto.label == "Download .eml draft" for d in at.get("download_button"))


def test_snooze_and_do_not_suggest_and_undo() -> None:
    keys = _seed()
    at = week()
    at.button(key="week_snooze_0").click().run()  # Tom
    assert any("Snoozed Tom Lee until 2024-06-12" in s for s in shown(at.success))
    assert "Tom Lee" not in _names(at)[:3]
    at.button(key="week_hide_0").click().run()  # now Dana is first
    assert "Dana Whitfield" not in _names(at)
    held = [e.label for e in at.expander if e.label.startswith("Snoozed or not suggested")]
    assert held == ["Snoozed or not suggested (2)"]
    hidden = {r.key: r.do_not_suggest for r in timeline.relationships()}
    assert hidden[keys["dana"]] and not hidden[keys["tom"]]
    at.button(key="week_unhold_0").click().run()
    assert not at.exception
    assert "Dana Whitfield" in _names(at)


def test_empty_workspace_says_what_to_do() -> None:
    at = week()
    assert not at.exception
    assert any("No contacts yet" in i for i in texts(at.info))
