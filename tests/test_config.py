from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.errors import ConfigError

KEY = "sk-live-abcdefghijklmnopqrstuvwxyz"


def test_offline_by_default_with_a_per_user_workspace() -> None:
    settings = Settings.from_env({})
    assert not settings.llm_configured
    assert settings.describe()["backend"] == "offline composer"
    assert "outreach" in str(settings.home)


def test_a_key_or_a_base_url_turns_the_llm_on() -> None:
    assert Settings.from_env({"OPENAI_API_KEY": KEY}).llm_configured
    local = Settings.from_env(
        {"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1", "OUTREACH_MODEL": "llama3.2"}
    )
    assert local.llm_configured and local.chat_model == "llama3.2"
    assert local.api_key_value() == "not-needed"  # local servers accept any key
    assert not Settings.from_env(
        {"OPENAI_API_KEY": KEY, "OUTREACH_BACKEND": "offline"}
    ).llm_configured


def test_the_key_is_never_in_a_description_or_repr(tmp_path: Path) -> None:
    settings = Settings.from_env({"OPENAI_API_KEY": KEY, "OUTREACH_HOME": str(tmp_path)})
    assert KEY not in repr(settings) and KEY not in str(settings.describe())
    assert settings.describe()["api_key"] == "set"
    assert settings.api_key_value() == KEY


def test_bad_values_say_what_is_valid() -> None:
    with pytest.raises(ConfigError, match="auto, offline or openai"):
        Settings.from_env({"OUTREACH_BACKEND": "gpt"})
    with pytest.raises(ConfigError, match="local or openai"):
        Settings.from_env({"OUTREACH_EMBEDDINGS": "bert"})
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        Settings.from_env({"OUTREACH_BACKEND": "openai"}).api_key_value()


def test_openai_embeddings_get_their_own_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.embeddings import OpenAIEmbeddingsNamed, get_embeddings

    settings = Settings.from_env({"OUTREACH_EMBEDDINGS": "openai", "OPENAI_API_KEY": KEY})
    embedder = get_embeddings(settings)
    assert isinstance(embedder, OpenAIEmbeddingsNamed)
    assert embedder.model_id == "openai-text-embedding-3-small"  # never mixed with MiniLM vectors
