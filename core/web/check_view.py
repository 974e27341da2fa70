"""The checks of one message on screen: a tick list, the text with flagged sentences
highlighted, and one box per problem sentence, in plain words, with a one-click fix.

All wording comes from `core.explain`; this module only lays it out.
"""

from __future__ import annotations

import streamlit as st

from core.explain import CHECK_TITLES, Problem, by_sentence, remove_sentence
from core.models import CheckReport
from core.web.ui import md_escape


def show_checks(report: CheckReport, problems: list[Problem], text: str, *, text_key: str) -> None:
    """Render the checks of `text`; the remove buttons edit the widget at `text_key`."""
    failed = report.failures()
    total = len(report.results)
    if not failed:
        st.success(f"All {total} checks passed.")
    else:
        st.warning(
            f"{len(failed)} of {total} checks flagged this text: fix what is marked below, "
            "or approve anyway if you are sure."
        )
    lines = []
    for result in report.results:
        title = CHECK_TITLES.get(result.name, result.name.replace("_", " ").capitalize())
        if result.passed:
            lines.append(f":green[:material/check_circle:] {title}")
        else:
            lines.append(f":orange[:material/error:] **{title}**")
    st.markdown("  \n".join(lines))
    if not problems:
        return
    blamed = [s for s, _ in by_sentence(problems) if s]
    if blamed:
        st.markdown("**How it reads** (flagged sentences highlighted)")
        st.markdown(highlighted(text, blamed))
    for index, (sentence, group) in enumerate(by_sentence(problems)):
        with st.container(border=True):
            if sentence:
                st.markdown(f":orange-background[“{md_escape(sentence)}”]")
            for problem in group:
                st.markdown(md_escape(problem.message))
            if sentence:
                st.button(
                    "Remove this sentence",
                    key=f"draft_remove_{index}",
                    icon=":material/content_cut:",
                    on_click=_remove,
                    args=(text_key, sentence),
                )


def highlighted(text: str, sentences: list[str]) -> str:
    """`text` as Markdown, literal, with each of `sentences` on a coloured background."""
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        start = text.find(sentence)
        if start >= 0 and not any(a < start + len(sentence) and start < b for a, b in spans):
            spans.append((start, start + len(sentence)))
    out, at = [], 0
    for start, end in sorted(spans):
        out += [md_escape(text[at:start]), f":red-background[{md_escape(text[start:end])}]"]
        at = end
    out.append(md_escape(text[at:]))
    # Markdown joins lines; a hard break keeps the message's own line breaks.
    return "".join(out).replace("\n", "  \n")


# A callback runs before the next script run: the only time a widget's value may change.
def _remove(text_key: str, sentence: str) -> None:
    st.session_state[text_key] = remove_sentence(st.session_state.get(text_key, ""), sentence)
