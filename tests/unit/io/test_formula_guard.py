"""The export's formula guard reads a value as a spreadsheet does: behind invisible characters, full width.

The end-to-end case of issue 19: an .xlsx carrying ``_x0000_=`` (a NUL before a formula) and other
invisible lead-ins is imported, exported to .csv, and LibreOffice (headless, formulas evaluated on
import: the worst case) opens the export without a single formula.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from custdesk.core.db import Database
from custdesk.core.services import clients
from custdesk.core.services.client_list import list_clients
from custdesk.io.exporters import export_file
from custdesk.io.exporters.columns import Column, ExportTable, is_formula_like, spreadsheet_start
from custdesk.io.exporters.delimited import write_csv
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.importers.delimited import unquote_formula
from custdesk.io.mapping import suggest_mapping

# What a spreadsheet passes over before it looks at the first character.
LEAD_INS = ["", "\x00", "\x00\x00", " ", "\u00a0", "\ufeff", "\u200b", "\u200d", "\u2060", "\x01\x1f", "\x7f"]
TRIGGERS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"]
HARMLESS = ["Anna", "'t Hooft", "5 kg", " Anna", "\u200bAnna", "a=b", "１２", "", "\x00", "\ufeff"]


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("trigger", TRIGGERS)
@pytest.mark.parametrize("lead_in", LEAD_INS)
def test_a_formula_behind_invisible_characters_gets_an_apostrophe(
    lead_in: str, trigger: str, tmp_path: Path
) -> None:
    value = f'{lead_in}{trigger}HYPERLINK("http://x.example";"x")'
    write_csv(tmp_path / "f.csv", ExportTable("T", [Column("notes")], iter([[value]]), 1))
    written = _read(tmp_path / "f.csv")[1][0]
    assert written == "'" + value  # the value itself is kept behind the apostrophe
    assert unquote_formula(written) == value  # and the importer gives it back unchanged


@pytest.mark.parametrize("lead", ["\t", "\r", "\t ", "\r\n"])
def test_a_leading_tab_or_carriage_return_counts_by_itself(lead: str) -> None:
    assert is_formula_like(f"{lead}text")


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_alone(text: str, tmp_path: Path) -> None:
    assert not is_formula_like(text)
    write_csv(tmp_path / "f.csv", ExportTable("T", [Column("notes")], iter([[text]]), 1))
    assert _read(tmp_path / "f.csv")[1][0] == text


def test_spreadsheet_start_skips_only_the_invisible_lead_in() -> None:
    assert spreadsheet_start("\x00\ufeff\u200b =1") == "=1"
    assert spreadsheet_start("Anna \x00") == "Anna \x00"


def _poisoned_workbook(path: Path) -> Path:
    """An .xlsx as a hostile sender writes it: XlsxWriter stores a NUL as ``_x0000_`` in the cell text."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Clients")
    rows = [
        ["name", "notes", "source"],
        ["Anna Null", '\x00=HYPERLINK("http://evil.example";"Click")', "\x00=1+2"],
        ["Bob Zero", "\u200b=1+2", "\ufeff@SUM(1;2)"],
        ["Cy Wide", "\uff1d1+2", "\u2060+1+2"],
        ["Dee Space", " =1+2", "\x00 -1+2"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    assert b"_x0000_=" in _shared_strings(path)
    return path


def _shared_strings(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("xl/sharedStrings.xml")


def _import_and_export(db: Database, tmp_path: Path) -> Path:
    table = read_source(_poisoned_workbook(tmp_path / "poison.xlsx"))
    run_import(db, table, suggest_mapping("clients", table), ImportOptions(bad_rows="flag"))
    assert len(list_clients(db)) == 4
    out = tmp_path / "export.csv"
    export_file(db, out, "clients")
    return out


def test_the_x0000_workbook_exports_no_formula(db: Database, tmp_path: Path) -> None:
    out = _import_and_export(db, tmp_path)
    rows = _read(out)
    header = rows[0]
    cells = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    for cell in cells:
        for key in ("notes", "source"):
            assert cell[key].startswith("'"), (key, cell[key])  # neutralised, whatever came before it
    by_name = {c.name: clients.get_client(db, c.id) for c in list_clients(db)}
    assert (by_name["Bob Zero"].notes or "").startswith("\u200b=1+2")  # the base keeps what came in


def _libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _formulas_libreoffice_sees(csv_path: Path, tmp_path: Path) -> list[str]:
    """Open ``csv_path`` in LibreOffice with formulas evaluated, save as .xlsx, list the formula cells."""
    program = _libreoffice()
    assert program is not None
    out_dir = tmp_path / "lo-out"
    # CSV filter options: comma, double quote, UTF-8, from line 1, default columns, en-US, quoted
    # fields not forced to text, no special numbers, ..., token 13 "evaluate formulas" = true.
    options = "44,34,76,1,,1033,false,false,false,false,false,-1,true"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            f"--infilter=CSV:{options}",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    book = load_workbook(out_dir / f"{csv_path.stem}.xlsx")
    return [
        cell.coordinate
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.slow
@pytest.mark.skipif(
    _libreoffice() is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)",
)
def test_libreoffice_opens_the_export_without_a_formula(db: Database, tmp_path: Path) -> None:
    # The control: unguarded, LibreOffice runs "=" and NUL + "=" as formulas, so the check can fail.
    raw = tmp_path / "unguarded.csv"
    raw.write_text("name,notes\r\nA,=1+2\r\nB,\x00=1+2\r\n", encoding="utf-8-sig")
    assert len(_formulas_libreoffice_sees(raw, tmp_path)) == 2
    # The imported workbook's export, and every lead-in and trigger written by the CSV writer itself
    # (a NUL that reaches the base by another road than the importer, which drops it).
    assert _formulas_libreoffice_sees(_import_and_export(db, tmp_path), tmp_path) == []
    values = [[f"{lead_in}{trigger}1+2"] for lead_in in LEAD_INS for trigger in TRIGGERS]
    every = tmp_path / "every.csv"
    write_csv(every, ExportTable("T", [Column("notes")], iter(values), len(values)))
    assert _formulas_libreoffice_sees(every, tmp_path) == []
