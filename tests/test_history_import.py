"""LinkedIn's messages.csv and batch outputs fill the timeline; bad rows are reported, not fatal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core import store, timeline
from core.config import Settings
from core.contact_import import import_contacts_file
from core.contacts import Contact
from core.errors import InputError
from core.history_import import (
    LINKEDIN_COLUMNS,
    import_history_file,
    normalize_url,
    parse_linkedin_date,
)
from core.plan import Relationship
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
MESSAGES = FIXTURES / "linkedin_messages.csv"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings.from_env({"OUTREACH_HOME": str(tmp_path), "OUTREACH_BACKEND": "offline"})
    import_contacts_file(FIXTURES / "linkedin_connections.csv", settings)
    return settings


def _facts(settings: Settings) -> dict[str, Relationship]:
    return {r.contact.name: r for r in timeline.relationships(settings)}


def test_the_fixture_has_linkedins_columns_in_linkedins_order() -> None:
    header = MESSAGES.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert tuple(header[: len(LINKEDIN_COLUMNS)]) == LINKEDIN_COLUMNS


def test_messages_export_fills_sent_and_replied_for_matching_contacts(settings: Settings) -> None:
    result = import_history_file(MESSAGES, settings)
    assert (result.sent, result.replied, result.repeats) == (2, 1, 0)
    assert result.unmatched == 1 and result.unmatched_names == {"Recruiter Person": 1}
    assert result.skipped == 2  # the group message and the draft
    assert result.errors == [
        "line 8: DATE 'last tuesday' is not a date like 2023-06-11 15:33:58 UTC: "
        "fix or delete the row"
    ]
    facts = _facts(settings)
    priya, marcus, mei = facts["Priya Raman"], facts["Marcus Oyelaran"], facts["Mei Chen"]
    assert (priya.last_sent, priya.last_replied) == (date(2024, 3, 20), date(2024, 3, 21))
    # Matched by profile URL (trailing slash and all) to the contact keyed by email.
    assert marcus.key == "email:marcus@example.com" and marcus.last_sent == date(2023, 11, 2)
    assert mei.last_sent is None  # a group message is not a personal note
    events = timeline.list_events(priya.key, settings)
    assert [(e.type, e.channel) for e in events] == [("replied", "linkedin"), ("sent", "linkedin")]
    assert "fake clock trick" in events[0].text  # a message with a line break, whole
    # Importing the same export again adds nothing.
    again = import_history_file(MESSAGES, settings)
    assert (again.sent, again.replied, again.repeats) == (0, 0, 3)


def test_who_you_are_is_found_or_given(settings: Settings, tmp_path: Path) -> None:
    one = tmp_path / "messages.csv"
    lines = MESSAGES.read_text(encoding="utf-8").splitlines(keepends=True)
    one.write_text("".join(lines[:2]), encoding="utf-8")  # one conversation: both sides tie
    with pytest.raises(InputError, match="give --me"):
        import_history_file(one, settings)
    result = import_history_file(one, settings, me="https://www.linkedin.com/in/sam-lee-42/")
    assert (result.sent, result.replied) == (1, 0)
    by_name = import_history_file(one, settings, me="Priya Raman")  # the other way round
    assert by_name.replied == 0 and by_name.unmatched == 1


def test_matching_by_name_when_the_contact_has_no_url(settings: Settings, tmp_path: Path) -> None:
    store.upsert_contact(Contact(name="José García"), settings)
    path = tmp_path / "messages.csv"
    path.write_text(
        ",".join(LINKEDIN_COLUMNS) + "\n"
        "c1,,Sam Lee,,jose garcia,,2024-01-05 10:00:00 UTC,,Hola,INBOX\n"
        "c2,,Sam Lee,,Priya Raman,,2024-01-06 10:00:00 UTC,,Hi,INBOX\n",
        encoding="utf-8",
    )
    result = import_history_file(path, settings, me="Sam Lee")
    assert result.sent == 2
    assert _facts(settings)["José García"].last_sent == date(2024, 1, 5)


def test_a_batch_output_becomes_sent_events(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "drafts.csv"
    path.write_text(
        "name,kind,company,email,draft,status,error,is_pitch,pitch_score,backend\n"
        "Priya Raman,compliment,Stripe,,Hi Priya thanks,ok,,False,0.05,offline\n"
        "New Person,intro,Hooli,new@example.org,Hello New,flagged,,False,0.4,offline\n"
        "Broken,intro,,,,error,row has no notes,,,offline\n",
        encoding="utf-8",
    )
    result = import_history_file(path, settings, on=date(2024, 6, 3))
    assert (result.sent, result.skipped) == (2, 1)
    facts = _facts(settings)
    assert facts["Priya Raman"].last_sent == date(2024, 6, 3)
    new = store.get_contact("email:new@example.org", settings)
    assert new is not None and "draft" not in new.contact.extra  # output columns stay out
    (event,) = timeline.list_events("email:new@example.org", settings)
    assert (event.kind, event.text, event.source) == ("intro", "Hello New", "batch")
    assert import_history_file(path, settings, on=date(2024, 6, 3)).repeats == 2


def test_unknown_files_say_what_was_expected(settings: Settings, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("colour,size\nred,9\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"neither LinkedIn.s messages\.csv"):
        import_history_file(other, settings)
    with pytest.raises(InputError, match="no such file"):
        import_history_file(tmp_path / "missing.csv", settings)
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        import_history_file(tmp_path / "empty.csv", settings)


def test_linkedin_dates_and_urls() -> None:
    assert parse_linkedin_date("2023-06-11 15:33:58 UTC") == date(2023, 6, 11)
    assert parse_linkedin_date("2023-06-11T15:33:58+00:00") == date(2023, 6, 11)
    assert normalize_url("https://uk.linkedin.com/in/Priya-Raman/?trk=x") == (
        "linkedin.com/in/priya-raman"
    )
