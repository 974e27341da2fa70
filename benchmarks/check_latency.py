"""Latency of one `detect_pitch` call after the model is loaded (target: < 20 ms on 2 cores).

Run: python benchmarks/check_latency.py
"""

from __future__ import annotations

import statistics
import time

from evals.datasets.split import RAW_TRAIN, read_rows
from evals.pitch import detect_pitch
from evals.pitch.data import load_split

LONG_WORDS = 120
LONG_EMAIL = "\n\n".join(
    [
        "Hi Sam,",
        "It was great to run into you at the data engineering meetup last week. "
        "Your point about treating pipelines as products really stuck with me. " * 6,
        "We talked about backfills, schema drift, ownership, and the odd joy of on-call. " * 8,
        "P.S. We just launched our lineage tool, would you try it and share it with your team? link: lineage.io/try",
        "Best,\nAlex\nHead of Data | Lineage\nhttps://lineage.io",
        "On Tue, 4 Jun 2024 at 10:00, Sam <sam@example.com> wrote:\n> great to meet you too\n> "
        + "> quoted\n" * 40,
    ]
)


def _time(texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        start = time.perf_counter()
        detect_pitch(text)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _report(name: str, ms: list[float]) -> None:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name:>12}: n={len(ms):4d} mean {statistics.mean(ms):6.2f} ms  p50 {statistics.median(ms):6.2f} ms  p95 {p95:6.2f} ms"
    )


def main() -> None:
    texts = [r["text"] for r in load_split("test")]
    for text in texts[:10]:  # warm up: load the ONNX session and the artifact
        detect_pitch(text)
    _report("test split", _time(texts))
    _report("long email", _time([LONG_EMAIL] * 20))
    # Train-only mail of 120 words or more: signatures, quoted replies, threads (timing only).
    longform = [
        r["text"]
        for path in sorted(RAW_TRAIN.glob("*.csv"))
        for r in read_rows(path)
        if len(r["text"].split()) >= LONG_WORDS
    ]
    if longform:
        _report(f"{LONG_WORDS}+ words", _time(longform))
        _padding_split_ratio(longform)


def _padding_split_ratio(texts: list[str]) -> None:
    """Long mail with and without splitting a skewed batch in two, interleaved in one run
    (machines are noisy: the ratio is the figure to trust)."""
    import core.embeddings as embeddings

    split = embeddings.padding_split
    times: dict[str, list[float]] = {"one batch": [], "split": []}
    for _ in range(2):
        for name, rule in (("one batch", lambda lengths: None), ("split", split)):
            embeddings.padding_split = rule
            times[name] += _time(texts)
    embeddings.padding_split = split
    for name, ms in times.items():
        _report(name, ms)
    p95 = {name: sorted(ms)[round(0.95 * (len(ms) - 1))] for name, ms in times.items()}
    print(f"  split / one batch: p95 x{p95['split'] / p95['one batch']:.2f}")


if __name__ == "__main__":
    main()
