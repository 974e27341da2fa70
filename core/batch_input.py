"""Reading batch input: the project's CSV, a LinkedIn Connections.csv export, or JSONL.

Real files are messy: a UTF-8 BOM, Windows line endings, quoted fields with commas and
newlines, Latin-1 bytes, blank lines, extra or duplicated columns, and (LinkedIn) a few
lines of notes before the header. A file that cannot be read at all raises InputError
before any work starts; a row that cannot be used is marked and the rest go on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from core.contacts import Contact, contact_from_row, normalize_column
from core.errors import InputError

Format = Literal["csv", "linkedin", "jsonl"]
MAX_FILE_BYTES = 200 * 1024 * 1024
_HEADER_SCAN_ROWS = 15
_NAME_COLUMNS = {"name", "first_name", "last_name"}
_LINKEDIN_HEADER = {
    "first_name",
    "last_name",
    "url",
    "email_address",
    "company",
    "role",
    "connected_on",
}
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any byte: the chain ends


@dataclass
class InputRow:
    index: int  # 0-based position among data rows: output order
    line: int  # where it starts in the file, for messages
    row_id: str
    values: dict[str, str]
    error: str | None = None  # set when the row itself could not be parsed


@dataclass
class BatchInput:
    path: Path
    format: Format
    columns: list[str]
    rows: list[InputRow] = field(default_factory=list)


def _decode(raw: bytes, path: Path) -> str:
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"cannot decode {path}: save it as UTF-8")  # pragma: no cover


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if not path.is_file():
        raise InputError(f"{path} is not a file: give a CSV or JSONL file of contacts")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{path} is {size // 2**20} MB; split it into files under {MAX_FILE_BYTES // 2**20} MB"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not raw.strip():
        raise InputError(
            f"{path} is empty: add a header row (e.g. name,kind,notes) and one row per contact"
        )
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path} looks binary (is it a spreadsheet?): export it as CSV (UTF-8)")
    return raw


def _stable_ids(rows: list[InputRow]) -> None:
    """`id` column when present, else a content hash; repeats of identical rows stay distinct."""
    seen: dict[str, int] = {}
    for row in rows:
        given = next((v for k, v in row.values.items() if normalize_column(k) == "id" and v), "")
        base = (
            f"id:{given}"
            if given
            else hashlib.sha256(
                json.dumps(row.values, sort_keys=True, ensure_ascii=False).encode("utf-8")
            ).hexdigest()[:20]
        )
        count = seen.get(base, 0)
        seen[base] = count + 1
        row.row_id = base if count == 0 else f"{base}~{count + 1}"


def _dedupe(headers: list[str]) -> list[str]:
    """Duplicate header names get a suffix (notes, notes_2) so no value is lost."""
    out: list[str] = []
    counts: dict[str, int] = {}
    for n, header in enumerate(headers):
        name = header.strip().lstrip("\ufeff") or f"column_{n + 1}"
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
        out.append(name if counts[name.lower()] == 1 else f"{name}_{counts[name.lower()]}")
    return out


def _find_header(records: list[list[str]], path: Path) -> tuple[int, Format]:
    for n, record in enumerate(records[:_HEADER_SCAN_ROWS]):
        normalized = {normalize_column(c) for c in record if c.strip()}
        if len(normalized & _LINKEDIN_HEADER) >= 5 and n > 0:
            return n, "linkedin"
        if normalized & _NAME_COLUMNS:
            return n, "linkedin" if len(normalized & _LINKEDIN_HEADER) >= 5 else "csv"
    raise InputError(
        f"{path}: no header row with a name column found in the first {_HEADER_SCAN_ROWS} lines; "
        "the header needs `name` (or `first_name` and `last_name`)"
    )


def _read_csv(text: str, path: Path) -> BatchInput:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        previous_end = 0
        for record in reader:
            records.append(record)
            lines.append(previous_end + 1)  # where the record starts (a quoted newline spans lines)
            previous_end = reader.line_num
    except csv.Error as exc:
        raise InputError(
            f"{path} line {reader.line_num}: {exc}; check for an unclosed quote"
        ) from None
    start, fmt = _find_header(records, path)
    columns = _dedupe(records[start])
    batch = BatchInput(path=path, format=fmt, columns=columns)
    for record, line in zip(records[start + 1 :], lines[start + 1 :]):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        values = {col: (record[i] if i < len(record) else "") for i, col in enumerate(columns)}
        for extra_n, cell in enumerate(record[len(columns) :], start=1):
            if cell.strip():
                key = f"extra_{extra_n}"
                if key not in batch.columns:
                    batch.columns.append(key)
                values[key] = cell
        batch.rows.append(InputRow(index=len(batch.rows), line=line, row_id="", values=values))
    _stable_ids(batch.rows)
    return batch


def _read_jsonl(text: str, path: Path) -> BatchInput:
    batch = BatchInput(path=path, format="jsonl", columns=[])
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        error = None
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            values = {
                str(k): "" if v is None else (v if isinstance(v, str) else json.dumps(v))
                for k, v in data.items()
            }
        except ValueError:
            values = {"raw": line[:500]}
            error = f'line {line_no} is not a JSON object: fix it to look like {{"name": "...", "notes": "..."}}'
        for key in values:
            if key not in batch.columns:
                batch.columns.append(key)
        batch.rows.append(
            InputRow(index=len(batch.rows), line=line_no, row_id="", values=values, error=error)
        )
    if not batch.rows:
        raise InputError(f"{path} has no JSON lines")
    _stable_ids(batch.rows)
    return batch


def read_batch_input(path: Path) -> BatchInput:
    """Read and detect the format; raises InputError when nothing usable can be read."""
    path = Path(path)
    text = _decode(_read_bytes(path), path)
    first = text.lstrip("\ufeff \t\r\n")[:1]
    if path.suffix.lower() in {".jsonl", ".ndjson"} or (
        first == "{" and path.suffix.lower() != ".csv"
    ):
        return _read_jsonl(text.lstrip("\ufeff"), path)
    return _read_csv(text, path)


def read_contacts_file(path: Path) -> list[Contact]:
    """Every usable contact in a file (for indexing notes); unusable rows are skipped."""
    contacts = []
    for row in read_batch_input(path).rows:
        if row.error:
            continue
        try:
            contacts.append(contact_from_row(row.values))
        except InputError:
            continue
    return contacts
