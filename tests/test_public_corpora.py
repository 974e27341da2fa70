"""The public-corpus readers, on small samples written in each corpus's own format."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.pitch import public

SAMPLES = Path(__file__).parent / "fixtures" / "public"


def _labels(name: str) -> list[tuple[str, str]]:
    return [(r["text"], r["label"]) for r in public.load_corpus(name, SAMPLES)]


def test_sms_reads_labels_applies_relabels_and_drops_duplicates() -> None:
    rows = _labels("sms")
    texts = [t for t, _ in rows]
    assert texts.count("Running late, save me a seat by the window") == 1
    assert ("Thanks for the lift yesterday, see you Thursday", "0") in rows
    assert any(t.startswith("You have been chosen") and y == "1" for t, y in rows)
    # A joke from a subscribed service asks nothing: relabelled to 0 (relabels.csv).
    assert any(t.startswith("Did you hear about") and y == "0" for t, y in rows)
    # A fragment with no words is dropped.
    assert not any(t.startswith("2/2") for t in texts)


def test_youtube_strips_markup_and_skips_empty_comments() -> None:
    rows = _labels("youtube")
    assert len(rows) == 2
    spam = [t for t, y in rows if y == "1"]
    assert spam == ["Love this! Please check out my channel and subscribe here"]


def test_persuasionforgood_turns_with_an_ask_are_pitches_facts_alone_are_left_out() -> None:
    rows = _labels("persuasionforgood")
    assert ("Would you consider donating part of your payment? Even a little helps.", "1") in rows
    assert ("Hello! How are you today?", "0") in rows
    assert ("Thank you so much for chatting.", "0") in rows
    # A turn of bare persuasion strategy (facts) is neither; persuadee turns are skipped.
    assert not any("war zones" in t or t.startswith("I'm good") for t, _ in rows)


def test_csdmc_label_file_says_1_is_ham_and_html_becomes_text() -> None:
    rows = public.load_corpus("csdmc2010", SAMPLES)
    by_label = {r["label"]: r["text"] for r in rows}
    assert len(rows) == 2  # the label file's third entry has no file
    assert by_label["1"].startswith("Subject: Last chance: 40% off printer ink")
    assert "Order today" in by_label["1"] and "<p>" not in by_label["1"]
    assert "old initrd" in by_label["0"]
    assert all(r["source"] == "public:csdmc2010" for r in rows)


def test_missing_corpora_are_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OUTREACH_PUBLIC_DATA", str(tmp_path))
    assert public.available() == []
    assert {c.name for c in public.missing()} == set(public.CORPORA)
    monkeypatch.setenv("OUTREACH_PUBLIC_DATA", str(SAMPLES))
    assert {c.name for c in public.available()} == set(public.CORPORA)


def test_public_corpora_never_reach_training() -> None:
    """The shipped detector was fitted on the train split alone: held out whole, every
    public corpus measures data it never saw."""
    import json

    from evals.pitch.data import load_split
    from evals.pitch.model import ARTIFACT

    assert json.loads(ARTIFACT.read_text(encoding="utf-8"))["n_train"] == len(load_split("train"))


def test_eval_reports_the_never_read_half_of_a_corpus_read_for_causes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from evals.pitch import by_source

    monkeypatch.setenv("OUTREACH_PUBLIC_DATA", str(SAMPLES))
    rows = public.load_corpus("csdmc2010", SAMPLES)
    unread = [r for r in rows if not public.in_read_half(r["text"])]
    # The halves are fixed by the text alone (a row's half never depends on the others)
    # and split a corpus about evenly.
    assert public.in_read_half("same text") == public.in_read_half("same  text")
    read = sum(public.in_read_half(f"message number {i}") for i in range(400))
    assert 160 < read < 240
    results = {r.source: r for r in by_source.never_trained_on()}
    half = [r for name, r in results.items() if name.startswith("unread half of CSDMC2010")]
    assert len(half) == 1 and half[0].n == len(unread)
    # Counted once in the pooled target: only the whole corpus carries the "public:" prefix.
    assert sum(name.startswith("public: CSDMC2010") for name in results) == 1
