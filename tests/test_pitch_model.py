"""The committed artifact and splits: reproducible, and tied to the data they came from."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from core.embeddings import LocalMiniLMEmbeddings
from evals.datasets.split import (
    COLUMNS,
    RAW,
    RAW_TRAIN,
    SPLITS,
    build_splits,
    split_path,
    write_splits,
)
from evals.pitch.data import file_sha256, load_split
from evals.pitch.judge import PitchJudge, parse_vote
from evals.pitch.model import ARTIFACT, load_model
from evals.pitch.train import _sentences_sha256


def test_artifact_data_hash_matches_committed_train_split() -> None:
    data = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    assert data["train_sha256"] == file_sha256(split_path("train")), (
        "stale model: run python -m evals.pitch.train"
    )
    assert data["dev_sha256"] == file_sha256(split_path("dev"))
    assert data["sentences_sha256"] == _sentences_sha256(), (
        "stale model: the sentence data changed; run outreach train-detector"
    )
    assert data["n_sentences"] > 1000
    assert data["embedding_model"] == LocalMiniLMEmbeddings.model_id, (
        "stale model: trained on another embedding model's vectors; run outreach train-detector"
    )
    model = load_model()
    assert model.ask_weights and model.ranker.weights
    assert model.screen_cut > 0.0
    assert model.coef.shape == (384,)
    assert 0.0 < model.threshold < 1.0


def test_split_is_deterministic(tmp_path: Path) -> None:
    counts = write_splits(tmp_path)
    for name in SPLITS:
        assert (tmp_path / f"pitch_{name}.csv").read_bytes() == split_path(name).read_bytes(), name
    assert counts["train"] > counts["dev"] > 0 and counts["test"] > 0


def test_train_only_data_never_moves_test_or_dev(tmp_path: Path) -> None:
    extra = tmp_path / "raw_train"
    shutil.copytree(RAW_TRAIN, extra) if RAW_TRAIN.exists() else extra.mkdir()
    before = build_splits(RAW, extra)
    repeated = load_split("test")[0]["text"]  # already in raw/: must stay in test only
    new_row = {c: "" for c in COLUMNS} | {"text": "A brand new training note.", "label": "0"}
    with (extra / "zz_added.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows([new_row, {**new_row, "text": repeated.upper()}])
    after = build_splits(RAW, extra)
    assert after["test"] == before["test"] and after["dev"] == before["dev"]
    train_texts = [r["text"] for r in after["train"]]
    assert len(train_texts) == len(before["train"]) + 1
    assert "A brand new training note." in train_texts
    assert repeated.upper() not in train_texts


def test_splits_do_not_overlap() -> None:
    texts = {name: {r["text"] for r in load_split(name)} for name in SPLITS}
    assert not texts["train"] & texts["test"]
    assert not texts["dev"] & texts["test"]


class _FakeReply:
    def __init__(self, text: str) -> None:
        self.text = text


class _FakeBackend:
    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.messages: list[dict[str, str]] = []

    def complete(self, messages: list[dict[str, str]]) -> _FakeReply:
        self.messages = messages
        return _FakeReply(self.reply)


def test_judge_reads_a_json_vote_and_adds_it() -> None:
    from evals.pitch import detect_pitch

    backend = _FakeBackend(
        '{"is_pitch": true, "confidence": 1.0, "ask_sentence": "Coffee?", "reason": "sales call"}'
    )
    judge = PitchJudge(backend)
    vote = judge.vote("Coffee?")
    assert vote is not None and vote.is_pitch and vote.score == 1.0
    assert "Judge the ask, not the tone" in backend.messages[0]["content"]
    verdict = detect_pitch("Coffee next week?", judge=judge)
    assert verdict.signals["judge"] == 1.0
    assert verdict.signals["combined"] > verdict.signals["local"]


def test_judge_ignores_garbage_and_failures() -> None:
    assert parse_vote("I think so") is None
    assert parse_vote('{"is_pitch": "yes"}') is None

    class _Broken:
        def complete(self, messages: list[dict[str, str]]) -> object:
            raise RuntimeError("network down")

    assert PitchJudge(_Broken()).vote("hi") is None
