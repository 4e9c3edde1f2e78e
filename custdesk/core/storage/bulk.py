"""The bulk writer seam: many rows into one table in the caller's transaction, per dialect.

SQLite: ``custdesk.io.bulk`` (one statement of a few hundred rows, literals for repeated values, the
driver's ``executemany``). PostgreSQL: a Core ``insert`` of the rows (psycopg sends them in batches of
multi-row ``VALUES``), which stores exactly what SQLAlchemy stores. Ids: :func:`reserve_ids` takes them
from the server's sequence, so two seats importing at once never get the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, Table, func, select, text


class BulkWriter(Protocol):
    """Insert rows given as tuples of the values of ``columns`` into ``table``."""

    def __call__(
        self, connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> None: ...


def insert_tuples_server(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """The server's bulk writer (see the module docstring)."""
    if not rows:
        return
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no columns {unknown}")
    names = list(columns)
    connection.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """``count`` new ids for rows of ``table`` that the caller inserts with explicit ids.

    On the server they come from the table's sequence (safe beside other seats); on a SQLite file, which
    has one writer, they follow the largest id.
    """
    if count <= 0:
        return []
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count},
        )
        return [int(r[0]) for r in rows]
    first = int(connection.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(first, first + count))


def reset_sequences(connection: Connection, tables: Sequence[Table]) -> None:
    """Set each table's id sequence after its largest id (server only; after rows were given ids)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        seq = connection.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if seq is None:
            continue
        connection.execute(
            text(f'SELECT setval(:s, coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'),
            {"s": seq},
        )


__all__ = ["BulkWriter", "insert_tuples_server", "reserve_ids", "reset_sequences"]
