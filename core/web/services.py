"""The one engine per process, and the settings the pages read.

Keys may come from `st.secrets` as well as the environment; they are copied into the
environment before the service is created, and are never displayed or logged.
"""

from __future__ import annotations

import hashlib
import os

import streamlit as st

from core import get_service
from core.config import Settings
from core.service import OutreachService

_SECRET_NAMES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OUTREACH_MODEL")


def load_secrets_into_env() -> None:
    """Copy known keys from `.streamlit/secrets.toml`; the environment wins when both are set."""
    try:
        secrets = {name: st.secrets[name] for name in _SECRET_NAMES if name in st.secrets}
    except Exception:  # no secrets file, or an unreadable one: the environment alone is fine
        return
    for name, value in secrets.items():
        if isinstance(value, str) and value.strip() and not os.environ.get(name):
            os.environ[name] = value.strip()


def current_settings() -> Settings:
    load_secrets_into_env()
    return Settings.from_env()


def _fingerprint(settings: Settings) -> str:
    """A digest that changes with any setting, key included, without holding the key."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    payload = settings.model_dump_json() + "\0" + key
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@st.cache_resource(show_spinner=False)
def _service_for(fingerprint: str, home: str) -> OutreachService:
    # The arguments only key the cache; the settings are read again from the environment.
    return get_service(Settings.from_env())


def service() -> OutreachService:
    """The cached engine: embedder, Chroma client and backend are created once per process."""
    settings = current_settings()
    return _service_for(_fingerprint(settings), str(settings.home))


def ready_service() -> OutreachService:
    """The engine with its guidance index built (only the very first time: never re-embeds)."""
    engine = service()
    if engine.index.guidance_count() == 0:
        with st.spinner("Building the guidance index (first run only)..."):
            engine.ensure_index()
    return engine
