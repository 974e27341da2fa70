"""The one way the product writes CSV: batch output, downloads and exports all come here.

Every cell a spreadsheet would run as a formula is neutralised with a leading single
quote (`core.formulas`, after OWASP's CSV-injection guidance) unless the caller asks
for raw values (`outreach batch --raw-csv`). Files are written atomically from an
iterable of rows, so a large output never has to be held in memory.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from core.formulas import neutralize_cell


def cell_text(value: Any) -> str:
    """How a value reads in a cell: booleans as true/false, None as empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def safe_row(values: Iterable[Any], *, raw: bool = False) -> list[str]:
    cells = [cell_text(v) for v in values]
    return cells if raw else [neutralize_cell(c) for c in cells]


def write_csv_rows(
    handle: Any, header: Sequence[str], rows: Iterable[Sequence[Any]], *, raw: bool = False
) -> int:
    """Write a header and rows to an open text handle; returns how many rows were written."""
    writer = csv.writer(handle)
    writer.writerow(safe_row(header, raw=raw))
    count = 0
    for row in rows:
        writer.writerow(safe_row(row, raw=raw))
        count += 1
    return count


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, raw: bool = False
) -> int:
    """Write a CSV atomically (a temp file in the same folder, fsync'd, then renamed), so a
    reader never sees half a file and a failure leaves any earlier file in place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            count = write_csv_rows(handle, header, rows, raw=raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, raw: bool = False) -> str:
    """A whole CSV as text, for a download button."""
    buffer = io.StringIO(newline="")
    write_csv_rows(buffer, header, rows, raw=raw)
    return buffer.getvalue()


__all__ = ["cell_text", "csv_text", "safe_row", "write_csv", "write_csv_rows"]
