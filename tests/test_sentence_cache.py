"""The pitch check's sentence cache: the same vectors, and a repeated sentence not run twice."""

from __future__ import annotations

import numpy as np
import pytest

from core.embeddings import LocalMiniLMEmbeddings

pytestmark = pytest.mark.integration


def test_cached_sentences_are_the_vectors_a_fresh_run_gives() -> None:
    model = LocalMiniLMEmbeddings()
    first = ["Your talk on weak ties stayed with me.", "P.S. Book a demo of our tool."]
    again = ["Your talk on weak ties stayed with me.", "Thank you for it."]
    model.embed_sentences(first)
    assert (model.sentence_hits, model.sentence_misses) == (0, 2)
    cached = model.embed_sentences(again)
    assert (model.sentence_hits, model.sentence_misses) == (1, 3)
    np.testing.assert_allclose(cached, model.embed_array(again), atol=1e-6)
    assert model.embed_sentences([]).shape == (0, model.dimension)
