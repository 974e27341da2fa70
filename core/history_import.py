"""Fill the timeline from what people already have: LinkedIn's messages.csv, a batch output.

LinkedIn's export ("Get a copy of your data" -> Messages) has one row per message with
the columns CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL, TO, RECIPIENT
PROFILE URLS, DATE ("2023-06-11 15:33:58 UTC"), SUBJECT, CONTENT, FOLDER (newer exports
add ATTACHMENTS and IS MESSAGE DRAFT). A message from you to one saved contact becomes a
`sent` event, a message from them a `replied` one. Group conversations credit nobody (a
message to ten people is not a personal note), drafts and spam are skipped, and people
who are not saved contacts are counted, not added. A bad row gets a clear error naming
its line; the rest are imported. Importing the same file again adds nothing.

A batch output (`outreach batch ... -o drafts.csv`, trimmed to the rows you sent) becomes
`sent` events dated `on`, adding the person to your contacts if needed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from core import store
from core.batch_input import MAX_FILE_BYTES, read_batch_input
from core.config import Settings
from core.contacts import Contact, contact_from_row, normalize_column
from core.errors import InputError
from core.kinds import parse_kind
from core.timeline import insert_event

LINKEDIN_COLUMNS = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
)
_REQUIRED = ("CONVERSATION ID", "FROM", "TO", "DATE", "CONTENT")
_SKIPPED_FOLDERS = {"draft", "drafts", "spam"}
#: Columns a batch output adds to its input's; they are not facts about the person.
BATCH_OUTPUT_COLUMNS = ("draft", "status", "error", "is_pitch", "pitch_score", "backend")
#: Extra columns that hold a LinkedIn profile URL (Connections.csv calls it "URL").
_URL_COLUMNS = {"url", "profile_url", "linkedin", "linkedin_url", "profile"}
MAX_ERRORS_SHOWN = 20


@dataclass
class HistoryImportResult:
    sent: int = 0
    replied: int = 0
    repeats: int = 0  # already imported before
    unmatched: int = 0  # messages with people who are not saved contacts
    skipped: int = 0  # group messages, drafts, spam, unsent batch rows
    errors: list[str] = field(default_factory=list)
    unmatched_names: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        text = (
            f"{self.sent} sent and {self.replied} replies added to the timeline, "
            f"{self.repeats} already there"
        )
        if self.unmatched:
            text += f", {self.unmatched} with people not in your contacts"
        if self.skipped:
            text += f", {self.skipped} skipped (group messages, drafts, unsent rows)"
        if self.errors:
            text += f", {len(self.errors)} rows with errors"
        return text


# -- LinkedIn profile URLs and names -----------------------------------------------------


def normalize_url(url: str) -> str:
    """'https://www.linkedin.com/in/Priya-Raman/?trk=x' -> 'linkedin.com/in/priya-raman'."""
    text = url.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^(www\.|[a-z]{2}\.)(?=linkedin\.com)", "", text)
    return text.split("?")[0].split("#")[0].rstrip("/")


def _urls(cell: str) -> list[str]:
    return [normalize_url(u) for u in re.split(r"[,;\s]+", cell or "") if u.strip()]


def contact_url(contact: Contact) -> str:
    for column, value in contact.extra.items():
        if normalize_column(column) in _URL_COLUMNS and "linkedin.com" in value.lower():
            return normalize_url(value)
    return ""


class _Matcher:
    """Saved contacts by LinkedIn URL and, when unique, by name."""

    def __init__(self, people: Iterable[store.StoredContact]) -> None:
        self.by_url: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        for person in people:
            url = contact_url(person.contact)
            if url:
                self.by_url[url] = person.key
            names.setdefault(store.normalize_name(person.contact.name), []).append(person.key)
        self.by_name = {name: keys[0] for name, keys in names.items() if len(keys) == 1}

    def find(self, url: str, name: str) -> str | None:
        if url and url in self.by_url:
            return self.by_url[url]
        return self.by_name.get(store.normalize_name(name))


# -- LinkedIn messages.csv ---------------------------------------------------------------


def is_linkedin_messages(header: Iterable[str]) -> bool:
    names = {h.strip().lstrip("\ufeff").upper() for h in header}
    return all(c in names for c in _REQUIRED)


def parse_linkedin_date(value: str) -> date:
    text = value.strip().removesuffix("UTC").strip()
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise InputError(
            f"DATE {value!r} is not a date like 2023-06-11 15:33:58 UTC: fix or delete the row"
        ) from None


@dataclass
class _Message:
    line: int
    conversation: str
    sender: str
    sender_url: str
    recipients: list[str]
    recipient_urls: list[str]
    day: date
    content: str

    def participants(self) -> set[str]:
        urls = {u for u in (self.sender_url, *self.recipient_urls) if u}
        return urls or {store.normalize_name(n) for n in (self.sender, *self.recipients) if n}


def _read_linkedin(text: str, result: HistoryImportResult) -> list[_Message]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [f.strip().lstrip("\ufeff").upper() for f in reader.fieldnames or []]
    messages = []
    previous_end = reader.line_num
    for row in reader:
        # Where the row starts: a message with line breaks spans several lines.
        line, previous_end = previous_end + 1, reader.line_num
        cell = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        if not any(cell.values()):
            continue
        draft_flag = cell.get("IS MESSAGE DRAFT", "").lower() in {"yes", "true", "1"}
        if draft_flag or cell.get("FOLDER", "").lower() in _SKIPPED_FOLDERS:
            result.skipped += 1
            continue
        try:
            if not cell.get("FROM") and not cell.get("SENDER PROFILE URL"):
                raise InputError("no sender (FROM is empty): fix or delete the row")
            day = parse_linkedin_date(cell.get("DATE", "")) if cell.get("DATE") else None
            if day is None:
                raise InputError("no DATE: fix or delete the row")
        except InputError as exc:
            result.errors.append(f"line {line}: {exc}")
            continue
        to = cell.get("TO", "")
        messages.append(
            _Message(
                line=line,
                conversation=cell.get("CONVERSATION ID", ""),
                sender=cell.get("FROM", ""),
                sender_url=normalize_url(cell.get("SENDER PROFILE URL", "")),
                # Names may hold commas ("Chen, Mei"); the URLs say how many people there are.
                recipients=[to] if to else [],
                recipient_urls=_urls(cell.get("RECIPIENT PROFILE URLS", "")),
                day=day,
                content=cell.get("CONTENT", ""),
            )
        )
    return messages


def _identity(me: str) -> str:
    return normalize_url(me) if "linkedin.com" in me.lower() else store.normalize_name(me)


def _detect_me(messages: list[_Message], me: str, profile_name: str) -> set[str]:
    """You in the export: the given name or URL, else whoever is in most conversations."""
    if me.strip():
        return {_identity(me)}
    seen: Counter[str] = Counter()
    by_conversation: dict[str, set[str]] = {}
    for message in messages:
        by_conversation.setdefault(message.conversation, set()).update(message.participants())
    for people in by_conversation.values():
        seen.update(people)
    if not seen:
        return set()
    best = max(seen.values())
    tied = {who for who, count in seen.items() if count == best}
    if len(tied) == 1:
        return tied
    if profile_name.strip():
        # One conversation (or a tie): your profile's name says which side is you.
        return {store.normalize_name(profile_name)}
    raise InputError(
        "cannot tell which participant is you: give --me with your name or LinkedIn URL"
    )


def _source_id(message: _Message) -> str:
    raw = "\x1f".join(
        (message.conversation, message.day.isoformat(), message.sender, message.content)
    )
    return "linkedin:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def import_linkedin_messages(
    text: str, settings: Settings | None = None, *, me: str = ""
) -> HistoryImportResult:
    from core.profile import load_profile

    result = HistoryImportResult()
    messages = _read_linkedin(text, result)
    mine = _detect_me(messages, me, load_profile(settings).name)
    matcher = _Matcher(store.list_contacts(settings, limit=10**9))
    with store.connect(settings) as conn:
        for message in messages:
            if mine & {message.sender_url, store.normalize_name(message.sender)}:
                if len(message.recipient_urls) > 1:
                    result.skipped += 1
                    continue
                url = message.recipient_urls[0] if message.recipient_urls else ""
                name = message.recipients[0] if message.recipients else ""
                event = "sent"
            else:
                if len(message.recipient_urls) > 1:
                    result.skipped += 1  # a group thread: not a reply to you
                    continue
                url, name, event = message.sender_url, message.sender, "replied"
            key = matcher.find(url, name)
            if key is None:
                result.unmatched += 1
                result.unmatched_names[name or url] += 1
                continue
            added = insert_event(
                conn,
                key,
                event,  # type: ignore[arg-type]
                message.day,
                channel="linkedin",
                text=message.content,
                source="linkedin",
                source_id=_source_id(message),
            )
            if added is None:
                result.repeats += 1
            elif event == "sent":
                result.sent += 1
            else:
                result.replied += 1
    return result


# -- batch outputs -----------------------------------------------------------------------


def import_batch_output(
    path: Path, on: date, settings: Settings | None = None
) -> HistoryImportResult:
    """Rows of a batch output as messages sent on `on` (rows with status error are skipped)."""
    batch = read_batch_input(path)
    result = HistoryImportResult()
    with store.connect(settings) as conn:
        for row in batch.rows:
            values = {normalize_column(k): v for k, v in row.values.items()}
            draft = values.get("draft", "").strip()
            if values.get("status", "") == "error" or not draft:
                result.skipped += 1
                continue
            person = {
                k: v
                for k, v in row.values.items()
                if normalize_column(k) not in BATCH_OUTPUT_COLUMNS
            }
            try:
                contact = contact_from_row(person)
                kind = parse_kind(values.get("kind") or "compliment").value
            except InputError as exc:
                result.errors.append(f"line {row.line}: {exc}")
                continue
            key, _ = store.upsert_on(conn, contact)
            digest = hashlib.sha256(f"{on}\x1f{draft}".encode()).hexdigest()[:32]
            added = insert_event(
                conn,
                key,
                "sent",
                on,
                kind=kind,
                text=draft,
                source="batch",
                source_id=f"batch:{digest}",
            )
            if added is None:
                result.repeats += 1
            else:
                result.sent += 1
    return result


def import_history_file(
    path: Path, settings: Settings | None = None, *, me: str = "", on: date | None = None
) -> HistoryImportResult:
    """LinkedIn's messages.csv or a batch output CSV, told apart by their columns."""
    path = Path(path)
    raw = _read_text(path)
    first_line = raw.splitlines()[0] if raw.strip() else ""
    header = next(csv.reader([first_line]), [])
    if is_linkedin_messages(header):
        return import_linkedin_messages(raw, settings, me=me)
    if {"draft", "status"} <= {normalize_column(h) for h in header}:
        return import_batch_output(path, on or date.today(), settings)
    raise InputError(
        f"{path} is neither LinkedIn's messages.csv (columns {', '.join(LINKEDIN_COLUMNS)}) "
        "nor a batch output (columns draft, status): export Messages from LinkedIn's "
        "'Get a copy of your data', or give the -o file of `outreach batch`"
    )


def _read_text(path: Path) -> str:
    """The file's text (UTF-8, else Latin-1), or a clear error."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(
            f"{path} is over {MAX_FILE_BYTES // 2**20} MB: split it into smaller files"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"{path} is empty: export your LinkedIn messages again")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
