"""Load guidance documents (the shipped cards and user-supplied articles), clean them, chunk them.

User articles arrive as messy real-world text: markdown exported from wikis with timestamp
anchors and ``[[wiki links]]``, saved web pages, blog posts with footers and affiliate
disclosures. Cleaning turns them into plain prose so the retriever embeds the ideas, not the
markup; chunk ids are derived only from content so re-indexing the same files is idempotent.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from bs4 import BeautifulSoup, NavigableString
from langchain_text_splitters import RecursiveCharacterTextSplitter
from pydantic import BaseModel

import core
from core.errors import InputError
from core.kinds import Kind, parse_kind
from core.pdf_text import pdf_text

Origin = Literal["corpus", "user"]

SUPPORTED_EXTENSIONS = (".md", ".txt", ".html", ".htm", ".pdf")
CHUNK_SIZE = 800
CHUNK_OVERLAP = 100
# A guidance card (at most ~180 words) is one idea: keep it whole even if it passes CHUNK_SIZE.
CARD_MAX_CHARS = 1400
# Prefer paragraph, line, then sentence boundaries so chunks rarely cut a sentence in half.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any byte, so it ends the chain


class GuidanceChunk(BaseModel):
    """One retrievable piece of guidance."""

    id: str
    doc_id: str
    title: str
    source: str
    kinds: list[Kind]
    text: str
    origin: Literal["corpus", "user"]


# --- cleaning ---------------------------------------------------------------------------------

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HTML_TAG_RE = re.compile(r"<(?:[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?|/[a-zA-Z][\w:-]*\s*)>")
_HTML_ENTITY_RE = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_TIMESTAMP_RE = re.compile(r"\[\d{1,2}:\d{2}(?::\d{2})?\]")
_DROP_TAGS = ("script", "style", "noscript", "nav", "footer", "aside", "form", "iframe", "svg")
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "li", "ul", "ol", "blockquote", "pre", "table",
    "tr", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "dl", "dt", "dd", "figure",
)  # fmt: skip

_FROM_LINE_RE = re.compile(r"(?im)^[ \t]*From:[ \t]*\[\[[^\]\n]*\]\].*(?:\n|$)")
_WIKI_LABEL_RE = re.compile(r"\[\[[^\]|\n]*\|([^\]\n]*)\]\]")
_WIKI_RE = re.compile(r"\[\[([^\]\n]*)\]\]")
_MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_IMAGE_LINE_RE = re.compile(r"(?m)^[ \t]*!\[[^\]\n]*\]\([^)\n]*\)[ \t]*(?:\n|$)")
_MD_LINK_RE = re.compile(r"\[([^\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_HEADING_RE = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")
_QUOTE_RE = re.compile(r"(?m)^[ \t]*>[ \t]?")
_BULLET_RE = re.compile(r"(?m)^[ \t]*(?:[*+•·▪◦]|-(?!-))[ \t]+")
_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])")

_INLINE_BOILERPLATE_RE = re.compile(r"(?i)\bComments are closed\.?")
_BOILERPLATE_LINE_RE = re.compile(
    r"(?i)^(?:[|•·\-–—_*=~#\s]+|skip to\b.{0,120}|click to set custom html|categories|all"
    r"|archives|rss feed|share this:?|leave a (?:reply|comment)|powered by\b.{0,80})$"
)
# Where an affiliate disclosure begins: its heading, or the sentence that mentions the links.
_DISCLOSURE_RE = re.compile(r"(?im)disclosure of material connection|^[ \t]*(?:FTC )?disclosure\b")
_AFFILIATE_RE = re.compile(r"(?i)affiliate[ \t]+(?:links?|commissions?|programs?)")
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]?\s|\n")


def clean_text(raw: str) -> str:
    """Turn markdown, plain text or HTML into clean prose with paragraph breaks kept."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _strip_front_matter(text)
    text = _FROM_LINE_RE.sub("", text)  # wiki "From: [[source]]" lines are provenance, not prose
    if _HTML_TAG_RE.search(text):
        text = _html_to_text(text)
    elif _HTML_ENTITY_RE.search(text):
        text = html.unescape(text)
    text = _TIMESTAMP_RE.sub("", text)
    text = _strip_markdown(text)
    text = _drop_boilerplate(text)
    return _normalize_whitespace(text)


def _strip_front_matter(text: str) -> str:
    match = _FRONT_MATTER_RE.match(text)
    return text[match.end() :] if match else text


def _html_to_text(markup: str) -> str:
    soup = BeautifulSoup(markup, "html.parser")
    if soup.find(["html", "body", *_BLOCK_TAGS]) is not None:
        _collapse_source_whitespace(soup)
    for anchor in soup.select("a.yt-timestamp"):
        anchor.decompose()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    if soup.head is not None:
        soup.head.decompose()  # <title> is read separately; the rest of <head> is metadata
    for br in soup.find_all("br"):
        br.replace_with("\n")
    # Block elements become paragraphs; inline ones (a, em, span) must not split sentences.
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return soup.get_text()


def _collapse_source_whitespace(soup: BeautifulSoup) -> None:
    """In an HTML document line breaks in the source mean nothing, unlike in markdown text."""
    for string in soup.find_all(string=True):
        if type(string) is NavigableString and string.find_parent("pre") is None:
            string.replace_with(re.sub(r"\s+", " ", str(string)))


def _strip_markdown(text: str) -> str:
    text = _WIKI_LABEL_RE.sub(lambda m: m.group(1).strip(), text)
    text = _WIKI_RE.sub(lambda m: m.group(1).split("#")[0].replace("_", " ").strip(), text)
    text = _MD_IMAGE_LINE_RE.sub("", text)  # an image on its own line must not leave a gap
    text = _MD_IMAGE_RE.sub("", text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _HEADING_RE.sub("", text)
    text = _QUOTE_RE.sub("", text)
    text = _BULLET_RE.sub("- ", text)
    text = _BOLD_RE.sub(r"\1", text)
    return _ITALIC_RE.sub(r"\1", text)


def _drop_boilerplate(text: str) -> str:
    text = _INLINE_BOILERPLATE_RE.sub("", text)
    lines = [line for line in text.split("\n") if not _is_boilerplate_line(line)]
    paragraphs = re.split(r"\n[ \t]*\n", "\n".join(lines))
    return "\n\n".join(_cut_disclosure(p) for p in paragraphs)


def _is_boilerplate_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and bool(_BOILERPLATE_LINE_RE.match(stripped))


def _cut_disclosure(paragraph: str) -> str:
    """Drop an affiliate disclosure from where it starts to the end of its paragraph."""
    starts = []
    if match := _DISCLOSURE_RE.search(paragraph):
        starts.append(match.start())
    if match := _AFFILIATE_RE.search(paragraph):
        ends = [m.end() for m in _SENTENCE_END_RE.finditer(paragraph, 0, match.start())]
        starts.append(ends[-1] if ends else 0)
    return paragraph[: min(starts)] if starts else paragraph


def _normalize_whitespace(text: str) -> str:
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r" +([.,;:!?])(?=\s|$)", r"\1", text)  # left behind by removed anchors
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- loading ----------------------------------------------------------------------------------


def load_document(path: Path, origin: Origin) -> list[GuidanceChunk]:
    """Read one file, parse its optional front matter, clean it and split it into chunks."""
    path = Path(path)
    _check_file(path)
    pdf_title = ""
    if path.suffix.lower() == ".pdf":
        raw, pdf_title = pdf_text(path)
        meta: dict[str, Any] = {}
    else:
        raw = _read_text(path)
        meta = _parse_front_matter(raw, path)
    text = clean_text(raw)
    if not text:
        raise InputError(
            f"{path} has no text left after cleaning (it is empty or only markup/boilerplate): "
            "add some prose or remove the file"
        )
    doc_id = _doc_id(path, origin, meta, text)
    title = _str_field(meta, "title", path) or pdf_title or _guess_title(raw, text, path)
    source = _str_field(meta, "source", path) or title or path.name
    kinds = _kinds(meta, path)
    return [
        GuidanceChunk(
            id=f"{doc_id}#{n}",
            doc_id=doc_id,
            title=title,
            source=source,
            kinds=kinds,
            text=piece,
            origin=origin,
        )
        for n, piece in enumerate(_split(text, origin))
    ]


def load_corpus(paths: Iterable[Path], origin: Origin = "corpus") -> list[GuidanceChunk]:
    """Load files and directories (recursively; hidden entries skipped) in a stable order.

    An empty directory yields no chunks; a missing path or an explicitly named file with an
    unsupported extension is an InputError. Two documents with the same id are an error too,
    since their chunks would overwrite each other in the index.
    """
    chunks: list[GuidanceChunk] = []
    owners: dict[str, Path] = {}
    for file in _collect_files(paths):
        doc_chunks = load_document(file, origin)
        doc_id = doc_chunks[0].doc_id
        if doc_id in owners:
            raise InputError(
                f"{file} and {owners[doc_id]} both have the id {doc_id!r}: give one a different id"
            )
        owners[doc_id] = file
        chunks.extend(doc_chunks)
    return chunks


def shipped_corpus_dir() -> Path:
    """The wheel's bundled corpus when installed, else the repository's corpus/ directory."""
    package_dir = Path(core.__file__).resolve().parent
    bundled = package_dir / "_data" / "corpus"
    return bundled if bundled.is_dir() else package_dir.parent / "corpus"


def _collect_files(paths: Iterable[Path]) -> list[Path]:
    found: set[Path] = set()
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            found.update(_walk(path))
        else:
            _check_file(path)
            found.add(path.resolve())
    return sorted(found, key=lambda p: p.as_posix())


def _walk(directory: Path) -> Iterator[Path]:
    for path in directory.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(directory).parts)
        if not hidden and path.is_file() and path.suffix.lower() in SUPPORTED_EXTENSIONS:
            yield path.resolve()


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError(f"guidance file not found: {path} (check the path)")
    if not path.is_file():
        raise InputError(f"{path} is not a file: pass a file or a directory of guidance files")
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r} for {path}: use one of {supported}"
        )


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("unreachable: latin-1 decodes every byte")


def _parse_front_matter(raw: str, path: Path) -> dict[str, Any]:
    match = _FRONT_MATTER_RE.match(raw.replace("\r\n", "\n").lstrip("\ufeff"))
    if not match:
        return {}
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise InputError(
            f"bad YAML front matter in {path}: {exc}. Fix the block between the '---' lines"
        ) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise InputError(
            f"bad front matter in {path}: expected 'key: value' lines between the '---' lines"
        )
    return meta


def _str_field(meta: dict[str, Any], key: str, path: Path) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise InputError(f"bad front matter in {path}: {key!r} must be text")
    return " ".join(str(value).split())


def _kinds(meta: dict[str, Any], path: Path) -> list[Kind]:
    value = meta.get("kinds")
    if value is None:
        return list(Kind)  # general guidance applies to every kind of message
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise InputError(f"bad front matter in {path}: 'kinds' must be a non-empty list")
    try:
        kinds = [parse_kind(str(item)) for item in items]
    except InputError as exc:
        raise InputError(f"bad front matter in {path}: {exc}") from None
    return sorted(set(kinds), key=list(Kind).index)


def _doc_id(path: Path, origin: Origin, meta: dict[str, Any], text: str) -> str:
    if origin == "corpus":
        return _slug(_str_field(meta, "id", path)) or _slug(path.stem) or "card"
    # Keyed by where the file lives, not its content: an edited article keeps its id, so
    # re-indexing replaces its old chunks instead of leaving them beside the new ones.
    # The path hash keeps same-named files in different folders apart.
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"{_slug(path.name) or 'doc'}-{digest}"


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def _guess_title(raw: str, text: str, path: Path) -> str:
    if _HTML_TAG_RE.search(raw):
        soup = BeautifulSoup(raw, "html.parser")
        for tag in (soup.title, soup.h1):
            if tag is not None and tag.get_text(strip=True):
                return " ".join(tag.get_text().split())
    first_line = text.split("\n", 1)[0].strip()
    if 0 < len(first_line) <= 120 and not first_line.endswith((".", ",", ";", ":")):
        return first_line.removeprefix("- ")
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name


def _split(text: str, origin: Origin) -> list[str]:
    if origin == "corpus" and len(text) <= CARD_MAX_CHARS:
        return [text]
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE,
        chunk_overlap=CHUNK_OVERLAP,
        separators=_SEPARATORS,
        keep_separator="end",  # a chunk ends with its full stop instead of the next one starting with it
    )
    return [piece.strip() for piece in splitter.split_text(text) if piece.strip()]
