from __future__ import annotations

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
