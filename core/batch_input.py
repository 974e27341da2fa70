"""Reading batch input: the project's CSV, a LinkedIn Connections.csv export, or JSONL.

Real files are messy: a UTF-8 BOM, Windows line endings, quoted fields with commas and
newlines, Latin-1 bytes, UTF-16 (Excel's "Unicode text"), semicolon or tab separators,
blank lines, extra or duplicated columns, and (LinkedIn) a few lines of notes before the
header. A file that cannot be read at all raises InputError before any work starts; a row
that cannot be used is marked and the rest go on.

Files are read as streams: `scan_batch_input` reads the file once to learn its encoding,
layout, columns and row count, and `BatchSource.rows()` reads it again row by row, so a
30,000-row export is never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from core.contacts import Contact, contact_from_row, normalize_column
from core.errors import InputError

if TYPE_CHECKING:
    import _csv

Format = Literal["csv", "linkedin", "jsonl"]
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Longest cell read; longer means a runaway quote (contact fields are far shorter anyway).
MAX_CELL_CHARS = 1_000_000
_HEADER_SCAN_ROWS = 15
_SAMPLE_CHARS = 64 * 1024
_CHUNK_BYTES = 1 << 20
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
_DELIMITERS = (",", ";", "\t")  # the first that finds a header wins a tie
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any byte: the chain ends
_RAW_KEEP = 500  # characters of an unparseable JSON line kept for the output

# The default (128 KB) would refuse a whole file for one long cell; a cell this long is
# reported on its own row instead.
csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS))


@dataclass
class InputRow:
    index: int  # 0-based position among data rows: output order
    line: int  # where it starts in the file, for messages
    row_id: str
    values: dict[str, str]
    error: str | None = None  # why the row itself could not be read, its line included


@dataclass
class BatchInput:
    """A whole file in memory: for callers that need every row at once (imports)."""

    path: Path
    format: Format
    columns: list[str]
    rows: list[InputRow] = field(default_factory=list)


@dataclass
class BatchSource:
    """What one read of a file learned; `rows()` streams its rows afresh on each call."""

    path: Path
    format: Format
    encoding: str
    columns: list[str]
    total: int
    delimiter: str = ","
    header_index: int = 0  # records (blank lines included) before the CSV header
    width: int = 0  # columns named by the CSV header (the rest are extra_N)

    def rows(self) -> Iterator[InputRow]:
        raw = self._jsonl_rows() if self.format == "jsonl" else self._csv_rows()
        return _with_stable_ids(raw)

    def _text(self, newline: str) -> io.TextIOWrapper:
        return open(self.path, encoding=self.encoding, newline=newline)

    def _csv_rows(self) -> Iterator[InputRow]:
        width = self.width
        with self._text("") as handle:
            records = _records(csv.reader(handle, delimiter=self.delimiter))
            index = 0
            for n, (record, line, problem) in enumerate(records):
                if n <= self.header_index:
                    continue  # notes before the header, and the header itself
                if problem is not None:
                    yield InputRow(index, line, "", {}, error=f"line {line}: {problem}")
                    index += 1
                    continue
                if not any(cell.strip() for cell in record):
                    continue  # blank line
                header = self.columns[:width]
                values = {c: (record[i] if i < len(record) else "") for i, c in enumerate(header)}
                for extra_n, cell in enumerate(record[width:], start=1):
                    if cell.strip():
                        values[f"extra_{extra_n}"] = cell
                yield InputRow(index, line, "", values)
                index += 1

    def _jsonl_rows(self) -> Iterator[InputRow]:
        with self._text("\n") as handle:
            index = 0
            for line_no, line in enumerate(handle, start=1):
                values, error = _json_values(line, line_no)
                if values is None:
                    continue  # blank line
                yield InputRow(index, line_no, "", values, error=error)
                index += 1


def _records(reader: _csv.Reader) -> Iterator[tuple[list[str], int, str | None]]:
    """(record, first line, problem) for every record, reading on past a bad one."""
    previous_end = 0
    while True:
        try:
            record = next(reader)
            problem = None
        except StopIteration:
            return
        except csv.Error:
            record = []
            problem = (
                f"a cell is over {MAX_CELL_CHARS:,} characters, or a quote is not closed: "
                "check the quotes on this line"
            )
        yield record, previous_end + 1, problem  # a quoted newline spans lines
        previous_end = reader.line_num


def _json_values(line: str, line_no: int) -> tuple[dict[str, str] | None, str | None]:
    """(values, error) of one JSON line; (None, None) for a blank one."""
    line = line.rstrip("\r\n")
    if not line.strip():
        return None, None
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:
        return {"raw": line[:_RAW_KEEP]}, (
            f'line {line_no} is not a JSON object: fix it to look like {{"name": "...", "notes": "..."}}'
        )
    values = {
        str(k): "" if v is None else (v if isinstance(v, str) else json.dumps(v))
        for k, v in data.items()
    }
    return values, None


def _with_stable_ids(rows: Iterator[InputRow]) -> Iterator[InputRow]:
    """`id` column when present, else a content hash; repeats of identical rows stay distinct."""
    seen: dict[str, int] = {}
    for row in rows:
        given = next((v for k, v in row.values.items() if normalize_column(k) == "id" and v), "")
        if given:
            base = f"id:{given}"
        else:
            content = row.values or {"line": str(row.line)}  # an unreadable record: where
            base = hashlib.sha256(
                json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
            ).hexdigest()[:20]
        count = seen.get(base, 0)
        seen[base] = count + 1
        row.row_id = base if count == 0 else f"{base}~{count + 1}"
        yield row


def _dedupe(headers: list[str]) -> list[str]:
    """Duplicate header names get a suffix (notes, notes_2) so no value is lost."""
    out: list[str] = []
    counts: dict[str, int] = {}
    for n, header in enumerate(headers):
        name = header.strip().lstrip("\ufeff") or f"column_{n + 1}"
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
        out.append(name if counts[name.lower()] == 1 else f"{name}_{counts[name.lower()]}")
    return out


# -- reading the file once: checks, encoding, layout ---------------------------------------


def _check_file(path: Path) -> bytes:
    """The first bytes of a readable file (InputError saying what to fix otherwise)."""
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
        with path.open("rb") as handle:
            return handle.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes; read in chunks, never all at once."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(path: Path, head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _decodes(path, "utf-16"):  # Excel's "Unicode text" export
            return "utf-16"
        raise InputError(f"{path} starts like UTF-16 but does not decode: save it as UTF-8")
    if b"\x00" in head:
        raise InputError(f"{path} looks binary (is it a spreadsheet?): export it as CSV (UTF-8)")
    for encoding in _ENCODINGS:
        if _decodes(path, encoding):
            return encoding
    raise InputError(f"cannot decode {path}: save it as UTF-8")  # pragma: no cover


def _sample(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, newline="") as handle:
        return handle.read(_SAMPLE_CHARS)


def _header_at(records: list[list[str]]) -> tuple[int, Format] | None:
    for n, record in enumerate(records[:_HEADER_SCAN_ROWS]):
        normalized = {normalize_column(c) for c in record if c.strip()}
        if len(normalized & _LINKEDIN_HEADER) >= 5 and n > 0:
            return n, "linkedin"
        if normalized & _NAME_COLUMNS:
            return n, "linkedin" if len(normalized & _LINKEDIN_HEADER) >= 5 else "csv"
    return None


def _layout(sample: str, path: Path) -> tuple[str, int, Format, list[str]]:
    """(delimiter, header index, format, header) from the start of a CSV: the separator is
    the one under which a header with a name column appears soonest."""
    found: list[tuple[int, int, int, str, Format, list[str]]] = []
    for rank, delimiter in enumerate(_DELIMITERS):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        records = [r for r, _, _ in itertools.islice(_records(reader), _HEADER_SCAN_ROWS)]
        at = _header_at(records)
        if at is not None:
            n, fmt = at
            found.append((n, -len(records[n]), rank, delimiter, fmt, records[n]))
    if not found:
        raise InputError(
            f"{path}: no header row with a name column found in the first {_HEADER_SCAN_ROWS} lines; "
            "the header needs `name` (or `first_name` and `last_name`)"
        )
    n, _, _, delimiter, fmt, header = min(found)
    return delimiter, n, fmt, header


def _scan_csv(path: Path, encoding: str) -> BatchSource:
    delimiter, header_index, fmt, header = _layout(_sample(path, encoding), path)
    columns = _dedupe(header)
    source = BatchSource(path, fmt, encoding, columns, 0, delimiter, header_index, len(columns))
    extras: list[str] = []
    total = 0
    for row in source._csv_rows():
        total += 1
        for key in row.values:
            if key.startswith("extra_") and key not in source.columns and key not in extras:
                extras.append(key)
    # Extra cells past the header become extra_1, extra_2 ... in order of first appearance.
    source.columns = [*source.columns, *extras]
    source.total = total
    return source


def _scan_jsonl(path: Path, encoding: str) -> BatchSource:
    source = BatchSource(path, "jsonl", encoding, [], 0)
    columns: dict[str, None] = {}
    total = 0
    for row in source._jsonl_rows():
        total += 1
        columns.update(dict.fromkeys(row.values))
    if not total:
        raise InputError(f"{path} has no JSON lines")
    source.columns, source.total = list(columns), total
    return source


def scan_batch_input(path: Path) -> BatchSource:
    """Read a file once to learn its format, columns and row count (InputError when nothing
    usable can be read); its rows are then streamed with `rows()`."""
    path = Path(path)
    encoding = _encoding(path, _check_file(path))
    sample = _sample(path, encoding)
    if not sample.strip():
        raise InputError(
            f"{path} is empty: add a header row (e.g. name,kind,notes) and one row per contact"
        )
    first = sample.lstrip("\ufeff \t\r\n")[:1]
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"} or (first == "{" and suffix != ".csv"):
        return _scan_jsonl(path, encoding)
    return _scan_csv(path, encoding)


def read_batch_input(path: Path) -> BatchInput:
    """Every row of a file in memory; raises InputError when nothing usable can be read."""
    source = scan_batch_input(path)
    return BatchInput(source.path, source.format, source.columns, list(source.rows()))


def read_contacts_file(path: Path) -> list[Contact]:
    """Every usable contact in a file (for indexing notes); unusable rows are skipped."""
    contacts = []
    for row in scan_batch_input(path).rows():
        if row.error:
            continue
        try:
            contacts.append(contact_from_row(row.values))
        except InputError:
            continue
    return contacts
