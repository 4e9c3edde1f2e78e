"""The import's rule on real files: nothing entered is lost, the phones' country is found."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from custdesk.cli import main
from custdesk.core.db import Database, open_base
from custdesk.core.models import Client, Purchase
from custdesk.core.services import clients
from custdesk.core.services.client_list import list_clients
from custdesk.core.validation import country_name
from custdesk.io.import_engine import ImportOptions, preview, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import own_target, suggest_mapping
from custdesk.io.phone_regions import infer_region
from tests.unit.io._import_data import set_region, write_text, write_xlsx

RUSSIAN_ROWS = [
    ("Смирнова Ольга", "8 915 764 64 61", "Москва"),
    ("Кузнецов Андрей", "8 (916) 123-45-67", "Тула"),
    ("Попова Мария", "+7 903 555 12 34", "Тверь"),
    ("Васильев Игорь", "8-925-000-11-22", "Москва"),
    ("Новикова Елена", "89261234567", "Калуга"),
]


def _russian_csv(path: Path) -> Path:
    lines = ["ФИО;Телефон;Город"] + [";".join(r) for r in RUSSIAN_ROWS]
    return write_text(path, "\r\n".join(lines) + "\r\n", "cp1251")


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_russian_phones_on_a_us_machine_are_read_as_russian(db: Database, tmp_path: Path) -> None:
    set_region(db, "US")
    table = read_source(_russian_csv(tmp_path / "ru.csv"))
    mapping = suggest_mapping("clients", table)
    guess = infer_region(table, mapping, "US")
    assert guess is not None and guess.region == "RU" and guess.firm_share == 0.2  # only the +7 one
    shown = preview(db, table, mapping, ImportOptions())
    assert (shown.region, shown.suggested_region, shown.firm_region) == ("RU", "RU", "US")
    assert shown.counts["new"] == 5 and shown.counts["flagged"] == 0
    report = run_import(db, table, mapping, ImportOptions())
    assert (report.created, report.flagged, report.skipped, report.region) == (5, 0, 0, "RU")
    assert country_name("RU") in report.region_reason and "+7" in report.region_reason
    phones = sorted(c.phone for c in list_clients(db))
    assert phones == sorted(["+79157646461", "+79161234567", "+79035551234", "+79250001122", "+79261234567"])


def test_the_firm_country_chosen_by_hand_flags_but_keeps_every_client(db: Database, tmp_path: Path) -> None:
    set_region(db, "US")
    table = read_source(_russian_csv(tmp_path / "ru.csv"))
    report = run_import(db, table, suggest_mapping("clients", table), ImportOptions(region="US"))
    assert (report.created, report.flagged, report.skipped) == (5, 4, 0)
    card = clients.get_client(db, next(c.id for c in list_clients(db) if c.name == "Смирнова Ольга"))
    assert "needs review" in card.tags and "8 915 764 64 61" in card.notes  # the value kept verbatim
    assert card.phones == ()


def test_cli_region_option_and_inferred_region(
    empty_base_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_base(empty_base_file, auto_backup=False) as db:
        set_region(db, "US")
    path = _russian_csv(tmp_path / "ru.csv")
    assert main(["import", str(path), "--db", str(empty_base_file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "+7" in out and "5 rows created." in out and "flagged" not in out
    assert main(["import", str(path), "--db", str(empty_base_file), "--region", "us", "--dry-run"]) == 0
    assert "4 rows imported flagged for review." in capsys.readouterr().out
    assert main(["import", str(path), "--db", str(empty_base_file), "--region", "Russia"]) == 2
    assert "is not a country code" in capsys.readouterr().err


def _keyed_files(tmp_path: Path, n: int = 2000) -> tuple[Path, Path]:
    """A shop's clients keyed by customer number (no phone, no e-mail) and its purchases."""
    rng = random.Random(16)
    names = ["Anna Virtanen", "Mikko Korhonen", "Liisa Mäkinen", "Juha Nieminen", "Sari Laine"]
    cities = ["Helsinki", "Espoo", "Tampere"]
    lines = ["Customer No;Name;City"]
    for k in range(n):
        lines.append(f"{10000 + k};{rng.choice(names)};{rng.choice(cities)}")
    sales = ["Customer No;Date;Amount"]
    for k in range(0, n, 2):
        sales.append(f"{10000 + k};01.0{1 + k % 9}.2025;{10 + k % 90},50")
    return (
        write_text(tmp_path / "clients.csv", "\n".join(lines) + "\n"),
        write_text(tmp_path / "sales.csv", "\n".join(sales) + "\n"),
    )


def test_a_file_keyed_by_customer_number_without_phones_loses_nothing(db: Database, tmp_path: Path) -> None:
    set_region(db, "FI")
    people, sales = _keyed_files(tmp_path)
    table = read_source(people)
    mapping = suggest_mapping("clients", table)
    assert mapping.columns["Customer No"] == "external_id"
    report = run_import(db, table, mapping, ImportOptions())
    assert (report.created, report.skipped, report.duplicates) == (2000, 0, 0)
    assert report.flagged == 2000  # no way to reach them: each flagged "needs review", none lost
    assert report.possible_duplicates > 1900  # 5 names in 3 cities: alike, but each has its own number
    assert _count(db, Client) == 2000
    # Today is not flooded: the first calls are spread over the 14-day warm cycle, evenly.
    with db.session() as s:
        per_day = dict(
            s.execute(select(Client.next_call_on, func.count()).group_by(Client.next_call_on)).all()
        )
    assert sorted(per_day) == [date.today() + timedelta(days=k) for k in range(14)]
    assert max(per_day.values()) - min(per_day.values()) <= 1 and "14 days" in report.next_calls
    sold = read_source(sales, kind="purchases")
    result = run_import(db, sold, suggest_mapping("purchases", sold), ImportOptions(kind="purchases"))
    assert (result.created, result.unmatched, result.skipped) == (1000, 0, 0)
    assert _count(db, Purchase) == 1000


def test_rows_without_a_name_or_repeating_an_external_id_are_the_only_ones_left_out(
    db: Database, tmp_path: Path
) -> None:
    set_region(db, "FI")
    text = "No;Name;Organisation;Phone\n1;Anna;;040 123 4567\n2;;;040 765 4321\n3;;Oy Ab;bad\n1;Anna;;\n"
    report = run_import(
        db,
        (t := read_source(write_text(tmp_path / "c.csv", text))),
        suggest_mapping("clients", t),
        ImportOptions(),
    )
    assert (report.created, report.skipped, report.flagged) == (2, 2, 1)
    left = sorted((i.row, i.action) for i in report.issues if i.action in ("skipped", "duplicate"))
    assert left == [(3, "skipped"), (5, "duplicate")]


def test_a_card_number_beside_the_phone_is_not_taken_for_a_phone(db: Database, tmp_path: Path) -> None:
    set_region(db, "RU")
    rows: list[list[object]] = [["ФИО", "Номер карты", "Телефон", "Дата регистрации"]]
    for k in range(50):
        rows.append(
            [f"Клиент {k}", f"{4500 + k:08d}", f"+7 912 000-{k // 10:02d}-{k:02d}", f"0{1 + k % 9}.03.2019"]
        )
    table = read_source(write_xlsx(tmp_path / "cards.xlsx", {"Клиенты": rows}))
    mapping = suggest_mapping("clients", table)
    assert mapping.columns["Номер карты"] == own_target("Номер карты")  # the firm's own field, as text
    assert mapping.kinds["Номер карты"] == "text"
    assert mapping.columns["Телефон"] == "phone" and mapping.columns["Дата регистрации"] == "client_since"
    report = run_import(db, table, mapping, ImportOptions())
    assert (report.created, report.flagged, report.skipped) == (50, 0, 0)
    card = clients.get_client(db, next(c.id for c in list_clients(db) if c.name == "Клиент 7"))
    assert card.client_since == date(2019, 3, 8) and card.birthday is None and card.since == date(2019, 3, 8)


def test_a_registration_date_is_client_since_and_counts_in_the_growth_of_the_base(
    db: Database, tmp_path: Path
) -> None:
    from custdesk.analysis.growth import base_growth
    from custdesk.analysis.period import Period

    text = "id,name,city,created\n1,Ann,Tver,2021-05-03\n2,Bob,Tver,2021-05-20\n3,Eve,Tula,2022-01-10\n"
    table = read_source(write_text(tmp_path / "c.csv", text))
    mapping = suggest_mapping("clients", table)
    assert mapping.columns == {"id": "external_id", "name": "name", "city": "city", "created": "client_since"}
    run_import(db, table, mapping, ImportOptions())
    rows = base_growth(db, Period(date(2021, 1, 1), date(2022, 12, 31)), "year")
    assert [r.new_cards for r in rows] == [2, 1]


def test_an_unnamed_date_column_of_recent_dates_is_left_to_the_user() -> None:
    from custdesk.io.importers.base import SourceTable

    table = SourceTable(
        "S", ["Name", "Joined on"], [["Ann", "03.05.2021"], ["Bob", "20.05.2021"]], 1, ["S"], ""
    )
    mapping = suggest_mapping("clients", table)
    assert mapping.columns == {"Name": "name", "Joined on": own_target("Joined on")}  # no birthday:
    assert mapping.kinds == {"Joined on": "date"}  # an own date field, named by the user's header


def test_a_recent_purchase_sets_the_next_call_by_the_cycle(db: Database, tmp_path: Path) -> None:
    set_region(db, "FI")
    run_import(
        db,
        (t := read_source(write_text(tmp_path / "c.csv", "No;Name\n1;Ann\n2;Bob\n"))),
        suggest_mapping("clients", t),
        ImportOptions(),
    )
    recent, old = date.today() - timedelta(days=3), date(2020, 1, 1)
    text = f"Customer No;Date;Amount\n1;{recent.isoformat()};10\n2;{old.isoformat()};10\n"
    sold = read_source(write_text(tmp_path / "p.csv", text), kind="purchases")
    report = run_import(db, sold, suggest_mapping("purchases", sold), ImportOptions(kind="purchases"))
    calls = {c.external_id: c.next_call for c in list_clients(db)}
    assert calls["1"] == recent + timedelta(days=14)  # the last purchase plus the warm cycle
    assert calls["2"] in (date.today(), date.today() + timedelta(days=1))  # long past: the spread day stays
    assert report.next_calls.startswith("1 client")


def test_the_report_names_why_two_rows_are_alike_in_the_users_language(db: Database, tmp_path: Path) -> None:
    from custdesk import i18n

    set_region(db, "RU")
    text = "ФИО;Телефон\nАнна;+7 912 345-67-89\nАнна;+7 912 345-67-89\n"
    table = read_source(write_text(tmp_path / "c.csv", text))
    i18n.set_language("ru")
    try:
        report = run_import(db, table, suggest_mapping("clients", table), ImportOptions(dry_run=True))
    finally:
        i18n.set_language("en")
    [issue] = [i for i in report.issues if i.action == "duplicate"]
    assert issue.reason == "Совпадает со строкой 2 этого файла (Анна): тот же телефон."
