"""Cleaning and chunking of guidance documents, on the real seed articles and on crafted input."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import InputError
from core.ingest import (
    CHUNK_SIZE,
    GuidanceChunk,
    clean_text,
    load_corpus,
    load_document,
    shipped_corpus_dir,
)
from core.kinds import Kind

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
needs_seeds = pytest.mark.skipif(not SEED_FILES, reason="shared seed articles not available")

FORBIDDEN = ("<a", "yt-timestamp", "[[", "data-t=", "affiliate", "Comments are closed", "<br")
KEY_SENTENCES = {
    "000": ("collector of people", "new friend in the industry", "book club", "Meetups"),
    "001": ("Fabricate a reason to have the first meeting", "no more than 30 minutes"),
    "002": ("everyone is worth knowing", "Tracey is an Executive Assistant"),
    "003": ("Professional love letters work.", "weak links", "fifty-two new people"),
    "004": ("disguised right hook", "relationship glue", "long before you need it"),
}


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- the real seed articles ----------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_cleans_to_plain_prose(path: Path) -> None:
    text = clean_text(path.read_text(encoding="utf-8"))
    for needle in FORBIDDEN:
        assert needle.lower() not in text.lower(), f"{path.name} still contains {needle!r}"
    for needle in ("videoId:", "](", "![", "**", "\n\n\n", "  ", "[00:"):
        assert needle not in text, f"{path.name} still contains {needle!r}"
    for sentence in KEY_SENTENCES[path.name[:3]]:
        assert sentence in text, f"{path.name} lost {sentence!r}"


@needs_seeds
def test_seed_markup_details() -> None:
    by_prefix = {p.name[:3]: clean_text(p.read_text(encoding="utf-8")) for p in SEED_FILES}
    wiki = by_prefix["000"]
    assert "networking and meeting influential people" in wiki  # [[slug | label]] -> label
    assert "myfirstmillionpod" not in wiki  # the "From: [[...]]" line is dropped
    assert "facilitate interaction." in wiki  # no stray space where the anchor was
    assert "Networking" not in by_prefix["001"].split("\n")[0]  # the image is gone
    assert "redeem the E ticket" in by_prefix["001"]  # [text](url) -> text
    assert "wikipedia.org" not in by_prefix["001"]
    assert "Skip to" not in by_prefix["002"]
    footer = by_prefix["003"]
    assert footer.endswith("(The 99U Book Series)")
    for boilerplate in ("Click to set custom HTML", "Categories", "Disclosure", "|"):
        assert boilerplate not in footer


@needs_seeds
def test_seed_documents_load_as_user_chunks() -> None:
    chunks = load_corpus([SEEDS], origin="user")
    assert {c.doc_id for c in chunks} == {c.doc_id for c in chunks if c.origin == "user"}
    assert len({c.doc_id for c in chunks}) == len(SEED_FILES)
    assert all(len(c.text) <= CHUNK_SIZE for c in chunks)
    assert all(c.kinds == list(Kind) for c in chunks)
    titles = {c.title for c in chunks}
    assert "Building a strong personal and professional network" in titles  # from front matter
    assert "How To Get Better At Networking" in titles  # first line of plain text
    first = next(c for c in chunks if c.doc_id.startswith("000-917fb0d38898f3e3-txt-"))
    assert first.id == f"{first.doc_id}#0"


@needs_seeds
def test_ids_are_deterministic(tmp_path: Path) -> None:
    first = load_corpus([SEEDS], origin="user")
    second = load_corpus(list(reversed(SEED_FILES)), origin="user")
    assert [c.id for c in first] == [c.id for c in second]
    assert [c.text for c in first] == [c.text for c in second]
    assert len({c.id for c in first}) == len(first)
    # A same-named file in another folder gets its own id; editing a file keeps its id, so
    # re-indexing replaces the old chunks instead of adding beside them.
    source = SEED_FILES[0]
    copy = _write(tmp_path, source.name, source.read_bytes())
    before = load_document(copy, "user")[0].doc_id
    assert before != load_document(source, "user")[0].doc_id
    _write(tmp_path, source.name, source.read_text(encoding="utf-8") + "\n\nOne more line.")
    assert load_document(copy, "user")[0].doc_id == before


# --- the shipped corpus ----------------------------------------------------------------------


def test_shipped_corpus_loads_one_chunk_per_card() -> None:
    corpus_dir = shipped_corpus_dir()
    assert corpus_dir.is_dir()
    chunks = load_corpus([corpus_dir])
    cards = sorted(corpus_dir.glob("*.md"))
    assert len(chunks) == len(cards) >= 24
    assert all(c.origin == "corpus" and c.id == f"{c.doc_id}#0" for c in chunks)
    by_id = {c.doc_id: c for c in chunks}
    card = by_id["best-case-worst-case"]
    assert card.kinds == [Kind.INTRO]
    assert card.title == "Frame a first contact as best case, worst case"
    assert card.source.startswith("Building a strong personal and professional network")
    assert "---" not in card.text and "source_file" not in card.text
    assert [c.id for c in load_corpus([corpus_dir])] == [c.id for c in chunks]


# --- crafted input -----------------------------------------------------------------------------


def test_html_file_is_cleaned(tmp_path: Path) -> None:
    page = """<!doctype html><html><head><title>Say thanks &amp; mean it</title>
    <style>p {color: red}</style><script>track()</script></head><body>
    <nav>Home | About</nav>
    <h1>Say thanks</h1><p>Write to the <a href="https://x.test">author</a> of a post&nbsp;you
    liked.<br/>Name one detail.</p><ul><li>Be specific</li><li>Ask for nothing</li></ul>
    <footer>Comments are closed.</footer></body></html>"""
    chunks = load_document(_write(tmp_path, "thanks.html", page), "user")
    assert len(chunks) == 1
    text = chunks[0].text
    assert chunks[0].title == "Say thanks & mean it"
    assert "Write to the author of a post you liked." in text
    assert "Name one detail." in text and "Be specific" in text and "Ask for nothing" in text
    for junk in ("<", "track()", "color: red", "Home | About", "Comments", "&nbsp;", "&amp;"):
        assert junk not in text


def test_clean_text_handles_inline_tags_and_markdown() -> None:
    raw = (
        "From: [[some_wiki]] <br/>\n\n"
        "## A heading\n\n"
        'Talk to <a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a> people '
        "about [[weak_ties]] and [[x_y | the label]].\n"
        "![diagram](img/d.png)\nSee [this page](https://example.test/a_(b)) &amp; more.\n\n\n\n"
        "*   **Bold** and *italic* words\n|\nSkip to content\n"
    )
    text = clean_text(raw)
    assert text == (
        "A heading\n\nTalk to people about weak ties and the label.\n"
        "See this page & more.\n\n- Bold and italic words"
    )


def test_affiliate_disclosure_is_dropped_to_paragraph_end() -> None:
    raw = (
        "Keep in touch after the meetup.\n\n"
        "I loved this book. Some links here are affiliate links, so I may earn a commission.\n"
        "Thanks for supporting the blog.\n\n"
        "Send the promised link the next day."
    )
    text = clean_text(raw)
    assert text == (
        "Keep in touch after the meetup.\n\nI loved this book.\n\nSend the promised link the next day."
    )


def test_front_matter_sets_metadata(tmp_path: Path) -> None:
    doc = (
        "---\ntitle: My notes\nid: ignored-for-user\nkinds: [follow-up, compliment]\n"
        "source: A friend's blog\n---\nRecall the hike when you write back.\n"
    )
    chunk = load_document(_write(tmp_path, "My Notes.md", doc), "user")[0]
    assert chunk.title == "My notes" and chunk.source == "A friend's blog"
    assert chunk.kinds == [Kind.COMPLIMENT, Kind.FOLLOW_UP]
    assert chunk.doc_id.startswith("my-notes-md-")
    assert chunk.text == "Recall the hike when you write back."
    card = load_document(
        _write(tmp_path, "card.md", doc.replace("ignored-for-user", "My Card")), "corpus"
    )
    assert card[0].doc_id == "my-card" and card[0].id == "my-card#0"
    assert isinstance(card[0], GuidanceChunk)


def test_long_user_document_is_chunked_with_overlap(tmp_path: Path) -> None:
    sentences = [f"Sentence number {n} is about meeting people in person." for n in range(80)]
    chunks = load_document(_write(tmp_path, "long.txt", " ".join(sentences)), "user")
    assert len(chunks) > 3
    assert all(len(c.text) <= CHUNK_SIZE for c in chunks)
    assert [c.id for c in chunks] == [f"{chunks[0].doc_id}#{n}" for n in range(len(chunks))]
    assert all(c.text.endswith(".") for c in chunks)  # split at sentence ends
    assert chunks[1].text.split(" ")[:3] != chunks[0].text.split(" ")[:3]
    assert any(s in chunks[0].text and s in chunks[1].text for s in sentences)  # overlap


def test_cp1252_file_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "legacy.txt", "Don\x92t pitch \x96 ask for their view.".encode("latin-1")
    )
    assert load_document(path, "user")[0].text == "Don’t pitch – ask for their view."


def test_directories_recurse_and_skip_unsupported_and_hidden(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "First idea.")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "b.htm", "<p>Second idea.</p>")
    _write(tmp_path, "notes.docx", "binary")
    (tmp_path / ".cache").mkdir()
    _write(tmp_path / ".cache", "c.md", "Hidden.")
    chunks = load_corpus([tmp_path, tmp_path / "a.md"], origin="user")
    assert [c.text for c in chunks] == ["First idea.", "Second idea."]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_corpus([empty]) == []  # an empty user folder is not an error


# --- bad input ---------------------------------------------------------------------------------


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_corpus([tmp_path / "nope.md"])
    with pytest.raises(InputError, match="not found"):
        load_document(tmp_path / "nope.md", "user")


def test_unsupported_extension_lists_supported_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, "guide.docx", "text")
    with pytest.raises(InputError) as err:
        load_document(path, "user")
    for ext in (".md", ".txt", ".html", ".htm", ".pdf"):
        assert ext in str(err.value)


@pytest.mark.parametrize(
    "content", ["", "   \n\n", "<html><body><script>x()</script></body></html>", "|\nCategories\n"]
)
def test_empty_after_cleaning_is_an_input_error(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path, "empty.md", content)
    with pytest.raises(InputError, match="no text left after cleaning"):
        load_document(path, "user")


@pytest.mark.parametrize(
    "front_matter",
    ["title: [unclosed", "- just\n- a list", "kinds: [sales_pitch]", "kinds: []", "title: {a: 1}"],
)
def test_bad_front_matter_names_the_file(tmp_path: Path, front_matter: str) -> None:
    path = _write(tmp_path, "broken.md", f"---\n{front_matter}\n---\nSome text.\n")
    with pytest.raises(InputError, match=r"front matter in .*broken\.md"):
        load_document(path, "user")


def test_duplicate_card_ids_are_rejected(tmp_path: Path) -> None:
    for name in ("one.md", "two.md"):
        _write(tmp_path, name, "---\nid: same\n---\nText.\n")
    with pytest.raises(InputError, match="both have the id 'same'"):
        load_corpus([tmp_path])
