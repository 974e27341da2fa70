"""Guidance page: the cards drafts are built on, plus the user's own articles."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import streamlit as st

from core.ingest import SUPPORTED_EXTENSIONS
from core.kinds import Kind
from core.web.draft_page import KIND_LABELS
from core.web.services import current_settings, ready_service
from core.web.ui import errors_shown, md_escape, page_header

REINDEX_REPORT = "guidance_reindex_report"  # the last re-index summary, shown after rerun
ALL = "All kinds"


def articles_dir() -> Path:
    return current_settings().home / "articles"


def save_article(name: str, data: bytes) -> Path:
    """Save an upload under a safe file name in the workspace's articles folder."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip("-.") or "article"
    suffix = Path(name).suffix.lower()
    folder = articles_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}{suffix}"
    path.write_bytes(data)
    return path


def render() -> None:
    page_header(
        "Guidance",
        "The networking advice every draft draws on: the cards shipped with the app and any "
        "articles you add. Drafts cite the cards they used.",
    )
    with errors_shown():
        _articles_section()
    with errors_shown():
        _cards_section()


def _articles_section() -> None:
    with st.expander("Add your own articles"):
        st.caption(
            "Markdown, text, HTML or PDF files (saved pages are fine: timestamps, wiki links and "
            "footers are cleaned up). They are indexed when you press Re-index."
        )
        uploads = st.file_uploader(
            "Articles",
            type=[s.lstrip(".") for s in SUPPORTED_EXTENSIONS],
            accept_multiple_files=True,
            key="guidance_upload",
        )
        if st.button("Save articles", disabled=not uploads, key="guidance_save"):
            saved = [save_article(u.name, u.getvalue()) for u in uploads or []]
            st.success(f"Saved {len(saved)} article(s). Press Re-index to use them in drafts.")
        folder = articles_dir()
        mine = (
            sorted(p.name for p in folder.glob("*") if p.suffix.lower() in SUPPORTED_EXTENSIONS)
            if folder.is_dir()
            else []
        )
        if mine:
            st.caption("Your articles: " + md_escape(", ".join(mine)))
        if st.button("Re-index", type="primary", key="guidance_reindex"):
            with st.spinner("Indexing (only new or changed text is embedded)..."):
                report = ready_service().build_index(corpus_paths=[folder] if mine else [])
            g = report.guidance
            st.session_state[REINDEX_REPORT] = (
                f"Guidance: {g.added} added, {g.updated} updated, {g.unchanged} unchanged, "
                f"{g.removed} removed ({report.guidance_total} chunks in the index)."
            )
        if REINDEX_REPORT in st.session_state:
            st.success(st.session_state[REINDEX_REPORT])


def _cards_section() -> None:
    cards = ready_service().index.list_guidance()
    st.subheader("Cards")
    if not cards:
        st.info("The guidance index is empty — press Re-index to build it.")
        return
    docs = _group(cards)
    kind = st.radio(
        "Used for",
        [ALL, *Kind],
        format_func=lambda k: k if k == ALL else KIND_LABELS[k],
        horizontal=True,
        key="guidance_kind",
    )
    search = st.text_input("Search cards", key="guidance_search")
    shown = [
        d
        for d in docs
        if (kind == ALL or kind in d["kinds"])
        and (not search.strip() or search.strip().lower() in (d["title"] + d["text"]).lower())
    ]
    st.caption(f"{len(shown)} of {len(docs)} cards")
    for doc in shown:
        label = doc["title"] + (" (yours)" if doc["origin"] == "user" else "")
        with st.expander(md_escape(label)):
            st.caption(
                md_escape(
                    f"{doc['source']} · for: {', '.join(KIND_LABELS[k] for k in doc['kinds'])}"
                )
            )
            st.markdown(md_escape(doc["text"]))


def _group(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chunks back into documents, in chunk order, sorted by title."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for chunk in chunks:
        by_doc[str(chunk.get("doc_id") or chunk["id"])].append(chunk)
    docs = []
    for parts in by_doc.values():
        parts.sort(key=lambda c: int(str(c["id"]).rsplit("#", 1)[-1]) if "#" in str(c["id"]) else 0)
        first = parts[0]
        docs.append(
            {
                "title": str(first.get("title") or first.get("doc_id") or first["id"]),
                "source": str(first.get("source") or ""),
                "origin": first.get("origin", "corpus"),
                "kinds": [k for k in Kind if first.get(f"kind_{k.value}")],
                "text": "\n\n".join(str(p["text"]) for p in parts),
            }
        )
    return sorted(docs, key=lambda d: d["title"].lower())
