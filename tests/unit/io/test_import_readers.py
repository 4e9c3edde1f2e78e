"""Reading real files: spreadsheets (openpyxl and LibreOffice), text tables, vCards, Access, broken files."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest

from custdesk.io.importers import ImportFileError, list_tables, read_source
from tests.unit.io._import_data import ACCESS_DIR, CLIENT_ROWS, FIXTURES, write_text, write_xlsx

# --- Text tables ------------------------------------------------------------------------------------


def test_windows_1251_csv_with_semicolons(tmp_path: Path) -> None:
    text = "\r\n".join(";".join(str(c) for c in row) for row in CLIENT_ROWS) + "\r\n"
    table = read_source(write_text(tmp_path / "clients.csv", text, "cp1251"))
    assert (table.encoding, table.delimiter, table.format) == ("cp1251", ";", "csv")
    assert table.headers == ["ФИО", "Телефон", "E-mail", "Город", "Дата рождения"]
    assert table.rows[0] == ["Иванов Иван", "+7 912 345-67-89", "ivanov@example.ru", "Москва", "12.03.1985"]
    assert table.row_numbers == [2, 3, 4]


def test_utf16_tab_separated_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    text = "\r\n".join("\t".join(str(c) for c in row) for row in CLIENT_ROWS)
    path = tmp_path / "clients.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    table = read_source(path)
    assert table.encoding == "utf-16" and table.delimiter == "\t"
    assert table.rows[1][0] == "Петрова Анна"


def test_utf16_without_bom_and_utf8_with_bom_and_commas(tmp_path: Path) -> None:
    text = "\n".join(",".join(str(c) for c in row) for row in CLIENT_ROWS)
    no_bom = read_source(write_text(tmp_path / "a.csv", text, "utf-16-le"))
    assert no_bom.encoding == "utf-16-le" and no_bom.rows[2][3] == "Казань"
    bom = read_source(write_text(tmp_path / "b.csv", "\ufeff" + text))
    assert bom.encoding == "utf-8-sig" and bom.headers[0] == "ФИО" and bom.delimiter == ","


def test_windows_1252_finnish_is_not_taken_for_cyrillic(tmp_path: Path) -> None:
    text = "Nimi;Puhelin;Kaupunki\nMäkelä Jyrki;0401234567;Hämeenlinna\nSöderström Åsa;0501234567;Jyväskylä\n"
    table = read_source(write_text(tmp_path / "asiakkaat.csv", text, "cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows[0][0] == "Mäkelä Jyrki" and table.rows[1][2] == "Jyväskylä"


def test_quoted_cells_with_delimiters_and_line_breaks(tmp_path: Path) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerows([["Name", "Street", "Notes"], ["Ann", "Main st. 1; flat 2", "line one\nline two"]])
    table = read_source(write_text(tmp_path / "q.csv", buf.getvalue()))
    assert table.rows == [["Ann", "Main st. 1; flat 2", "line one\nline two"]]


# --- Spreadsheets -----------------------------------------------------------------------------------


def test_header_row_below_a_title_and_the_client_sheet_picked_by_name(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Итоги": [["Итого", 1], ["Месяц", 2], ["Год", 3], ["x", 4], ["y", 5], ["z", 6]],
            "Клиенты": [["Список клиентов на 01.02.2024"], [], *CLIENT_ROWS],
        },
    )
    table = read_source(path)
    assert table.name == "Клиенты" and table.sheets == ["Итоги", "Клиенты"]
    assert "its name says it holds the list" in table.picked_reason
    assert table.header_row == 3 and table.row_numbers == [4, 5, 6]
    assert table.headers[0] == "ФИО" and len(table.rows) == 3


def test_without_a_telling_name_the_biggest_sheet_is_read_and_the_choice_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"Лист1": [["a", "b"], [1, 2]], "Лист2": CLIENT_ROWS})
    table = read_source(path)
    assert table.name == "Лист2" and "most rows (4)" in table.picked_reason
    assert list_tables(path) == ["Лист1", "Лист2"]


def test_a_named_sheet_and_a_missing_one(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx", {"Клиенты": CLIENT_ROWS, "Покупки": [["Дата", "Сумма"], ["1.1.2024", 5]]}
    )
    assert read_source(path, sheet="Покупки").headers == ["Дата", "Сумма"]
    assert read_source(path, kind="purchases").name == "Покупки"
    with pytest.raises(
        ImportFileError, match=re.escape("no sheet “Sales”. Its sheets: “Клиенты”, “Покупки”")
    ):
        read_source(path, sheet="Sales")


def test_duplicate_and_empty_headers_become_unique(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "b.xlsx", {"S": [["Телефон", "Телефон", None, "Имя"], ["1", "2", "3", "Ann"]]}
    )
    assert read_source(path).headers == ["Телефон", "Телефон (2)", "Column C", "Имя"]


def test_max_rows_reads_the_head_of_the_sheet(tmp_path: Path) -> None:
    rows = [["Name", "Phone"], *[[f"N{i}", f"+7912000{i:04d}"] for i in range(200)]]
    table = read_source(write_xlsx(tmp_path / "b.xlsx", {"S": rows}), max_rows=20)
    assert len(table.rows) == 20 and table.rows[19][0] == "N19"


@pytest.mark.parametrize("suffix", ["ods", "xlsx", "xls"])
def test_files_written_by_libreoffice(suffix: str) -> None:
    table = read_source(FIXTURES / f"clients-libreoffice.{suffix}")
    assert table.sheets == ["Заметки", "Клиенты"] and table.name == "Клиенты"
    assert table.header_row == 3
    assert table.headers == [
        "ФИО",
        "Телефон",
        "Страна",
        "E-mail",
        "Город",
        "Дата рождения",
        "Сумма покупок",
        "Примечание",
    ]
    first, finn = table.rows[0], table.rows[1]
    assert first[0] == "Иванов Иван Иванович" and first[5] == date(1985, 3, 12)
    assert finn[1] in (401234567, 401234567.0)  # a phone stored as a number: its leading zero is gone
    assert len(table.rows) == 5


# --- vCard ------------------------------------------------------------------------------------------

OUTLOOK_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=Windows-1251;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED=EE=E2;=C8=E2=E0=ED;=C8=E2=E0=ED=EE=E2=E8=F7\r\n"
    "FN;CHARSET=Windows-1251;ENCODING=QUOTED-PRINTABLE:"
    "=C8=E2=E0=ED =C8=E2=E0=ED=EE=E2=E8=F7 =C8=E2=E0=ED=EE=\r\n"
    "=E2\r\n"
    "ORG;CHARSET=Windows-1251;ENCODING=QUOTED-PRINTABLE:=CE=CE=CE =AB=D0=EE=EC=E0=F8=EA=E0=BB\r\n"
    "TEL;WORK;VOICE:+7 (495) 123-45-67\r\nTEL;CELL;VOICE:8 912 345-67-89\r\n"
    "ADR;WORK;CHARSET=Windows-1251;ENCODING=QUOTED-PRINTABLE:"
    ";;=F3=EB. =CB=E5=ED=E8=ED=E0, 1;=CC=EE=F1=EA=E2=E0;;101000;=D0=EE=F1=F1=E8=FF\r\n"
    "EMAIL;PREF;INTERNET:ivanov@example.ru\r\n"
    "BDAY:19850312\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:=D1=EA=E8=E4=EA=E0 5%\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Smith;John\r\nTEL;HOME:+1 202 555 0143\r\nEND:VCARD\r\n"
)
GOOGLE_30 = (
    "BEGIN:VCARD\nVERSION:3.0\nFN:Matti Virtanen\nN:Virtanen;Matti;;;\n"
    "EMAIL;TYPE=INTERNET;TYPE=HOME:matti@example.fi\nEMAIL;TYPE=INTERNET:matti.work@example.fi\n"
    "TEL;TYPE=CELL:040 123 4567\nTEL;TYPE=WORK:+358 9 1234 5678\n"
    "ADR;TYPE=HOME:;;Mannerheimintie 1\\, A 2;Helsinki;;00100;Finland\n"
    "ORG:Virtanen Oy\nBDAY:1990-07-01\nNOTE:Pitkä muistiinpano\\, joka on taitettu\n  kahdelle riville.\n"
    "CATEGORIES:VIP,myContacts\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ann No Phone\nEMAIL:ann@example.com\nEND:VCARD\n"
)
THUNDERBIRD_40 = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//Thunderbird\r\nUID:2f3c1d0e-9a5b-4c1e-8f00-123456789abc\r\n"
    "FN:رضا احمدی\r\nN:احمدی;رضا;;;\r\nEMAIL;PREF=1:reza@example.ir\r\n"
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+98-912-123-4567\r\n'
    "TEL;VALUE=uri;TYPE=work:tel:+98-21-8888-7777\r\nBDAY;VALUE=date:--0412\r\nEND:VCARD\r\n"
)


def test_outlook_vcard_21_quoted_printable_cyrillic(tmp_path: Path) -> None:
    table = read_source(write_text(tmp_path / "outlook.vcf", OUTLOOK_21, "ascii"))
    assert table.format == "vcard" and table.header_row == 0 and table.row_numbers == [1, 2]
    card = dict(zip(table.headers, table.rows[0], strict=True))
    assert card["name"] == "Иван Иванович Иванов"
    assert card["organisation"] == "ООО «Ромашка»"
    assert card["work phone"] == "+7 (495) 123-45-67" and card["mobile"] == "8 912 345-67-89"
    assert card["city"] == "Москва" and card["street"] == "ул. Ленина, 1" and card["country"] == "Россия"
    assert (
        card["birthday"] == "1985-03-12"
        and card["email"] == "ivanov@example.ru"
        and card["notes"] == "Скидка 5%"
    )
    second = dict(zip(table.headers, table.rows[1], strict=True))
    assert second["name"] == "John Smith" and second["home phone"] == "+1 202 555 0143"


def test_google_vcard_30_folded_lines_and_type_parameters(tmp_path: Path) -> None:
    table = read_source(write_text(tmp_path / "google.vcf", GOOGLE_30))
    card = dict(zip(table.headers, table.rows[0], strict=True))
    assert card["name"] == "Matti Virtanen" and card["organisation"] == "Virtanen Oy"
    assert card["email"] == "matti@example.fi; matti.work@example.fi"
    assert card["mobile"] == "040 123 4567" and card["work phone"] == "+358 9 1234 5678"
    assert card["street"] == "Mannerheimintie 1, A 2" and card["postcode"] == "00100"
    assert card["notes"] == "Pitkä muistiinpano, joka on taitettu kahdelle riville."
    assert card["tags"] == "VIP; myContacts"
    assert len(table.rows) == 2


def test_thunderbird_vcard_40_uri_phones_and_uid(tmp_path: Path) -> None:
    table = read_source(write_text(tmp_path / "tb.vcf", THUNDERBIRD_40))
    card = dict(zip(table.headers, table.rows[0], strict=True))
    assert card["name"] == "رضا احمدی" and card["external_id"] == "2f3c1d0e-9a5b-4c1e-8f00-123456789abc"
    assert card["mobile"] == "+98-912-123-4567" and card["work phone"] == "+98-21-8888-7777"
    assert card["birthday"] is None  # a birthday without a year is no birth date


# --- Access -----------------------------------------------------------------------------------------

needs_access = pytest.mark.skipif(
    not ACCESS_DIR.is_dir(),
    reason=f"the shared Access samples are not at {ACCESS_DIR} (not part of the repo)",
)


def _mdb_export(path: Path, table: str) -> list[list[str]]:
    out = subprocess.run(["mdb-export", str(path), table], check=True, capture_output=True, text=True).stdout
    return list(csv.reader(io.StringIO(out)))


@needs_access
def test_access_jet3_table_read_as_mdbtools_reads_it() -> None:
    path = ACCESS_DIR / "table-jet3.mdb"
    assert list_tables(path) == ["Tabelle1"]
    table = read_source(path)
    assert table.headers == ["ID", "f1", "f2"] and len(table.rows) == 8
    assert table.rows[0] == [1, "z1", "sdasdgasdg"]
    assert any("ä" in str(row[2]) for row in table.rows)  # umlauts survive
    assert max(len(str(row[2])) for row in table.rows) > 10_000  # the very long text, whole
    if shutil.which("mdb-export"):
        exported = _mdb_export(path, "Tabelle1")
        assert exported[0] == table.headers
        assert [r[1] for r in exported[1:]] == [r[1] for r in table.rows]
        assert [r[2] for r in exported[1:]] == [r[2] or "" for r in table.rows]


@needs_access
def test_access_ace12_skips_attachment_tables_and_names_what_it_cannot_read() -> None:
    path = ACCESS_DIR / "contacts-ace12.accdb"
    assert list_tables(path) == ["Table1", "Copy Of Table1"]  # no MSys*, no f_<hex>_Data
    table = read_source(path)
    assert table.name == "Copy Of Table1" and "most rows" in table.picked_reason
    assert table.headers == [
        "ID",
        "FirstName",
        "LastName",
        "Company",
        "PhoneNumber",
        "E-mail",
        "Address",
        "Zip/Postal Code",
    ]
    if shutil.which("mdb-export"):
        exported = _mdb_export(path, "Copy Of Table1")
        assert [r[1:6] for r in exported[1:]] == [[str(c) for c in r[1:6]] for r in table.rows]
    with pytest.raises(
        ImportFileError, match=r"“Table1” of contacts-ace12.accdb \(ACE 12 \(Access 2007\)\).*FirstName"
    ):
        read_source(path, table="Table1")


# --- Broken files -----------------------------------------------------------------------------------


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", {"S": CLIENT_ROWS}).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportFileError, match=re.escape("cut.xlsx is damaged or is not a spreadsheet")):
        read_source(cut)


def test_wrong_extension_is_read_by_content(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", {"Clients": CLIENT_ROWS})
    renamed = tmp_path / "clients.csv"
    renamed.write_bytes(real.read_bytes())
    assert read_source(renamed).headers[0] == "ФИО"
    text_as_xlsx = write_text(tmp_path / "clients.xlsx", "Name;Phone\nAnn;+79123456789\n")
    assert read_source(text_as_xlsx).rows == [["Ann", "+79123456789"]]


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("photo.txt", "not a workbook")
    with pytest.raises(ImportFileError, match=re.escape("photos.xlsx is damaged or is not a spreadsheet")):
        read_source(path)


def test_empty_sheet_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=re.escape("“Empty” in e.xlsx is empty")):
        read_source(write_xlsx(tmp_path / "e.xlsx", {"Empty": []}))
    (tmp_path / "zero.csv").write_bytes(b"")
    with pytest.raises(ImportFileError, match=re.escape("zero.csv is empty")):
        read_source(tmp_path / "zero.csv")


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="has a header row but no rows of data"):
        read_source(write_xlsx(tmp_path / "h.xlsx", {"Clients": [CLIENT_ROWS[0]]}))
    with pytest.raises(ImportFileError, match="has a header row but no rows of data"):
        read_source(write_text(tmp_path / "h.csv", "Name;Phone;City\n"))


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(
        ImportFileError, match=re.escape("clients.csv is damaged or is not really a .csv file")
    ):
        read_source(path)
    odd = tmp_path / "data.bin"
    odd.write_bytes(b"\x00\x01\x02\x03garbage" * 100)
    with pytest.raises(ImportFileError, match="is not a file CustDesk can import"):
        read_source(odd)


def test_a_one_megabyte_cell_is_read(tmp_path: Path) -> None:
    big = "x" * 1_000_000
    table = read_source(write_text(tmp_path / "big.csv", f"Name;Notes\nAnn;{big}\n"))
    assert len(str(table.rows[0][1])) == 1_000_000


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="does not exist"):
        read_source(tmp_path / "nope.xlsx")
    with pytest.raises(ImportFileError, match="is a folder"):
        read_source(tmp_path)


def test_vcf_without_cards(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="holds no contact cards"):
        read_source(write_text(tmp_path / "x.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Never closed\n"))
