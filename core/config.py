"""Settings from the environment, resolved in one documented order.

LLM: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OUTREACH_MODEL`. With neither a key nor a
base URL, the offline composer drafts (never presented as an LLM). `OUTREACH_BACKEND=offline`
forces the composer even when a key is present.
Workspace: `OUTREACH_HOME`, else the per-user data directory (platformdirs).
Chroma: `OUTREACH_CHROMA_URL` switches from the embedded store to a Chroma server.
Embeddings: `OUTREACH_EMBEDDINGS=openai` uses OpenAI embeddings; the default is the local
MiniLM model shipped in an installed package.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, SecretStr

from core.errors import ConfigError

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    home: Path
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    model: str | None = None
    backend: Literal["auto", "offline", "openai"] = "auto"
    embeddings: Literal["local", "openai"] = "local"
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    chroma_url: str | None = None
    request_timeout_s: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        home = env.get("OUTREACH_HOME") or platformdirs.user_data_dir("outreach", appauthor=False)
        backend = (env.get("OUTREACH_BACKEND") or "auto").strip().lower()
        if backend not in {"auto", "offline", "openai"}:
            raise ConfigError(
                f"OUTREACH_BACKEND={backend!r} is not valid: use auto, offline or openai"
            )
        embeddings = (env.get("OUTREACH_EMBEDDINGS") or "local").strip().lower()
        if embeddings not in {"local", "openai"}:
            raise ConfigError(
                f"OUTREACH_EMBEDDINGS={embeddings!r} is not valid: use local or openai"
            )
        key = (env.get("OPENAI_API_KEY") or "").strip()
        timeout = env.get("OUTREACH_TIMEOUT") or "60"
        try:
            timeout_s = float(timeout)
        except ValueError:
            raise ConfigError(f"OUTREACH_TIMEOUT={timeout!r} is not a number of seconds") from None
        return cls(
            home=Path(home).expanduser(),
            openai_api_key=SecretStr(key) if key else None,
            openai_base_url=(env.get("OPENAI_BASE_URL") or "").strip() or None,
            model=(env.get("OUTREACH_MODEL") or "").strip() or None,
            backend=backend,  # type: ignore[arg-type]
            embeddings=embeddings,  # type: ignore[arg-type]
            embedding_model=env.get("OUTREACH_EMBEDDING_MODEL") or DEFAULT_EMBEDDING_MODEL,
            chroma_url=(env.get("OUTREACH_CHROMA_URL") or "").strip() or None,
            request_timeout_s=timeout_s,
        )

    @property
    def llm_configured(self) -> bool:
        """An LLM is used when asked for, or (auto) when a key or a base URL is set."""
        if self.backend == "offline":
            return False
        if self.backend == "openai":
            return True
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def chat_model(self) -> str:
        return self.model or DEFAULT_OPENAI_MODEL

    def api_key_value(self) -> str:
        """The key for the SDK. Local servers (Ollama, llama.cpp) accept any non-empty key."""
        if self.openai_api_key is not None:
            return self.openai_api_key.get_secret_value()
        if self.openai_base_url:
            return "not-needed"
        raise ConfigError(
            "no LLM key found: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server), "
            "or unset OUTREACH_BACKEND to draft offline"
        )

    def describe(self) -> dict[str, str]:
        """What is active, safe to print: the key is only ever reported as set or not."""
        return {
            "backend": "openai-compatible" if self.llm_configured else "offline composer",
            "model": self.chat_model if self.llm_configured else "offline-composer",
            "base_url": self.openai_base_url
            or ("(OpenAI default)" if self.llm_configured else "-"),
            "api_key": "set" if self.openai_api_key else "not set",
            "embeddings": "local MiniLM-L6 (ONNX, int8)"
            if self.embeddings == "local"
            else f"OpenAI {self.embedding_model}",
            "workspace": str(self.home),
            "chroma": self.chroma_url or f"embedded ({self.home / 'chroma'})",
        }
