"""The shipped embedding model is exactly what its build script makes from the installed
package's file (provenance), and its vectors still mean what MiniLM's mean."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from core.build_embedding_model import build
from core.embeddings import LOCAL_MODEL_PATH, LocalMiniLMEmbeddings

pytestmark = pytest.mark.integration


def test_the_shipped_model_is_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    rebuilt = build(tmp_path / "model.onnx")
    assert rebuilt == hashlib.sha256(LOCAL_MODEL_PATH.read_bytes()).hexdigest()


def test_int8_compute_gives_the_float_models_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.embeddings as embeddings

    texts = [
        "Your talk on tracing changed how I debug.",
        "I loved the talk you gave about tracing.",
        "Buy two tickets and get a third free.",
        "Limited offer: order today and save.",
        "Congrats on the new job! If you ever need a realtor for the move, here's my card.",
    ]
    ours = LocalMiniLMEmbeddings().embed_array(texts)
    tokenizer = embeddings.local_model_files()[1]
    monkeypatch.setattr(
        embeddings, "local_model_files", lambda: (embeddings.source_model_file(), tokenizer)
    )
    floats = LocalMiniLMEmbeddings().embed_array(texts)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float((ours * floats).sum(axis=1).min()) > 0.98
    assert not np.allclose(ours, floats, atol=1e-3)  # really the other model
    sims = ours @ ours.T
    assert sims[0, 1] > max(sims[0, 2], sims[0, 3]) + 0.4
