"""The three message kinds (see PRODUCT.md)."""

from __future__ import annotations

from enum import StrEnum

from core.errors import InputError


class Kind(StrEnum):
    COMPLIMENT = "compliment"
    INTRO = "intro"
    FOLLOW_UP = "follow_up"


_ALIASES = {"follow-up": "follow_up", "followup": "follow_up", "follow up": "follow_up"}


def parse_kind(value: str | Kind) -> Kind:
    """Accept the canonical names plus common spellings ('follow-up'), case-insensitively."""
    if isinstance(value, Kind):
        return value
    key = str(value).strip().lower()
    key = _ALIASES.get(key, key)
    try:
        return Kind(key)
    except ValueError:
        choices = ", ".join(k.value for k in Kind)
        raise InputError(f"unknown kind {value!r}: use one of {choices}") from None
