"""Inserting many rows at once on the session's connection, without SQLAlchemy's per-row work.

An ORM or Core ``insert`` of 100,000 parameter dicts spends most of its time building parameters row by
row. Here each column's bind processor (how SQLAlchemy stores a Decimal, a date, a bool on this dialect)
is looked up once and applied in a plain loop (once per distinct value of the plain types that repeat:
the import's timestamp, the flags, the dates), and the rows go to the driver's ``executemany``, a few
hundred rows a statement: the stored values are exactly what SQLAlchemy would store, in the same order.
Columns the rows leave out get their scalar default, as an ORM insert would give them.

Binding a parameter costs SQLite more than storing it: a column that holds the same integer, text or
NULL in every row of a batch (most of a card's columns in an import: empty text, the import's time) is
written into the statement as a literal instead, which stores exactly the same value (a test holds
both to what SQLAlchemy stores).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table

from custdesk.core.storage.bulk import insert_tuples_server

# Values a bind processor turns into the same stored value whenever they are equal (and of one class):
# their results can be reused. A datetime only without a time zone (equal aware times may print apart).
_REUSABLE = frozenset({bool, int, str, date, datetime})
ROWS_PER_STATEMENT = 250
MAX_PARAMETERS = 999  # SQLite's limit of bound parameters a statement before 3.32 (32766 since)
_INT64 = (-(2**63) + 1, 2**63 - 1)  # SQLite reads the literal -2**63 as minus 2**63: a REAL


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, column names of ``table``) in the caller's transaction.

    Raises:
        ValueError: a row names a column the table does not have, or a required column has no value.
    """
    if not rows:
        return
    columns = list(rows[0])
    get = itemgetter(*columns)
    values = [(get(row),) for row in rows] if len(columns) == 1 else [get(row) for row in rows]
    insert_tuples(connection, table, columns, values)


def insert_tuples(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples of the values of ``columns``, in that order) in the caller's transaction.

    What :func:`insert_rows` does for dicts, without making them: for callers that build many rows.

    Raises:
        ValueError: a column is not the table's, or a required column has no value.
    """
    if not rows:
        return
    dialect = connection.dialect
    if dialect.name != "sqlite":  # the server's bulk writer (custdesk.core.storage.bulk)
        insert_tuples_server(connection, table, columns, rows)
        return
    columns = list(columns)
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no columns {unknown}")
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    names = list(columns)
    tail: list[Any] = []
    for col in table.columns:
        if col.name in columns:
            continue
        default = col.default
        if default is not None and getattr(default, "is_scalar", False):
            processor = col.type.dialect_impl(dialect).bind_processor(dialect)
            value = getattr(default, "arg", None)
            names.append(col.name)
            tail.append(processor(value) if processor else value)
        elif not col.nullable and col.server_default is None and not col.primary_key:
            raise ValueError(f"rows for {table.name} lack the required column {col.name}")
    count = len(rows)
    if len(rows[0]) != len(columns):
        raise ValueError(f"rows for {table.name} must have {len(columns)} values")
    columns_values = _processed(list(zip(*rows, strict=True)), processors)  # strict: rows of one length
    marks: list[str] = []
    bound: list[tuple[Any, ...]] = []
    for values in columns_values:
        first = values[0]
        if _literal_ok(first) and values.count(first) == count and _stored_alike(first, values):
            marks.append(_literal(first))
        else:
            marks.append("?")
            bound.append(values)
    for value in tail:
        if _literal_ok(value):
            marks.append(_literal(value))
        else:
            marks.append("?")
            bound.append((value,) * count)
    quoted = ", ".join(f'"{n}"' for n in names)
    statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES '
    row = f"({', '.join(marks)})"
    # Many rows a statement: SQLite runs one statement per parameter set, and a statement of a few
    # hundred rows inserts them (in order, so with the same ids) a quarter to a half faster.
    per = max(1, min(ROWS_PER_STATEMENT, MAX_PARAMETERS // max(1, len(bound))))
    whole = count - count % per
    if whole:
        batches = [
            tuple(chain.from_iterable(zip(*(values[start : start + per] for values in bound), strict=True)))
            for start in range(0, whole, per)
        ]
        connection.exec_driver_sql(statement + ", ".join([row] * per), batches)
    if whole < count:
        rest: list[tuple[Any, ...]] = list(zip(*(values[whole:] for values in bound), strict=True))
        connection.exec_driver_sql(statement + row, rest or [()] * (count - whole))


def _stored_alike(first: Any, values: tuple[Any, ...]) -> bool:
    """Whether values all equal to ``first`` (None, an int or a str) are stored as it is.

    Text equal to a str is that text, and None is only None; but ``1 == 1.0`` and a float is stored as a
    REAL (``True`` is stored as 1).
    """
    return first.__class__ is not int or set(map(type, values)) <= {int, bool}


def _processed(columns: list[tuple[Any, ...]], processors: list[Any]) -> list[tuple[Any, ...]]:
    """Each column's values, processed where its type has a bind processor (None stays None).

    A column of one plain class (a date, a bool, a naive datetime...) is processed once per distinct
    value: equal values of one such class are stored alike.
    """
    out = []
    for values, processor in zip(columns, processors, strict=True):
        if processor is None:
            out.append(values)
            continue
        classes = set(map(type, values))
        classes.discard(type(None))
        if not classes:  # all None: nothing to process
            out.append(values)
            continue
        distinct = set(values) if len(classes) == 1 and classes <= _REUSABLE else None
        if distinct is not None and datetime in classes:
            distinct = distinct if all(v is None or v.tzinfo is None for v in distinct) else None
        if distinct is not None:
            done = {v: None if v is None else processor(v) for v in distinct}
            out.append(tuple(map(done.__getitem__, values)))
        else:
            out.append(tuple(None if v is None else processor(v) for v in values))
    return out


def _literal_ok(value: Any) -> bool:
    """Whether ``value`` can be written into SQL as a literal that stores exactly what binding stores."""
    if value is None:
        return True
    if value.__class__ is int:
        return _INT64[0] <= value <= _INT64[1]
    if value.__class__ is not str or "\x00" in value:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if value.__class__ is int:
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


__all__ = ["insert_rows", "insert_tuples"]
