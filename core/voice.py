"""The user's own voice, read from the drafts they approved: the greeting and sign-off
they kept when editing, which the offline composer prefers over its phrasebook."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    greeting: str = ""  # a greeting frame with {n} for the first name: "Hey {n},"
    signoff: str = ""  # the closing line above the name: "Thanks so much,"
