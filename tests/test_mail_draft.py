"""Open in my mail app: an RFC 5322 .eml draft and a mailto: link; nothing is ever sent."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from core.contacts import Contact
from core.errors import InputError
from core.kinds import Kind
from core.mail_draft import draft_message, mailto_link, subject_for, write_eml
from core.models import Sender

TEXT = "Hi Priya,\n\nYour talk on async testing — the fake clock part — fixed our flaky CI.\n\nSam"


def test_eml_is_an_unsent_rfc5322_draft_that_parses_back(tmp_path: Path) -> None:
    message = draft_message(
        TEXT,
        subject="Thank you, Priya",
        to_name="Priya Raman",
        to_email="priya@example.com",
        from_name="Sam Lee",
        from_email="sam@example.org",
    )
    path = write_eml(tmp_path / "out" / "priya.eml", message)
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line ends only
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["X-Unsent"] == "1"
    assert parsed["To"] == "Priya Raman <priya@example.com>"
    assert parsed["From"] == "Sam Lee <sam@example.org>"
    assert parsed["Subject"] == "Thank you, Priya"
    assert parsed["Date"] and parsed["Message-ID"]
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().replace("\r\n", "\n").strip() == TEXT


def test_eml_without_addresses_still_opens_and_a_folder_is_an_error(tmp_path: Path) -> None:
    path = write_eml(tmp_path / "x.eml", draft_message("Hello", subject="Hello"))
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["To"] is None and parsed["X-Unsent"] == "1"
    with pytest.raises(InputError, match="is a folder"):
        write_eml(tmp_path, draft_message("Hello", subject="Hello"))


def test_mailto_link_encodes_subject_and_body() -> None:
    link = mailto_link("priya@example.com", "Thank you & more?", "Line one\nLine two: 100% = yes")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == "priya@example.com"
    assert " " not in link and "\n" not in link and "+" not in link
    query = parse_qs(parts.query)
    assert query["subject"] == ["Thank you & more?"]
    assert query["body"] == ["Line one\r\nLine two: 100% = yes"]
    assert unquote(link).startswith("mailto:priya@example.com?subject=Thank you & more?")


def test_subjects_use_only_facts_from_the_fields() -> None:
    dana = Contact(name="Dana Whitfield", event="the November book club")
    assert subject_for(Kind.FOLLOW_UP, dana) == "Great to meet you at the November book club"
    assert subject_for(Kind.FOLLOW_UP, Contact(name="Bo")) == "Great to meet you"
    assert subject_for(Kind.INTRO, dana, Sender(name="Sam Lee")) == "Hello from Sam Lee"
    assert subject_for(Kind.COMPLIMENT, dana) == "Thank you, Dana"
