"""Inserting many rows at once on the session's connection, without SQLAlchemy's per-row work.

An ORM or Core ``insert`` of 100,000 parameter dicts spends most of its time building parameters row by
row. Here each column's bind processor (how SQLAlchemy stores a Decimal, a date, a bool on this dialect)
is looked up once and applied in a plain loop, and the rows go to the driver's ``executemany``: the
stored values are exactly what SQLAlchemy would store. Columns the rows leave out get their scalar
default, as an ORM insert would give them.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, column names of ``table``) in the caller's transaction.

    Raises:
        ValueError: a row names a column the table does not have, or a required column has no value.
    """
    if not rows:
        return
    dialect = connection.dialect
    columns = list(rows[0])
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no columns {unknown}")
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    extra_names: list[str] = []
    extra_values: list[Any] = []
    for col in table.columns:
        if col.name in columns:
            continue
        default = col.default
        if default is not None and getattr(default, "is_scalar", False):
            processor = col.type.dialect_impl(dialect).bind_processor(dialect)
            value = getattr(default, "arg", None)
            extra_names.append(col.name)
            extra_values.append(processor(value) if processor else value)
        elif not col.nullable and col.server_default is None and not col.primary_key:
            raise ValueError(f"rows for {table.name} lack the required column {col.name}")
    names = ", ".join(f'"{n}"' for n in (*columns, *extra_names))
    marks = ", ".join("?" * (len(columns) + len(extra_names)))
    tail = tuple(extra_values)
    params = _params(rows, columns, processors, tail)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', params)


def _params(
    rows: Sequence[dict[str, Any]], columns: list[str], processors: list[Any], tail: tuple[Any, ...]
) -> list[tuple[Any, ...]]:
    """The rows as parameter tuples: values taken out by one ``itemgetter``, only typed columns processed."""
    get = itemgetter(*columns)
    typed = [(i, p) for i, p in enumerate(processors) if p is not None]
    params = [(get(row),) for row in rows] if len(columns) == 1 else [get(row) for row in rows]
    if not typed and not tail:
        return params
    out = []
    for values in params:
        if typed:
            values = list(values)
            for i, p in typed:
                v = values[i]
                if v is not None:
                    values[i] = p(v)
            values = tuple(values)
        out.append(values + tail if tail else values)
    return out
