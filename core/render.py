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
    TimeRemainingColumn,
)

from core.batch import BatchSummary
from core.models import Draft


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
    if draft.guidance:
        cited = ", ".join(escape(g.title) for g in draft.guidance)
        console.print(f"  guidance: {cited}", style="dim")
    if draft.status != "ok":
        console.print("[yellow]flagged:[/] review the failed checks before sending.")


class BatchProgress:
    """A rich progress bar with rate and ETA; implements core.batch.ProgressSink."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]drafting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
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
            "drafting", total=total, completed=already_done, rate="", flags=""
        )

    def advance(self, status: str) -> None:
        if self._task is None:
            return
        self._counts[status] = self._counts.get(status, 0) + 1
        task = self._progress.tasks[self._task]
        speed = task.speed or 0.0
        self._progress.update(
            self._task,
            advance=1,
            rate=f"{speed * 60:.0f}/min" if speed else "",
            flags=f"flagged {self._counts['flagged']} errors {self._counts['error']}",
        )


def print_summary(console: Console, summary: BatchSummary, output: Path) -> None:
    console.print(
        f"done {summary.done} (ok {summary.ok}, flagged {summary.flagged}, errors {summary.errors})"
        f" | resumed {summary.skipped} | retries {summary.retries}"
        f" | {summary.elapsed_s:.1f}s | {summary.drafts_per_minute:.0f} drafts/min"
    )
    console.print(
        f"wrote {escape(str(output))} ({summary.total} rows); journal {escape(str(summary.journal_path))}"
    )
    if summary.stopped_reason:
        console.print(
            f"[bold red]stopped:[/] {escape(summary.stopped_reason)}. {summary.not_run} rows were not drafted; "
            "fix the cause and re-run the same command to resume."
        )
