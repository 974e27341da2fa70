"""The `outreach` command as a user runs it: a real subprocess, real output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.fault_server import FaultConfig, FaultServer
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.integration
SECRET = "sk-test-SECRET-do-not-print-1234567890"


def outreach(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=180,
    )


def test_draft_json_has_the_documented_fields() -> None:
    result = outreach(
        "draft", "--name", "Priya Raman", "--kind", "compliment",
        "--their-work", "Gave a talk at PyCon 2024 on testing async code",
        "--notes", "Her fixture tips cut our CI time in half.", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in (
        "text",
        "kind",
        "backend",
        "model",
        "prompt_id",
        "prompt_version",
        "guidance_ids",
        "checks",
    ):
        assert key in data
    assert data["backend"] == "offline" and "no LLM" in data["label"]
    assert data["checks"]["is_pitch"] is False and isinstance(data["checks"]["pitch_score"], float)
    assert "PyCon 2024" in data["text"] and data["guidance_ids"]
    score = data["score"]
    assert score["word_band"] == [50, 125] and score["words"] > 10
    assert score["asks"] == [] and score["asks_ok"] is True and score["specificity"] >= 1
    assert isinstance(score["reading_grade"], float) and "suggestion" in score


def test_plain_draft_shows_the_offline_label_and_checks() -> None:
    result = outreach(
        "draft",
        "--name",
        "Ana",
        "--kind",
        "intro",
        "--their-work",
        "Wrote a book on pottery glazes",
        "--notes",
        "I have glazed three bowls with her recipes.",
        "--sender-name",
        "Sam Lee",
    )
    assert result.returncode == 0, result.stderr
    assert "deterministic composer" in result.stdout and "not_pitch" in result.stdout
    assert "Sam" in result.stdout


def test_batch_writes_every_input_column_plus_results(tmp_path: Path) -> None:
    out = tmp_path / "drafts.csv"
    result = outreach("batch", str(EXAMPLES / "contacts.csv"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    header = next(csv.reader(out.open(encoding="utf-8")))
    source_header = next(csv.reader((EXAMPLES / "contacts.csv").open(encoding="utf-8")))
    # Every input column but private_notes (left out of a file people share), then ours.
    assert "private_notes" in source_header
    assert header == [
        *(c for c in source_header if c != "private_notes"),
        "draft",
        "status",
        "error",
        "is_pitch",
        "pitch_score",
        "backend",
    ]
    assert len(rows) == 12 and all(
        r["status"] == "ok" and r["draft"] and r["backend"] == "offline" for r in rows
    )
    assert all(r["is_pitch"] == "false" for r in rows)
    assert "done 12" in result.stderr and "drafts/min" in result.stderr


def test_check_one_text_and_jsonl_with_bad_lines(tmp_path: Path) -> None:
    single = outreach(
        "check", "Loved your talk! Use code LOVE for 30% off our course: example.com/buy"
    )
    verdict = json.loads(single.stdout)
    assert verdict["is_pitch"] is True and verdict["reasons"]
    lines = "\n".join(
        [
            json.dumps(
                {"text": "Thank you for the talk, it helped me a lot.", "kind": "compliment"}
            ),
            "{not json",
            json.dumps({"kind": "intro"}),
            json.dumps({"text": "Could you share our launch post with your followers?"}),
        ]
    )
    streamed = outreach("check", "--jsonl", "-", stdin=lines + "\n")
    assert streamed.returncode == 0, streamed.stderr
    out = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["is_pitch"] is False
    assert "error" in out[1] and "error" in out[2]
    assert out[3]["is_pitch"] is True


def test_errors_are_one_clear_line_and_nonzero() -> None:
    result = outreach("batch", "/no/such/file.csv", "-o", "/tmp/x.csv")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no such file" in lines[0]
    assert "Traceback" not in result.stderr
    bad_kind = outreach("draft", "--name", "A", "--kind", "sales", "--notes", "x")
    assert bad_kind.returncode != 0 and "compliment, intro, follow_up" in bad_kind.stderr


def test_a_rejected_key_stops_with_a_message_that_never_shows_the_key() -> None:
    with FaultServer(FaultConfig(fatal_status=401)) as server:
        env = {
            "OPENAI_API_KEY": SECRET,
            "OPENAI_BASE_URL": server.base_url,
            "OUTREACH_BACKEND": "openai",
        }
        result = outreach(
            "draft",
            "--name",
            "Ana",
            "--kind",
            "compliment",
            "--notes",
            "Wrote a great post.",
            env=env,
        )
        config = outreach("config", env=env)
        assert server.stats.snapshot()["total"] == 1  # 401 is never retried
    assert result.returncode != 0 and "401" in result.stderr and "OPENAI_API_KEY" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert SECRET not in config.stdout and "set" in config.stdout


def test_check_judge_adds_the_llm_vote_and_never_shows_the_key() -> None:
    def vote(request: dict) -> str:
        return '{"is_pitch": true, "confidence": 1.0, "ask_sentence": "", "reason": "test"}'

    with FaultServer(FaultConfig(), reply=vote) as server:
        env = {
            "OPENAI_API_KEY": SECRET,
            "OPENAI_BASE_URL": server.base_url,
            "OUTREACH_MODEL": "fault-model",
            "OUTREACH_BACKEND": "auto",
        }
        result = outreach("check", "--judge", "Loved your talk on soil health.", env=env)
        assert server.stats.snapshot()["ok"] == 1
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["judge"] == 1.0 and data["signals"]["judge"] == 1.0
    # The judge's vote is averaged in: the score rises above the local one.
    assert data["pitch_score"] > data["signals"]["local"]
    assert SECRET not in result.stdout + result.stderr


def test_check_judge_without_an_llm_says_what_to_set() -> None:
    result = outreach("check", "--judge", "hello", env={"OUTREACH_BACKEND": "offline"})
    assert result.returncode != 0
    assert "--judge needs an LLM" in result.stderr and "OPENAI_BASE_URL" in result.stderr


def test_a_broken_pdf_article_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    result = outreach("index", "--corpus", str(bad), env={"OUTREACH_HOME": str(tmp_path / "home")})
    assert result.returncode != 0
    assert "could not read the PDF" in result.stderr and "re-export" in result.stderr
    assert "EOF marker" not in result.stderr and "Traceback" not in result.stderr
