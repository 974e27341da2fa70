"""Contacts page: import, search, add and edit the people you write to."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from core import store
from core.contact_import import import_contacts_file
from core.errors import OutreachError
from core.web import draft_page
from core.web.contact_form import (
    PRIVATE,
    PUBLIC,
    contact_from_inputs,
    contact_inputs,
    keep_in_touch_inputs,
    keep_in_touch_values,
)
from core.web.timeline_view import show_timeline
from core.web.ui import errors_shown, md_escape, page_header

FLASH = "contacts_flash"  # (level, message) from the last edit, shown once
IMPORT_RESULT = "contacts_import_result"  # the last import's ImportResult, shown after rerun
ALL_COMPANIES = "All companies"
NOTES_FILTERS = ("Everyone", "With notes", "Without notes")
EDIT_KEY = "contacts_edit_key"  # the contact being edited (the "Edit a contact" choice)
TABLE = "contacts_table"  # the table's row selection
SHOWN = "contacts_shown_keys"  # contact keys in table order, for the row-click callback
CONFIRM_DELETE = "contacts_confirm_delete"  # the key the user asked to delete, not yet done


def render() -> None:
    page_header(
        "Contacts",
        "The people you want to write to and what you know about them. Import a CSV or "
        "LinkedIn's Connections.csv, or add someone by hand. Everything stays in your workspace.",
    )
    with errors_shown():
        _import_section()
    with errors_shown():
        _add_section()
    with errors_shown():
        _list_section()


def import_file(name: str, data: bytes) -> store.ImportResult:
    """Import an uploaded file exactly as `outreach contacts import` does."""
    suffix = Path(name).suffix.lower() if Path(name).suffix else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return import_contacts_file(path)


def _import_section() -> None:
    with st.expander("Import a CSV or LinkedIn export", expanded=store.count_contacts() == 0):
        st.caption(
            "Columns like name (or first/last name), role, company, notes, their_work, "
            "how_we_met, event. Importing the same file again updates people instead of "
            "adding them twice; empty cells never erase notes you already saved."
        )
        upload = st.file_uploader("Contacts file", type=["csv", "jsonl"], key="contacts_upload")
        if st.button("Import", disabled=upload is None, key="contacts_import"):
            assert upload is not None
            st.session_state[IMPORT_RESULT] = import_file(upload.name, upload.getvalue())
        result: store.ImportResult | None = st.session_state.get(IMPORT_RESULT)
        if result is not None:
            st.success(f"Imported: {result.summary()}.")
            for message in result.errors[:5]:
                st.warning(md_escape(message))
            if len(result.errors) > 5:
                st.caption(f"...and {len(result.errors) - 5} more rows skipped.")


def _add_section() -> None:
    with (
        st.expander("Add a contact"),
        st.form("contacts_add", clear_on_submit=True, border=False),
    ):
        values = contact_inputs("contacts_new_")
        values |= keep_in_touch_inputs("contacts_new_")
        if st.form_submit_button("Add contact", type="primary"):
            key, outcome = store.upsert_contact(contact_from_inputs(values))
            saved = store.get_contact(key)
            name = md_escape(saved.contact.name if saved else values["name"])
            if outcome == "added":
                st.success(f"Added {name}.")
            else:
                st.info(f"{name} was already saved: {outcome} their details.")


def _list_section() -> None:
    st.subheader("Your contacts")
    total = store.count_contacts()
    if total == 0:
        _show_flash()  # "Deleted ..." after the last contact went
        st.info("No contacts yet — import a CSV or add one.")
        return
    search = st.text_input("Search", placeholder="name, company, notes...", key="contacts_search")
    companies = store.list_companies()
    company = st.selectbox("Company", [ALL_COMPANIES, *companies], key="contacts_company")
    notes = st.radio("Notes", NOTES_FILTERS, horizontal=True, key="contacts_notes")
    people = store.list_contacts(
        search=search,
        company=None if company == ALL_COMPANIES else company,
        has_notes={"With notes": True, "Without notes": False}.get(notes),
    )
    st.caption(f"{len(people)} of {total} contacts")
    if not people:
        st.info("No contacts match: clear the search or filters.")
        return
    st.session_state[SHOWN] = [p.key for p in people]
    st.caption("Click a row to edit that person or draft a message to them.")
    st.dataframe(
        [
            {
                "Name": p.contact.name,
                "Role": p.contact.role,
                "Company": p.contact.company,
                "Their work": p.contact.their_work,
                "Notes": p.contact.notes,
            }
            for p in people
        ],
        hide_index=True,
        width="stretch",
        key=TABLE,
        on_select=_pick_from_table,
        # A click on any cell picks that person, as does the row's checkbox.
        selection_mode=["single-row", "single-cell"],
    )
    _edit_section({p.key: p for p in people})


def _edit_section(people: dict[str, store.StoredContact]) -> None:
    key = st.selectbox(
        "Edit a contact",
        list(people),
        index=None,
        placeholder="Choose someone to edit",
        format_func=lambda k: (
            people[k].contact.name
            + (f" · {people[k].contact.company}" if people[k].contact.company else "")
        ),
        key=EDIT_KEY,
    )
    _show_flash()
    if key is None:
        return
    person = people[key]
    if st.button(
        f"Draft a message to {person.contact.first_name}",
        key=f"contacts_draft_{key}",
        type="primary",
        icon=":material/edit:",
    ):
        draft_page.choose_saved(key)
        draft_page.go_to_draft_page()
    # Widget keys include the contact key, so choosing someone else shows their values.
    with st.form(f"contacts_edit_{key}", border=True):
        contact_inputs(f"contacts_edit_{key}_", person.contact)
        keep_in_touch_inputs(f"contacts_edit_{key}_", person.contact)
        st.form_submit_button(
            "Save changes", type="primary", on_click=_save_edit, args=(key, person.contact.extra)
        )
        st.form_submit_button("Delete contact", on_click=_ask_delete, args=(key,))
    if st.session_state.get(CONFIRM_DELETE) == key:
        _confirm_delete(key, person.contact.name)
    show_timeline(key, person.contact.name)


def _show_flash() -> None:
    flash = st.session_state.pop(FLASH, None)
    if flash:
        (st.error if flash[0] == "error" else st.success)(md_escape(flash[1]))


def _confirm_delete(key: str, name: str) -> None:
    with st.container(border=True):
        st.warning(
            f"Delete {md_escape(name)}? Their notes, timeline and approved drafts are removed "
            "from your workspace too. This cannot be undone."
        )
        left, right = st.columns(2)
        left.button(
            f"Yes, delete {md_escape(name)}",
            key="contacts_delete_yes",
            type="primary",
            on_click=_delete,
            args=(key,),
            width="stretch",
        )
        right.button(
            "Cancel", key="contacts_delete_cancel", on_click=_cancel_delete, width="stretch"
        )


# Callbacks run before the next script run, the only time a widget's state (here the
# "Edit a contact" choice) may be changed.
def _save_edit(key: str, extra: dict[str, str]) -> None:
    prefix = f"contacts_edit_{key}_"
    values = {f.name: st.session_state.get(prefix + f.name, "") for f in (*PUBLIC, PRIVATE)}
    values |= keep_in_touch_values(
        *(st.session_state.get(prefix + f) for f in ("met_on", "tie", "cadence_days"))
    )
    try:
        new_key = store.update_contact(key, contact_from_inputs(values, extra))
    except OutreachError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state[EDIT_KEY] = new_key
    st.session_state[FLASH] = ("success", f"Saved {values['name'].strip()}.")


def _pick_from_table() -> None:
    selection = st.session_state[TABLE].selection
    rows = list(selection.rows) or [cell[0] for cell in selection.cells]
    shown = st.session_state.get(SHOWN, [])
    if rows and rows[0] < len(shown):
        st.session_state[EDIT_KEY] = shown[rows[0]]
        st.session_state.pop(CONFIRM_DELETE, None)


def _ask_delete(key: str) -> None:
    st.session_state[CONFIRM_DELETE] = key


def _cancel_delete() -> None:
    st.session_state.pop(CONFIRM_DELETE, None)


def _delete(key: str) -> None:
    saved = store.get_contact(key)
    store.delete_contact(key)
    st.session_state.pop(CONFIRM_DELETE, None)
    st.session_state[EDIT_KEY] = None
    if saved:
        st.session_state[FLASH] = ("success", f"Deleted {saved.contact.name}.")
