"""The real ONNX embedder and Chroma: idempotent indexing, kind filters, per-contact notes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.config import Settings
from core.contacts import Contact
from core.embeddings import LocalMiniLMEmbeddings
from core.kinds import Kind
from core.service import OutreachService

pytestmark = pytest.mark.integration
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_local_embeddings_are_normalised_and_meaningful() -> None:
    embedder = LocalMiniLMEmbeddings()
    a, b, c = (
        np.array(embedder.embed_query(t))
        for t in (
            "I loved your talk on testing async code",
            "Your async testing talk was great",
            "Buy cheap tickets now",
        )
    )
    assert a.shape == (384,)
    assert abs(np.linalg.norm(a) - 1) < 1e-3
    assert a @ b > a @ c + 0.3
    batch = embedder.embed_documents(["short", "a much longer sentence about networking " * 5])
    assert np.allclose(batch[0], embedder.embed_query("short"), atol=1e-4)


def test_indexing_twice_adds_nothing() -> None:
    service = OutreachService(Settings.from_env())
    first = service.build_index()
    assert first.guidance.added >= 24 and first.guidance_total == first.guidance.added
    second = service.build_index()
    assert second.guidance.added == 0 and second.guidance.updated == 0
    assert second.guidance.unchanged == first.guidance_total


def test_user_articles_are_cleaned_indexed_and_replaced_on_edit(tmp_path: Path) -> None:
    service = OutreachService(Settings.from_env())
    article = tmp_path / "article.md"
    article.write_text(
        (SEEDS / "000_917fb0d38898f3e3.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = service.build_index([article])
    user = [g for g in service.index.list_guidance() if g["origin"] == "user"]
    assert user and all("yt-timestamp" not in g["text"] for g in user)
    article.write_text(
        "# Short now\n\nOnly one idea remains: ask for nothing in a first meeting.",
        encoding="utf-8",
    )
    again = service.build_index([article])
    user_after = [g for g in service.index.list_guidance() if g["origin"] == "user"]
    assert len(user_after) == 1 and again.guidance.removed == len(user) - 1
    assert report.guidance_total - len(user) + 1 == again.guidance_total


def test_retrieval_is_filtered_by_kind() -> None:
    service = OutreachService(Settings.from_env())
    service.build_index()
    kinds_of = {g["id"]: g for g in service.index.list_guidance()}
    for kind in Kind:
        refs = service.index.search_guidance("meeting people at events", kind, k=6)
        assert refs
        assert all(kinds_of[r.id][f"kind_{kind.value}"] for r in refs)
    top = service.index.search_guidance(
        "best case we work together, worst case a new friend", Kind.INTRO, k=3
    )
    assert any("best-case" in r.id or "worst" in r.title.lower() for r in top)


def test_notes_are_per_contact_and_private_notes_are_not_indexed() -> None:
    service = OutreachService(Settings.from_env())
    a = Contact(
        name="Ana",
        notes="Runs a pottery studio. Teaches glazing on Sundays. Loves sourdough.",
        private_notes="owes me money",
    )
    b = Contact(name="Ben", notes="Builds compilers in Rust.")
    service.build_index(contacts=[a, b])
    # Ranked when there are more snippets than asked for, returned in note order.
    assert service.index.search_notes("ceramics and pottery glazes", a, k=2) == [
        "Runs a pottery studio.",
        "Teaches glazing on Sundays.",
    ]
    assert service.index.search_notes("bread", a, k=1) == ["Loves sourdough."]
    # Few enough snippets: all of them, straight from the contact.
    assert service.index.search_notes("ceramics", b, k=5) == ["Builds compilers in Rust."]
    stored = service.index.notes.get(include=["documents"])["documents"]
    assert not any("money" in doc for doc in stored)
    # Editing a contact's notes replaces the old snippets in the index.
    service.build_index(contacts=[a.model_copy(update={"notes": "Runs a pottery studio."})])
    stored = service.index.notes.get(include=["documents"])["documents"]
    assert "Loves sourdough." not in stored and "Runs a pottery studio." in stored


def test_guidance_searches_are_cached_until_the_guidance_changes(tmp_path: Path) -> None:
    service = OutreachService(Settings.from_env())
    service.build_index()
    first = service.index.search_guidance("ask for nothing in a first meeting", Kind.INTRO)
    calls = []
    embed = service.index.embeddings.embed_query
    service.index.embeddings.embed_query = lambda text: calls.append(text) or embed(text)  # type: ignore[method-assign]
    assert service.index.search_guidance("ask for nothing in a first meeting", Kind.INTRO) == first
    assert calls == []  # answered from the cache
    article = tmp_path / "mine.md"
    article.write_text("# Mine\n\nAsk for nothing in a first meeting; bring a question instead.")
    service.build_index([article])
    service.index.search_guidance("ask for nothing in a first meeting", Kind.INTRO)
    assert calls == ["ask for nothing in a first meeting"]  # the write emptied the cache


def test_commands_that_need_the_index_build_it_on_first_use(_hermetic_env: Path) -> None:
    service = OutreachService(Settings.from_env())
    draft = service.draft(
        Contact(
            name="Ana", their_work="Wrote a book on pottery", notes="It made me take up glazing."
        ),
        "compliment",
    )
    assert draft.guidance and service.index.guidance_count() >= 24
    assert (_hermetic_env / "chroma").is_dir()


def test_warmed_queries_are_answered_without_another_model_run() -> None:
    embedder = LocalMiniLMEmbeddings()
    embedder.warm_queries(["a talk on tracing", "a post on pottery", "a talk on tracing"])
    runs = []
    encode = embedder._encode
    embedder._encode = lambda text: runs.append(text) or encode(text)  # type: ignore[method-assign]
    warmed = embedder.embed_query("a post on pottery")
    assert runs == []
    assert np.allclose(warmed, encode("a post on pottery"), atol=1e-6)
    embedder.embed_query("something new")
    assert runs == ["something new"]


def test_a_texts_vector_does_not_depend_on_what_it_is_embedded_with() -> None:
    # Activations are quantised per model run: a shared run would mix neighbours in.
    embedder = LocalMiniLMEmbeddings()
    texts = ["Thanks!", "See you Thursday.", "Great talk.", "Loved it. " + "word " * 150]
    together = embedder.embed_array(texts)
    alone = np.array([embedder.embed_array([t])[0] for t in texts])
    assert np.array_equal(together, alone)
    assert np.array_equal(embedder.embed_array(texts[::-1])[::-1], together)


class _RenamedEmbeddings:
    """The local model's vectors under another id: stands in for an earlier model."""

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id
        self._inner = LocalMiniLMEmbeddings()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


def test_a_new_embedding_model_keeps_the_users_articles_and_notes(tmp_path: Path) -> None:
    from core.index import OutreachIndex

    settings = Settings.from_env()
    article = tmp_path / "mine.md"
    article.write_text("# My rule\n\nWrite to one person a week and ask for nothing.\n")
    ada = Contact(name="Ada Obi", their_work="A talk on weak ties", notes="Runs a book club.")
    old = OutreachService(settings)
    old.__dict__["index"] = OutreachIndex(settings, _RenamedEmbeddings("minilm-l6-int8"))
    old.build_index([article], [ada])

    new = OutreachService(settings)  # the current model: its collections start empty
    assert new.index.guidance_count() == 0
    assert new.ensure_index() is True
    origins = {g["origin"] for g in new.index.list_guidance()}
    assert origins == {"corpus", "user"}
    assert any("one person a week" in g["text"] for g in new.index.list_guidance())
    assert new.index.notes_count() == old.index.notes_count() > 0
    assert new.ensure_index() is False  # copied once


def test_a_contacts_own_notes_are_ranked_without_the_index() -> None:
    service = OutreachService(Settings.from_env())
    service.ensure_index()
    ana = Contact(
        name="Ana",
        notes="Runs a pottery studio. Teaches glazing on Sundays. Loves sourdough.",
    )
    # Never indexed: the same answer as an indexed contact's, and nothing written.
    assert service.index.search_notes("ceramics and pottery glazes", ana, k=2) == [
        "Runs a pottery studio.",
        "Teaches glazing on Sundays.",
    ]
    assert service.index.notes_count() == 0
    # A contact given without notes still gets what the index holds for that person.
    service.build_index(contacts=[ana])
    bare = Contact(name="Ana")
    assert service.index.search_notes("bread", bare, k=1) == ["Loves sourdough."]
    assert service.index.search_notes("ceramics and pottery glazes", bare, k=2) == [
        "Runs a pottery studio.",
        "Teaches glazing on Sundays.",
    ]


def test_readers_never_reopen_the_index_under_this_processes_own_writes() -> None:
    import threading

    service = OutreachService(Settings.from_env())
    service.ensure_index()
    index = service.index
    clients, errors, done = {id(index.client)}, [], threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                index.search_guidance("ask for nothing", Kind.INTRO, k=2)
                index.search_notes("talk", Contact(name="Reader 1"))
            except Exception as exc:  # a reopen under a reader fails its query
                errors.append(exc)
            clients.add(id(index.client))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for n in range(15):
            index.index_contacts(
                [Contact(name=f"Reader {n}", notes="Gave a talk. Wrote a post. Runs a club.")]
            )
    finally:
        done.set()
        for thread in readers:
            thread.join()
    assert errors == [] and len(clients) == 1
    assert index.notes_count() == 15 * 3
