"""check_base: a clean base, a broken link, figures that disagree, bad names and phones, damage."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from custdesk.core.check import check_base
from custdesk.core.db import Database
from custdesk.core.errors import NewerSchemaError, NotABaseError
from custdesk.core.models import Client, Phone, Purchase

pytestmark = pytest.mark.sqlite_only  # file copies and SQLite integrity checks (server: README)


def _fill(db: Database) -> None:
    now = datetime(2026, 1, 5, 10, 0)
    with db.session() as s:
        client = Client(
            external_id="C-1",
            name="Anna Virtanen",
            city="Tampere",
            created_at=now,
            updated_at=now,
            purchase_count=2,
            revenue_total=Decimal("150.50"),
            last_purchase_on=date(2025, 12, 1),
        )
        client.phones.append(Phone(number="+358401234567", is_primary=True))
        s.add(client)
        s.flush()
        s.add_all(
            [
                Purchase(
                    client_id=client.id,
                    purchased_on=date(2025, 11, 1),
                    amount=Decimal("100.00"),
                    created_at=now,
                ),
                Purchase(
                    client_id=client.id,
                    purchased_on=date(2025, 12, 1),
                    amount=Decimal("50.50"),
                    created_at=now,
                ),
            ]
        )


def _raw(db: Database, sql: str) -> None:
    path = db.path
    db.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute(sql)
    con.commit()
    con.close()


def test_clean_base(db: Database) -> None:
    _fill(db)
    report = check_base(db.path)
    assert report.ok, report.problems
    assert report.revision is not None


def test_foreign_key_violation(db: Database) -> None:
    _fill(db)
    _raw(
        db,
        "INSERT INTO purchases(client_id, purchased_on, amount, items, document_no, created_at) "
        "VALUES (999, '2025-01-01', 100, '', '', '2025-01-01 00:00:00')",
    )
    report = check_base(db.path)
    kinds = [p.kind for p in report.problems]
    assert "foreign-key" in kinds
    fk = next(p for p in report.problems if p.kind == "foreign-key")
    assert fk.table == "purchases" and "clients" in fk.message and "client_id" in fk.message


def test_figures_disagree_with_purchases(db: Database) -> None:
    _fill(db)
    _raw(db, "UPDATE clients SET purchase_count = 5, revenue_total = 1")
    report = check_base(db.path)
    assert [p.kind for p in report.problems] == ["client-figures"]
    message = report.problems[0].message
    assert "purchases 5" in message and "purchases 2" in message and "150.50" in message


def test_nameless_client_and_bad_phone(db: Database) -> None:
    _fill(db)
    _raw(db, "UPDATE clients SET name = ' '")
    con = sqlite3.connect(db.path)
    con.execute("UPDATE phones SET number = '8 (912) 345-67-89'")
    con.commit()
    con.close()
    kinds = sorted(p.kind for p in check_base(db.path).problems)
    assert kinds == ["client-name", "phone-format"]


def test_older_schema_is_a_problem_newer_an_error(empty_base_file: Path) -> None:
    con = sqlite3.connect(empty_base_file)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    report = check_base(empty_base_file)
    assert [p.kind for p in report.problems] == ["schema"]
    con.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    con.commit()
    con.close()
    with pytest.raises(NewerSchemaError):
        check_base(empty_base_file)


def test_damage_is_reported(empty_base_file: Path) -> None:
    with open(empty_base_file, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff" * 200)
    report = check_base(empty_base_file)
    assert not report.ok and report.problems[0].kind == "integrity"


def test_not_a_base(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(NotABaseError):
        check_base(path)
