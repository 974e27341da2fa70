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


def _eval_datasets(report_dir: Path | None, console: Console) -> int:
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
    md[2:2] = [verdict, ""]
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
    report_dir: Path | None = None, drafts: Path | None = None, console: Console | None = None
) -> int:
    """Print the metrics (or the drafts' check pass rates); 0 when the targets are met."""
    console = console or Console()
    if drafts is not None:
        return _eval_drafts(Path(drafts), Path(report_dir) if report_dir else None, console)
    return _eval_datasets(Path(report_dir) if report_dir else None, console)


if __name__ == "__main__":
    import sys

    raise SystemExit(run_eval(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
