"""Latency of one `detect_pitch` call after the model is loaded (target: p95 <= 20 ms for
messages up to 300 words, on 2 cores), and the memory the model adds (target: <= 200 MB).

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


TARGET_P95_MS = 20.0
TARGET_MB = 200.0


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _p95(ms: list[float]) -> float:
    ordered = sorted(ms)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    texts = [r["text"] for r in load_split("test")]
    before = _rss_mb()
    for text in texts[:10]:  # warm up: load the ONNX session and the artifact
        detect_pitch(text)
    added = _rss_mb() - before
    print(
        f"model memory: +{added:.0f} MB peak RSS after loading (target <= {TARGET_MB:.0f} MB, ratio {added / TARGET_MB:.2f})"
    )
    _report("test split", _time(texts))
    # Every message up to 300 words the detector is measured on, real public mail included.
    from evals.pitch import public
    from evals.pitch.fresh import fresh_sets

    pool = texts + [r["text"] for _, rows in fresh_sets() for r in rows]
    for corpus in public.available():
        pool += [r["text"] for r in public.load_corpus(corpus.name)][:1000]
    upto300 = [t for t in pool if len(t.split()) <= 300]
    ms = _time(upto300)
    _report("<=300 words", ms)
    print(
        f"  p95 {_p95(ms):.2f} ms / target {TARGET_P95_MS:.0f} ms = {_p95(ms) / TARGET_P95_MS:.2f}"
    )
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


if __name__ == "__main__":
    main()
