"""The Outreach web app: `streamlit run streamlit_app.py`. Pages live in core/web/."""

import streamlit as st

from core.web import (
    batch_page,
    contacts_page,
    draft_page,
    guidance_page,
    settings_page,
    week_page,
)

# A local tool for private notes: no "Deploy" button or developer menu in the toolbar.
# .streamlit/config.toml sets it before a fresh server's first page; this line covers a
# launch from another folder, where that file is not read (it applies from the next run).
st.set_option("client.toolbarMode", "minimal")
st.set_page_config(page_title="Outreach", page_icon=":material/mail:", layout="centered")

# Every page has its own URL (/draft, /contacts ...) that opens it directly. The root URL
# is a hidden page that goes to the first one: the default page itself is served only at
# "/", so giving that role to Draft would leave /draft "not found".
PAGES = [
    st.Page(week_page.render, title="This week", icon=":material/event:", url_path="week"),
    st.Page(draft_page.render, title="Draft", icon=":material/edit:", url_path="draft"),
    st.Page(contacts_page.render, title="Contacts", icon=":material/group:", url_path="contacts"),
    st.Page(batch_page.render, title="Batch", icon=":material/stacks:", url_path="batch"),
    st.Page(
        guidance_page.render, title="Guidance", icon=":material/menu_book:", url_path="guidance"
    ),
    st.Page(
        settings_page.render, title="Settings", icon=":material/settings:", url_path="settings"
    ),
]


def _home() -> None:
    st.switch_page(PAGES[0])


page = st.navigation(
    [st.Page(_home, title="Outreach", url_path="home", default=True, visibility="hidden"), *PAGES]
)
st.sidebar.caption("Specific, honest messages that ask for nothing.")
page.run()
