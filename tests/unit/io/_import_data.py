"""Helpers of the import tests: real files written as other programs write them, and base fingerprints."""

from __future__ import annotations

import hashlib
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import inspect

from custdesk.core.db import Database
from custdesk.core.services import settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"
ACCESS_DIR = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "access"


def file_hash(path: Path) -> str:
    """The SHA-256 of a file (a base is compared before and after with it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def base_state(db: Database) -> str:
    """A fingerprint of everything in the base's tables (a WAL base's file alone may not change)."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        if conn.dialect.name != "sqlite":  # a server base: every table's rows and the schema's shape
            inspector = inspect(conn)
            tables = sorted(inspector.get_table_names())
            for table in tables:
                digest.update(repr(inspector.get_columns(table)).encode())
        else:
            tables = [
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type='table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
        for table in tables:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(tuple(row)).encode())
        if conn.dialect.name == "sqlite":
            for row in conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master ORDER BY name"):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def set_region(db: Database, region: str) -> None:
    settings.set_values(db, {"phone_region": region})


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook written by openpyxl with the given sheets (in order)."""
    wb = Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = name
        first = False
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


CLIENT_ROWS: list[list[object]] = [
    ["ФИО", "Телефон", "E-mail", "Город", "Дата рождения"],
    ["Иванов Иван", "+7 912 345-67-89", "ivanov@example.ru", "Москва", "12.03.1985"],
    ["Петрова Анна", "8 912 111-22-33", "anna@example.ru", "Тверь", "1979-12-31"],
    ["Сидоров Пётр", "9123334455", "", "Казань", ""],
]
