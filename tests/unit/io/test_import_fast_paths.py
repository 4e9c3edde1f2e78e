"""The import's quick answers are the full answers: phones, e-mails, dates, card fields, bulk inserts.

Each quick path serves the usual cell of a big file (a plain number, one address, a date cell, a short
name) and gives way to the full reading otherwise; these properties hold them to give exactly what the
full reading gives, and check that the quick path does serve the usual cells.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
)

from custdesk.core.dto import CARD_FIELDS
from custdesk.core.models import Money
from custdesk.core.validation import field_error, split_extension, text_field_ok
from custdesk.io import bulk, parsing
from custdesk.io.import_engine import ImportReport, RowIssue

# What phone cells of old files are made of, and some of what they should not be.
_PHONE_CHARS = "+0123456789() .-"
_phone_cells = st.one_of(
    st.text(alphabet=_PHONE_CHARS, max_size=30),
    st.text(alphabet=_PHONE_CHARS + "\t\n,;/|xX#доб۱٢\u00a0ext", max_size=30),
    st.text(max_size=30),
)


@given(_phone_cells)
def test_a_plain_phone_cell_splits_as_the_full_reading_splits_it(cell: str) -> None:
    assert parsing.split_phones(cell) == parsing._split_phones_fully(cell)


def test_the_quick_split_serves_plain_numbers() -> None:
    assert parsing.split_phones(" +7 (912) 345-67.89 ") == ["+7 (912) 345-67.89"]
    assert parsing.split_phones("89123456789   89120000000") == ["89123456789", "89120000000"]  # full
    assert parsing.split_phones("   ") == [] and parsing.split_phones("") == []


@given(_phone_cells)
def test_the_quick_extension_is_split_extensions(piece: str) -> None:
    assert parsing.phone_extension(piece) == split_extension(piece)[1]


def test_extensions_are_found_in_every_spelling() -> None:
    for piece, ext in [("+7 912 345-67-89 доб. 12", "12"), ("x5", ""), ("1 X 7", "7"), ("1 #3", "3")]:
        assert parsing.phone_extension(piece) == split_extension(piece)[1] == ext


_email_cells = st.one_of(
    st.emails().map(str),
    st.text(alphabet="abc@.,; \t\nmailto:", max_size=25),
    st.text(max_size=25),
)


@given(_email_cells)
def test_a_one_address_cell_splits_as_the_full_reading_splits_it(cell: str) -> None:
    assert parsing.split_emails(cell) == parsing._split_emails_fully(cell)


@given(st.one_of(st.dates(), st.datetimes()))
def test_a_date_cell_is_read_as_the_full_reading_reads_it(cell: date) -> None:
    assert parsing.parse_date(cell) == parsing.parse_datetime(cell).date()
    assert type(parsing.parse_date(cell)) is date


_kinds = st.sampled_from(["person", "organisation", "other"])
_fields = st.sampled_from([*CARD_FIELDS, "phone", "email", "external_id", "phones[0]", "emails[1]", "x"])
_texts = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=" \t\nab", max_size=12),
    st.integers(0, 320).map(lambda n: "я" * n),
    st.integers(0, 320).map(lambda n: f" {'b' * n} "),
)


@settings(max_examples=400)
@given(_fields, _texts, _kinds)
def test_a_text_the_quick_check_passes_is_one_field_error_passes(field: str, text: str, kind: str) -> None:
    quick = text_field_ok(field, text, kind=kind)
    if quick:
        assert field_error(field, text, "RU", kind=kind) is None
    if field in CARD_FIELDS and field not in (
        "kind",
        "temperature",
        "country",
        "birthday",
        "discount_percent",
        "call_cycle_days",
    ):
        assert quick == (field_error(field, text, "FI", kind=kind) is None)  # and it answers for text


def test_the_quick_check_and_field_error_agree_at_every_length_limit() -> None:
    from custdesk.core.models import Client

    for field in CARD_FIELDS:
        limit = getattr(Client.__table__.c[field].type, "length", None)
        if not limit or field in ("kind", "temperature", "country"):
            continue
        for n in (limit - 1, limit, limit + 1):
            for text in ("ж" * n, f"  {'ж' * n}\t", f" {'ж' * (n - 2)}  ж"):
                for kind in ("person", "organisation"):
                    expected = field_error(field, text, "RU", kind=kind) is None
                    assert text_field_ok(field, text, kind=kind) == expected, (field, len(text), kind)


def test_the_quick_check_answers_for_the_usual_values() -> None:
    assert text_field_ok("name", "Иванов Иван") and text_field_ok("city", "Тверь")
    assert not text_field_ok("name", "  ") and text_field_ok("name", "", kind="organisation")
    assert not text_field_ok("organisation", "", kind="organisation")
    assert not text_field_ok("city", "ы" * 101) and text_field_ok("notes", "ы" * 10_000)
    assert not text_field_ok("birthday", "2020-01-01") and not text_field_ok("phone", "+79123456789")


# --- Bulk inserts: literals for the columns that hold one value, bound parameters for the rest -----------

_metadata = MetaData()
_sample = Table(
    "sample",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("text", String(50), nullable=False),
    Column("notes", Text, nullable=True),
    Column("number", Integer, nullable=True),
    Column("flag", Boolean, nullable=False),
    Column("day", Date, nullable=True),
    Column("moment", DateTime, nullable=True),
    Column("amount", Money, nullable=True),
    Column("kind", String(10), nullable=False, default="plain"),
)
_values = {
    "text": st.text(max_size=6).filter(lambda t: "\x00" not in t) | st.sampled_from(["", "it's", "a\nb"]),
    "notes": st.none() | st.text(max_size=6) | st.just("'); DROP TABLE sample; --"),
    "number": st.none() | st.integers(-(2**63) + 1, 2**63 - 1) | st.sampled_from([0, -5, 2**62]),
    "flag": st.booleans(),
    "day": st.none() | st.dates(),
    "moment": st.none() | st.datetimes(),
    "amount": st.none() | st.decimals(places=2, min_value=-(10**6), max_value=10**6),
}


def _stored(path: Path, rows: list[dict[str, Any]], quick: bool, per: int = 250) -> list[tuple[Any, ...]]:
    if path.exists():
        path.unlink()
    engine = create_engine(f"sqlite:///{path}")
    _metadata.create_all(engine)
    with engine.begin() as conn:
        if quick:
            usual, bulk.ROWS_PER_STATEMENT = bulk.ROWS_PER_STATEMENT, per
            try:
                bulk.insert_tuples(conn, _sample, list(rows[0]), [tuple(r.values()) for r in rows])
            finally:
                bulk.ROWS_PER_STATEMENT = usual
        else:
            conn.execute(insert(_sample), rows)
    with engine.connect() as conn:
        columns = [c.name for c in _sample.columns]
        typed = ", ".join(f"{c}, typeof({c})" for c in columns)
        stored = [tuple(r) for r in conn.exec_driver_sql(f"SELECT {typed} FROM sample ORDER BY id")]
    engine.dispose()
    return stored


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(_values)), min_size=1, unique=True),
    st.data(),
    st.integers(1, 7),
    st.integers(1, 3),
)
def test_bulk_rows_are_stored_as_sqlalchemy_stores_them(
    tmp_path_factory: Any, columns: list[str], data: st.DataObject, count: int, per: int
) -> None:
    columns = sorted({*columns, "text", "flag"})  # the required ones
    constant = {c: data.draw(_values[c]) for c in columns if data.draw(st.booleans())}
    rows = [
        {c: constant[c] if c in constant else data.draw(_values[c]) for c in columns} for _ in range(count)
    ]
    folder = tmp_path_factory.mktemp("bulk")
    quick = _stored(folder / "quick.sqlite", rows, True, per)  # ``per`` rows a statement
    assert quick == _stored(folder / "orm.sqlite", rows, False)


def test_a_big_batch_lands_in_order_in_statements_of_many_rows(tmp_path: Path) -> None:
    rows = [
        {"text": f"t{i}", "flag": i % 2 == 0, "number": i, "day": date(2000, 1, 1 + i % 28), "kind": "k"}
        for i in range(1234)
    ]
    stored = _stored(tmp_path / "q.sqlite", rows, True)
    assert [r[0] for r in stored] == list(range(1, 1235)) and stored[-1][2] == "t1233"
    assert stored == _stored(tmp_path / "o.sqlite", rows, False)


def test_equal_values_of_other_classes_are_not_taken_for_one_value(tmp_path: Path) -> None:
    rows = [{"text": "a", "flag": True, "notes": 1}, {"text": "a", "flag": 1, "notes": 1.0}]
    stored = _stored(tmp_path / "q.sqlite", rows, True)
    assert [r[4] for r in stored] == ["1", "1.0"]  # a text column keeps what each row held
    assert _stored(tmp_path / "o.sqlite", rows, False) == stored


def test_the_report_as_json_is_asdict_of_it() -> None:
    report = ImportReport("f.xlsx", "S", "clients", {"kind": "clients"}, {"columns": {"A": "name"}}, "now")
    report.issues = [RowIssue(3, "Phone", "phone", "bad", "skipped"), RowIssue(4, "", "", "dup", "duplicate")]
    report.created_ids = [5, 6, 7]
    expected = asdict(report)
    expected["issues"] = [asdict(i) for i in report.issues]
    data = report.to_json()
    assert data == expected and list(data) == list(expected)
    data["created_ids"].append(8)
    data["options"]["kind"] = "x"
    assert report.created_ids == [5, 6, 7] and report.options == {"kind": "clients"}  # a copy


def test_money_in_a_constant_column_is_stored_in_cents(tmp_path: Path) -> None:
    rows = [{"text": "a", "flag": False, "amount": Decimal("1.50")} for _ in range(3)]
    stored = _stored(tmp_path / "q.sqlite", rows, True)
    assert [r[14:16] for r in stored] == [(150, "integer")] * 3
    assert _stored(tmp_path / "o.sqlite", rows, False) == stored
