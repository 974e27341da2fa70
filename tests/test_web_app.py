"""Every page of the web app, headless through streamlit.testing.v1.AppTest.

Offline composer, a temp workspace, no network: the same engine the CLI uses.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from core import store
from core.contacts import Contact
from core.models import OFFLINE_LABEL
from core.profile import load_profile
from core.web import batch_runs
from core.web.ui import md_escape

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
TIMEOUT = 90
SECRET = "sk-test-DO-NOT-SHOW-1234567890"


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A fresh workspace and the offline composer; the environment is restored after."""
    saved = dict(os.environ)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OUTREACH_MODEL", "OUTREACH_CHROMA_URL"):
        os.environ.pop(name, None)
    os.environ["OUTREACH_HOME"] = str(tmp_path / "home")
    os.environ["OUTREACH_BACKEND"] = "offline"
    yield tmp_path / "home"
    os.environ.clear()
    os.environ.update(saved)


def page(module: str) -> AppTest:
    at = AppTest.from_string(
        f"from core.web import {module}\n{module}.render()", default_timeout=TIMEOUT
    )
    return at.run()


def app(url_path: str = "draft") -> AppTest:
    """The app as launched, opened at one page's URL (/draft unless told).

    This week is the first page; AppTest.switch_page only knows page files, so the run
    asks for the page the way a visit to /<url_path> does: by the hash of its url_path.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at._page_hash = calc_hash(url_path)
    return at.run()


def texts(elements) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e.value) for e in elements]


def test_md_escape_keeps_user_text_literal() -> None:
    raw = "<img src=x onerror=alert(1)> [click](http://evil) **bold** :rocket: $x$"
    escaped = md_escape(raw)
    assert not re.search(r"(?<!\\)[<>\[\]()*:$]", escaped)  # every special char escaped
    assert escaped.replace("\\", "") == raw


# -- Draft -----------------------------------------------------------------------------


def _type_contact(at: AppTest, name: str = "Priya Raman") -> None:
    at.text_input(key="draft_c_name").set_value(name)
    at.text_area(key="draft_c_their_work").set_value("her talk on CRDTs at Strange Loop 2023")
    at.text_area(key="draft_c_notes").set_value("We both run a book club on distributed systems.")


def test_draft_page_opens_with_empty_state() -> None:
    at = app()
    assert not at.exception
    assert texts(at.title) == ["Draft a message"]
    assert any("No saved contacts yet" in c for c in texts(at.caption))
    assert any("press **Draft**" in i for i in texts(at.info))
    assert at.button(key="draft_again").disabled


def test_draft_shows_text_checks_sources_and_provenance() -> None:
    at = app()
    _type_contact(at)
    at.button[0].click().run()
    assert not at.exception and not at.error
    text = at.text_area(key="draft_text").value
    assert "Priya" in text
    markdown = texts(at.markdown)
    assert any("Not a disguised pitch" in m for m in markdown)
    assert any("Only facts from your notes" in m for m in markdown)
    assert at.success or at.warning  # the checks' summary
    captions = texts(at.caption)
    assert md_escape(OFFLINE_LABEL) in captions
    assert any("prompt" in c and "offline" in c for c in captions)
    labels = [e.label for e in at.expander]
    assert any(
        label.startswith("Guidance used (") and label != "Guidance used (0)" for label in labels
    )
    assert any(label.startswith("From your notes (") for label in labels)


PITCH = "Could you book a demo of my product and share it with your team?"
#: What a user must never read: check names, categories, classifier talk, raw scores, markup.
INTERNAL = re.compile(
    r"share_promote|product_demo|not_pitch|classifier|rule matched|score \d|`|\(\w+_\w+\)"
)


def _draft_then_add_pitch(at: AppTest) -> str:
    _type_contact(at)
    at.button[0].click().run()
    edited = at.text_area(key="draft_text").value + "\n\n" + PITCH
    at.text_area(key="draft_text").set_value(edited).run()
    return edited


def test_edit_reruns_checks_and_highlights_the_pitch_in_plain_words() -> None:
    at = app()
    _draft_then_add_pitch(at)
    assert not at.exception
    assert any("flagged" in w for w in texts(at.warning))
    markdown = texts(at.markdown)
    # The sentence is highlighted in the text as it reads...
    assert any(f":red-background[{md_escape(PITCH)}]" in m for m in markdown), markdown
    # ...and explained once, in words a user can act on.
    assert any(
        "This sentence asks them to share or promote your work; a compliment asks for nothing"
        in m.replace("\\", "")
        for m in markdown
    ), markdown
    shown = " ".join(markdown + texts(at.error) + texts(at.warning) + texts(at.caption))
    assert not INTERNAL.search(shown.replace("\\", "")), INTERNAL.search(shown.replace("\\", ""))
    quoted = [m for m in markdown if m.startswith(":orange-background[")]
    assert len(quoted) == 1  # one box for the sentence, though two checks caught it
    assert not at.error  # no red box repeats the sentence


def test_score_card_is_shown_and_follows_the_edits() -> None:
    at = app()
    _type_contact(at)
    at.button[0].click().run()
    markdown = texts(at.markdown)
    before = next(m for m in markdown if m.startswith("**Score card**"))
    assert "aim for 50-125" in before and "reading grade" in before and "asks: none" in before
    edited = at.text_area(key="draft_text").value + "\n\n" + PITCH
    at.text_area(key="draft_text").set_value(edited).run()
    after = next(m for m in texts(at.markdown) if m.startswith("**Score card**"))
    assert after != before  # the word count moved with the edit
    assert "asks: 1 found (a compliment asks for none)" in after
    assert any("Take out the request" in i for i in texts(at.info)), texts(at.info)


def test_approve_rechecks_and_a_flagged_text_needs_approve_anyway(workspace: Path) -> None:
    at = app()
    edited = _draft_then_add_pitch(at)
    at.button(key="draft_approve").click().run()
    assert not at.exception
    assert store.list_drafts() == []  # nothing saved: the text is flagged
    assert any("Not approved yet" in e for e in texts(at.error))
    assert not any("Approved and saved" in s for s in texts(at.success))
    reasons = " ".join(texts(at.markdown)).replace("\\", "")
    assert "- This sentence asks them to share or promote your work" in reasons
    at.button(key="draft_approve_anyway").click().run()
    assert not at.exception
    saved = store.list_drafts()
    assert [d.text for d in saved] == [edited]
    assert saved[0].status == "flagged"
    assert any("Approved and saved" in s for s in texts(at.success))


def test_keep_editing_then_remove_the_flagged_sentence_in_one_click(workspace: Path) -> None:
    at = app()
    _draft_then_add_pitch(at)
    at.button(key="draft_approve").click().run()
    at.button(key="draft_keep_editing").click().run()
    assert not any("Not approved yet" in e for e in texts(at.error))
    remove = next(b for b in at.button if b.label == "Remove this sentence")
    remove.click().run()
    assert not at.exception
    text = at.text_area(key="draft_text").value
    assert PITCH not in text and "Priya" in text
    assert any("checks passed" in s for s in texts(at.success)), texts(at.warning)
    at.button(key="draft_approve").click().run()
    assert [d.text for d in store.list_drafts()] == [text]
    assert store.list_drafts()[0].status == "ok"


def test_the_form_follows_the_kind_event_and_shared_moment_first_for_follow_ups() -> None:
    at = app()
    at.radio(key="draft_kind").set_value(at.radio(key="draft_kind").options[2]).run()
    assert not at.exception
    main_labels = [w.label for w in at.main if hasattr(w, "label") and w.label]
    follow_up = main_labels[main_labels.index("Name") : main_labels.index("Name") + 4]
    assert follow_up == ["Name", "Event where you met", "A moment you shared there", "Notes"]
    assert "Their work you admire" not in follow_up
    at.text_input(key="draft_c_name").set_value("Ana Ruiz")
    at.text_input(key="draft_c_event").set_value("the PyData Madrid meetup")
    at.text_input(key="draft_c_how_we_met").set_value("We argued about pandas indexes over tapas")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "PyData Madrid" in at.text_area(key="draft_text").value


def test_another_version_then_approve_saves_history(workspace: Path) -> None:
    at = app()
    _type_contact(at)
    at.button[0].click().run()
    first = at.text_area(key="draft_text").value
    at.button(key="draft_again").click().run()
    assert not at.exception
    second = at.text_area(key="draft_text").value
    assert second and second != first
    at.button(key="draft_approve").click().run()
    assert not at.exception
    assert any("Approved" in s for s in texts(at.success))
    assert texts(at.code) == [second]  # st.code has the copy button
    assert at.get("download_button")
    history = store.list_drafts()
    assert [d.text for d in history] == [second]
    assert [c.contact.name for c in store.list_contacts()] == ["Priya Raman"]


def test_draft_for_a_saved_contact_never_uses_private_notes() -> None:
    store.upsert_contact(
        Contact(
            name="Tom Lee",
            company="Initech",
            their_work="his post on on-call rotations that actually rest people",
            private_notes="SECRET-DIVORCE",
        )
    )
    at = app()
    assert at.radio(key="draft_source").value == "A saved contact"
    at.button[0].click().run()
    assert not at.exception
    text = at.text_area(key="draft_text").value
    assert "Tom" in text and "SECRET-DIVORCE" not in text
    everything = " ".join(texts(at.markdown) + texts(at.caption) + [text])
    assert "SECRET-DIVORCE" not in everything


def test_draft_without_a_name_is_a_clear_error() -> None:
    at = app()
    at.button[0].click().run()
    assert not at.exception
    assert any("name" in e for e in texts(at.error))


def test_user_text_is_escaped_on_the_page() -> None:
    at = app()
    _type_contact(at, name="Eve <b>Bold</b> [x](http://evil.example)")
    at.button[0].click().run()
    assert not at.exception
    heading = texts(at.subheader)[0]
    assert "<b>" not in heading and "](" not in heading


# -- Contacts --------------------------------------------------------------------------

CSV = b"name,company,role,notes\nPriya Raman,Acme,Staff engineer,CRDT talk\nTom Lee,Initech,PM,\n"
LINKEDIN = (
    b"Notes:\n"
    b'"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    b"\n"
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Ada,Obi,https://www.linkedin.com/in/ada,ada@example.com,Globex,CTO,01 Jan 2024\n"
    b"Sam,Park,https://www.linkedin.com/in/sam,,Acme,Designer,02 Feb 2024\n"
)


def _import(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="contacts_upload").set_value((name, data, "text/csv"))
    at.run()
    at.button(key="contacts_import").click()
    return at.run()


def test_contacts_empty_state() -> None:
    at = page("contacts_page")
    assert not at.exception
    assert "No contacts yet — import a CSV or add one." in texts(at.info)


def test_import_twice_adds_no_duplicates() -> None:
    at = page("contacts_page")
    _import(at, "contacts.csv", CSV)
    assert not at.exception
    assert any("2 added, 0 updated" in s for s in texts(at.success))
    assert len(at.dataframe[0].value) == 2
    _import(at, "contacts.csv", CSV)
    assert any("0 added, 0 updated, 2 unchanged" in s for s in texts(at.success))
    assert len(at.dataframe[0].value) == 2
    assert store.count_contacts() == 2


def test_linkedin_export_import_and_filters() -> None:
    at = page("contacts_page")
    _import(at, "Connections.csv", LINKEDIN)
    _import(at, "contacts.csv", CSV)
    assert not at.exception
    names = list(at.dataframe[0].value["Name"])
    assert names == ["Ada Obi", "Priya Raman", "Sam Park", "Tom Lee"]
    at.selectbox(key="contacts_company").set_value("Acme").run()
    assert list(at.dataframe[0].value["Name"]) == ["Priya Raman", "Sam Park"]
    at.radio(key="contacts_notes").set_value("With notes").run()
    assert list(at.dataframe[0].value["Name"]) == ["Priya Raman"]
    at.selectbox(key="contacts_company").set_value("All companies")
    at.radio(key="contacts_notes").set_value("Everyone")
    at.text_input(key="contacts_search").set_value("ada").run()
    assert list(at.dataframe[0].value["Name"]) == ["Ada Obi"]
    assert store.get_contact("email:ada@example.com") is not None


def test_unreadable_import_is_an_error_message_not_a_traceback() -> None:
    at = page("contacts_page")
    _import(at, "bad.csv", b"colour,size\nred,9\n")
    assert not at.exception
    assert any("name" in e for e in texts(at.error))


def test_add_and_edit_a_contact_with_private_notes() -> None:
    at = page("contacts_page")
    labels = [t.label for t in at.text_area]
    assert "Private notes (never used in drafts)" in labels
    at.text_input(key="contacts_new_name").set_value("Zoe Kim")
    at.text_input(key="contacts_new_company").set_value("Hooli")
    at.text_area(key="contacts_new_private_notes").set_value("prefers email")
    at.button[-1].click()  # only the add form's submit is a button before any list exists
    at.run()
    assert not at.exception
    assert any("Added Zoe Kim" in s for s in texts(at.success))
    saved = store.list_contacts()
    assert [(c.contact.name, c.contact.private_notes) for c in saved] == [
        ("Zoe Kim", "prefers email")
    ]
    key = saved[0].key
    at.selectbox(key="contacts_edit_key").set_value(key).run()
    at.text_input(key=f"contacts_edit_{key}_role").set_value("Founder")
    next(b for b in at.button if b.label == "Save changes").click()
    at.run()
    assert not at.exception
    assert store.list_contacts()[0].contact.role == "Founder"
    assert any("Saved Zoe Kim" in s for s in texts(at.success))


CONTACTS_NAV_APP = """
import streamlit as st
from core.web import contacts_page, draft_page
st.navigation([
    st.Page(contacts_page.render, title="Contacts", url_path="contacts", default=True),
    st.Page(draft_page.render, title="Draft", url_path="draft"),
]).run()
"""


def _contacts_with(*people: Contact) -> AppTest:
    for person in people:
        store.upsert_contact(person)
    return AppTest.from_string(CONTACTS_NAV_APP, default_timeout=TIMEOUT).run()


def test_delete_asks_first_and_cancel_keeps_the_contact() -> None:
    at = _contacts_with(Contact(name="Zoe Kim", company="Hooli", notes="runs the Go meetup"))
    key = store.list_contacts()[0].key
    at.selectbox(key="contacts_edit_key").set_value(key).run()
    next(b for b in at.button if b.label == "Delete contact").click().run()
    assert not at.exception
    assert store.count_contacts() == 1  # nothing deleted yet
    assert any("Delete Zoe Kim?" in w and "cannot be undone" in w for w in texts(at.warning))
    at.button(key="contacts_delete_cancel").click().run()
    assert store.count_contacts() == 1
    assert not at.warning
    next(b for b in at.button if b.label == "Delete contact").click().run()
    at.button(key="contacts_delete_yes").click().run()
    assert not at.exception
    assert store.count_contacts() == 0
    assert any("Deleted Zoe Kim" in s for s in texts(at.success))


def test_draft_to_a_contact_from_the_contacts_page() -> None:
    at = _contacts_with(
        Contact(name="Ada Obi", company="Globex", their_work="her post on on-call rotations"),
        Contact(name="Tom Lee", company="Initech", their_work="his talk on schema migrations"),
    )
    tom = next(p.key for p in store.list_contacts() if p.contact.name == "Tom Lee")
    at.selectbox(key="contacts_edit_key").set_value(tom).run()
    at.button(key=f"contacts_draft_{tom}").click().run()
    assert not at.exception
    assert texts(at.title) == ["Draft a message"]
    assert at.radio(key="draft_source").value == "A saved contact"
    assert at.selectbox(key="draft_saved_key").value == tom
    at.button[0].click().run()
    assert "Tom" in at.text_area(key="draft_text").value


# -- Batch -----------------------------------------------------------------------------

_FAKE_BATCH = r"""
import json, sys, time, pathlib
out = pathlib.Path(sys.argv[sys.argv.index("-o") + 1])
journal = out.with_name(out.name + ".journal.jsonl")
rows = [("ok", ""), ("flagged", ""), ("error", "row has no name")]
for i, (status, error) in enumerate(rows):
    time.sleep(0.2)
    with journal.open("a") as f:
        f.write(json.dumps({"row_id": f"r{i}", "index": i, "status": status,
            "draft": "" if error else f"Hello {i}, would you book a demo?",
            "error": error, "is_pitch": status == "flagged", "pitch_score": 0.9 if status == "flagged" else 0.1,
            "backend": "offline"}) + "\n")
out.write_text("name,draft,status\nA,x,ok\n")
"""


@pytest.fixture
def fake_batch(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The batch CLI stands in as a tiny script honouring its contract (journal, then output)."""
    calls: list[list[str]] = []

    def command(input_path: Path, output_path: Path, kind: str | None) -> list[str]:
        calls.append([str(input_path), str(output_path), kind or ""])
        return [sys.executable, "-c", _FAKE_BATCH, "batch", str(input_path), "-o", str(output_path)]

    monkeypatch.setattr(batch_runs, "batch_command", command)
    return calls


def test_batch_empty_state() -> None:
    at = page("batch_page")
    assert not at.exception
    assert any("No batch runs yet" in i for i in texts(at.info))


def test_batch_runs_in_the_background_then_shows_the_review_queue(
    workspace: Path, fake_batch: list[list[str]]
) -> None:
    at = page("batch_page")
    at.file_uploader(key="batch_upload").set_value(
        ("people.csv", b"name,notes\nA,x\nB,y\n,z\n", "text/csv")
    )
    at.run()
    at.selectbox(key="batch_kind").set_value(at.selectbox(key="batch_kind").options[1])
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert any("Started: 3 rows" in s for s in texts(at.success))
    input_path, output_path, kind = fake_batch[0]
    assert Path(input_path).read_bytes().startswith(b"name,notes")
    assert kind == "intro"
    assert Path(output_path).parent.parent == workspace / "batches"
    # A fresh session (a reload) finds the run in the store and follows it to the end.
    deadline = time.monotonic() + 30
    while True:
        at = page("batch_page")
        run = store.list_batch_runs()[0]
        if run.status != "running" or time.monotonic() > deadline:
            break
        assert at.progress  # the bar is shown while it runs
        time.sleep(0.3)
    at = page("batch_page")
    assert not at.exception
    assert store.list_batch_runs()[0].status == "done"
    assert any("3 of 3 rows" in str(p.proto.text) for p in at.progress)
    labels = [e.label for e in at.expander]
    assert any("flagged" in label for label in labels)
    assert any("not drafted" in label for label in labels)
    assert not any("passed" in label for label in labels)  # "Needing a look" by default
    assert any("row has no name" in e for e in texts(at.error))
    assert at.get("download_button")
    # The picker says what the run is now, not what it was when the page first drew it.
    picker = next(s for s in at.selectbox if s.label == "Run")
    assert picker.options[0].endswith("· finished"), picker.options
    at.radio(key=f"batch_filter_{run.id}").set_value("All rows").run()
    assert any("passed its checks" in e.label for e in at.expander)


_PASSING_BATCH = r"""
import json, os, sys, pathlib
out = pathlib.Path(sys.argv[sys.argv.index("-o") + 1])
journal = out.with_name(out.name + ".journal.jsonl")
journal.write_text(json.dumps({"row_id": "r0", "index": 0, "status": "ok",
    "draft": os.environ["GOOD_DRAFT"], "error": "", "is_pitch": False, "pitch_score": 0.01,
    "backend": "offline"}) + "\n")
out.write_text("name,draft,status\nPriya Raman,x,ok\n")
"""
NAV_APP = """
import streamlit as st
from core.web import batch_page, draft_page
st.navigation([
    st.Page(batch_page.render, title="Batch", url_path="batch", default=True),
    st.Page(draft_page.render, title="Draft", url_path="draft"),
]).run()
"""


def test_a_passing_batch_row_opens_on_the_draft_page_to_edit_and_approve(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core import get_service
    from core.kinds import Kind

    priya = Contact(
        name="Priya Raman",
        their_work="her talk on CRDTs at Strange Loop 2023",
        notes="We both run a book club on distributed systems.",
    )
    good = get_service().draft(priya, Kind.COMPLIMENT).text
    monkeypatch.setenv("GOOD_DRAFT", good)
    monkeypatch.setattr(
        batch_runs,
        "batch_command",
        lambda i, o, k: [sys.executable, "-c", _PASSING_BATCH, "batch", str(i), "-o", str(o)],
    )
    at = AppTest.from_string(NAV_APP, default_timeout=TIMEOUT).run()
    csv = (
        b"name,their_work,notes,kind\n"
        b"Priya Raman,her talk on CRDTs at Strange Loop 2023,"
        b"We both run a book club on distributed systems.,compliment\n"
    )
    at.file_uploader(key="batch_upload").set_value(("people.csv", csv, "text/csv"))
    at.run()
    at.button(key="batch_start").click().run()
    deadline = time.monotonic() + 30
    while store.list_batch_runs()[0].status == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        at.run()
    at.run()
    assert not at.exception
    run = store.list_batch_runs()[0]
    [row] = [e for e in at.expander if "·" in e.label]
    assert row.label == "Priya Raman · passed its checks"  # shown: every row passed
    assert good in texts(at.text)
    at.button(key=f"batch_open_{run.id}_0").click().run()
    assert not at.exception
    assert texts(at.title) == ["Draft a message"]
    assert at.text_area(key="draft_text").value == good
    assert any("checks passed" in s for s in texts(at.success))
    assert any(f"From batch run {run.id}, row 1" in c.replace("\\", "") for c in texts(at.caption))
    edited = good.replace("Priya", "Priya", 1) + "\n\nSee you at the next book club."
    at.text_area(key="draft_text").set_value(edited).run()
    at.button(key="draft_approve").click().run()
    assert not at.exception
    assert [d.text for d in store.list_drafts()] == [edited]
    at.button(key="draft_again").click().run()  # a new version of the batch row's draft
    assert not at.exception
    assert at.text_area(key="draft_text").value not in {good, edited}


def test_batch_bad_upload_is_a_clear_error(fake_batch: list[list[str]]) -> None:
    at = page("batch_page")
    at.file_uploader(key="batch_upload").set_value(("x.csv", b"colour\nred\n", "text/csv"))
    at.run()
    at.button(key="batch_start").click().run()
    assert not at.exception
    assert any("name" in e for e in texts(at.error))
    assert fake_batch == []  # nothing was launched


# -- Guidance --------------------------------------------------------------------------


def test_guidance_lists_cards_and_indexes_an_uploaded_article(workspace: Path) -> None:
    at = page("guidance_page")
    assert not at.exception
    assert len(at.expander) > 20  # the shipped cards, one expander each (plus the upload one)
    article = (
        b"# Send the link you promised\n\nAfter a meetup, send the article you mentioned the same day. "
        * 3
    )
    at.file_uploader(key="guidance_upload").set_value([("my tips.md", article, "text/markdown")])
    at.run()
    at.button(key="guidance_save").click().run()
    assert (workspace / "articles" / "my-tips.md").is_file()
    at.button(key="guidance_reindex").click().run()
    assert not at.exception
    report = " ".join(texts(at.success))
    assert "Guidance: 1 added" in report
    # The label is escaped Markdown: "(yours)" arrives as "\(yours\)".
    assert any("Send the link you promised" in e.label and "yours" in e.label for e in at.expander)


# -- Settings --------------------------------------------------------------------------


def test_settings_shows_offline_and_never_the_key() -> None:
    os.environ["OPENAI_API_KEY"] = SECRET  # present, but OUTREACH_BACKEND=offline wins
    at = page("settings_page")
    assert not at.exception
    shown = " ".join(texts(at.markdown) + texts(at.caption) + texts(at.info))
    assert "offline composer" in shown
    assert "**API key:** set" in shown and "**Backend:** offline composer" in shown
    at.button(key="settings_test").click().run()
    assert not at.success  # nothing was tested, so nothing "succeeded"
    assert any("Nothing to test" in i for i in texts(at.info))
    everything = " ".join(
        texts(at.markdown) + texts(at.caption) + texts(at.success) + texts(at.info)
    )
    assert SECRET not in everything and "DO-NOT-SHOW" not in everything


def test_settings_connection_test_fails_when_nothing_answers() -> None:
    with socket.socket() as sock:  # a real port on 127.0.0.1, closed again: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    os.environ["OUTREACH_BACKEND"] = "auto"
    os.environ["OPENAI_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
    at = page("settings_page")
    at.button(key="settings_test").click().run()
    assert not at.exception and not at.success
    [error] = texts(at.error)
    assert md_escape(f"127.0.0.1:{port}") in error and "nothing answered" in error


def test_settings_reads_keys_from_streamlit_secrets() -> None:
    at = AppTest.from_string(
        "from core.web import settings_page\nsettings_page.render()", default_timeout=TIMEOUT
    )
    at.secrets["OPENAI_API_KEY"] = SECRET
    at.run()
    assert not at.exception
    assert "**API key:** set" in " ".join(texts(at.markdown))
    assert SECRET not in " ".join(texts(at.markdown) + texts(at.caption))


def test_settings_saves_the_sender_profile() -> None:
    at = page("settings_page")
    at.text_input[0].set_value("Ana Silva")
    at.text_input[1].set_value("Engineer")
    next(b for b in at.button if b.label == "Save profile").click()
    at.run()
    assert not at.exception
    assert load_profile().name == "Ana Silva" and load_profile().role == "Engineer"


def test_every_page_is_registered_in_the_navigation() -> None:
    at = app()
    assert not at.exception
    source = Path(APP).read_text()
    for title in ("This week", "Draft", "Contacts", "Batch", "Guidance", "Settings"):
        assert f'title="{title}"' in source


def test_the_engine_is_created_once_and_the_corpus_embedded_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from core.service import OutreachService
    from core.web import services

    created: list[object] = []
    builds: list[object] = []
    real_get_service, real_build = services.get_service, OutreachService.build_index

    def counting_get_service(*args, **kwargs):  # type: ignore[no-untyped-def]
        created.append(args)
        return real_get_service(*args, **kwargs)

    def counting_build(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        builds.append(args)
        return real_build(self, *args, **kwargs)

    monkeypatch.setattr(services, "get_service", counting_get_service)
    monkeypatch.setattr(OutreachService, "build_index", counting_build)
    at = app()
    _type_contact(at)
    at.button[0].click().run()
    at.button(key="draft_again").click().run()
    at.text_area(key="draft_text").set_value("Hello Priya, thanks for the CRDT talk.").run()
    assert not at.exception
    assert len(created) == 1  # st.cache_resource: one engine for every rerun
    assert len(builds) == 1  # the first draft built the index; nothing re-embedded it
