"""Importing into a real base: what lands, duplicates, flagged rows, all or nothing, purchases, history."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, ProgrammingError

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, PhoneInput, PurchaseInput
from custdesk.core.errors import CustDeskError
from custdesk.core.models import AuditEntry, Client, Interaction, Purchase
from custdesk.core.services import clients, purchases
from custdesk.core.services.client_list import list_clients
from custdesk.core.validation import validate_client
from custdesk.io.import_engine import ImportOptions, list_reports, load_report, preview, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import suggest_mapping
from tests.unit.io._import_data import CLIENT_ROWS, FIXTURES, base_state, set_region, write_text, write_xlsx


def _import(db: Database, path: Path, **options: object) -> object:
    kind = str(options.get("kind", "clients"))
    table = read_source(path, kind=kind)
    return run_import(db, table, suggest_mapping(kind, table), ImportOptions(**options))  # type: ignore[arg-type]


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def ru(db: Database) -> Database:
    set_region(db, "RU")
    return db


def test_clients_land_as_validated_cards(ru: Database, tmp_path: Path) -> None:
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"Клиенты": CLIENT_ROWS}))
    assert (report.created, report.skipped, report.issues) == (3, 0, [])  # type: ignore[attr-defined]
    rows = {r.name: r for r in list_clients(ru)}
    assert rows["Иванов Иван"].phone == "+79123456789" and rows["Иванов Иван"].email == "ivanov@example.ru"
    assert rows["Петрова Анна"].phone == "+79121112233" and rows["Сидоров Пётр"].city == "Казань"
    card = clients.get_client(ru, rows["Иванов Иван"].id)
    assert card.birthday == date(1985, 3, 12) and card.funnel == "white" and card.next_call_on == date.today()
    assert validate_client(card.to_input(), region="RU") == card.to_input()


def test_libreoffice_file_with_country_column_number_phones_and_a_duplicate(ru: Database) -> None:
    table = read_source(FIXTURES / "clients-libreoffice.ods")
    report = run_import(ru, table, suggest_mapping("clients", table), ImportOptions(bad_rows="flag"))
    by_name = {c.name: clients.get_client(ru, c.id) for c in list_clients(ru)}
    ivanov = by_name["Иванов Иван Иванович"]
    assert [(p.number, p.extension) for p in ivanov.phones] == [("+79123456789", ""), ("+79121112233", "12")]
    assert ivanov.country == "RU" and ivanov.birthday == date(1985, 3, 12)
    matti = by_name["Virtanen Matti"]
    assert [p.number for p in matti.phones] == ["+358401234567"]  # FI by the country column, zero put back
    anna = by_name["Петрова Анна"]
    assert "needs review" in anna.tags and "anna@ is not a well-formed e-mail address" in anna.notes
    assert anna.birthday == date(1979, 12, 31)
    assert "needs review" in by_name["Сидоров Пётр"].tags  # no phone or e-mail: flagged, not lost
    assert (
        report.created == 4 and report.skipped == 1 and report.duplicates == 1
    )  # the last row repeats Ivanov
    duplicate = next(i for i in report.issues if i.action == "duplicate")
    assert duplicate.row == 8 and "Same as row 4 of this file" in duplicate.reason


def test_bad_rows_skipped_are_reported_with_row_column_and_reason(ru: Database, tmp_path: Path) -> None:
    text = (
        "ФИО;Телефон;E-mail;Дата рождения\nАнна;+7 912 345-67-89;anna@;01.01.1990\n"
        "Борис;12;b@example.ru;31.02.1990\n;+7 912 000-00-01;;\n"
    )
    report = _import(ru, write_text(tmp_path / "c.csv", text), bad_rows="skip")
    assert report.created == 0 and report.skipped == 3  # type: ignore[attr-defined]
    found = {(i.row, i.column, i.field) for i in report.issues}  # type: ignore[attr-defined]
    assert {
        (2, "E-mail", "email"),
        (3, "Телефон", "phone"),
        (3, "Дата рождения", "birthday"),
        (4, "", "name"),
    } <= found
    assert _count(ru, Client) == 0


@pytest.fixture
def existing(ru: Database) -> int:
    card = clients.create_client(
        ru,
        ClientInput(name="Иванов Иван", city="Москва", phones=(PhoneInput("+79123456789"),), notes="старый"),
    )
    return card.id


def test_duplicates_skip(ru: Database, existing: int, tmp_path: Path) -> None:
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS}), duplicates="skip")
    assert (report.created, report.skipped, report.duplicates) == (2, 1, 1)  # type: ignore[attr-defined]
    issue = next(i for i in report.issues if i.action == "duplicate")  # type: ignore[attr-defined]
    assert issue.row == 2 and f"number {existing}" in issue.reason and "phone" in issue.reason
    assert clients.get_client(ru, existing).emails == ()


def test_duplicates_update_the_existing_card_and_journal_each_field(
    ru: Database, existing: int, tmp_path: Path
) -> None:
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS}), duplicates="update")
    assert (report.created, report.updated) == (2, 1)  # type: ignore[attr-defined]
    card = clients.get_client(ru, existing)
    assert [e.address for e in card.emails] == ["ivanov@example.ru"] and card.birthday == date(1985, 3, 12)
    assert card.notes == "старый" and [p.number for p in card.phones] == ["+79123456789"]
    with ru.session() as s:
        fields = set(
            s.scalars(
                select(AuditEntry.field).where(
                    AuditEntry.entity_id == existing, AuditEntry.action == "update"
                )
            )
        )
    assert {"birthday", "emails"} <= fields


def test_duplicates_create_anyway(ru: Database, existing: int, tmp_path: Path) -> None:
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS}), duplicates="create")
    assert (report.created, report.duplicates) == (3, 1)  # type: ignore[attr-defined]
    assert _count(ru, Client) == 4


def test_within_the_file_only_phone_or_email_with_the_same_name_is_the_same_client(
    ru: Database, tmp_path: Path
) -> None:
    rows = [
        ["Name", "Email", "City", "Phone"],
        ["Ann Lee", "ann@example.com", "Tver", ""],
        ["A. Lee", "ANN@example.com", "", ""],  # a shared e-mail under another name: possibly her
        ["ann lee", "", "tver", "+79120000001"],  # the same name and city: possibly her
        ["ANN  LEE", "ann@example.com", "", "+79120000002"],  # the same e-mail and name: her
    ]
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"S": rows}), duplicates="update")
    assert (report.created, report.updated, report.possible_duplicates) == (3, 1, 2)  # type: ignore[attr-defined]
    cards = {c.name: clients.get_client(ru, c.id) for c in list_clients(ru)}
    assert set(cards) == {"ANN LEE", "A. Lee", "ann lee"}  # the update took the later spelling
    assert [p.number for p in cards["ANN LEE"].phones] == ["+79120000002"]
    assert all(card.tags == () for card in cards.values())  # listed, not changed
    # The card's own duplicate check offers the possible duplicate (the duplicate finder).
    alike = clients.find_duplicates(ru, cards["A. Lee"].to_input(), exclude_id=cards["A. Lee"].id)
    assert [m.client_id for m in alike] == [cards["ANN LEE"].id]
    possible = [i for i in report.issues if i.action == "possible_duplicate"]  # type: ignore[attr-defined]
    assert [i.row for i in possible] == [3, 4] and all("row 2 of this file" in i.reason for i in possible)


def test_different_external_ids_are_different_clients(ru: Database, tmp_path: Path) -> None:
    rows = [
        ["Customer No", "Name", "City", "Email"],
        ["1001", "Ann Lee", "Tver", "family@example.com"],
        ["1002", "Ann Lee", "Tver", ""],  # the same name and city: another client, possibly the same
        ["1003", "Bob Lee", "Tver", "family@example.com"],  # a family's shared e-mail
        ["1001", "Ann Lee", "Tver", "family@example.com"],  # the same external id: the same client
    ]
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"S": rows}))
    assert (report.created, report.skipped, report.possible_duplicates) == (3, 1, 2)  # type: ignore[attr-defined]
    assert sorted(c.external_id for c in list_clients(ru)) == ["1001", "1002", "1003"]
    [left_out] = [i for i in report.issues if i.action == "duplicate"]  # type: ignore[attr-defined]
    assert left_out.row == 5 and "the same external id" in left_out.reason


def test_the_bulk_duplicate_finder_agrees_with_find_duplicates(ru: Database, existing: int) -> None:
    from custdesk.core.services.duplicates import DuplicateIndex

    other = clients.create_client(
        ru,
        ClientInput(
            kind="organisation",
            organisation="Ромашка",
            city="Тверь",
            emails=(EmailInput("Info@Romashka.ru"),),
        ),
    )
    probes = [
        ClientInput(name="иванов  иван", city="МОСКВА", phones=(PhoneInput("+79120000000"),)),
        ClientInput(name="X", phones=(PhoneInput("+79123456789"),)),
        ClientInput(name="Y", emails=(EmailInput("info@romashka.ru"),)),
        ClientInput(kind="organisation", organisation="ромашка", city="Тверь"),
        ClientInput(name="Ромашка", city="Тверь"),
        ClientInput(name="Nobody", city="Москва"),
    ]
    with ru.session() as s:
        index = DuplicateIndex.load(s)
    for probe in probes:
        expected = {m.client_id: list(m.reasons) for m in clients.find_duplicates(ru, probe)}
        clean = validate_client(probe, region="RU", require_contact=False)
        assert index.matches(clean) == expected, probe
    assert other.id in index.display


def test_flagged_rows_keep_the_reason_in_the_notes(ru: Database, tmp_path: Path) -> None:
    text = "Name;Phone;Birthday\nAnn;+7 912 345-67-89;2099-01-01\n"
    report = _import(ru, write_text(tmp_path / "c.csv", text), bad_rows="flag")
    assert report.flagged == 1 and report.created == 1  # type: ignore[attr-defined]
    [row] = list_clients(ru)
    card = clients.get_client(ru, row.id)
    assert (
        card.birthday is None
        and card.tags == ("needs review",)
        and "Birthday cannot be in the future" in card.notes
    )


def test_a_1mb_cell_is_refused_for_its_row_and_the_rest_lands(ru: Database, tmp_path: Path) -> None:
    text = f"Name;Phone;Notes\nAnn;+7 912 345-67-89;{'x' * 1_000_000}\nBob;+7 912 345-67-80;ok\n"
    report = _import(ru, write_text(tmp_path / "c.csv", text))
    assert (report.created, report.skipped, report.flagged) == (2, 0, 1)  # type: ignore[attr-defined]
    assert "1000000 characters; a cell holds at most 32767" in report.issues[0].reason  # type: ignore[attr-defined]
    ann = clients.get_client(ru, next(c.id for c in list_clients(ru) if c.name == "Ann"))
    assert "needs review" in ann.tags and len(ann.notes) < 1000


def test_preview_shows_rows_as_they_will_land_and_writes_nothing(
    ru: Database, existing: int, tmp_path: Path
) -> None:
    table = read_source(write_xlsx(tmp_path / "c.xlsx", {"S": [*CLIENT_ROWS, ["Бад", "1", "", "", ""]]}))
    before = base_state(ru)
    shown = preview(ru, table, suggest_mapping("clients", table), ImportOptions(), limit=3)
    assert base_state(ru) == before
    assert shown.total_rows == 4 and len(shown.rows) == 3
    assert [r.status for r in shown.rows] == ["duplicate", "new", "new"]
    assert (
        shown.rows[1].values["phone"] == "+79121112233" and shown.rows[1].values["birthday"] == "1979-12-31"
    )
    assert shown.fields == ["name", "phone", "email", "city", "birthday"]


def test_all_or_nothing_a_cancel_midway_leaves_the_base_as_it_was(
    ru: Database, existing: int, tmp_path: Path
) -> None:
    rows = [["Name", "Phone"], *[[f"Client {i}", f"+7912{i:07d}"] for i in range(3000)]]
    table = read_source(write_xlsx(tmp_path / "big.xlsx", {"S": rows}))
    before = base_state(ru)
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if done > total * 3 // 4:  # while the cards are being written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(ru, table, suggest_mapping("clients", table), ImportOptions(), progress)
    assert base_state(ru) == before and len(calls) > 2
    assert list_reports() == []


def test_a_failure_inside_the_write_rolls_everything_back(ru: Database, tmp_path: Path) -> None:
    table = read_source(write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS}))
    with ru.engine.begin() as conn:  # another program made the phones table refuse new rows
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "CREATE FUNCTION no_phones() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'no'; END $$"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER no_phones BEFORE INSERT ON phones EXECUTE FUNCTION no_phones()"
            )
        else:
            conn.exec_driver_sql(
                "CREATE TRIGGER no_phones BEFORE INSERT ON phones BEGIN SELECT RAISE(ABORT, 'no'); END"
            )
    before = base_state(ru)
    with pytest.raises((CustDeskError, IntegrityError, ProgrammingError)):  # the server: a RAISE in PL/pgSQL
        run_import(ru, table, suggest_mapping("clients", table), ImportOptions())
    assert base_state(ru) == before


def test_dry_run_reports_and_writes_nothing(ru: Database, tmp_path: Path) -> None:
    before = base_state(ru)
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS}), dry_run=True)
    assert report.created == 3 and report.dry_run and "trial run" in report.summary()  # type: ignore[attr-defined]
    assert base_state(ru) == before


def test_journal_one_import_entry_and_one_create_per_client(ru: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS})
    report = _import(ru, path, who="anna")
    with ru.session() as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    imports = [e for e in entries if e.action == "import"]
    assert len(imports) == 1 and imports[0].who == "anna"
    summary = json.loads(imports[0].new or "{}")
    assert summary["created"] == 3 and summary["source"] == str(path)
    creates = [e for e in entries if e.action == "create" and e.entity == "client"]
    assert sorted(e.entity_id for e in creates) == sorted(report.created_ids)  # type: ignore[attr-defined]
    assert json.loads(creates[0].new or "{}")["row"] == 2


def test_the_report_is_kept_and_reopened(ru: Database, tmp_path: Path) -> None:
    report = _import(ru, write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS}))
    [entry] = list_reports()
    assert str(entry.path) == report.path and entry.created == 3  # type: ignore[attr-defined]
    again = load_report(entry.path)
    assert again.to_json() == report.to_json()  # type: ignore[attr-defined]


def test_the_search_index_finds_bulk_imported_clients(ru: Database, tmp_path: Path) -> None:
    rows = [["Name", "Phone", "City"], *[[f"Client {i}", f"+7912{i:07d}", "Тверь"] for i in range(2500)]]
    _import(ru, write_xlsx(tmp_path / "big.xlsx", {"S": rows}))
    assert [c.name for c in list_clients(ru, search="Client 2499")] == ["Client 2499"]
    assert len(list_clients(ru, search="9120002498")) == 1


# --- Purchases and history --------------------------------------------------------------------------


@pytest.fixture
def three(ru: Database) -> list[int]:
    ids = []
    for n, (phone, email) in enumerate(
        [("+79120000001", "a@example.ru"), ("+79120000002", "b@example.ru"), ("+79120000003", "c@example.ru")]
    ):
        ids.append(
            clients.create_client(
                ru,
                ClientInput(
                    name=f"C{n}",
                    phones=(PhoneInput(phone),),
                    emails=(EmailInput(email),),
                    external_id=f"K-{n}",
                ),
            ).id
        )
    return ids


def test_purchases_find_their_client_by_external_id_phone_or_email(
    ru: Database, three: list[int], tmp_path: Path
) -> None:
    rows = [
        ["Код клиента", "Телефон", "E-mail", "Дата", "Сумма", "Товар"],
        ["K-0", "", "", "01.02.2024", "1 000,00 ₽", "чай"],
        ["", "8 912 000-00-02", "", "2024-02-02", 500, "кофе"],
        ["", "", "C@EXAMPLE.RU", "03.02.2024", "(200)", "возврат"],
        ["K-0", "", "", "04.02.2024", "250,50", ""],
        ["K-0", "", "", "05.02.2024", "0", "исправление"],
        ["K-0", "", "", "06.02.2024", "10", ""],
        ["K-9", "", "", "07.02.2024", "10", ""],
        ["", "8 912 999-99-99", "", "07.02.2024", "10", ""],
    ]
    report = _import(ru, write_xlsx(tmp_path / "p.xlsx", {"Продажи": rows}), kind="purchases")
    assert (report.created, report.unmatched) == (6, 2)  # type: ignore[attr-defined]
    reasons = [i.reason for i in report.issues if i.action == "unmatched"]  # type: ignore[attr-defined]
    assert reasons == [
        "No client has the external id or the name K-9.",
        "No client has the phone +79129999999.",
    ]
    first = clients.get_client(ru, three[0])
    assert (first.purchase_count, first.revenue_total, first.last_purchase_on) == (
        3,
        Decimal("1260.50"),
        date(2024, 2, 6),
    )
    assert first.funnel == "platinum"  # the third purchase
    assert clients.get_client(ru, three[1]).funnel == "gold"
    third = clients.get_client(ru, three[2])
    assert (third.purchase_count, third.revenue_total, third.funnel) == (0, Decimal("-200.00"), "white")
    assert purchases.purchase_totals(ru, three[0]).count == 3
    assert report.funnel_changes == 2  # type: ignore[attr-defined]


def test_purchases_with_bad_values_are_reported_and_skipped(
    ru: Database, three: list[int], tmp_path: Path
) -> None:
    text = (
        "client_external_id;date;amount\nK-0;31.02.2024;100\nK-0;01.01.2024;abc\nK-0;01.01.2099;5\n"
        ";01.01.2024;5\n"
    )
    report = _import(ru, write_text(tmp_path / "p.csv", text), kind="purchases")
    assert (report.created, report.skipped) == (0, 4)  # type: ignore[attr-defined]
    assert [i.field for i in report.issues] == ["date", "amount", "date", "client_external_id"]  # type: ignore[attr-defined]
    assert _count(ru, Purchase) == 0


def test_purchases_add_to_figures_kept_by_the_services(
    ru: Database, three: list[int], tmp_path: Path
) -> None:
    purchases.add_purchase(ru, three[1], PurchaseInput(date(2023, 1, 1), Decimal("100")))
    text = "client_external_id;date;amount\nK-1;01.02.2024;50\nK-1;01.03.2024;25\n"
    _import(ru, write_text(tmp_path / "p.csv", text), kind="purchases")
    card = clients.get_client(ru, three[1])
    assert (card.purchase_count, card.revenue_total, card.funnel) == (3, Decimal("175.00"), "platinum")
    assert card.funnel_reason == "rule:third-purchase"


def test_history_moves_last_contact_next_call_and_funnel(
    ru: Database, three: list[int], tmp_path: Path
) -> None:
    text = (
        "client_external_id;date;kind;outcome;text\nK-0;01.02.2024 10:30;Звонок;интерес;обсудили цены\n"
        "K-0;05.02.2024;Встреча;Отказ;дорого\nK-1;03.02.2024;заметка;;просто заметка\nK-7;03.02.2024;;;\n"
    )
    report = _import(ru, write_text(tmp_path / "h.csv", text), kind="history")
    assert (report.created, report.unmatched) == (3, 1)  # type: ignore[attr-defined]
    first = clients.get_client(ru, three[0])
    assert first.last_contact_at == datetime(2024, 2, 5) and first.funnel == "green-red"
    # 5 Feb 2024 plus the cycle is long past: the call stays where it was (today), not overdue for years.
    assert first.next_call_on == date.today()
    assert clients.get_client(ru, three[1]).last_contact_at is None  # a note is not a contact
    with ru.session() as s:
        kinds = sorted(s.scalars(select(Interaction.kind)))
    assert kinds == ["call", "meeting", "note"]


_texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    name=_texts,
    city=_texts,
    phone=st.sampled_from(
        ["+7 912 345-67-89", "89123456789", "9123456789", "12", "", "+358 40 1234567 доб. 5"]
    ),
    email=st.sampled_from(["a@example.ru", "A.B@Example.COM", "bad@", "", "имя@пример.рф", "x@localhost"]),
    birthday=st.sampled_from(["12.03.1985", "2099-01-01", "31.02.2000", "", 31000]),
    flag=st.booleans(),
)
def test_a_converted_row_is_a_card_validate_client_accepts_unchanged(
    name: str, city: str, phone: str, email: str, birthday: object, flag: bool
) -> None:
    from custdesk.io.import_rows import RowContext, client_row
    from custdesk.io.importers import SourceTable
    from custdesk.io.mapping import ColumnMapping

    headers = ["name", "city", "phone", "email", "birthday"]
    table = SourceTable("S", headers, [[name, city, phone, email, birthday]], 1, ["S"], "")
    mapping = ColumnMapping("clients", {h: h for h in headers})
    ctx = RowContext(table, mapping, "RU", require_contact=True, flag=flag, today=date(2024, 6, 1))
    result = client_row(ctx, 2, table.rows[0])
    if result.value is not None:
        assert isinstance(result.value, ClientInput)
        assert (
            validate_client(result.value, region="RU", require_contact=False, today=date(2024, 6, 1))
            == result.value
        )
    if not result.issues:
        assert result.value is not None


def test_a_us_firm_reads_dotted_dates_day_first_and_slashed_ones_month_first(
    db: Database, tmp_path: Path
) -> None:
    set_region(db, "US")
    path = write_text(
        tmp_path / "c.csv",
        "name,phone,birthday\nAnna Dot,+1 202 555 0143,12.03.1975\nBob Slash,+1 202 555 0144,12/03/1975\n"
        "Cy Late,+1 202 555 0145,25/03/1975\n",
    )
    report = _import(db, path)
    assert report.issues == []  # type: ignore[attr-defined]
    birthdays = {r.name: clients.get_client(db, r.id).birthday for r in list_clients(db)}
    assert birthdays == {
        "Anna Dot": date(1975, 3, 12),
        "Bob Slash": date(1975, 12, 3),
        "Cy Late": date(1975, 3, 25),
    }


def test_csv_drops_the_apostrophe_that_neutralised_a_formula(ru: Database, tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "c.csv",
        "name,phone,notes,source\n'=Иван,'+7 912 345-67-89,'@home,'t Hooft\n",
    )
    report = _import(ru, path)
    assert report.issues == []  # type: ignore[attr-defined]
    card = clients.get_client(ru, list_clients(ru)[0].id)
    assert (card.name, card.phones[0].number, card.notes) == ("=Иван", "+79123456789", "@home")
    assert card.source == "'t Hooft"  # an apostrophe before anything else is the text's own


def test_the_quick_card_is_the_card() -> None:
    from custdesk.io.import_card_fields import client_input

    values = {"name": "Анна", "city": "Тверь", "vip": True, "phones": (PhoneInput("+79123456789"),)}
    card = client_input(dict(values))
    assert card == ClientInput(**values) and hash(card) == hash(ClientInput(**values))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="nme"):
        client_input({"nme": "typo"})
