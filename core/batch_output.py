"""Writing a batch's output CSV: every input row, in input order, from the journal.

Rows are streamed from the input file a second time and each row's record is read back
from the journal by its offset, so the output of 30,000 rows is never held in memory.
Private notes stay out unless kept on purpose; cells go through the one CSV writer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from core.batch_input import BatchSource
from core.contacts import normalize_column
from core.csv_out import cell_text, write_csv
from core.journal import Journal

OUTPUT_COLUMNS = ("draft", "status", "error", "is_pitch", "pitch_score", "backend")
NOT_DRAFTED = {
    "status": "error",
    "error": "not drafted yet: the run stopped first; re-run the same command to resume",
}


def kept_columns(columns: list[str], keep_private_notes: bool) -> list[str]:
    """Input columns the output carries: private notes only when asked for."""
    return [c for c in columns if keep_private_notes or normalize_column(c) != "private_notes"]


def output_header(columns: list[str]) -> list[str]:
    """Input columns, then ours; an input column that clashes with ours is kept as input_<name>."""
    ours = set(OUTPUT_COLUMNS)
    return [f"input_{c}" if c in ours else c for c in columns] + list(OUTPUT_COLUMNS)


def write_output(
    source: BatchSource,
    results: Mapping[str, int],
    journal: Journal,
    output_path: Path,
    *,
    raw: bool = False,
    keep_private_notes: bool = False,
) -> dict[str, int]:
    """Write the output atomically; `results` maps a row id to its record's journal offset.
    Returns how many rows have each status (rows not drafted yet are not counted)."""
    columns = kept_columns(source.columns, keep_private_notes)
    counts: dict[str, int] = {}

    def rows(read: Any) -> Iterator[list[str]]:
        for row in source.rows():
            offset = results.get(row.row_id)
            record = read(offset) if offset is not None else NOT_DRAFTED
            if offset is not None:
                status = str(record.get("status", "error"))
                counts[status] = counts.get(status, 0) + 1
            values = [row.values.get(c, "") for c in columns]
            yield values + [cell_text(record.get(c, "")) for c in OUTPUT_COLUMNS]

    header = output_header(columns)
    if journal.path.exists():
        with journal.records_at() as read:
            write_csv(output_path, header, rows(read), raw=raw)
    else:
        write_csv(output_path, header, rows(lambda _offset: {}), raw=raw)
    return counts


__all__ = ["OUTPUT_COLUMNS", "kept_columns", "output_header", "write_output"]
