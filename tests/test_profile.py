"""`outreach profile`: the sender's details in the workspace, shared with the web app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.composer import compose
from core.contacts import Contact
from core.errors import ConfigError
from core.kinds import Kind
from core.models import Sender
from core.profile import PROFILE_FILE, load_profile, name_hint_due, save_profile, update_profile
from tests.test_cli import outreach

CONTACT = Contact(
    name="Priya Raman",
    their_work="Gave a talk at PyCon 2024 on testing async code",
    notes="Her fixture tips cut our CI time in half.",
    event="PyCon 2024",
)


def test_update_sets_given_fields_keeps_the_rest_and_clears_on_empty() -> None:
    save_profile(Sender(name="Sam Lee", role="engineer", company="Acme"))
    updated = update_profile({"company": "Globex", "role": None, "about": "I build tools."})
    assert updated == Sender(
        name="Sam Lee", role="engineer", company="Globex", about="I build tools."
    )
    assert update_profile({"role": ""}).role == ""
    assert load_profile().company == "Globex"


def test_unknown_field_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="email"):
        update_profile({"email": "x@example.com"})


def test_name_hint_is_due_once_per_workspace_and_never_with_a_name() -> None:
    assert name_hint_due(Sender(name="Sam")) is False
    assert name_hint_due(Sender()) is True
    assert name_hint_due(Sender()) is False


@pytest.mark.parametrize("kind", list(Kind))
def test_drafts_sign_with_the_first_name_or_end_without_a_dangling_closing(kind: Kind) -> None:
    signed = compose(CONTACT, kind, Sender(name="Sam Lee")).text
    assert signed.splitlines()[-1] == "Sam"
    assert signed.splitlines()[-2].endswith(",")
    unsigned = compose(CONTACT, kind, Sender()).text
    assert not unsigned.rstrip().endswith(",")


@pytest.mark.integration
def test_profile_command_sets_shows_and_shares_the_workspace_file(_hermetic_env: Path) -> None:
    empty = outreach("profile")
    assert empty.returncode == 0, empty.stderr
    assert "outreach profile --name" in empty.stderr
    result = outreach("profile", "--name", "Sam Lee", "--role", "product engineer")
    assert result.returncode == 0, result.stderr
    assert "Sam Lee" in result.stdout and "product engineer" in result.stdout
    assert "outreach profile --name" not in result.stderr
    shown = json.loads(outreach("profile", "--json").stdout)
    assert shown == {"name": "Sam Lee", "role": "product engineer", "company": "", "about": ""}
    # The web app's Settings page reads the same file through load_profile().
    saved = json.loads((_hermetic_env / PROFILE_FILE).read_text(encoding="utf-8"))
    assert saved["name"] == "Sam Lee"


@pytest.mark.integration
def test_draft_says_once_how_to_set_a_name_then_signs_with_it() -> None:
    args = ("draft", "--name", "Priya Raman", "--their-work", CONTACT.their_work,
            "--notes", CONTACT.notes)  # fmt: skip
    first = outreach(*args)
    assert 'outreach profile --name "Your Name"' in first.stderr
    second = outreach(*args)
    assert "outreach profile --name" not in second.stderr
    assert outreach("profile", "--name", "Sam Lee").returncode == 0
    signed = json.loads(outreach(*args, "--json").stdout)
    assert signed["text"].splitlines()[-1] == "Sam"
