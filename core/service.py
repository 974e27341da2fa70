"""The engine behind every front end: one object owning settings, embedder, index and backend.

The CLI, the Python API and the web app call these methods and nothing deeper, so all
three behave alike. Heavy parts (embedder, Chroma client) are created on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from core.backends.base import ChatBackend
from core.config import Settings
from core.contacts import Contact
from core.embeddings import LocalMiniLMEmbeddings, OpenAIEmbeddingsNamed, get_embeddings
from core.index import IndexStats, OutreachIndex
from core.ingest import load_corpus, shipped_corpus_dir
from core.kinds import Kind, parse_kind
from core.models import CheckReport, Draft, PitchVerdict, Sender


@dataclass(frozen=True)
class IndexReport:
    guidance: IndexStats
    notes: IndexStats
    guidance_total: int
    notes_total: int


class OutreachService:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backend: ChatBackend | None = None,
        offline: bool | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self._backend = backend
        # offline=None: decided by the settings (an LLM is used when one is configured).
        self._offline = (not self.settings.llm_configured) if offline is None else offline

    # -- parts -----------------------------------------------------------------------

    @cached_property
    def embeddings(self) -> LocalMiniLMEmbeddings | OpenAIEmbeddingsNamed:
        return get_embeddings(self.settings)

    @cached_property
    def index(self) -> OutreachIndex:
        return OutreachIndex(self.settings, self.embeddings)

    @property
    def backend(self) -> ChatBackend | None:
        """The chat backend, or None when drafting offline."""
        if self._backend is not None:
            return self._backend
        if self._offline:
            return None
        from core.backends.openai_chat import OpenAIChatBackend

        self._backend = OpenAIChatBackend(self.settings)
        return self._backend

    @property
    def backend_name(self) -> str:
        return "offline" if self.backend is None else self.backend.name

    # -- operations ------------------------------------------------------------------

    def build_index(
        self,
        corpus_paths: Sequence[Path] = (),
        contacts: Iterable[Contact] = (),
        *,
        include_shipped: bool = True,
    ) -> IndexReport:
        """Index the shipped guidance, the user's own articles and contact notes (idempotent)."""
        chunks = load_corpus([shipped_corpus_dir()], origin="corpus") if include_shipped else []
        if corpus_paths:
            chunks += load_corpus(list(corpus_paths), origin="user")
        guidance = self.index.index_guidance(chunks) if chunks else IndexStats()
        contact_list = list(contacts)
        notes = self.index.index_contacts(contact_list) if contact_list else IndexStats()
        return IndexReport(guidance, notes, self.index.guidance_count(), self.index.notes_count())

    def ensure_index(self) -> bool:
        """Build the guidance index on first use. Returns True when it had to be built."""
        if self.index.guidance_count() > 0:
            return False
        # A workspace indexed by an earlier embedding model keeps its articles and notes.
        self.index.adopt_previous_model()
        self.build_index()
        return True

    def draft(
        self,
        contact: Contact,
        kind: Kind | str,
        sender: Sender | None = None,
        *,
        variant: int = 0,
        on_stage: Callable[[str], None] | None = None,
    ) -> Draft:
        from core.drafting import draft_message

        self.ensure_index()
        return draft_message(
            self.index,
            contact,
            parse_kind(kind),
            sender,
            backend=self.backend,
            variant=variant,
            on_stage=on_stage,
        )

    def check(
        self, text: str, kind: Kind | str, contact: Contact, sender: Sender | None = None
    ) -> CheckReport:
        from evals.checks import run_checks

        return run_checks(text, contact, parse_kind(kind), sender)

    def check_pitch(self, text: str, kind: str | None = None) -> PitchVerdict:
        from evals.pitch import detect_pitch

        return detect_pitch(text, kind)
