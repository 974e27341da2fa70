"""The `outreach` command: a thin adapter over core.service. Errors become one line + exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from core.cli_timeline import register
from core.contacts import TEXT_FIELDS
from core.errors import OutreachError

if TYPE_CHECKING:
    from core.contacts import Contact
    from core.kinds import Kind
    from core.models import Sender
    from core.service import OutreachService

app = typer.Typer(
    name="outreach",
    help="Draft specific, honest networking messages that ask for nothing. Works offline by default.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


def _service() -> OutreachService:
    from core import get_service

    return get_service()


def _sender(name: str, role: str, company: str, about: str, *, hint: bool = True) -> Sender:
    from core.profile import load_sender

    sender = load_sender(name=name, role=role, company=company, about=about)
    if hint:
        _name_hint(sender)
    return sender


def _name_hint(sender: Sender) -> None:
    """Say once per workspace how to set a name (after the work: an error stays one line)."""
    from core.profile import NAME_HINT, name_hint_due

    if name_hint_due(sender):
        err.print(escape(NAME_HINT), highlight=False, soft_wrap=True)


SenderName = Annotated[
    str,
    typer.Option(
        "--sender-name",
        envvar="OUTREACH_SENDER_NAME",
        help="Your name, to sign and introduce yourself.",
    ),
]
SenderRole = Annotated[
    str, typer.Option("--sender-role", envvar="OUTREACH_SENDER_ROLE", help="Your role.")
]
SenderCompany = Annotated[
    str, typer.Option("--sender-company", envvar="OUTREACH_SENDER_COMPANY", help="Your company.")
]
SenderAbout = Annotated[
    str,
    typer.Option("--sender-about", envvar="OUTREACH_SENDER_ABOUT", help="One sentence about you."),
]
SenderEmail = Annotated[
    str,
    typer.Option(
        "--sender-email", envvar="OUTREACH_SENDER_EMAIL", help="Your address, the .eml's From."
    ),
]


@app.command()
def index(
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus",
            help="Your own articles (.md, .txt, .html, .pdf): files or folders. Repeatable.",
        ),
    ] = None,
    contacts: Annotated[
        Path | None, typer.Option("--contacts", help="A contacts CSV/JSONL whose notes to index.")
    ] = None,
) -> None:
    """Build or update the retrieval index (idempotent: unchanged entries are skipped)."""
    from core.batch_input import read_contacts_file

    service = _service()
    people = read_contacts_file(contacts) if contacts else []
    with err.status("Indexing guidance and notes (local embeddings)..."):
        report = service.build_index(corpus or [], people)
    g, n = report.guidance, report.notes
    out.print(
        f"guidance: {g.added} added, {g.updated} updated, {g.unchanged} unchanged, {g.removed} removed "
        f"({report.guidance_total} chunks)\n"
        f"notes:    {n.added} added, {n.updated} updated, {n.unchanged} unchanged, {n.removed} removed "
        f"({report.notes_total} snippets)"
    )


@app.command()
def draft(
    name: Annotated[
        str, typer.Option("--name", help="The contact's name (or email with --saved).")
    ],
    saved: Annotated[
        bool,
        typer.Option("--saved", help="Draft for the saved contact --name names, with their notes."),
    ] = False,
    kind: Annotated[
        str, typer.Option("--kind", help="compliment, intro or follow_up.")
    ] = "compliment",
    notes: Annotated[str, typer.Option("--notes", help="What you know about them.")] = "",
    role: Annotated[str, typer.Option("--role")] = "",
    company: Annotated[str, typer.Option("--company")] = "",
    their_work: Annotated[
        str, typer.Option("--their-work", help="The talk, post or project you admire.")
    ] = "",
    how_we_met: Annotated[str, typer.Option("--how-we-met")] = "",
    shared_interests: Annotated[str, typer.Option("--shared-interests")] = "",
    event: Annotated[str, typer.Option("--event", help="Where you met (for follow_up).")] = "",
    private_notes: Annotated[
        str, typer.Option("--private-notes", help="Kept out of every draft and model.")
    ] = "",
    variant: Annotated[int, typer.Option("--variant", help="Another version of the draft.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
    eml: Annotated[
        Path | None,
        typer.Option("--eml", help="Also write it as an .eml draft your mail app opens."),
    ] = None,
    email: Annotated[str, typer.Option("--email", help="Their email (the .eml's To).")] = "",
    sender_name: SenderName = "",
    sender_role: SenderRole = "",
    sender_company: SenderCompany = "",
    sender_about: SenderAbout = "",
    sender_email: SenderEmail = "",
) -> None:
    """Draft one message for one contact: typed in with --name, or saved (--name + --saved)."""
    from core.contacts import contact_from_row

    typed = {
        "name": name, "role": role, "company": company, "notes": notes,
        "their_work": their_work, "how_we_met": how_we_met, "event": event,
        "shared_interests": shared_interests, "private_notes": private_notes, "email": email,
    }  # fmt: skip
    if saved:
        from core.timeline import find_contact

        base = find_contact(name).contact
        given = {k: v for k, v in typed.items() if v and k != "name"}
        contact = contact_from_row(
            {**base.model_dump(include=set(TEXT_FIELDS)), **base.extra, **given}
        )
        contact = contact.model_copy(
            update={f: getattr(base, f) for f in ("met_on", "tie", "cadence_days")}
        )
    else:
        contact = contact_from_row(typed)
    sender = _sender(sender_name, sender_role, sender_company, sender_about)
    result = _service().draft(contact, kind, sender, variant=variant)
    if eml is not None:
        _write_eml(eml, result.text, result.kind, contact, sender, sender_email)
    if as_json:
        # Plain JSON (not rich): machine-readable whatever the terminal width.
        sys.stdout.write(json.dumps(result.to_json_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    from core.render import print_draft

    print_draft(out, result)
    if result.status != "ok":
        raise typer.Exit(3)


def _write_eml(
    path: Path, text: str, kind: Kind, contact: Contact, sender: Sender, sender_email: str
) -> None:
    from core.contacts import contact_email
    from core.mail_draft import draft_message, subject_for, write_eml

    to = contact_email(contact)
    message = draft_message(
        text, subject=subject_for(kind, contact, sender), to_name=contact.name, to_email=to,
        from_name=sender.name, from_email=sender_email.strip(),
    )  # fmt: skip
    write_eml(path, message)
    note = "" if to else " (no email for them: add it with --email or in your contacts)"
    err.print(f"mail draft: {escape(str(path))}{escape(note)}", highlight=False, soft_wrap=True)


@app.command()
def batch(
    input_path: Annotated[
        Path,
        typer.Argument(metavar="INPUT", help="Contacts: CSV, LinkedIn Connections.csv or JSONL."),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the drafts CSV.")],
    kind: Annotated[
        str | None, typer.Option("--kind", help="Kind for rows without a `kind` column.")
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=256, help="Parallel drafts.")
    ] = 4,
    rpm: Annotated[
        float | None, typer.Option("--rpm", min=0.1, help="Max LLM requests per minute.")
    ] = None,
    tpm: Annotated[
        float | None, typer.Option("--tpm", min=1, help="Max LLM tokens per minute.")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume/--no-resume", help="Skip rows the journal marks done (default)."),
    ] = True,
    journal: Annotated[
        Path | None, typer.Option("--journal", help="Journal file (default: OUTPUT.journal.jsonl).")
    ] = None,
    raw_csv: Annotated[
        bool,
        typer.Option(
            "--raw-csv",
            help="Write cells exactly as given, even ones a spreadsheet would run as formulas "
            "(by default they get a leading ' and the journal keeps the original).",
        ),
    ] = False,
    keep_private_notes: Annotated[
        bool,
        typer.Option(
            "--keep-private-notes",
            help="Keep the private_notes column in the output (left out by default: "
            "the file is often shared).",
        ),
    ] = False,
    check_processes: Annotated[
        int,
        typer.Option(
            "--check-processes",
            min=0,
            max=8,
            help="With an LLM endpoint: run the checks in N processes of their own "
            "(each loads the models, ~0.55 GB); 0 checks in the drafting process.",
        ),
    ] = 0,
    sender_name: SenderName = "",
    sender_role: SenderRole = "",
    sender_company: SenderCompany = "",
    sender_about: SenderAbout = "",
) -> None:
    """Draft one message per row; never loses a row; re-run to resume."""
    from core.batch import BatchOptions, run_batch
    from core.render import BatchProgress, print_summary

    options = BatchOptions(
        default_kind=kind, concurrency=concurrency, rpm=rpm, tpm=tpm, resume=resume,
        journal_path=journal,
        sender=_sender(sender_name, sender_role, sender_company, sender_about, hint=False),
        raw_csv=raw_csv, keep_private_notes=keep_private_notes, check_processes=check_processes,
    )  # fmt: skip
    with BatchProgress(err) as progress:
        summary = run_batch(input_path, output, options, service=_service(), progress=progress)
    print_summary(err, summary, output)
    if options.sender is not None:
        _name_hint(options.sender)
    if summary.stopped_reason:
        raise typer.Exit(4)


@app.command()
def check(
    text: Annotated[str | None, typer.Argument(help="A message to check.")] = None,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help="JSON lines with `text` (and `kind`); '-' for stdin."),
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="The message kind, if known.")] = None,
    judge: Annotated[
        bool,
        typer.Option(
            "--judge",
            help="Also ask the configured LLM for a rubric vote, averaged with the local score.",
        ),
    ] = False,
) -> None:
    """Check messages for a disguised pitch: one text, or JSON lines in, JSON lines out."""
    from core.check_io import check_jsonl_stream, verdict_json
    from evals.pitch.judge import make_judge

    if (text is None) == (jsonl is None):
        raise typer.BadParameter("give either a TEXT or --jsonl FILE (or '-' for stdin)")
    llm_judge = make_judge() if judge else None
    if judge and llm_judge is None:
        raise OutreachError(
            "--judge needs an LLM: set OPENAI_BASE_URL (and OPENAI_API_KEY if the endpoint "
            "wants one) and OUTREACH_MODEL, or drop --judge to check offline"
        )
    if jsonl is not None:
        if jsonl == "-":
            check_jsonl_stream(sys.stdin, sys.stdout, llm_judge)
        else:
            path = Path(jsonl)
            if not path.is_file():
                raise OutreachError(f"no such file: {path}")
            with path.open(encoding="utf-8", errors="replace") as handle:
                check_jsonl_stream(handle, sys.stdout, llm_judge)
        return
    assert text is not None
    sys.stdout.write(json.dumps(verdict_json(text, kind, llm_judge)) + "\n")


@app.command(name="eval")
def eval_(
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also write report.md and a confusion-matrix PNG here."),
    ] = None,
    drafts: Annotated[
        Path | None,
        typer.Option("--drafts", help="Score a batch output CSV instead of the datasets."),
    ] = None,
    by_source: Annotated[
        bool,
        typer.Option(
            "--by-source",
            help="Retrain without each source in turn and score it (slow: minutes per source).",
        ),
    ] = False,
) -> None:
    """Measure the checks: pitch detector metrics on the datasets, or check pass rates of a batch output."""
    from evals.suite import run_eval

    code = run_eval(report_dir=report, drafts=drafts, console=out, by_source=by_source)
    if code:
        raise typer.Exit(code)


@app.command(name="train-detector")
def train_detector(
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Where to write the model artifact (default: the packaged one)."
        ),
    ] = None,
) -> None:
    """Re-train the pitch classifier reproducibly on the train split (the test split is never used)."""
    from evals.pitch.train import train

    metrics = train(out_dir) if out_dir else train()
    out.print_json(data=metrics)


@app.command()
def profile(
    name: Annotated[str | None, typer.Option("--name", help="Your full name.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Your role.")] = None,
    company: Annotated[str | None, typer.Option("--company", help="Your company.")] = None,
    about: Annotated[str | None, typer.Option("--about", help="One line about you.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Show your profile, or set parts of it (--name "" clears one). Shared with the web app."""
    from core.profile import NAME_HINT, load_profile, update_profile

    changes = {"name": name, "role": role, "company": company, "about": about}
    if any(v is not None for v in changes.values()):
        sender = update_profile(changes)
    else:
        sender = load_profile()
    if as_json:
        sys.stdout.write(json.dumps(sender.model_dump(), ensure_ascii=False) + "\n")
        return
    for key, value in sender.model_dump().items():
        out.print(f"{key:>8}: {escape(value) if value else '-'}", highlight=False)
    if not sender.name:
        err.print(escape(NAME_HINT), highlight=False, soft_wrap=True)


@app.command()
def config() -> None:
    """Show which backend, model, workspace and index are active (never the key)."""
    from core.config import Settings

    for key, value in Settings.from_env().describe().items():
        out.print(f"{key:>11}: {value}")


register(app)


def main() -> None:
    try:
        app()
    except OutreachError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted: finished rows are kept in the journal; re-run to resume")
        sys.exit(130)


if __name__ == "__main__":
    main()
