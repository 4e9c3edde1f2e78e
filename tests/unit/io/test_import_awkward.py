"""Awkward real files: old encodings, broken quotes, zip bombs, huge numbers, pipes, loops, Access bases."""

from __future__ import annotations

import os
import zipfile
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from custdesk.cli import main
from custdesk.core.db import Database, open_base
from custdesk.core.services import clients
from custdesk.core.services.client_list import list_clients
from custdesk.io import parsing
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.importers.base import ImportFileError
from custdesk.io.importers.spreadsheet import MAX_RATIO, RATIO_FROM
from custdesk.io.mapping import suggest_mapping
from tests.unit.io._import_data import ACCESS_DIR, file_hash, set_region, write_text, write_xlsx

# Persian as Windows programs write it: the Arabic yeh (ي) and kaf (ك) in place of the Persian ی and ک.
PERSIAN_ROWS = [
    ("علي رضايي", "09121234567", "تهران"),
    ("مريم كريمي", "09351234567", "اصفهان"),
    ("پروين گلچين", "09123334455", "کرج"),
    ("حسين يگانه", "09121112233", "شيراز"),
]


def _import(db: Database, path: Path, **options: object) -> object:
    kind = str(options.get("kind", "clients"))
    table = read_source(path, kind=kind)
    return run_import(db, table, suggest_mapping(kind, table), ImportOptions(**options))  # type: ignore[arg-type]


def test_a_cp1256_persian_csv_is_read_and_stored_with_persian_letters(db: Database, tmp_path: Path) -> None:
    set_region(db, "IR")
    text = "نام;تلفن;شهر\r\n" + "".join(";".join(r) + "\r\n" for r in PERSIAN_ROWS)
    path = write_text(tmp_path / "fa.csv", text, "cp1256")
    table = read_source(path)
    assert table.encoding == "cp1256"
    report = _import(db, path)
    assert (report.created, report.flagged) == (4, 0)  # type: ignore[attr-defined]
    names = sorted(c.name for c in list_clients(db))
    assert names == sorted(r[0].replace("ي", "ی").replace("ك", "ک") for r in PERSIAN_ROWS)
    assert not any("ي" in n or "ك" in n for n in names)
    # Search typed with either letter finds the client.
    assert [c.name for c in list_clients(db, search="كريمي")] == ["مریم کریمی"]
    assert [c.name for c in list_clients(db, search="کریمی")] == ["مریم کریمی"]


def test_a_koi8r_csv_is_read(db: Database, tmp_path: Path) -> None:
    set_region(db, "RU")
    text = "ФИО;Телефон;Город\nИванов Иван;+7 912 345-67-89;Москва\nПетрова Анна;8 912 111-22-33;Тверь\n"
    path = write_text(tmp_path / "koi.csv", text, "koi8_r")
    assert read_source(path).encoding == "koi8_r"
    _import(db, path)
    assert sorted(c.city for c in list_clients(db)) == ["Москва", "Тверь"]


def test_an_unclosed_quote_is_named_by_its_row_and_changes_nothing(
    empty_base_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        'Name;Phone;City\nAnn;+7 912 345-67-89;Tver\nBob;"+7 913 000-00-00;Tula\nEve;+7 914 000-00-00;Omsk\n'
    )
    path = write_text(tmp_path / "q.csv", text)
    with pytest.raises(ImportFileError, match=r"Row 3 of q\.csv opens a quote"):
        read_source(path)
    before = file_hash(empty_base_file)
    assert main(["import", str(path), "--db", str(empty_base_file)]) == 2
    captured = capsys.readouterr()
    assert "Row 3 of q.csv" in captured.err and "Traceback" not in captured.err + captured.out
    assert file_hash(empty_base_file) == before


def test_a_quoted_cell_with_line_breaks_is_still_one_cell(tmp_path: Path) -> None:
    text = 'Name;Street;City\nAnn;"Main st 1\nflat 2";Tver\nBob;Side st;Tula\n'
    table = read_source(write_text(tmp_path / "ok.csv", text))
    assert table.rows[0][1] == "Main st 1\nflat 2" and table.row_numbers == [2, 4]


def _zip_bomb(path: Path) -> Path:
    """A workbook-looking zip whose one part unpacks to far more than it packs to (made here)."""
    size = RATIO_FROM + 1024 * 1024
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"<row><c><v>0</v></c></row>" * 40000
            written = 0
            while written < size:
                part.write(chunk)
                written += len(chunk)
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = _zip_bomb(tmp_path / "bomb.xlsx")
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > MAX_RATIO * info.compress_size  # it really is one
    with pytest.raises(ImportFileError, match="would unpack to"):
        read_source(path)


def test_a_29_digit_amount_or_discount_is_a_row_message(db: Database, tmp_path: Path) -> None:
    huge = "1" * 29
    with pytest.raises(ValueError, match="too large"):
        parsing.parse_money(huge)
    set_region(db, "RU")
    text = f"Name;Phone;discount_percent\nAnn;+7 912 345-67-89;{huge}\n"
    report = _import(db, write_text(tmp_path / "c.csv", text))
    assert (report.created, report.flagged) == (1, 1)  # type: ignore[attr-defined]
    [ann] = list_clients(db)
    card = clients.get_client(db, ann.id)
    assert card.discount_percent is None and huge in card.notes
    sales = f"client_external_id;date;amount\n{ann.external_id};01.02.2024;{huge}\n"
    report = _import(db, write_text(tmp_path / "p.csv", sales), kind="purchases")
    assert report.skipped == 1 and "too large" in report.issues[0].reason  # type: ignore[attr-defined]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_csv_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    os.mkfifo(path)
    with pytest.raises(ImportFileError, match="not an ordinary file"):
        read_source(path)


def test_a_symlink_loop_is_named_as_a_loop(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(ImportFileError, match="round in a circle"):
        read_source(a)


def test_control_characters_and_bidi_overrides_are_not_stored(db: Database, tmp_path: Path) -> None:
    set_region(db, "RU")
    text = "Name;City;Notes\n\x1b[31mAnn\x1b[0m;\u202eTver;line\x07 one\n"
    _import(db, write_text(tmp_path / "c.csv", text))
    [row] = list_clients(db)
    card = clients.get_client(db, row.id)
    assert (card.name, card.city) == ("[31mAnn[0m", "Tver")
    assert "\x07" not in card.notes and "\x1b" not in card.name


def test_a_vcard_tel_uri_with_an_extension_keeps_the_card(db: Database, tmp_path: Path) -> None:
    set_region(db, "FI")
    text = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Matti Virtanen\r\n"
        "TEL;VALUE=uri;TYPE=work:tel:+358-40-123-4567;ext=12\r\nEND:VCARD\r\n"
    )
    report = _import(db, write_text(tmp_path / "c.vcf", text))
    assert (report.created, report.flagged) == (1, 0)  # type: ignore[attr-defined]
    card = clients.get_client(db, list_clients(db)[0].id)
    assert [(p.number, p.extension) for p in card.phones] == [("+358401234567", "12")]


def test_the_spreadsheet_day_zero_is_named_not_shown_as_a_time(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="day zero"):
        parsing.parse_date(time())
    from datetime import date

    path = write_xlsx(tmp_path / "c.xlsx", {"Clients": [["Name", "Birthday"], ["Ann", date(1899, 12, 31)]]})
    report = _import(db, path)
    [issue] = [i for i in report.issues if i.field == "birthday"]  # type: ignore[attr-defined]
    assert "day zero" in issue.reason and "00:00:00" not in issue.reason


needs_access = pytest.mark.skipif(
    not ACCESS_DIR.is_dir(),
    reason=f"the shared Access samples are not at {ACCESS_DIR} (not part of the repo)",
)


@needs_access
def test_the_access_contacts_all_land(db: Database) -> None:
    set_region(db, "FI")
    path = ACCESS_DIR / "contacts-ace12.accdb"
    rows = len(read_source(path).rows)  # the biggest table: "Copy Of Table1"
    report = _import(db, path)
    assert (report.created, report.skipped) == (rows, 0)  # type: ignore[attr-defined]
    assert len(list_clients(db)) == rows
    companies = {clients.get_client(db, c.id).organisation for c in list_clients(db)}
    assert {"Walmart", "Nike", "Microsoft"} <= companies


@needs_access
def test_the_access_jet3_table_lands_when_its_name_column_is_chosen(
    empty_base_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ACCESS_DIR / "table-jet3.mdb"
    before = file_hash(empty_base_file)
    assert main(["import", str(path), "--db", str(empty_base_file)]) == 2  # no name column: said, not guessed
    assert "No column is mapped to" in capsys.readouterr().err
    assert file_hash(empty_base_file) == before
    with open_base(empty_base_file, auto_backup=False) as db:
        table = read_source(path)
        mapping = suggest_mapping("clients", table)
        mapping.set("f1", "name")
        report = run_import(db, table, mapping, ImportOptions())
        assert (report.created, report.skipped) == (8, 0)
        assert sorted(c.name for c in list_clients(db)) == [f"z{k}" for k in range(1, 9)]


def test_a_cp1251_file_of_capitalised_words_is_not_taken_for_mac_cyrillic(tmp_path: Path) -> None:
    lines = ["ФИО;Телефон;Город;Номер карты;Дата регистрации"]
    lines += [
        f"Клиент {k:02d};8 915 {700 + k}-{k:02d}-11;Москва;{4500 + k:08d};01.0{1 + k % 9}.2019"
        for k in range(60)
    ]
    path = write_text(tmp_path / "клиенты.csv", "\r\n".join(lines) + "\r\n", "cp1251")
    table = read_source(path)
    assert table.encoding == "cp1251" and table.headers[:2] == ["ФИО", "Телефон"]


def test_persian_birthdays_in_the_solar_hijri_calendar_are_real_days(db: Database, tmp_path: Path) -> None:
    set_region(db, "IR")
    path = write_xlsx(
        tmp_path / "fa.xlsx",
        {
            "مشتریان": [
                ["نام و نام خانوادگی", "تلفن همراه", "تاریخ تولد"],
                ["علی رضایی", "۰۹۱۲۱۲۳۴۵۶۷", "۱۳۶۰/۰۲/۱۵"],
                ["مریم احمدی", "0935 765 4321", "1365/11/03"],
            ]
        },
    )
    _import(db, path)
    born = {c.name: clients.get_client(db, c.id).birthday for c in list_clients(db)}
    assert born == {"علی رضایی": date(1981, 5, 5), "مریم احمدی": date(1987, 1, 23)}


def test_a_firm_in_the_name_column_is_imported_as_an_organisation(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "mixed.xlsx",
        {
            "Clients": [
                ["Name", "Phone"],
                ['ООО "Ромашка"', "+7 912 345-67-89"],
                ["Virtanen Oy", "+358 40 123 4567"],
                ["شرکت آلفا", "+98 21 8877 6655"],
                ["Acme Widgets, LLC", "+1 202 555 0147"],
                ["Ооржак Иван", "+7 912 345-00-00"],  # begins with the letters of ООО, not the word
                ["Ab", "+358 40 765 4321"],  # one word: a name
            ]
        },
    )
    _import(db, path)
    cards = [clients.get_client(db, c.id) for c in list_clients(db)]
    firms = sorted(c.organisation for c in cards if c.kind == "organisation")
    assert firms == sorted(['ООО "Ромашка"', "Virtanen Oy", "شرکت آلفا", "Acme Widgets, LLC"])
    assert all(c.name == "" for c in cards if c.kind == "organisation")
    assert sorted(c.name for c in cards if c.kind == "person") == ["Ab", "Ооржак Иван"]


def test_a_phone_column_that_does_not_say_its_kind_takes_it_from_the_number(
    db: Database, tmp_path: Path
) -> None:
    set_region(db, "RU")
    path = write_xlsx(
        tmp_path / "phones.xlsx",
        {
            "Clients": [
                ["ФИО", "Организация", "Телефон", "Мобильный"],
                ["Петрова Анна", "", "+7 912 000-11-22; 8-342-212-34-56", ""],
                ["Сидоров Пётр", "ООО «Вектор»", "8 (495) 123-45-67", "8 (495) 765-43-21"],
                ["Virtanen Liisa", "", "+358 9 876 5432", ""],
            ]
        },
    )
    _import(db, path)
    kinds = {
        c.name: [(p.number, p.kind) for p in clients.get_client(db, c.id).phones] for c in list_clients(db)
    }
    assert kinds["Петрова Анна"] == [("+79120001122", "mobile"), ("+73422123456", "home")]
    # A firm's landline is its work number; a column named "mobile" is believed whatever the number.
    assert kinds["Сидоров Пётр"] == [("+74951234567", "work"), ("+74957654321", "mobile")]
    assert kinds["Virtanen Liisa"] == [("+35898765432", "home")]


def test_the_totals_line_under_a_list_is_left_out_and_said_so(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "sums.xlsx",
        {
            "Клиенты": [
                ["ФИО", "Телефон", "Сумма"],
                ["Иванов Иван", "+7 912 345-67-89", 15000],
                ["Петрова Анна", "+7 912 000-11-22", 2500],
                ["Итого:", None, 17500],
            ]
        },
    )
    report = _import(db, path)
    assert sorted(c.name for c in list_clients(db)) == ["Иванов Иван", "Петрова Анна"]
    assert [(i.row, i.action) for i in report.issues] == [(4, "skipped")]  # type: ignore[attr-defined]
    assert "Итого:" in report.issues[0].reason  # type: ignore[attr-defined]


def test_row_numbers_of_another_file_do_not_make_other_clients_the_same(db: Database, tmp_path: Path) -> None:
    # Both lists number their rows in a "№" column; number 1 of the second file is someone else.
    first = write_xlsx(
        tmp_path / "a.xlsx", {"A": [["№", "ФИО", "Телефон"], [1, "Иванов Иван", "+7 912 345-67-89"]]}
    )
    second = write_xlsx(
        tmp_path / "b.xlsx",
        {
            "B": [
                ["№", "ФИО", "Телефон"],
                [1, "Зайцев Борис", "+7 912 999-88-77"],  # another client: kept, with a new number
                [1, "Иванов Иван", "+7 912 111-22-33"],  # the same name under number 1: the same client
            ]
        },
    )
    _import(db, first)
    report = _import(db, second)
    assert sorted(c.name for c in list_clients(db)) == ["Зайцев Борис", "Иванов Иван"]
    assert (report.created, report.duplicates) == (1, 1)  # type: ignore[attr-defined]


IPHONE_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\nN:Virtanen;Liisa;;;\r\n"
    "FN:Liisa Virtanen\r\nitem1.TEL;type=CELL;type=VOICE;type=pref:+7 912 345-67-89\r\n"
    "TEL;type=WORK:8 (342) 212-34-56\r\nBDAY;VALUE=date:--0203\r\nEND:VCARD\r\n"
)


def test_a_phone_saved_card_keeps_its_local_number_and_its_birthday_without_a_year(
    db: Database, tmp_path: Path
) -> None:
    # The firm is in the United States; the card's +7 mobile says where its local landline is. A phone
    # saves a birthday without its year: the card cannot hold it as a date, its notes do.
    set_region(db, "US")
    _import(db, write_text(tmp_path / "iphone.vcf", IPHONE_CARD))
    (listed,) = list_clients(db)
    card = clients.get_client(db, listed.id)
    assert [(p.number, p.kind) for p in card.phones] == [("+79123456789", "mobile"), ("+73422123456", "work")]
    assert card.birthday is None
    from babel.dates import format_skeleton

    day = format_skeleton("MMMMd", date(2000, 2, 3), locale="en")
    assert card.notes == f"Birthday: {day} (the year is not known)."


def test_a_sales_sheet_that_names_its_buyers_finds_them_by_name(db: Database, tmp_path: Path) -> None:
    set_region(db, "RU")
    people = write_xlsx(
        tmp_path / "clients.xlsx",
        {
            "Клиенты": [
                ["ФИО", "Телефон"],
                ["Иванов Иван Петрович", "+7 912 345-67-89"],
                ["Семёнова Анна", "+7 912 000-11-22"],
                ["Петров Пётр", "+7 912 000-33-44"],
                ["Петров Пётр", "+7 912 000-55-66"],  # two cards of one name: the name says nobody
            ]
        },
    )
    _import(db, people, duplicates="create")
    sales = write_xlsx(
        tmp_path / "sales.xlsx",
        {
            "Продажи": [
                ["Дата", "Покупатель", "Товар", "Сумма"],
                ["03.11.2026", "иванов  иван петрович", "Кофе", 1500],  # case and spaces aside
                ["05.11.2026", "Семенова Анна", "Чай", "750,50"],  # ё written as е
                ["06.11.2026", "Петров Пётр", "Чай", 300],
                ["07.11.2026", "Неизвестный Клиент", "Чай", 300],
            ]
        },
    )
    report = _import(db, sales, kind="purchases")
    by_name = {c.name: c for c in list_clients(db)}
    assert by_name["Иванов Иван Петрович"].revenue_total == Decimal("1500")
    assert by_name["Семёнова Анна"].revenue_total == Decimal("750.50")
    reasons = {i.row: i.reason for i in report.issues}  # type: ignore[attr-defined]
    assert set(reasons) == {4, 5}
    assert "Several clients are named Петров Пётр" in reasons[4]
    assert "Неизвестный Клиент" in reasons[5]
