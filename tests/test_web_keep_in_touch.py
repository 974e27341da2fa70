"""The Contacts page keeps the keep-in-touch fields: shown, editable, never lost on an edit."""

from __future__ import annotations

from datetime import date

from core import store, timeline
from core.contacts import Contact
from tests.test_web_app import page, texts


def test_editing_a_contact_keeps_met_on_tie_and_cadence() -> None:
    key, _ = store.upsert_contact(
        Contact(name="Dana Whitfield", met_on=date(2024, 5, 2), tie="close", cadence_days=21)
    )
    timeline.add_event(key, "sent", date(2024, 5, 3), kind="follow_up")
    at = page("contacts_page")
    at.selectbox(key="contacts_edit_key").set_value(key).run()
    assert at.date_input(key=f"contacts_edit_{key}_met_on").value == date(2024, 5, 2)
    assert at.selectbox(key=f"contacts_edit_{key}_tie").value == "close"
    assert at.number_input(key=f"contacts_edit_{key}_cadence_days").value == 21
    at.text_input(key=f"contacts_edit_{key}_role").set_value("Organizer")
    at.number_input(key=f"contacts_edit_{key}_cadence_days").set_value(45)
    next(b for b in at.button if b.label == "Save changes").click()
    at.run()
    assert not at.exception
    saved = store.get_contact(key)
    assert saved is not None
    assert (saved.contact.role, saved.contact.met_on) == ("Organizer", date(2024, 5, 2))
    assert (saved.contact.tie, saved.contact.cadence_days) == ("close", 45)
    assert [e.type for e in timeline.list_events(key)] == ["sent"]  # the timeline survives


def test_adding_a_contact_with_a_meeting_date() -> None:
    at = page("contacts_page")
    at.text_input(key="contacts_new_name").set_value("Zoe Kim")
    at.date_input(key="contacts_new_met_on").set_value(date(2024, 6, 1))
    at.button[-1].click()
    at.run()
    assert not at.exception
    (saved,) = store.list_contacts()
    assert saved.contact.met_on == date(2024, 6, 1) and saved.contact.cadence_days is None


def test_the_contacts_page_shows_the_timeline_and_takes_a_note() -> None:
    key, _ = store.upsert_contact(Contact(name="Tom Lee", company="Initech"))
    timeline.add_event(
        key, "sent", date(2024, 5, 3), kind="follow_up", channel="linkedin", text="Hi Tom!"
    )
    at = page("contacts_page")
    at.selectbox(key="contacts_edit_key").set_value(key).run()
    (expander,) = [e for e in at.expander if e.label.startswith("Timeline with")]
    assert expander.label == "Timeline with Tom Lee (1)"
    shown = [m.replace("\\", "") for m in texts(at.markdown)]
    assert "**2024-05-03** Sent · follow up · linkedin" in shown
    assert "Hi Tom!" in [c.replace("\\", "") for c in texts(at.caption)]
    at.text_input(key=f"timeline_note_{key}").set_value("Loves trail running")
    next(b for b in at.button if b.label == "Add note").click()
    at.run()
    assert not at.exception
    notes = [e for e in timeline.list_events(key) if e.type == "note"]
    assert [n.text for n in notes] == ["Loves trail running"]
