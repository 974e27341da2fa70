"""Small helpers every page shares: safe text, page headers and the error boundary."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from core.errors import OutreachError

log = logging.getLogger("outreach.web")

# Everything Markdown (and Streamlit's extensions: $math$, :emoji:, ~strike~) treats specially.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(text: str) -> str:
    """User text for st.markdown/st.error: shown literally, never as links, images or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def page_header(title: str, help_text: str) -> None:
    st.title(title)
    st.caption(help_text)


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show a failure as one clear message on the page instead of a traceback.

    Streamlit's own control flow (st.stop, st.rerun) derives from BaseException and
    passes through untouched.
    """
    try:
        yield
    except OutreachError as exc:
        st.error(str(exc))
    except Exception as exc:
        log.exception("unexpected error in the web app")
        st.error(f"Something went wrong ({type(exc).__name__}). Details are in the server log.")


def go_to(render: Callable[[], None], url_path: str) -> None:
    """Switch to the page that st.navigation registered at `/url_path` with `render`.

    The app's page list lives in streamlit_app.py; a Page with the same source and path
    names the same page, so pages can link to each other without importing the app.
    """
    st.switch_page(st.Page(render, url_path=url_path))
