"""`outreach eval`: measure the pitch detector on dev, test and holdout, or score drafts.

Nothing here fits anything: the detector's artifact is loaded as committed. The
holdout folder is read only to be measured, as its own section.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evals.pitch.data import HOLDOUT_DIR, labels, load_csv, load_split
from evals.pitch.metrics import binary_metrics

TARGET_F1 = 0.95
TARGET_FPR = 0.03
PITCH_CATEGORIES = {
    "product_demo", "buy_discount", "share_promote", "review_testimonial", "referral_hiring",
    "intro_buyers_investors", "fundraising_donation", "event_tickets", "paid_advice",
}  # fmt: skip


def _predict(rows: list[dict[str, str]]) -> list[int]:
    from evals.pitch import detect_pitch

    return [int(detect_pitch(r.get("text", ""), r.get("kind") or None).is_pitch) for r in rows]


def _section(name: str, rows: list[dict[str, str]], console: Console) -> tuple[dict, list[str]]:
    """Print one dataset's metrics; return them and the markdown lines for the report."""
    y, pred = labels(rows), _predict(rows)
    overall = binary_metrics(y, pred)
    md = [f"## {name} (n={len(rows)})", "", _md_metrics(overall), ""]
    table = Table(title=f"{name}: n={len(rows)}")
    for col in ("slice", "n", "precision", "recall", "F1", "FPR"):
        table.add_column(col)
    table.add_row("overall", *_cells(overall))
    for kind in sorted({r.get("kind", "") for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.get("kind", "") == kind]
        m = binary_metrics([y[i] for i in idx], [pred[i] for i in idx])
        table.add_row(f"kind={kind}", *_cells(m))
        md.append(f"- kind `{kind}`: {_md_metrics(m)}")
    for cat in sorted({r.get("category", "") for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.get("category", "") == cat]
        hits = sum(pred[i] for i in idx)
        if cat in PITCH_CATEGORIES:
            value = f"recall {hits / len(idx):.3f}"
        else:
            value = f"FPR {hits / len(idx):.3f}"
        table.add_row(f"category={cat}", str(len(idx)), "", value, "", "")
        md.append(f"- category `{cat}` (n={len(idx)}): {value}")
    console.print(table)
    errors = [(r, p) for r, t, p in zip(rows, y, pred, strict=True) if t != p]
    md += ["", f"### Misclassified ({len(errors)})", ""]
    if errors:
        console.print(f"[bold]{name}: {len(errors)} misclassified[/bold]")
    for row, p in errors:
        kind = "false positive" if p else "missed pitch"
        snippet = " ".join(row.get("text", "").split())[:220]
        console.print(
            f"  - {kind} [{row.get('category', '')}] {snippet}", markup=False, highlight=False
        )
        md.append(f"- **{kind}** `{row.get('category', '')}`: {snippet}")
    md.append("")
    return overall, md


def _cells(m: dict) -> list[str]:
    return [
        str(m["n"]),
        f"{m['precision']:.3f}",
        f"{m['recall']:.3f}",
        f"{m['f1']:.3f}",
        f"{m['fpr']:.3f}",
    ]


def _md_metrics(m: dict) -> str:
    return f"precision {m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f}, FPR {m['fpr']:.3f} (tp {m['tp']}, fp {m['fp']}, fn {m['fn']}, tn {m['tn']})"


def _holdout_rows() -> list[tuple[str, list[dict[str, str]]]]:
    if not HOLDOUT_DIR.is_dir():
        return []
    return [(f"holdout/{p.name}", load_csv(p)) for p in sorted(HOLDOUT_DIR.glob("*.csv"))]


def _confusion_png(results: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(3.6 * len(results), 3.4), squeeze=False)
    for ax, (name, m) in zip(axes[0], results.items(), strict=True):
        grid = [[m["tn"], m["fp"]], [m["fn"], m["tp"]]]
        ax.imshow(grid, cmap="Blues")
        for i in range(2):
            for j in range(2):
                ax.text(j, i, str(grid[i][j]), ha="center", va="center", fontsize=14)
        ax.set_xticks([0, 1], ["not pitch", "pitch"])
        ax.set_yticks([0, 1], ["not pitch", "pitch"])
        ax.set_xlabel("predicted")
        ax.set_ylabel("actual")
        ax.set_title(name, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _pooled(results: list[dict]) -> dict[str, float]:
    """Metrics over every message of the given sources (each at its own run's threshold)."""
    tp, fp, fn, tn = (sum(r[k] for r in results) for k in ("tp", "fp", "fn", "tn"))
    return binary_metrics(
        [1] * (tp + fn) + [0] * (fp + tn), [1] * tp + [0] * fn + [1] * fp + [0] * tn
    )


def _eval_by_source(console: Console, rerun: bool) -> tuple[list[str], list[str], bool]:
    """Data the detector never trained on, by source; returns markdown, verdicts, all met."""
    from evals.pitch import by_source, public

    if rerun:
        results = by_source.leave_one_source_out(log=lambda line: console.print(line, markup=False))
        results += by_source.never_trained_on()
        by_source.write_report(results)
        rows = [vars(r) for r in results]
        stale = False
    else:
        report = by_source.read_report() or {"results": [], "artifact_sha256": ""}
        stale = report["artifact_sha256"] != by_source.artifact_sha256()
        # Left-out-of-training figures need retraining: read them from the last run.
        rows = [r for r in report["results"] if r["how"] == "left out of training"]
        rows += [vars(r) for r in by_source.never_trained_on()]
    table = Table(title="Never trained on, by source (the numbers that cannot flatter)")
    for col in ("source", "how", "n", "precision", "recall", "F1", "FPR"):
        table.add_column(col)
    md = ["## Never trained on, by source", ""]
    for r in rows:
        cells = [f"{r[k]:.3f}" for k in ("precision", "recall", "f1", "fpr")]
        table.add_row(r["source"], r["how"], str(r["n"]), *cells)
        md.append(
            f"- {r['source']} ({r['how']}, n={r['n']}): P {cells[0]}, R {cells[1]}, F1 {cells[2]}, FPR {cells[3]}"
        )
    console.print(table)
    if stale and any(r["how"] == "left out of training" for r in rows):
        console.print(
            "[yellow]the left-out-of-training rows were measured for an older artifact: run `outreach eval --by-source`[/yellow]"
        )
    for corpus in public.missing():
        note = f"not measured: {corpus.title} is not under {public.public_dir()} (see evals/datasets/public/README.md)"
        console.print(note, markup=False)
        md.append(f"- {note}")
    writers = _pooled([r for r in rows if r["source"].startswith("team writers")])
    real = [r for r in rows if r["source"].startswith("public:")]
    real_m = _pooled(real)
    plus_one = [r for r in rows if "drafts + one" in r["source"]]
    verdicts: list[str] = []
    met = True
    if writers["n"]:
        ok = writers["f1"] >= TARGET_F1 and writers["fpr"] <= TARGET_FPR
        met &= ok
        verdicts.append(
            f"held-out writers: F1 {writers['f1']:.3f}, FPR {writers['fpr']:.3f} (target F1 >= {TARGET_F1} at FPR <= {TARGET_FPR:.0%}) -> {'MET' if ok else 'NOT MET'}"
        )
    if real_m["n"]:
        ok = real_m["recall"] >= 0.90 and real_m["fpr"] <= 0.05
        met &= ok
        verdicts.append(
            f"real public corpora: recall {real_m['recall']:.3f}, FPR {real_m['fpr']:.3f} (target recall >= 0.90 at FPR <= 5%) -> {'MET' if ok else 'NOT MET'}"
        )
    if plus_one:
        m = _pooled(plus_one)
        ok = m["recall"] >= 0.95
        met &= ok
        verdicts.append(
            f"drafts + one pitch sentence: recall {m['recall']:.3f}, FPR {m['fpr']:.3f} (target recall >= 0.95) -> {'MET' if ok else 'NOT MET'}"
        )
    for line in verdicts:
        console.print(f"[bold]{line}[/bold]")
    return md, verdicts, met


def _eval_datasets(report_dir: Path | None, console: Console, by_source: bool = False) -> int:
    sections = [("dev", load_split("dev")), ("test", load_split("test")), *_holdout_rows()]
    results: dict[str, dict] = {}
    md = ["# Pitch detector evaluation", ""]
    for name, rows in sections:
        if not rows:
            continue
        results[name], lines = _section(name, rows, console)
        md += lines
    test = results["test"]
    met = test["f1"] >= TARGET_F1 and test["fpr"] <= TARGET_FPR
    verdict = (
        f"Targets on test (F1 >= {TARGET_F1}, FPR <= {TARGET_FPR:.0%}): "
        f"F1 {test['f1']:.3f}, FPR {test['fpr']:.3f} -> {'MET' if met else 'NOT MET'}"
    )
    console.print(f"[bold]{verdict}[/bold]")
    source_md, source_verdicts, source_met = _eval_by_source(console, rerun=by_source)
    md += source_md
    md[2:2] = [*source_verdicts, verdict, ""]
    met = met and source_met
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        _confusion_png(results, report_dir / "confusion_matrix.png")
        md += ["![confusion matrices](confusion_matrix.png)", ""]
        (report_dir / "report.md").write_text("\n".join(md), encoding="utf-8")
        console.print(f"report written to {report_dir / 'report.md'}")
    return 0 if met else 1


def _eval_drafts(drafts: Path, report_dir: Path | None, console: Console) -> int:
    from core.contacts import contact_from_row
    from core.errors import InputError
    from core.kinds import parse_kind
    from evals.checks import run_checks

    with drafts.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    status = Counter((r.get("status") or "").strip() or "unknown" for r in rows)
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    all_pass = unusable = checked = 0
    for row in rows:
        text = (row.get("draft") or "").strip()
        if (row.get("status") or "").strip() == "error" or not text:
            continue
        try:
            contact = contact_from_row(
                {k: v for k, v in row.items() if k not in {"draft", "status"}}
            )
            kind = parse_kind(row.get("kind") or "compliment")
        except InputError:
            unusable += 1
            continue
        report = run_checks(text, contact, kind)
        checked += 1
        all_pass += report.passed
        for result in report.results:
            total[result.name] += 1
            passed[result.name] += result.passed
    table = Table(title=f"drafts: {drafts.name} ({len(rows)} rows, {checked} checked)")
    table.add_column("check")
    table.add_column("pass rate")
    md = [f"# Draft checks: {drafts.name}", "", f"{len(rows)} rows, {checked} checked", ""]
    for name in total:
        rate = passed[name] / total[name]
        table.add_row(name, f"{rate:.1%} ({passed[name]}/{total[name]})")
        md.append(f"- `{name}`: {rate:.1%} ({passed[name]}/{total[name]})")
    if checked:
        table.add_row("all checks", f"{all_pass / checked:.1%} ({all_pass}/{checked})")
        md.append(f"- all checks: {all_pass / checked:.1%} ({all_pass}/{checked})")
    console.print(table)
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(status.items()))
    console.print(
        f"status counts: {counts}; errors (not checked): {status.get('error', 0)}; unusable rows: {unusable}"
    )
    md += [
        "",
        f"status counts: {counts}; errors (not checked): {status.get('error', 0)}; unusable rows: {unusable}",
        "",
    ]
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        (report_dir / "drafts_report.md").write_text("\n".join(md), encoding="utf-8")
    return 0


def run_eval(
    report_dir: Path | None = None,
    drafts: Path | None = None,
    console: Console | None = None,
    by_source: bool = False,
) -> int:
    """Print the metrics (or the drafts' check pass rates); 0 when the targets are met."""
    console = console or Console()
    if drafts is not None:
        return _eval_drafts(Path(drafts), Path(report_dir) if report_dir else None, console)
    return _eval_datasets(Path(report_dir) if report_dir else None, console, by_source)


if __name__ == "__main__":
    import sys

    raise SystemExit(run_eval(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
