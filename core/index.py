"""The retrieval index: guidance chunks and contact-note snippets in Chroma.

Embedded (persistent client in the workspace) by default, a Chroma server when
`OUTREACH_CHROMA_URL` is set. Vectors are computed here, never by Chroma (its default
embedding function downloads a model). Writes are idempotent: ids are stable and a
content hash in the metadata tells whether an existing entry changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from core.config import Settings
from core.contacts import Contact
from core.embeddings import NamedEmbeddings
from core.errors import ConfigError, IndexUnavailableError, OutreachError
from core.ingest import GuidanceChunk
from core.kinds import Kind
from core.locking import index_generation, wait_for_writers, workspace_write_lock
from core.models import GuidanceRef
from core.note_text import split_sentences

GUIDANCE = "guidance"
NOTES = "notes"
_NOTE_FIELDS = ("notes", "their_work", "how_we_met", "shared_interests", "event")
_T = TypeVar("_T")
#: Distinct guidance queries remembered (a batch has one per kind and topic).
_GUIDANCE_CACHE = 4096
#: Against a Chroma server, other instances may add guidance unseen: forget after a minute.
_SERVER_CACHE_S = 60.0


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


#: Seconds to wait for a Chroma server's heartbeat before calling it unreachable.
SERVER_CONNECT_TIMEOUT_S = 5.0
#: Chroma's embedded store rejects a single write of more records than this (5461 in 1.5).
_WRITE_BATCH = 4000


def _check_server(url: str, timeout_s: float) -> None:
    """Fail fast, naming the setting, when nothing (healthy) answers at the server URL.

    chromadb's HttpClient would raise a vague error, and its HTTP session has no timeout
    at all, so a server that accepts connections but never answers would hang every call.
    """
    import httpx

    heartbeat = url.rstrip("/") + "/api/v2/heartbeat"
    try:
        response = httpx.get(heartbeat, timeout=timeout_s)
    except httpx.HTTPError as exc:
        raise IndexUnavailableError(
            f"no Chroma server answers at OUTREACH_CHROMA_URL={url} ({type(exc).__name__}): "
            "start one (chroma run --path DIR --host HOST --port PORT) or unset "
            "OUTREACH_CHROMA_URL to use the embedded index in OUTREACH_HOME"
        ) from None
    if response.status_code != 200:
        raise IndexUnavailableError(
            f"OUTREACH_CHROMA_URL={url} answered {response.status_code} on {heartbeat}: "
            "is it a Chroma 1.x server (chroma run)?"
        )


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
            _check_server(settings.chroma_url, SERVER_CONNECT_TIMEOUT_S)
            # Default tenant and database: `chroma run` creates both, nothing to set up.
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            _bound_http_timeout(client, settings.request_timeout_s)
            return client
        path = settings.home / "chroma"
        if (path / "chroma.sqlite3").exists():
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        # Creating the store runs migrations: two processes doing it at once collide
        # ("table collections already exists"), so the first open is a locked write.
        with workspace_write_lock(settings):
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except (ConfigError, IndexUnavailableError):
        raise
    except Exception as exc:  # chromadb raises many types; say where and what to check
        where = settings.chroma_url or str(settings.home / "chroma")
        setting = "OUTREACH_CHROMA_URL" if settings.chroma_url else "OUTREACH_HOME"
        raise IndexUnavailableError(
            f"cannot open the Chroma index at {where}: {exc}. Check {setting}: that the "
            "server is running, or that the workspace is writable"
        ) from None


def _bound_http_timeout(client: Any, timeout_s: float) -> None:
    """Give chromadb's HTTP session (timeout=None upstream) a finite timeout, if reachable."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(max(timeout_s, 30.0), connect=SERVER_CONNECT_TIMEOUT_S)


def note_snippets(contact: Contact) -> list[tuple[str, str]]:
    """(field, sentence) pairs from a contact's public note fields, never private notes."""
    # The composer's splitter: a retrieved snippet must match the sentence it came from.
    return [(field, s) for field in _NOTE_FIELDS for s in split_sentences(getattr(contact, field))]


class OutreachIndex:
    """Guidance and notes collections for one embedder, in one Chroma."""

    def __init__(self, settings: Settings, embeddings: NamedEmbeddings, client: Any = None):
        self.settings = settings
        self.embeddings = embeddings
        # Only a client we opened ourselves may be reopened when another process writes.
        self._owns_client = client is None
        self._embedded = not settings.chroma_url
        self._generation = index_generation(settings) if self._embedded else ""
        self.client = client if client is not None else make_client(settings)
        # The embedder's id is part of the name: vectors of two models never share a space.
        suffix = re.sub(r"[^a-zA-Z0-9._-]", "-", embeddings.model_id)
        self._names = (f"{GUIDANCE}-{suffix}", f"{NOTES}-{suffix}")
        self._guidance_cache: dict[tuple[str, str, int], tuple[float, list[GuidanceRef]]] = {}
        self._cache_lock = threading.Lock()
        # Writes in progress in this process (see `_own_write`), and the lock guarding them
        # together with the generation this process last saw.
        self._writing = 0
        self._write_state = threading.Lock()
        self._open_collections(locked=False)

    def _open_collections(self, *, locked: bool) -> None:
        """Get both collections; creating them is a write, so it happens under the lock."""
        from chromadb.errors import NotFoundError

        def create() -> None:
            self.guidance, self.notes = (
                self.client.get_or_create_collection(
                    name, embedding_function=None, metadata={"hnsw:space": "cosine"}
                )
                for name in self._names
            )

        try:
            try:
                self.guidance, self.notes = (
                    self.client.get_collection(name, embedding_function=None)
                    for name in self._names
                )
            except (NotFoundError, ValueError):
                if locked:
                    create()
                else:
                    with workspace_write_lock(self.settings) as lease:
                        create()
                    self._generation = lease.generation or self._generation
        except OutreachError:
            raise
        except Exception as exc:
            raise IndexUnavailableError(
                f"cannot open the index collections: {exc}. Move the workspace's `chroma` folder aside and run `outreach index` again"
            ) from None

    @contextlib.contextmanager
    def _own_write(self) -> Iterator[None]:
        """Hold the workspace write lock for one write, on a view with every other
        process's writes; once it succeeds, the generation it stamps is known as our own."""
        entered = succeeded = False
        try:
            with workspace_write_lock(self.settings) as lease:
                self._refresh(locked=True)
                with self._write_state:
                    self._writing += 1
                entered = True
                yield
                succeeded = True
        finally:
            if entered:
                with self._write_state:
                    if succeeded:
                        self._generation = lease.generation or self._generation
                    self._writing -= 1

    def _forget_guidance(self) -> None:
        with self._cache_lock:
            self._guidance_cache.clear()

    def _refresh(self, *, locked: bool = False) -> None:
        """Reopen the embedded client if another process wrote since this one last looked.

        Chroma caches vector segments per process and never reloads them, so without this
        a writer would overwrite another's additions and a reader would miss (or fail on)
        them. Costs one small file read per call; a reopen takes ~0.1 s.
        """
        if not (self._embedded and self._owns_client):
            return
        with self._write_state:
            if self._writing and not locked:
                # This process holds the write lock, so nobody else writes, and the stamp
                # it is about to leave is its own: a reader must not reopen the client
                # under the writer (the web app adds an article while a batch drafts).
                return
            generation = index_generation(self.settings)
        if generation == self._generation:
            return
        # close() stops the shared chromadb System once no other client in this process
        # uses it; a second OutreachIndex on the same workspace would keep the old view.
        with contextlib.suppress(Exception):
            self.client.close()
        self.client = make_client(self.settings)
        self._generation = generation
        self._forget_guidance()
        self._open_collections(locked=locked)

    def _read(self, call: Callable[[], _T]) -> _T:
        """Run a query on a fresh view; if a write in progress elsewhere makes it fail, wait
        for that write to finish, reload and try once more."""
        self._refresh()
        try:
            return call()
        except Exception as exc:
            if not (self._embedded and self._owns_client) or isinstance(exc, OutreachError):
                raise
            wait_for_writers(self.settings)
            self._refresh()
            return call()

    # -- writing -------------------------------------------------------------------

    def _upsert(
        self, collection: Any, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]]
    ) -> IndexStats:
        """Embed and write only what is new or changed (by content hash)."""
        stats = IndexStats()
        # In slices: Chroma rejects larger single writes (10,000 contacts is ~30,000 ids).
        for start in range(0, len(ids), _WRITE_BATCH):
            part = slice(start, start + _WRITE_BATCH)
            stats += self._upsert_batch(collection, ids[part], texts[part], metadatas[part])
        return stats

    def _upsert_batch(
        self, collection: Any, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]]
    ) -> IndexStats:
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
        with self._own_write():
            stats = self._upsert(self.guidance, ids, texts, metas)
            stats += self._remove_stale(self.guidance, "doc_id", {m["doc_id"] for m in metas}, ids)
        self._forget_guidance()
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
        with self._own_write():
            stats = self._upsert(self.notes, ids, texts, metas)
            stats += self._remove_stale(self.notes, "contact_id", contact_ids, ids)
        return stats

    def adopt_previous_model(self) -> IndexStats:
        """Copy into this model's empty collections what another embedding model's index
        holds (the user's own articles and notes included), embedded afresh: a new model
        must not make the workspace forget what was indexed. Returns what was copied."""
        stats = IndexStats()
        if self.guidance_count() or self.notes_count():
            return stats
        ours = set(self._names)
        with self._own_write():
            for listed in self.client.list_collections():
                name = getattr(listed, "name", listed)
                prefix = name.split("-", 1)[0]
                if name in ours or prefix not in (GUIDANCE, NOTES):
                    continue
                old = self.client.get_collection(name, embedding_function=None)
                target = self.guidance if prefix == GUIDANCE else self.notes
                got = old.get(include=["documents", "metadatas"])
                stats += self._upsert(
                    target,
                    list(got["ids"]),
                    [d or "" for d in got["documents"]],
                    [dict(m or {}) for m in got["metadatas"]],
                )
        self._forget_guidance()
        return stats

    def _remove_stale(
        self, collection: Any, key: str, owners: set[str], keep: list[str]
    ) -> IndexStats:
        """Drop entries of a re-indexed document/contact that its new version no longer has."""
        if not owners:
            return IndexStats()
        keep_set = set(keep)
        ordered = sorted(owners)
        stale: list[str] = []
        for start in range(0, len(ordered), _WRITE_BATCH):
            found = collection.get(
                where={key: {"$in": ordered[start : start + _WRITE_BATCH]}}, include=[]
            )
            stale += sorted(set(found["ids"]) - keep_set)
        for start in range(0, len(stale), _WRITE_BATCH):
            collection.delete(ids=stale[start : start + _WRITE_BATCH])
        return IndexStats(removed=len(stale))

    # -- reading -------------------------------------------------------------------

    # Every read goes through _read, which reloads the embedded view after other
    # processes' writes; the collections are looked up at call time for that reason.

    def guidance_count(self) -> int:
        return int(self._read(lambda: self.guidance.count()))

    def notes_count(self) -> int:
        return int(self._read(lambda: self.notes.count()))

    def search_guidance(self, query: str, kind: Kind, k: int = 4) -> list[GuidanceRef]:
        """The `k` guidance chunks for `kind` nearest the query. Results are cached: rows
        of a batch and reruns of the web app ask the same question many times. The cache
        empties whenever the guidance changes (our own write, or another process's, seen
        through the generation stamp); against a Chroma server entries expire instead."""
        self._refresh()
        key = (query, kind.value, k)
        now = time.monotonic()
        with self._cache_lock:
            hit = self._guidance_cache.get(key)
        if hit is not None and (self._embedded or now - hit[0] < _SERVER_CACHE_S):
            return [ref.model_copy() for ref in hit[1]]
        refs = self._search_guidance(query, kind, k)
        with self._cache_lock:
            if len(self._guidance_cache) >= _GUIDANCE_CACHE:
                self._guidance_cache.clear()
            self._guidance_cache[key] = (now, refs)
        return [ref.model_copy() for ref in refs]

    def _search_guidance(self, query: str, kind: Kind, k: int) -> list[GuidanceRef]:
        vector = self.embeddings.embed_query(query)
        try:
            result = self._read(
                lambda: self.guidance.query(
                    query_embeddings=[vector],
                    n_results=k,
                    where={f"kind_{kind.value}": True},
                    include=["documents", "metadatas", "distances"],
                )
            )
        except OutreachError:
            raise
        except Exception:
            # An empty collection (nothing indexed yet) is not an error for a reader.
            if self.guidance_count() == 0:
                return []
            raise
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
        """The contact's note snippets most relevant to the query, in their original order.

        With notes and no more snippets than asked for, the answer is all of them, with no
        model run. With more, the contact's own snippets are embedded and ranked here: the
        same vectors the index would hold, without a write per contact (Chroma's upsert
        holds the GIL, so a batch that indexed its notes stalled its own requests), and
        right even when two contacts share a name and company. Only a contact with no notes
        of its own asks the index for what it holds for that person.
        """
        own = [sentence for _field, sentence in note_snippets(contact)]
        if 0 < len(own) <= k:
            return own
        if own:
            vectors = np.asarray(self.embeddings.embed_documents(own), dtype=np.float32)
            return _nearest_in_order(vectors, own, self.embeddings.embed_query(query), k)
        cid = contact_key(contact)
        got = self._read(
            lambda: self.notes.get(where={"contact_id": cid}, include=["documents", "embeddings"])
        )
        if not got["ids"]:
            return []
        # Ids end in the snippet's position among the contact's notes.
        order = np.argsort([int(i.rsplit(":", 1)[1]) for i in got["ids"]], kind="stable")
        docs = [got["documents"][n] for n in order]
        vectors = np.asarray(got["embeddings"], dtype=np.float32)[order]
        return _nearest_in_order(vectors, docs, self.embeddings.embed_query(query), k)

    def list_guidance(self) -> list[dict[str, Any]]:
        got = self._read(lambda: self.guidance.get(include=["metadatas", "documents"]))
        return [
            {"id": i, "text": d, **(m or {})}
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
        ]


def _nearest_in_order(
    vectors: np.ndarray, texts: list[str], query: list[float], k: int
) -> list[str]:
    """The `k` texts nearest the query (cosine: the vectors are unit length), in the order
    they were given."""
    scores = vectors @ np.asarray(query, dtype=np.float32)
    top = np.argsort(-scores, kind="stable")[:k]
    return [texts[n] for n in sorted(top)]


def contact_key(contact: Contact) -> str:
    """Notes are keyed by who the contact is (name + company), so edits replace old notes."""
    return _digest(f"{contact.name.strip().lower()}|{contact.company.strip().lower()}")
