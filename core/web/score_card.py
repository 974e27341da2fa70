"""The Draft page's score card: words, reading grade, details, asks and one suggestion,
recomputed from the text on screen on every edit (no model: a few milliseconds)."""

from __future__ import annotations

import streamlit as st

from core.contacts import Contact
from core.kinds import Kind
from core.models import CheckReport
from core.scorecard import EASY_GRADE, HARD_GRADE, ScoreCard, score_card
from core.web.ui import md_escape


def _grade_words(grade: float) -> str:
    if grade <= EASY_GRADE:
        return "easy to read"
    return "fairly easy" if grade <= HARD_GRADE else "hard going"


def _asks_words(card: ScoreCard, kind: Kind) -> str:
    if not card.asks:
        return "none" if card.asks_ok else "reads as a pitch"
    if card.asks_ok and kind is Kind.INTRO:
        return "one invitation"
    if kind is Kind.INTRO:
        return f"{len(card.asks)} found (one invitation is enough)"
    return f"{len(card.asks)} found (a {kind.value.replace('_', '-')} asks for none)"


def show_score_card(text: str, contact: Contact, kind: Kind, report: CheckReport) -> ScoreCard:
    card = score_card(text, contact, kind, report)
    low, high = card.word_band
    mark = {True: ":green[:material/check_circle:]", False: ":orange[:material/error:]"}
    details = "detail" if card.specificity == 1 else "details"
    # One compact block (columns stack into a long list on a phone).
    lines = [
        f"{mark[card.words_ok]} **{card.words}** words :gray[(aim for {low}-{high})]",
        f"{mark[card.reading_grade <= HARD_GRADE]} reading grade **{card.reading_grade:g}** "
        f":gray[({_grade_words(card.reading_grade)})]",
        f"{mark[card.specificity > 0]} **{card.specificity}** {details} from your notes",
        f"{mark[card.asks_ok]} asks: {_asks_words(card, kind)}",
    ]
    st.markdown("**Score card**  \n" + "  \n".join(lines))
    if card.suggestion:
        st.info(md_escape(card.suggestion), icon=":material/lightbulb:")
    return card
