"""End to end, as a new user would: import contacts and a LinkedIn messages export, get a
plan, draft, mark it sent, re-plan (that person is gone, the next follow-up due is there),
import the .ics into a calendar parser and open the .eml. Real subprocesses, fixed dates.
"""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import icalendar

from tests.conftest import ROOT
from tests.test_cli import outreach

FIXTURES = ROOT / "tests" / "fixtures"
TODAY = "2024-04-10"


def _ok(*args: str) -> str:
    result = outreach(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _plan(*extra: str) -> list[dict[str, str]]:
    return json.loads(_ok("plan", "--json", "--today", TODAY, *extra))


def test_import_plan_draft_send_replan(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "name,company,event,notes,met_on,tie,email\n"
        "Dana Whitfield,Builders Book Club,the builders book club,"
        "We argued about chapter 3 and I promised her my notes.,2024-04-06,,dana@example.org\n"
        "Tom Lee,Initech,the Rust meetup,"
        "He told me about an on-call rotation that actually rests people.,2024-04-08,close,\n"
        "Priya Raman,Stripe,,Her fixture tips cut our CI time in half.,,,\n",
        encoding="utf-8",
    )
    assert "3 added" in _ok("contacts", "import", str(FIXTURES / "linkedin_connections.csv"))
    assert "2 added, 1 updated" in _ok("contacts", "import", str(people))  # Priya merged
    history = _ok("history", "import", str(FIXTURES / "linkedin_messages.csv"))
    assert "2 sent and 1 replies" in history

    calendar = tmp_path / "week.ics"
    plan = _plan("--ics", str(calendar))
    assert [(p["name"], p["kind"], p["due"]) for p in plan] == [
        ("Dana Whitfield", "follow_up", "2024-04-20"),
        ("Tom Lee", "follow_up", "2024-04-22"),
        # Known from the messages export: last written to in November, a weak tie.
        ("Marcus Oyelaran", "intro", "2024-01-31"),  # no notes on his work: an intro
    ]
    assert "160 days ago (2023-11-02)" in plan[2]["reason"]
    # Priya was written to three weeks ago and replied: not due, not "new".
    assert all(p["name"] != "Priya Raman" for p in plan)
    events = icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Follow up with Dana Whitfield",
        "Follow up with Tom Lee",
        "Stay in touch with Marcus Oyelaran",
    ]

    eml = tmp_path / "dana.eml"
    draft_args = (
        "draft", "--saved", "--name", "dana@example.org", "--kind", "follow_up",
        "--eml", str(eml), "--json", "--sender-name", "Sam Lee",
    )  # fmt: skip
    drafted = json.loads(_ok(*draft_args))
    assert "book club" in drafted["text"]
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1" and message["To"] == "Dana Whitfield <dana@example.org>"
    assert message["Subject"] == "Great to meet you at the builders book club"
    sent_text = tmp_path / "sent.txt"
    sent_text.write_text(drafted["text"], encoding="utf-8")
    _ok(
        "sent", "dana@example.org", "--kind", "follow_up", "--date", TODAY,
        "--text-file", str(sent_text),
    )  # fmt: skip

    replan = _plan()
    names = [p["name"] for p in replan]
    assert "Dana Whitfield" not in names  # just written to
    assert names[0] == "Tom Lee" and replan[0]["kind"] == "follow_up"  # the next one due
    dana = next(
        p for p in json.loads(_ok("contacts", "list", "--json")) if p["name"] == "Dana Whitfield"
    )
    assert dana["last_sent"] == TODAY
