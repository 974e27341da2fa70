"""A typed contact, and the mapping from loosely named CSV/JSON columns onto it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import InputError
from core.formulas import unusable_as_name

#: Longest text accepted in any one contact field. Longer notes are almost always a
#: pasted document by mistake, and would crowd the guidance out of the prompt.
MAX_FIELD_CHARS = 4000

#: The fields a model or the composer may read. `private_notes` is deliberately absent.
PUBLIC_FIELDS = (
    "name",
    "role",
    "company",
    "notes",
    "how_we_met",
    "their_work",
    "shared_interests",
    "event",
)
#: Every text field of a contact, private notes included (storage, validation).
TEXT_FIELDS = (*PUBLIC_FIELDS, "private_notes")
#: Keep-in-touch fields the weekly plan reads; never part of a prompt.
RELATIONSHIP_FIELDS = ("met_on", "tie", "cadence_days")

Tie = Literal["close", "weak"]
#: Days without a message after which a contact is "going quiet", by tie.
DEFAULT_CADENCE_DAYS: dict[str, int] = {"close": 30, "weak": 90}
MAX_CADENCE_DAYS = 3650

# Column spellings people actually use, after normalisation (lower case, spaces and
# hyphens as underscores). LinkedIn's export uses "Position" and "Company".
_COLUMN_ALIASES = {
    "full_name": "name",
    "contact": "name",
    "contact_name": "name",
    "position": "role",
    "title": "role",
    "job_title": "role",
    "organisation": "company",
    "organization": "company",
    "org": "company",
    "employer": "company",
    "note": "notes",
    "met": "how_we_met",
    "how_met": "how_we_met",
    "work": "their_work",
    "interests": "shared_interests",
    "event_name": "event",
    "private": "private_notes",
    "private_note": "private_notes",
    "firstname": "first_name",
    "lastname": "last_name",
    "given_name": "first_name",
    "family_name": "last_name",
    "surname": "last_name",
    "cadence": "cadence_days",
    "date_met": "met_on",
    "met_date": "met_on",
}


def normalize_column(name: str) -> str:
    """'First Name' -> 'first_name'; case-insensitive, spaces/hyphens/underscores equivalent."""
    key = re.sub(r"[\s\-_]+", "_", str(name).strip().lower()).strip("_")
    key = key.lstrip("\ufeff")
    return _COLUMN_ALIASES.get(key, key)


class Contact(BaseModel):
    """A person the user wants to write to, and what the user knows about them."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1)
    role: str = ""
    company: str = ""
    notes: str = ""
    how_we_met: str = ""
    their_work: str = ""
    shared_interests: str = ""
    event: str = ""
    #: Never sent to a model, never written into a draft, never indexed.
    private_notes: str = ""
    #: The day of the event or first meeting. LinkedIn's "Connected On" is a connection
    #: date, not a meeting, so it stays in `extra`.
    met_on: date | None = None
    #: None means not set (read as weak), so an import without the column keeps a saved tie.
    tie: Tie | None = None
    cadence_days: int | None = None
    #: Any other columns, passed through untouched (email, url, tags ...).
    extra: dict[str, str] = Field(default_factory=dict)

    @field_validator(*TEXT_FIELDS)
    @classmethod
    def _not_too_long(cls, value: str) -> str:
        if len(value) > MAX_FIELD_CHARS:
            raise ValueError(f"is {len(value)} characters; shorten it to at most {MAX_FIELD_CHARS}")
        return value

    @field_validator("met_on", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                return date.fromisoformat(text) if len(text) == 10 else _bad_date(text)
            except ValueError:
                return _bad_date(text)
        return value

    @field_validator("tie", mode="before")
    @classmethod
    def _tie_word(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower()
            if not text:
                return None
            if text not in DEFAULT_CADENCE_DAYS:
                raise ValueError(f"is {value!r}: use close or weak")
            return text
        return value

    @field_validator("cadence_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower().removesuffix("days").removesuffix("d").strip()
            if not text:
                return None
            if not text.isdigit():
                raise ValueError(f"is {value!r}: give a whole number of days, like 30")
            value = int(text)
        if isinstance(value, int) and not 1 <= value <= MAX_CADENCE_DAYS:
            raise ValueError(f"is {value}: give a number of days from 1 to {MAX_CADENCE_DAYS}")
        return value

    @property
    def effective_tie(self) -> Tie:
        return self.tie or "weak"

    @property
    def effective_cadence_days(self) -> int:
        """How many quiet days before the plan suggests writing again."""
        return self.cadence_days or DEFAULT_CADENCE_DAYS[self.effective_tie]

    def public_fields(self) -> dict[str, str]:
        """The fields a model or the composer may see (never `private_notes`)."""
        return {f: getattr(self, f) for f in PUBLIC_FIELDS if getattr(self, f)}

    def public_text(self) -> str:
        """Every public fact about the contact as one text, for grounding checks."""
        return "\n".join(self.public_fields().values())

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def greeting_name(self) -> str:
        """The first name to greet, or "" when the name is a formula, a link or an email
        address (a hostile export cell): then a draft greets neutrally."""
        return "" if unusable_as_name(self.name) else self.first_name


def _bad_date(text: str) -> date:
    raise ValueError(f"is {text!r}: write the date as YYYY-MM-DD, like 2024-05-17")


_EMAIL_COLUMNS = {"email", "email_address", "e_mail", "mail"}


def contact_email(contact: Contact) -> str:
    """The contact's email from an `email`-like extra column, lower-cased; '' when none."""
    for key, value in contact.extra.items():
        column = re.sub(r"[\s\-_]+", "_", key.strip().lower())
        if column in _EMAIL_COLUMNS and "@" in value:
            return value.strip().lower()
    return ""


def _clean(value: Any) -> str:
    return "" if value is None else str(value).strip()


def contact_from_row(row: Mapping[str, Any]) -> Contact:
    """Build a contact from a CSV/JSON row with loosely named columns.

    Columns are matched case-insensitively with spaces and underscores equivalent;
    `first_name` + `last_name` make a name when there is no `name`. Columns that are
    not contact fields (and not `kind` / `id`, which belong to the request) go to `extra`.
    Raises InputError naming the field to fix.
    """
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    known = set(Contact.model_fields) - {"extra"}
    for raw_key, raw_value in row.items():
        if raw_key is None:
            continue
        key = normalize_column(raw_key)
        value = _clean(raw_value)
        if key in known:
            if value and not fields.get(key):
                fields[key] = value
        elif key in {"kind", "id"}:
            continue
        elif value:
            extra[str(raw_key).strip()] = value
    if not fields.get("name"):
        first = _clean(extra.pop(_find(extra, "first_name"), ""))
        last = _clean(extra.pop(_find(extra, "last_name"), ""))
        fields["name"] = " ".join(part for part in (first, last) if part)
    else:
        for part in ("first_name", "last_name"):
            extra.pop(_find(extra, part), None)
    if not fields["name"]:
        raise InputError("row has no name: fill in `name` (or `first_name` and `last_name`)")
    try:
        return Contact.model_validate({**fields, "extra": extra})
    except ValidationError as exc:
        raise InputError(_describe(exc)) from None


def _find(extra: Mapping[str, str], normalized: str) -> str:
    for key in extra:
        if normalize_column(key) == normalized:
            return key
    return ""


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "contact"
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"`{where}` {message}")
    return "; ".join(parts)
