"""Settings page: what is active (never the key), a connection test, and your own profile."""

from __future__ import annotations

import re

import streamlit as st

from core.connection import ConnectionResult, check_connection, describe_endpoint
from core.models import Sender
from core.profile import load_profile, save_profile
from core.web.services import current_settings, service
from core.web.ui import errors_shown, md_escape, page_header

LABELS = {
    "backend": "Backend",
    "model": "Model",
    "base_url": "Base URL",
    "api_key": "API key",
    "embeddings": "Embeddings",
    "workspace": "Workspace",
    "chroma": "Index (Chroma)",
}
_KEYLIKE = re.compile(r"\b(sk|key)-[A-Za-z0-9_*\-]{6,}")
TEST_RESULT = "settings_test_result"  # the last ConnectionResult, shown after the rerun


def render() -> None:
    page_header(
        "Settings",
        "What drafts your messages and where your data lives. Keys come from the environment "
        "or .streamlit/secrets.toml (OPENAI_API_KEY, OPENAI_BASE_URL, OUTREACH_MODEL) and are never shown.",
    )
    with errors_shown():
        _active_section()
    with errors_shown():
        _profile_section()


def _active_section() -> None:
    described = current_settings().describe()
    st.subheader("Active configuration")
    st.markdown(
        "  \n".join(f"**{LABELS.get(k, k)}:** {md_escape(v)}" for k, v in described.items())
    )
    settings = current_settings()
    if service().backend is None:
        st.info(
            "Drafting offline with the deterministic composer: no LLM, no network. "
            "Set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) to use a model."
        )
        help_text = "Nothing to test offline: the composer needs no connection."
    else:
        help_text = (
            f"Sends one tiny chat request to {describe_endpoint(settings)} "
            f"(model {settings.chat_model}), without retries."
        )
    if st.button("Test connection", key="settings_test", help=help_text):
        with st.spinner(f"Asking {describe_endpoint(settings)}..."):
            st.session_state[TEST_RESULT] = check_connection(settings)
    result: ConnectionResult | None = st.session_state.get(TEST_RESULT)
    if result is not None:
        show = {"ok": st.success, "failed": st.error, "nothing_to_test": st.info}[result.outcome]
        show(md_escape(scrub(result.message)))


def scrub(message: str) -> str:
    """Some SDK errors quote part of the key ("Incorrect API key provided: sk-ab***"): drop it."""
    key = current_settings().openai_api_key
    if key is not None and key.get_secret_value():
        message = message.replace(key.get_secret_value(), "[key]")
    return _KEYLIKE.sub("[key]", message)


def _profile_section() -> None:
    st.subheader("About you")
    st.caption("Drafts introduce and sign with these. Stated by you, so drafts may use them.")
    profile = load_profile()
    with st.form("settings_profile", border=False):
        name = st.text_input("Your name", value=profile.name)
        role = st.text_input("Your role", value=profile.role)
        company = st.text_input("Your company", value=profile.company)
        about = st.text_area("One or two sentences about you", value=profile.about, height=90)
        if st.form_submit_button("Save profile", type="primary"):
            save_profile(Sender(name=name, role=role, company=company, about=about))
            st.success("Profile saved.")
