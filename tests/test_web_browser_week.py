"""The This week page in a real browser, under the README's launch command.

A person opens the app (This week is the first page), sees whom to write to and why,
drafts in place, marks it sent and sees the next follow-up, downloads the calendar file
and sees the habit chart. The workspace is seeded through the store; the page plans for
the real today, so the seeded dates are relative to it.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from core import store, timeline
from core.config import Settings
from core.contacts import Contact
from tests import test_web_browser as real_browser
from tests.test_web_browser import CHROMIUM, _open, _save_screenshot

# The same fixtures: a `streamlit run` server on loopback and Debian's Chromium.
server = real_browser.server
browser = real_browser.browser

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package"),
]


def _seed(home: Path) -> None:
    settings = Settings.from_env({"OUTREACH_HOME": str(home), "OUTREACH_BACKEND": "offline"})
    today = date.today()
    for contact in (
        Contact(
            name="Tom Lee",
            company="Initech",
            event="the Rust meetup",
            notes="He told me about an on-call rotation that actually rests people.",
            met_on=today - timedelta(days=6),
        ),
        Contact(
            name="Dana Whitfield",
            company="Builders Book Club",
            event="the builders book club",
            notes="We argued about chapter 3; I promised her my notes.",
            met_on=today - timedelta(days=2),
        ),
    ):
        store.upsert_contact(contact, settings)
    old, _ = store.upsert_contact(Contact(name="Old Friend", company="Globex"), settings)
    for weeks_ago in (3, 5, 9):
        timeline.add_event(old, "sent", today - timedelta(weeks=weeks_ago), settings, kind="intro")


def test_this_week_draft_mark_sent_replan_and_calendar(
    server: str, browser: Any, tmp_path: Path
) -> None:
    _seed(tmp_path / "home")
    page = _open(browser, server, "This week")
    page.get_by_text("Tom Lee", exact=True).wait_for(timeout=30_000)
    assert page.get_by_text("the Rust meetup 6 days ago", exact=False).count() == 1
    # The habit: a chart, not only numbers.
    page.locator(".vega-embed").first.wait_for(timeout=30_000)
    assert page.get_by_text("Sent in the past year").count() == 1
    # The calendar file downloads and parses.
    with page.expect_download() as info:
        page.get_by_role("button", name="Add to my calendar (.ics)").click()
    path = tmp_path / "week.ics"
    info.value.save_as(path)
    summaries = {
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }
    assert {"Follow up with Tom Lee", "Follow up with Dana Whitfield"} <= summaries
    # Draft the first suggestion in place, then mark it sent.
    page.get_by_role("button", name="Draft", exact=True).first.click()
    message = page.get_by_role("textbox", name="Message", exact=False)
    message.wait_for(timeout=90_000)
    assert "Tom" in message.input_value()
    page.get_by_text("checks passed").or_(page.get_by_text("checks flagged")).first.wait_for(
        timeout=30_000
    )
    _save_screenshot(page, tmp_path / "this-week-draft.png")
    page.get_by_role("button", name="Mark sent", exact=True).click()
    page.get_by_text("Marked sent to Tom Lee").wait_for(timeout=30_000)
    # Re-planned: Tom is gone, the next follow-up due is there.
    page.get_by_text("Dana Whitfield", exact=True).wait_for(timeout=30_000)
    assert page.get_by_text("Tom Lee", exact=True).count() == 0
    _save_screenshot(page, tmp_path / "this-week-after-sent.png")
