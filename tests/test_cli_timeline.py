"""`outreach contacts | history | sent | replied | plan` as a user runs them: real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.test_cli import outreach


def _ok(*args: str) -> str:
    result = outreach(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_contacts_import_twice_never_duplicates_and_lists_as_json(tmp_path: Path) -> None:
    first = _ok("contacts", "import", str(EXAMPLES / "contacts.csv"))
    assert "12 added, 0 updated, 0 unchanged" in first
    again = _ok("contacts", "import", str(EXAMPLES / "contacts.csv"))
    assert "0 added, 0 updated, 12 unchanged" in again
    people = json.loads(_ok("contacts", "list", "--json"))
    assert len(people) == 12
    priya = next(p for p in people if p["name"] == "Priya Raman")
    assert priya["email"] == "priya@example.com" and priya["company"] == "Stripe"
    assert (priya["tie"], priya["cadence_days"], priya["met_on"]) == ("weak", 90, None)
    assert "private_notes" not in priya  # never printed
    assert all("do not mention" not in json.dumps(p) for p in people)


def test_contacts_import_reports_bad_rows_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "name,met_on,tie,cadence_days\n"
        "Dana Whitfield,2024-05-02,close,21\n"
        "Bad Date,05/02/2024,,\n"
        ",2024-05-01,,\n"
        "Tom Lee,,weak,\n",
        encoding="utf-8",
    )
    result = outreach("contacts", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout and "2 skipped" in result.stdout
    assert "line 3: `met_on` is '05/02/2024': write the date as YYYY-MM-DD" in result.stderr
    assert "line 4: row has no name" in result.stderr
    people = {p["name"]: p for p in json.loads(_ok("contacts", "list", "--json"))}
    assert people["Dana Whitfield"]["met_on"] == "2024-05-02"
    assert people["Dana Whitfield"]["cadence_days"] == 21
    missing = outreach("contacts", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_sent_and_replied_go_on_the_timeline(tmp_path: Path) -> None:
    _ok("contacts", "import", str(EXAMPLES / "contacts.csv"))
    message = tmp_path / "sent.txt"
    message.write_text("Hi Priya, thank you for the async testing talk.\n", encoding="utf-8")
    out = _ok(
        "sent", "priya@example.com", "--kind", "compliment", "--date", "2024-05-06",
        "--text-file", str(message),
    )  # fmt: skip
    assert "sent: Priya Raman, compliment on 2024-05-06 (email)" in out
    assert "replied: Priya Raman on 2024-05-08" in _ok(
        "replied", "Priya Raman", "--date", "2024-05-08"
    )
    priya = next(
        p for p in json.loads(_ok("contacts", "list", "--json")) if p["name"] == "Priya Raman"
    )
    assert (priya["last_sent"], priya["last_replied"]) == ("2024-05-06", "2024-05-08")
    unknown = outreach("sent", "Nobody Here", "--kind", "intro")
    assert unknown.returncode == 2 and "no saved contact named 'Nobody Here'" in unknown.stderr
    bad_kind = outreach("sent", "Priya Raman", "--kind", "pitch")
    assert bad_kind.returncode == 2 and "unknown kind 'pitch'" in bad_kind.stderr
    bad_date = outreach("replied", "Priya Raman", "--date", "next tuesday")
    assert bad_date.returncode == 2 and "--date 'next tuesday' is not a date" in bad_date.stderr


def test_plan_json_ics_and_today(tmp_path: Path) -> None:
    import icalendar

    people = tmp_path / "people.csv"
    people.write_text(
        "name,company,event,met_on,their_work,email\n"
        "Dana Whitfield,Book Club,the November builders book club,2024-06-01,,dana@example.org\n"
        "Priya Raman,Stripe,,,her PyCon talk on async testing,priya@example.com\n",
        encoding="utf-8",
    )
    _ok("contacts", "import", str(people))
    calendar = tmp_path / "plan.ics"
    result = outreach("plan", "--json", "--ics", str(calendar), "--today", "2024-06-05")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert [(p["name"], p["kind"], p["due"]) for p in plan] == [
        ("Dana Whitfield", "follow_up", "2024-06-15"),
        ("Priya Raman", "compliment", "2024-06-09"),
    ]
    assert all(p["reason"] for p in plan)
    assert "2 reminders written" in result.stderr
    events = icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Follow up with Dana Whitfield",
        "Write to someone new: Priya Raman",
    ]
    assert [
        p["name"] for p in json.loads(_ok("plan", "--json", "--n", "1", "--today", "2024-06-05"))
    ] == ["Dana Whitfield"]
    text = _ok("plan", "--today", "2024-06-05")
    assert "1. Dana Whitfield (Book Club) · follow_up · due 2024-06-15" in text
    # Later, the same plan has moved on: the follow-up window has passed.
    later = json.loads(_ok("plan", "--json", "--today", "2024-06-20"))
    assert [p["name"] for p in later] == ["Priya Raman"]
    bad = outreach("plan", "--today", "06/05/2024")
    assert bad.returncode == 2 and "--today '06/05/2024' is not a date" in bad.stderr


def test_draft_for_a_saved_contact_writes_an_eml(tmp_path: Path) -> None:
    import email
    from email import policy

    _ok("contacts", "import", str(EXAMPLES / "contacts.csv"))
    path = tmp_path / "priya.eml"
    result = outreach(
        "draft", "--saved", "--name", "priya@example.com", "--kind", "compliment",
        "--eml", str(path), "--json", "--sender-name", "Sam Lee",
        "--sender-email", "sam@example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "PyCon 2024" in data["text"]  # the saved contact's notes were used
    assert "leaving Stripe" not in data["text"]  # its private notes never
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["X-Unsent"] == "1" and parsed["To"] == "Priya Raman <priya@example.com>"
    assert parsed["From"] == "Sam Lee <sam@example.org>"
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().replace("\r\n", "\n").strip() == data["text"].strip()
    assert f"mail draft: {path}" in result.stderr


def test_history_import_reports_each_bad_row_and_imports_the_rest() -> None:
    fixtures = EXAMPLES.parent / "tests" / "fixtures"
    _ok("contacts", "import", str(fixtures / "linkedin_connections.csv"))
    result = outreach("history", "import", str(fixtures / "linkedin_messages.csv"))
    assert result.returncode == 0, result.stderr
    assert "2 sent and 1 replies added to the timeline" in result.stdout
    assert "line 8: DATE 'last tuesday' is not a date" in result.stderr
    assert "not in your contacts: Recruiter Person" in result.stderr
    people = {p["name"]: p for p in json.loads(_ok("contacts", "list", "--json"))}
    assert people["Priya Raman"]["last_replied"] == "2024-03-21"
