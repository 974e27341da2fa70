"""The retrieval index: guidance chunks and contact-note snippets in Chroma.

Embedded (persistent client in the workspace) by default, a Chroma server when
`OUTREACH_CHROMA_URL` is set. Vectors are computed here, never by Chroma (its default
embedding function downloads a model). Writes are idempotent: ids are stable and a
content hash in the metadata tells whether an existing entry changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from core.config import Settings
from core.contacts import Contact
from core.embeddings import NamedEmbeddings
from core.errors import ConfigError, IndexUnavailableError
from core.ingest import GuidanceChunk
from core.kinds import Kind
from core.locking import workspace_write_lock
from core.models import GuidanceRef

GUIDANCE = "guidance"
NOTES = "notes"
_NOTE_FIELDS = ("notes", "their_work", "how_we_met", "shared_interests", "event")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class IndexStats:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __add__(self, other: IndexStats) -> IndexStats:
        return IndexStats(
            self.added + other.added,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.removed + other.removed,
        )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_client(settings: Settings) -> Any:
    """A Chroma client with telemetry off: HTTP when a server URL is set, else embedded."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if url.scheme not in {"http", "https"} or not url.hostname:
                raise ConfigError(
                    f"OUTREACH_CHROMA_URL={settings.chroma_url!r} is not a URL like "
                    "http://127.0.0.1:8000"
                )
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        path = settings.home / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except ConfigError:
        raise
    except Exception as exc:  # chromadb raises many types; say where and what to check
        where = settings.chroma_url or str(settings.home / "chroma")
        raise IndexUnavailableError(
            f"cannot open the Chroma index at {where}: {exc}. Check that the server is "
            "running (OUTREACH_CHROMA_URL) or that the workspace is writable (OUTREACH_HOME)"
        ) from None


def note_snippets(contact: Contact) -> list[tuple[str, str]]:
    """(field, sentence) pairs from a contact's public note fields, never private notes."""
    snippets: list[tuple[str, str]] = []
    for field in _NOTE_FIELDS:
        for sentence in _SENTENCE_END.split(getattr(contact, field)):
            sentence = sentence.strip()
            if len(sentence) >= 3:
                snippets.append((field, sentence))
    return snippets


class OutreachIndex:
    """Guidance and notes collections for one embedder, in one Chroma."""

    def __init__(self, settings: Settings, embeddings: NamedEmbeddings, client: Any = None):
        self.settings = settings
        self.embeddings = embeddings
        self.client = client if client is not None else make_client(settings)
        # The embedder's id is part of the name: vectors of two models never share a space.
        suffix = re.sub(r"[^a-zA-Z0-9._-]", "-", embeddings.model_id)
        try:
            self.guidance = self.client.get_or_create_collection(
                f"{GUIDANCE}-{suffix}", embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
            self.notes = self.client.get_or_create_collection(
                f"{NOTES}-{suffix}", embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        except Exception as exc:
            raise IndexUnavailableError(
                f"cannot open the index collections: {exc}. Try `outreach index --rebuild`"
            ) from None

    # -- writing -------------------------------------------------------------------

    def _upsert(
        self, collection: Any, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]]
    ) -> IndexStats:
        """Embed and write only what is new or changed (by content hash)."""
        if not ids:
            return IndexStats()
        existing = collection.get(ids=ids, include=["metadatas"])
        known = {i: (m or {}).get("hash") for i, m in zip(existing["ids"], existing["metadatas"])}
        todo = [n for n, i in enumerate(ids) if known.get(i) != metadatas[n]["hash"]]
        if todo:
            vectors = self.embeddings.embed_documents([texts[n] for n in todo])
            collection.upsert(
                ids=[ids[n] for n in todo],
                embeddings=vectors,
                documents=[texts[n] for n in todo],
                metadatas=[metadatas[n] for n in todo],
            )
        updated = sum(1 for n in todo if ids[n] in known)
        return IndexStats(
            added=len(todo) - updated, updated=updated, unchanged=len(ids) - len(todo)
        )

    def index_guidance(self, chunks: Sequence[GuidanceChunk]) -> IndexStats:
        ids, texts, metas = [], [], []
        seen: set[str] = set()
        for chunk in chunks:
            if chunk.id in seen:
                continue
            seen.add(chunk.id)
            ids.append(chunk.id)
            texts.append(chunk.text)
            meta: dict[str, Any] = {
                "doc_id": chunk.doc_id,
                "title": chunk.title,
                "source": chunk.source,
                "origin": chunk.origin,
                "hash": _digest(chunk.text + chunk.title + ",".join(chunk.kinds)),
            }
            # One boolean per kind: a filter that works on every Chroma version.
            for kind in Kind:
                meta[f"kind_{kind.value}"] = kind in chunk.kinds
            metas.append(meta)
        with workspace_write_lock(self.settings):
            stats = self._upsert(self.guidance, ids, texts, metas)
            stats += self._remove_stale(self.guidance, "doc_id", {m["doc_id"] for m in metas}, ids)
        return stats

    def index_contacts(self, contacts: Iterable[Contact]) -> IndexStats:
        ids, texts, metas = [], [], []
        contact_ids: set[str] = set()
        for contact in contacts:
            cid = contact_key(contact)
            contact_ids.add(cid)
            for n, (field, sentence) in enumerate(note_snippets(contact)):
                ids.append(f"{cid}:{n}")
                texts.append(sentence)
                metas.append(
                    {
                        "contact_id": cid,
                        "name": contact.name,
                        "field": field,
                        "hash": _digest(sentence),
                    }
                )
        with workspace_write_lock(self.settings):
            stats = self._upsert(self.notes, ids, texts, metas)
            stats += self._remove_stale(self.notes, "contact_id", contact_ids, ids)
        return stats

    def _remove_stale(
        self, collection: Any, key: str, owners: set[str], keep: list[str]
    ) -> IndexStats:
        """Drop entries of a re-indexed document/contact that its new version no longer has."""
        if not owners:
            return IndexStats()
        found = collection.get(where={key: {"$in": sorted(owners)}}, include=[])
        stale = sorted(set(found["ids"]) - set(keep))
        if stale:
            collection.delete(ids=stale)
        return IndexStats(removed=len(stale))

    # -- reading -------------------------------------------------------------------

    def guidance_count(self) -> int:
        return int(self.guidance.count())

    def notes_count(self) -> int:
        return int(self.notes.count())

    def search_guidance(self, query: str, kind: Kind, k: int = 4) -> list[GuidanceRef]:
        if self.guidance_count() == 0:
            return []
        result = self.guidance.query(
            query_embeddings=[self.embeddings.embed_query(query)],
            n_results=k,
            where={f"kind_{kind.value}": True},
            include=["documents", "metadatas", "distances"],
        )
        refs = []
        for id_, doc, meta, dist in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
        ):
            refs.append(
                GuidanceRef(
                    id=id_,
                    title=str(meta.get("title", "")),
                    source=str(meta.get("source", "")),
                    text=doc,
                    score=round(1.0 - float(dist), 4),
                )
            )
        return refs

    def search_notes(self, query: str, contact: Contact, k: int = 4) -> list[str]:
        """The contact's note snippets most relevant to the query, in their original order."""
        cid = contact_key(contact)
        result = self.notes.query(
            query_embeddings=[self.embeddings.embed_query(query)],
            n_results=k,
            where={"contact_id": cid},
            include=["documents"],
        )
        found = {i: d for i, d in zip(result["ids"][0], result["documents"][0])}
        return [found[i] for i in sorted(found, key=lambda i: int(i.rsplit(":", 1)[1]))]

    def list_guidance(self) -> list[dict[str, Any]]:
        got = self.guidance.get(include=["metadatas", "documents"])
        return [
            {"id": i, "text": d, **(m or {})}
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
        ]


def contact_key(contact: Contact) -> str:
    """Notes are keyed by who the contact is (name + company), so edits replace old notes."""
    return _digest(f"{contact.name.strip().lower()}|{contact.company.strip().lower()}")
