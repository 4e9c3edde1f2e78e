"""The bad-input corpus: files an owner might really feed the import, and some nobody should.

``make_corpus(folder)`` returns every case; ``write=True`` also writes them into ``folder``. Each case
names the file, what the import is told it holds (``kind``), and, when today's reader still fails it,
the issue that fixes it (``known``). The corpus is generated, never committed: small, reviewable,
reproducible. Run this module to write it somewhere: ``python tests/torture/corpus.py DIR``.
"""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEADER = "External ID,Name,Phone,City\n"
ROW = "C-1,Anna Virtanen,+358401234567,Tampere\n"


@dataclass(frozen=True)
class Case:
    """One bad input."""

    name: str
    file: Path
    kind: str = "clients"
    known: str | None = None  # "fixed by issue 16": today's code still fails it
    make: Callable[[Path], None] | None = None  # writes the file (None: nothing to write: a missing file)


def _xlsx(sheet_xml: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .xlsx with one sheet of ``sheet_xml`` (inline strings)."""
    files = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
        b'PartName="/xl/'
        b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
        b'main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        b'<sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    files.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _sheet(rows: list[list[str]]) -> bytes:
    out = [
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>"
    ]
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{value}</t></is></c>'
            for c, value in enumerate(row)
        )
        out.append(f'<row r="{r}">{cells}</row>'.encode())
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)


def _zip_bomb() -> bytes:
    """An .xlsx whose one sheet unpacks to about 200 MB (a few hundred KB on disk)."""
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    )
    tail = b"</t></is></c></row></sheetData></worksheet>"
    buffer = io.BytesIO()
    base = _xlsx(_sheet([["Name"], ["x"]]))
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            chunk = b"A" * (1 << 20)
            for _ in range(200):
                fh.write(chunk)
            fh.write(tail)
    return buffer.getvalue()


def _sqlite_file(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE clients(name TEXT)")
    con.execute("INSERT INTO clients VALUES ('Anna')")
    con.commit()
    con.close()


def make_corpus(folder: Path, *, write: bool = False) -> list[Case]:
    """The corpus's cases (at least 60), with their files in ``folder``; ``write``: write them there."""
    cases: list[Case] = []

    def add(
        name: str,
        filename: str,
        content: bytes | str | Callable[[], bytes] | Callable[[Path], None],
        **kw: str,
    ) -> None:
        def make(path: Path) -> None:
            data = content() if content is _zip_bomb else content
            if callable(data):
                data(path)
            elif isinstance(data, str):
                path.write_text(data, encoding="utf-8", newline="")
            else:
                path.write_bytes(data)

        cases.append(Case(name, folder / filename, make=make, **kw))

    # --- text tables: shape -----------------------------------------------------------------------------
    add("empty csv", "empty.csv", b"")
    add("only a BOM", "bom-only.csv", b"\xef\xbb\xbf")
    add("only blank lines", "blank-lines.csv", "\n\n\n  \n")
    add("header, no rows", "header-only.csv", HEADER)
    add("one column without names", "one-column.csv", "x\n1\n2\n3\n")
    add("ragged rows", "ragged.csv", HEADER + "C-1,Anna\nC-2,Bob,+358401234568,Oulu,extra,extra\n,,,\n")
    add("duplicate headers", "duplicate-headers.csv", "Name,Name,Phone,Phone\nAnna,Anne,+358401234567,1\n")
    add("blank header cells", "blank-headers.csv", ",,,\nAnna,+358401234567,Tampere,\n")
    add(
        "semicolons and commas mixed", "mixed-delimiters.csv", "Name;Phone,City\nAnna;+358401234567,Tampere\n"
    )
    add("tab separated with quotes", "tabs.txt", 'Name\tPhone\n"Anna\t"\t+358401234567\n')
    add(
        "unclosed quote",
        "unclosed-quote.csv",
        HEADER + 'C-1,"Anna Virtanen,+358401234567,Tampere\n' + ROW * 3,
    )
    add("quote in the middle", "stray-quote.csv", HEADER + 'C-1,Anna "Ann" Virtanen,+358401234567,Tampere\n')
    add("CR only line ends", "cr-only.csv", (HEADER + ROW).replace("\n", "\r"))
    add("CRLF line ends", "crlf.csv", (HEADER + ROW).replace("\n", "\r\n"))
    add("no line end at all", "no-newline.csv", HEADER + ROW.rstrip("\n"))
    add(
        "a megabyte in one cell",
        "huge-cell.csv",
        HEADER + "C-1," + "A" * 1_000_000 + ",+358401234567,Tampere\n",
    )
    add(
        "two thousand columns",
        "wide.csv",
        ",".join(f"col{i}" for i in range(2000)) + "\n" + "1," * 1999 + "1\n",
    )
    add("twenty thousand empty rows", "empty-rows.csv", HEADER + ",,,\n" * 20_000)
    add("names only, no way to reach", "names-only.csv", "Name\nAnna\nBob\n")
    add("rows with no name", "no-names.csv", "Name,Phone\n,+358401234567\n,+358401234568\n")
    add("the same client twice", "same-twice.csv", HEADER + ROW + ROW)
    # --- text tables: encodings and characters ----------------------------------------------------------
    add("UTF-16 with BOM", "utf16.csv", (HEADER + "C-1,Анна,+79123456789,Москва\n").encode("utf-16"))
    add("UTF-16 without BOM", "utf16-le.csv", (HEADER + ROW).encode("utf-16-le"))
    add("Windows-1251", "cp1251.csv", (HEADER + "C-1,Анна Иванова,+79123456789,Москва\n").encode("cp1251"))
    add("Latin-1", "latin1.csv", (HEADER + "C-1,Äijä Öljy,+358401234567,Hämeenlinna\n").encode("latin-1"))
    add("invalid UTF-8 bytes", "bad-utf8.csv", HEADER.encode() + b"C-1,Anna \xff\xfe\xc3,+358401234567,T\n")
    add("NUL bytes", "nul.csv", HEADER.encode() + b"C-1,An\x00na,+358401234567,Tampere\n" + b"\x00" * 100)
    add(
        "control characters",
        "control-chars.csv",
        HEADER + "C-1,Anna\x01\x02\x07\x1b[31m Virtanen,+358401234567,Tam\x0bpere\n",
    )
    add("right-to-left and marks", "rtl.csv", HEADER + "C-1,\u202eنسرین احمدی\u202c,+989121234567,تهران\n")
    add("emoji and astral characters", "emoji.csv", HEADER + "C-1,Anna 😀𝕬,+358401234567,Tampere\n")
    add(
        "lone surrogate escapes",
        "surrogates.csv",
        HEADER.encode() + b"C-1,Anna \xed\xa0\x80,+358401234567,T\n",
    )
    add("formulas in cells", "formulas.csv", HEADER + 'C-1,=cmd|"/c calc"!A1,+358401234567,@SUM(1+1)\n')
    add("binary noise named .csv", "noise.csv", bytes((i * 7919) % 256 for i in range(8192)))
    add("JSON named .csv", "json.csv", '{"clients": [{"name": "Anna"}]}')
    add(
        "HTML saved as .xls",
        "html.xls",
        "<html><body><table><tr><td>Name</td></tr><tr><td>Anna</td></tr></table>",
    )
    add("a SQLite file named .csv", "sqlite.csv", _sqlite_file)
    # --- values -----------------------------------------------------------------------------------------
    add(
        "phones that are not phones",
        "bad-phones.csv",
        "Name,Phone\nAnna,call me\nBob,+0\nCid,99999999999999999999\n",
    )
    add("e-mails that are not", "bad-emails.csv", "Name,E-mail\nAnna,anna@\nBob,@example\nCid,a b@c d\n")
    add(
        "birthday 31.12.1899",
        "date-1899.csv",
        "Name,Phone,Birthday\nAnna,+358401234567,31.12.1899\n",
    )
    add(
        "dates out of range",
        "bad-dates.csv",
        "Name,Phone,Birthday\nAnna,+358401234567,31.02.2020\nB,+358401234568,0000-00-00\n",
    )
    add(
        "a 29-digit amount",
        "amount-29-digits.csv",
        "Client external id,Date,Amount\nC-1,2025-01-05,12345678901234567890123456789\n",
        kind="purchases",
    )
    add(
        "amounts that are not numbers",
        "bad-amounts.csv",
        "Client external id,Date,Amount\nC-1,2025-01-05,twelve\nC-1,2025-01-06,1e400\nC-1,2025-01-07,NaN\n",
        kind="purchases",
    )
    add(
        "purchases of unknown clients",
        "unknown-clients.csv",
        "Client external id,Date,Amount\nNOBODY,2025-01-05,10.00\n",
        kind="purchases",
    )
    add(
        "history with garbage dates",
        "history-garbage.csv",
        "Client external id,Date,Kind,Note\nC-1,yesterday,call,hello\nC-1,,,\n",
        kind="history",
    )
    # --- not files, or not reachable --------------------------------------------------------------------
    cases.append(Case("a folder named .csv", folder / "folder.csv", make=Path.mkdir))
    cases.append(Case("a missing file", folder / "missing.csv"))
    cases.append(Case("a FIFO named x.csv", folder / "x.csv", make=os.mkfifo))

    def loop(path: Path) -> None:
        os.symlink(path.with_name("loop-b.csv"), path)
        os.symlink(path, path.with_name("loop-b.csv"))

    cases.append(Case("a symlink loop", folder / "loop-a.csv", make=loop))
    cases.append(
        Case(
            "a dangling symlink",
            folder / "dangling.csv",
            make=lambda p: os.symlink(p.with_name("nowhere.csv"), p),
        )
    )
    add("an unknown extension", "clients.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    add("no extension", "clients", HEADER + ROW)
    add("a newline in the file name", "two\nlines.csv", HEADER + ROW)
    # --- spreadsheets -----------------------------------------------------------------------------------
    add("empty .xlsx", "empty.xlsx", b"")
    add("text named .xlsx", "text.xlsx", HEADER + ROW)
    add("a zip of noise named .xlsx", "noise.xlsx", _zip_of({"a.txt": b"noise"}))
    add(
        "truncated .xlsx",
        "truncated.xlsx",
        _xlsx(_sheet([["Name", "Phone"], ["Anna", "+358401234567"]]))[:300],
    )
    add("an .xlsx without sheets", "no-sheets.xlsx", _xlsx(b"", extra={"xl/workbook.xml": b"<workbook/>"}))
    add("an .xlsx sheet of broken XML", "broken-xml.xlsx", _xlsx(b"<worksheet><sheetData><row><c>"))
    add("an empty sheet", "empty-sheet.xlsx", _xlsx(_sheet([])))
    add("a zip bomb .xlsx", "zip-bomb.xlsx", _zip_bomb)
    add("noise named .xls", "noise.xls", bytes((i * 31) % 256 for i in range(4096)))
    add(
        "noise named .ods",
        "noise.ods",
        _zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
    )
    add("empty .ods", "empty.ods", b"")
    # --- vCards and Access ------------------------------------------------------------------------------
    add("empty .vcf", "empty.vcf", b"")
    add("a vCard never ended", "unended.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Anna\nTEL:+358401234567\n")
    add("a vCard with no name", "nameless.vcf", "BEGIN:VCARD\nVERSION:3.0\nTEL:+358401234567\nEND:VCARD\n")
    add(
        "a vCard phone with an extension",
        "tel-ext.vcf",
        "BEGIN:VCARD\nVERSION:3.0\nFN:Anna\nTEL;TYPE=WORK:+358 9 123 4567 ext. 89\nEND:VCARD\n",
    )
    add(
        "broken quoted-printable",
        "bad-qp.vcf",
        "BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE:=D0=90=D0=BD=\nTEL:+79123456789\nEND:VCARD\n",
    )
    add(
        "a 2 MB photo",
        "big-photo.vcf",
        "BEGIN:VCARD\nVERSION:3.0\nFN:Anna\nTEL:+358401234567\nPHOTO;ENCODING=b;TYPE=JPEG:"
        + "QUFB" * 500_000
        + "\nEND:VCARD\n",
    )
    add("noise named .mdb", "noise.mdb", bytes((i * 13) % 256 for i in range(8192)))
    add("empty .accdb", "empty.accdb", b"")
    if write:
        folder.mkdir(parents=True, exist_ok=True)
        for case in cases:
            if case.make is not None:
                case.make(case.file)
    return cases


def _zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


if __name__ == "__main__":
    import sys

    made = make_corpus(Path(sys.argv[1]), write=True)
    print(f"{len(made)} files in {sys.argv[1]}")
