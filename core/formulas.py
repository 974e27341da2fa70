"""Text a spreadsheet would run, and text that cannot be a person's name.

OWASP's CSV-injection guidance: Excel, LibreOffice and Google Sheets read a cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK(...)`
sends data away when clicked; `=cmd|...` runs programs in old Excel). Leading spaces or
quotes do not stop them, so those are looked through. The defence OWASP describes is a
leading single quote, which every spreadsheet shows as text.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
# Looked through before the first character counts: spreadsheets trim or ignore them.
_LEADING_PADDING = " \u00a0\n\"'"
_LINK = re.compile(
    r"[a-z][a-z0-9+.-]*://|\bwww\.|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\b[\w-]+\.(?:com|net|org|io|ai|co|dev|app|xyz|info|biz|me|ly|gg|to|site|link|click)\b",
    re.IGNORECASE,
)


def looks_like_formula(value: str) -> bool:
    """True when a spreadsheet would run this cell as a formula."""
    return value.lstrip(_LEADING_PADDING)[:1] in FORMULA_TRIGGERS


def neutralize_cell(value: str) -> str:
    """The cell as text a spreadsheet shows and never runs (OWASP: a leading single quote)."""
    return f"'{value}" if looks_like_formula(value) else value


def unusable_as_name(name: str) -> bool:
    """A formula, a link or an email address in a name field is not a name to greet."""
    first = name.split()[0] if name.split() else name
    return looks_like_formula(name) or looks_like_formula(first) or bool(_LINK.search(name))


__all__ = ["FORMULA_TRIGGERS", "looks_like_formula", "neutralize_cell", "unusable_as_name"]
