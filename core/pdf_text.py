"""Text out of a user's PDF article (pypdf, pure Python): prose for the guidance index.

Extraction keeps the PDF's hard line breaks; words hyphenated across a line end are
joined again, and a page break becomes a paragraph break. Scanned PDFs have no text layer
and locked ones cannot be read: both get an error that says what to do instead.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from core.errors import InputError

# pypdf logs repair notes ("EOF marker not found") that would reach the user's terminal
# unformatted; our own error says what matters. Apps that configure logging still get them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

_HYPHEN_BREAK_RE = re.compile(r"(?<=[a-z])-\n(?=[a-z])")


def pdf_text(path: Path) -> tuple[str, str]:
    """(text, title from the PDF's metadata or "") of a PDF file."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        # Many PDFs are "encrypted" with an empty password (printing/copying flags only).
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                f"{path} is password-protected: save an unlocked copy (or the text) and add that"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str(getattr(reader.metadata, "title", None) or "").strip()
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(
            f"could not read the PDF {path} ({type(exc).__name__}): re-export it, or save the "
            "article as text or HTML and add that"
        ) from None
    text = "\n\n".join(_HYPHEN_BREAK_RE.sub("", page).strip() for page in pages).strip()
    if not text:
        raise InputError(
            f"{path} has no text layer (a scanned PDF?): run it through OCR, or paste the "
            "article into a .txt file"
        )
    return text, title
