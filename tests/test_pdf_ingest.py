"""User articles as PDF: real PDF files built here (text layer, hyphenation, two pages),
plus the PDFs a user cannot index (locked, scanned, broken) and the errors they get."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from core.errors import InputError
from core.ingest import load_corpus, load_document


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF: Helvetica text, one line per string, a correct xref table."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        body = "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(f"({_escape(x)}) '" for x in lines)
        stream = (body + " ET").encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    info_ref = ""
    if title is not None:
        objects.append(f"<< /Title ({_escape(title)}) >>".encode("latin-1"))
        info_ref = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\n".encode()
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


ARTICLE = [
    [
        "Collect people, not contacts.",
        "Compliment one specific piece of some-",
        "one's work and say why it mattered to you.",
    ],
    ["Best case you make something great together;", "worst case you have a new friend."],
]


def test_pdf_article_is_read_as_user_guidance(tmp_path: Path) -> None:
    path = tmp_path / "networking-notes.pdf"
    path.write_bytes(make_pdf(ARTICLE, title="Notes on Networking"))
    chunks = load_document(path, "user")
    text = " ".join(c.text for c in chunks)
    assert chunks[0].title == "Notes on Networking" and chunks[0].origin == "user"
    assert "Collect people, not contacts." in text
    assert "piece of someone" in text  # the line-end hyphen is joined back
    assert "worst case you have a new friend" in text  # the second page is kept
    # A directory with a PDF in it is picked up like any other article.
    assert [c.id for c in load_corpus([tmp_path], "user")] == [c.id for c in chunks]


def test_pdf_without_title_metadata_falls_back_to_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "untitled.pdf"
    path.write_bytes(make_pdf([["Weak ties matter most", "Meet one new person a week."]]))
    assert load_document(path, "user")[0].title == "Weak ties matter most"


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(_write(tmp_path, "open.pdf", make_pdf(ARTICLE))))
    writer.encrypt(user_password=user_password, owner_password="owner")
    path = tmp_path / "encrypted.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_locked_pdf_says_to_unlock_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="password-protected: save an unlocked copy"):
        load_document(_encrypted(tmp_path, "secret"), "user")


def test_pdf_locked_with_an_empty_password_still_reads(tmp_path: Path) -> None:
    # Print-only PDFs are encrypted with an empty user password: they read as usual.
    assert "Collect people" in load_document(_encrypted(tmp_path, ""), "user")[0].text


def test_scanned_pdf_without_text_says_to_ocr_it(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError, match="no text layer"):
        load_document(path, "user")


def test_broken_pdf_is_a_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(InputError, match="could not read the PDF") as info:
        load_document(path, "user")
    assert "Traceback" not in str(info.value)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
