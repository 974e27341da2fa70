"""Settings page: what is active (never the key), a connection test, and your own profile."""

from __future__ import annotations

import re

import streamlit as st

from core.backends.base import ChatBackend
from core.errors import OutreachError
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
TEST_RESULT = "settings_test_result"  # (ok, message) of the last connection test


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
    engine = service()
    if engine.backend is None:
        st.info(
            "Drafting offline with the deterministic composer: no LLM, no network. "
            "Set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) to use a model."
        )
    if st.button("Test connection", key="settings_test"):
        st.session_state[TEST_RESULT] = test_connection(engine.backend)
    result = st.session_state.get(TEST_RESULT)
    if result is not None:
        ok, message = result
        (st.success if ok else st.error)(md_escape(message))


def test_connection(backend: ChatBackend | None) -> tuple[bool, str]:
    """One tiny chat completion; the offline composer has nothing to connect to."""
    if backend is None:
        return True, "The offline composer needs no connection: drafting works as it is."
    try:
        reply = backend.complete([{"role": "user", "content": "Reply with the single word: ok"}])
    except OutreachError as exc:
        return False, scrub(str(exc))
    except Exception as exc:  # an SDK or network error the backend did not wrap
        return False, scrub(f"{type(exc).__name__}: could not reach the model ({exc})")
    return True, f"Connected to {backend.model}: it replied {reply.text.strip()[:40]!r}."


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
