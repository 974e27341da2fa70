from __future__ import annotations

from datetime import date

import pytest

from core.contacts import MAX_FIELD_CHARS, Contact, contact_from_row, normalize_column
from core.errors import InputError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("First Name", "first_name"),
        ("first_name", "first_name"),
        ("FIRST-NAME", "first_name"),
        ("  How We Met ", "how_we_met"),
        ("Position", "role"),
        ("Organization", "company"),
        ("\ufeffname", "name"),
        ("Private Notes", "private_notes"),
    ],
)
def test_columns_match_case_insensitively_with_spaces_and_underscores(
    raw: str, expected: str
) -> None:
    assert normalize_column(raw) == expected


def test_first_and_last_name_make_a_name_and_extra_columns_pass_through() -> None:
    contact = contact_from_row(
        {
            "First Name": "Ada",
            "Last Name": "Lovelace",
            "Company": "Analytical",
            "Email": "a@x.org",
            "kind": "intro",
        }
    )
    assert contact.name == "Ada Lovelace"
    assert contact.company == "Analytical"
    assert contact.extra == {"Email": "a@x.org"}
    assert "kind" not in contact.extra


def test_a_row_without_any_name_says_what_to_fill_in() -> None:
    with pytest.raises(InputError, match="name"):
        contact_from_row({"notes": "met at a meetup"})


def test_overlong_notes_are_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError, match=r"notes.*shorten"):
        contact_from_row({"name": "A", "notes": "x" * (MAX_FIELD_CHARS + 1)})


def test_private_notes_are_never_part_of_the_public_fields() -> None:
    contact = Contact(name="Bo", notes="wrote a book", private_notes="salary 200k")
    assert "private_notes" not in contact.public_fields()
    assert "200k" not in contact.public_text()


def test_keep_in_touch_columns_are_parsed_with_clear_errors() -> None:
    contact = contact_from_row(
        {"Name": "Dana", "Met On": "2024-05-02", "Tie": "CLOSE", "Cadence": "45 days"}
    )
    assert (contact.met_on, contact.tie, contact.cadence_days) == (date(2024, 5, 2), "close", 45)
    assert contact.effective_cadence_days == 45
    assert contact_from_row({"name": "Bo", "tie": "close"}).effective_cadence_days == 30
    assert contact_from_row({"name": "Bo"}).effective_cadence_days == 90
    with pytest.raises(InputError, match=r"`met_on` is '02/05/2024': write the date as YYYY-MM-DD"):
        contact_from_row({"name": "Bo", "met_on": "02/05/2024"})
    with pytest.raises(InputError, match=r"`tie` is 'best friend': use close or weak"):
        contact_from_row({"name": "Bo", "tie": "best friend"})
    with pytest.raises(InputError, match=r"`cadence_days` is 'monthly': give a whole number"):
        contact_from_row({"name": "Bo", "cadence_days": "monthly"})
    with pytest.raises(InputError, match=r"`cadence_days` is 0: give a number of days from 1"):
        contact_from_row({"name": "Bo", "cadence_days": "0"})


def test_linkedin_connected_on_is_a_connection_date_not_a_meeting() -> None:
    from core.batch_input import read_batch_input
    from tests.conftest import ROOT

    batch = read_batch_input(ROOT / "tests" / "fixtures" / "linkedin_connections.csv")
    contact = contact_from_row(batch.rows[0].values)
    assert contact.name == "Priya Raman"
    assert contact.met_on is None
    assert contact.extra["Connected On"] == "14 Mar 2024"
