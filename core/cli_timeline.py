"""Keep-in-touch commands: `contacts import|list`, `history import`, `sent`, `replied`, `plan`.

Thin adapters over core.contact_import, core.history_import, core.timeline and core.plan;
registered on the `outreach` app in core.cli.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from core.errors import InputError

out = Console()
err = Console(stderr=True)

contacts_app = typer.Typer(
    help="Your saved contacts (the workspace the web app uses).", no_args_is_help=True
)
history_app = typer.Typer(help="What you already sent and received.", no_args_is_help=True)

DateOption = Annotated[
    str | None, typer.Option("--date", help="The day it happened, YYYY-MM-DD (default: today).")
]


def _day(value: str | None, option: str = "--date") -> date:
    from core.timeline import parse_day

    return parse_day(value, option) if value else date.today()


def _print_errors(errors: list[str], limit: int = 20) -> None:
    for message in errors[:limit]:
        err.print(f"  [yellow]skipped[/] {escape(message)}", highlight=False)
    if len(errors) > limit:
        err.print(f"  ...and {len(errors) - limit} more rows with errors", highlight=False)


@contacts_app.command("import")
def contacts_import(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="Project CSV, LinkedIn Connections.csv or JSONL.")
    ],
) -> None:
    """Add or update contacts from a file; the same person is never added twice."""
    from core.contact_import import import_contacts_file

    result = import_contacts_file(file)
    out.print(f"contacts: {result.summary()}")
    _print_errors(result.errors)


@contacts_app.command("list")
def contacts_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Every saved contact with the keep-in-touch facts (private notes are never shown)."""
    from core.timeline import relationships

    rows = [_contact_json(r) for r in relationships()]
    rows.sort(key=lambda r: (str(r["name"]).lower(), str(r["company"]).lower()))
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    if not rows:
        out.print("No contacts yet: `outreach contacts import FILE` adds them.")
        return
    table = Table("name", "company", "met on", "tie", "every", "last sent", "replied")
    columns = ("name", "company", "met_on", "tie", "cadence_days", "last_sent", "last_replied")
    for r in rows:
        table.add_row(*(escape("" if r[k] is None else str(r[k])) for k in columns))
    out.print(table)
    out.print(f"{len(rows)} contacts", style="dim")


def _contact_json(rel: object) -> dict[str, object]:
    from core.contacts import PUBLIC_FIELDS, contact_email
    from core.plan import Relationship

    assert isinstance(rel, Relationship)
    contact = rel.contact
    return {
        "key": rel.key,
        **{f: getattr(contact, f) for f in PUBLIC_FIELDS},
        "email": contact_email(contact),
        "met_on": contact.met_on.isoformat() if contact.met_on else None,
        "tie": contact.effective_tie,
        "cadence_days": contact.effective_cadence_days,
        "last_sent": rel.last_sent.isoformat() if rel.last_sent else None,
        "last_replied": rel.last_replied.isoformat() if rel.last_replied else None,
        "snoozed_until": rel.snoozed_until.isoformat() if rel.snoozed_until else None,
        "do_not_suggest": rel.do_not_suggest,
    }


@history_app.command("import")
def history_import(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="LinkedIn's messages.csv, or a batch output of what you sent."
        ),
    ],
    me: Annotated[
        str,
        typer.Option("--me", help="Your name or LinkedIn URL in the export (found automatically)."),
    ] = "",
    on: DateOption = None,
) -> None:
    """Fill the timeline's sent and replied entries for your saved contacts."""
    from core.history_import import import_history_file

    result = import_history_file(file, me=me, on=_day(on) if on else None)
    out.print(f"history: {result.summary()}")
    if result.unmatched_names:
        top = ", ".join(name for name, _ in result.unmatched_names.most_common(5))
        err.print(
            f"  not in your contacts: {escape(top)}"
            f"{' ...' if len(result.unmatched_names) > 5 else ''} "
            "(import LinkedIn's Connections.csv with `outreach contacts import` first)",
            highlight=False,
        )
    _print_errors(result.errors)


def sent(
    who: Annotated[str, typer.Argument(metavar="NAME_OR_EMAIL", help="A saved contact.")],
    kind: Annotated[str, typer.Option("--kind", help="compliment, intro or follow_up.")],
    on: DateOption = None,
    text_file: Annotated[
        Path | None, typer.Option("--text-file", help="The message as you sent it.")
    ] = None,
    channel: Annotated[
        str, typer.Option("--channel", help="email, linkedin or other (default: email if known).")
    ] = "",
) -> None:
    """Mark a message as sent (approving a draft is not sending it)."""
    from core.contacts import contact_email
    from core.kinds import parse_kind
    from core.timeline import add_event, find_contact

    person = find_contact(who)
    message_kind = parse_kind(kind)
    text = ""
    if text_file is not None:
        if not text_file.is_file():
            raise InputError(f"no such file: {text_file}")
        text = text_file.read_text(encoding="utf-8", errors="replace").strip()
    day = _day(on)
    how = channel.strip().lower() or ("email" if contact_email(person.contact) else "other")
    add_event(
        person.key, "sent", day, kind=message_kind.value, channel=how, text=text, source="cli"
    )
    out.print(
        f"sent: {escape(person.contact.name)}, {message_kind.value} on {day.isoformat()} ({how})"
    )


def replied(
    who: Annotated[str, typer.Argument(metavar="NAME_OR_EMAIL", help="A saved contact.")],
    on: DateOption = None,
) -> None:
    """Mark that a contact replied."""
    from core.timeline import add_event, find_contact

    person = find_contact(who)
    day = _day(on)
    add_event(person.key, "replied", day, source="cli")
    out.print(f"replied: {escape(person.contact.name)} on {day.isoformat()}")


def plan(
    n: Annotated[int, typer.Option("--n", min=1, max=100, help="How many people.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Also write the picks and follow-ups due as iCalendar."),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Plan as of this day, YYYY-MM-DD (default: today)."),
    ] = None,
) -> None:
    """Whom to write to this week, each with the reason and the kind of message."""
    from core.plan import PlanOptions, plan_week
    from core.timeline import relationships

    day = _day(today, "--today")
    result = plan_week(relationships(), day, PlanOptions(n=n))
    if ics is not None:
        from core.calendar_file import plan_to_ics

        _write_bytes(ics, plan_to_ics(result))
        err.print(
            f"calendar: {len(result.reminders())} reminders written to {escape(str(ics))}",
            soft_wrap=True,
        )
    if as_json:
        data = [s.to_json_dict() for s in result.picks]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if not result.picks:
        out.print(
            "Nobody is due this week. Add notes on people whose work you admire "
            "(their_work), or when you met (met_on), to get suggestions."
        )
        return
    for number, s in enumerate(result.picks, start=1):
        company = f" ({escape(s.company)})" if s.company else ""
        out.print(
            f"[bold]{number}. {escape(s.name)}[/]{company} · {s.kind.value} · due {s.due.isoformat()}"
        )
        out.print(f"   {escape(s.reason)}", style="dim", highlight=False)


def _write_bytes(path: Path, data: bytes) -> None:
    if path.is_dir():
        raise InputError(f"{path} is a folder: give a file name like plan.ics")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None


def register(app: typer.Typer) -> None:
    app.add_typer(contacts_app, name="contacts")
    app.add_typer(history_app, name="history")
    app.command()(sent)
    app.command()(replied)
    app.command()(plan)
