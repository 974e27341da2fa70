"""Terminal output for the CLI: a draft with its checks, a batch progress bar and summary."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from core.batch import BatchSummary
from core.models import Draft


def score_line(score: dict[str, object]) -> str:
    """The score card on one line: "score: 84 words (50-125) | grade 6.2 | 2 details | no asks"."""
    band = score.get("word_band") or ["?", "?"]
    asks = score.get("asks") or []
    ask_text = "no asks" if not asks else f"{len(asks)} ask{'s' if len(asks) != 1 else ''}"  # type: ignore[arg-type]
    line = (
        f"score: {score.get('words')} words ({band[0]}-{band[1]}) | grade "  # type: ignore[index]
        f"{score.get('reading_grade')} | {score.get('specificity')} details from your notes | "
        f"{ask_text}"
    )
    suggestion = score.get("suggestion")
    return f"{line}\n  tip: {suggestion}" if suggestion else line


def print_draft(console: Console, draft: Draft) -> None:
    title = f"{draft.kind.value} for {escape(draft.contact_name)}"
    console.print(
        Panel(escape(draft.text), title=title, subtitle=escape(draft.label), expand=False)
    )
    for result in draft.checks.results:
        mark = "[green]pass[/]" if result.passed else "[red]FAIL[/]"
        console.print(f"  {mark} {result.name}")
        for reason in result.reasons:
            console.print(f"       {escape(reason)}", style="dim")
    console.print(
        f"  pitch score {draft.checks.pitch_score:.2f} | backend {draft.backend} ({escape(draft.model)}) | "
        f"prompt {draft.prompt_id}@{draft.prompt_version}",
        style="dim",
    )
    if draft.score:
        console.print(f"  {escape(score_line(draft.score))}", style="dim")
    if draft.guidance:
        cited = ", ".join(escape(g.title) for g in draft.guidance)
        console.print(f"  guidance: {cited}", style="dim")
    if draft.status != "ok":
        console.print("[yellow]flagged:[/] review the failed checks before sending.")


class BatchProgress:
    """A rich progress bar with rate and ETA; implements core.batch.ProgressSink.

    Rate and ETA both come from the batch's own rate (the summary's), not from rich's
    sliding-window estimate, which jumped with every burst of instant error rows.
    """

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]drafting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("eta {task.fields[eta]}"),
            TextColumn("{task.fields[flags]}"),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None
        self._counts = {"ok": 0, "flagged": 0, "error": 0}

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def start(self, total: int, already_done: int) -> None:
        self._task = self._progress.add_task(
            "drafting", total=total, completed=already_done, rate="", eta="-:--:--", flags=""
        )

    def advance(self, status: str, drafts_per_minute: float) -> None:
        if self._task is None:
            return
        self._counts[status] = self._counts.get(status, 0) + 1
        task = self._progress.tasks[self._task]
        left = max(0.0, (task.total or 0) - task.completed - 1)
        eta = left / drafts_per_minute * 60 if drafts_per_minute > 0 else None
        self._progress.update(
            self._task,
            advance=1,
            rate=format_rate(drafts_per_minute),
            eta=_clock(eta),
            flags=f"flagged {self._counts['flagged']} errors {self._counts['error']}",
        )

    def finish(self, summary: BatchSummary) -> None:
        """End on the summary's own figure, so the bar and the summary say the same."""
        if self._task is not None:
            self._progress.update(self._task, rate=format_rate(summary.drafts_per_minute))


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-:--:--"
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def format_rate(drafts_per_minute: float) -> str:
    """The rate as the bar and the summary both print it."""
    return f"{drafts_per_minute:.0f} drafts/min"


def print_summary(console: Console, summary: BatchSummary, output: Path) -> None:
    console.print(
        f"done {summary.done} (ok {summary.ok}, flagged {summary.flagged}, errors {summary.errors})"
        f" | resumed {summary.skipped} | retries {summary.retries}"
        f" | {summary.elapsed_s:.1f}s | {format_rate(summary.drafts_per_minute)}"
    )
    console.print(
        f"wrote {escape(str(output))} ({summary.total} rows); journal {escape(str(summary.journal_path))}"
    )
    if summary.stopped_reason:
        console.print(
            f"[bold red]stopped:[/] {escape(summary.stopped_reason)}. {summary.not_run} rows were not drafted; "
            "fix the cause and re-run the same command to resume."
        )
