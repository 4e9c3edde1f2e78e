"""The demo base: a living client base made up from a seed, for trying CustDesk and for benchmarks.

:func:`generate_demo` fills an empty base with clients (people and organisations), their phones and
e-mails, three years of purchases, the history of cooperation, reminders, tags and monthly sales plans.
The same ``(seed, today, language, country)`` always gives the same base.

The demo follows the interface language and the firm's country (:func:`demo_locale`): in Russian its
clients are Russian (names, cities, +7 phones) and the firm counts in roubles; in Finnish, Finnish (+358,
euros); in Persian, Iranian (Persian names, Iranian cities, +98 phones, rials); in English, American
(+1, dollars), or, when the firm's country is Russia, Finland or Iran, that country's clients with the
history written in English. The demo base's firm settings (phone region, currency) are set to match.

It is fast because it does not use the ORM per row: ``demo_history`` builds plain tuples (money as integer
minor units, dates as the text SQLAlchemy stores, derived columns filled in) and they go in by
``executemany`` in chunks, all in one transaction. During the load the secondary indexes and the triggers
of the loaded tables are dropped and made again afterwards from their stored SQL, the search index is
rebuilt once (``search.bulk_load``) and SQLite gets sampled planner statistics. One audit entry records
the whole load. A progress callback that raises cancels: the transaction rolls back and the base stays
empty, indexes and triggers included.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from custdesk.core import demo_data as data
from custdesk.core import demo_history as hist
from custdesk.core.db import Database
from custdesk.core.demo_sales import Row
from custdesk.core.errors import CustDeskError
from custdesk.core.models import (
    Base,
    Client,
    Email,
    Interaction,
    Phone,
    Purchase,
    Reminder,
    SalesPlan,
    Setting,
    Tag,
    client_tags,
)
from custdesk.core.services import audit, search, settings
from custdesk.i18n import _, current_language, format_number

log = logging.getLogger("custdesk.demo")

CHUNK = 1000  # clients per executemany round (and per progress call)
MAX_CLIENTS = 10_000_000
ANALYSIS_LIMIT = 1000  # rows ANALYZE samples per index
LOAD_CACHE_KIB = 64 * 1024  # SQLite page cache while loading (KiB): index and FTS pages stay in memory

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoStats:
    """What :func:`generate_demo` made, and how long it took."""

    clients: int
    organisations: int
    buyers: int  # clients with at least one purchase
    one_time_buyers: int  # buyers with exactly one
    purchases: int  # purchase rows, returns included
    returns: int  # purchase rows with a negative amount
    interactions: int
    reminders: int
    phones: int
    emails: int
    tagged_clients: int
    sales_plans: int
    overdue_calls: int  # clients whose next call is before ``today``
    calls_today: int  # ... and on ``today``
    seconds: float


def _insert_sql(table: Table, columns: Sequence[str], connection: Connection) -> str:
    """An ``INSERT`` of ``columns`` into ``table``; table columns the rows lack get their default.

    A column another migration adds later is filled with its scalar default (or NULL), so the demo keeps
    working; a required column without a default is a programming error named here.
    """
    names = set(table.columns.keys())
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise RuntimeError(f"demo rows name columns {unknown} that {table.name} does not have")
    dialect = connection.dialect
    extra_names: list[str] = []
    extra_values: list[str] = []
    for col in table.columns:
        if col.name in columns:
            continue
        default = getattr(col.default, "arg", None) if col.default is not None else None
        if default is None or callable(default):
            if not col.nullable and col.server_default is None:
                raise RuntimeError(f"demo rows lack the required column {table.name}.{col.name}")
            continue
        processor = col.type.dialect_impl(dialect).bind_processor(dialect)
        value = processor(default) if processor else default
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int | float):
            literal = repr(value)
        elif isinstance(value, str):
            literal = "'" + value.replace("'", "''") + "'"
        else:  # pragma: no cover - no such column today
            raise RuntimeError(f"cannot fill {table.name}.{col.name} with {value!r}")
        extra_names.append(col.name)
        extra_values.append(literal)
    names_sql = ", ".join([*columns, *extra_names])
    values_sql = ", ".join(["?"] * len(columns) + extra_values)
    return f"INSERT INTO {table.name} ({names_sql}) VALUES ({values_sql})"


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


class _Writer:
    """``executemany`` of row tuples into the tables, on the session's connection (its transaction)."""

    TABLES: tuple[tuple[str, Table, tuple[str, ...]], ...] = (
        ("clients", _table(Client), hist.CLIENT_COLUMNS),
        ("phones", _table(Phone), hist.PHONE_COLUMNS),
        ("emails", _table(Email), hist.EMAIL_COLUMNS),
        ("purchases", _table(Purchase), hist.PURCHASE_COLUMNS),
        ("interactions", _table(Interaction), hist.INTERACTION_COLUMNS),
        ("reminders", _table(Reminder), hist.REMINDER_COLUMNS),
        ("client_tags", client_tags, hist.CLIENT_TAG_COLUMNS),
    )

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.sql = {key: _insert_sql(table, cols, connection) for key, table, cols in self.TABLES}
        self.tag_sql = _insert_sql(_table(Tag), hist.TAG_COLUMNS, connection)
        self.plan_sql = _insert_sql(_table(SalesPlan), hist.SALES_PLAN_COLUMNS, connection)

    def rows(self, sql: str, rows: list[Row]) -> None:
        if rows:
            self.connection.exec_driver_sql(sql, rows)

    def batch(self, batch: hist.Batch) -> None:
        for key, _table, _cols in self.TABLES:  # parents first: clients before what refers to them
            self.rows(self.sql[key], getattr(batch, key))


class _Clock:
    """Seconds spent per phase, logged at DEBUG (the benchmark prints them)."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._last
        self._last = now


@contextmanager
def _load_pragmas(connection: Connection) -> Iterator[None]:
    """A big page cache for the load (connection-wide, so it is put back afterwards)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


@contextmanager
def _indexes_and_triggers_suspended(connection: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes and triggers on ``tables`` for the load; make them again after it.

    Building an index once from sorted rows is several times faster than keeping it in step row by row,
    and a trigger per row (say one that recomputes a derived column by looking up phones) would run
    without its index. The rows carry every derived value themselves. Indexes and triggers come back
    from their stored SQL, exactly as the migrations made them; if the block raises, the caller's
    rollback brings them back. (The search index's own triggers are suspended by ``search.bulk_load``
    before this runs, which also rebuilds the index.)
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    marks = ", ".join("?" * len(tables))
    saved = connection.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY type, name",
        tuple(tables),
    ).all()
    for kind, name, _sql in saved:
        connection.exec_driver_sql(f'DROP {"INDEX" if kind == "index" else "TRIGGER"} "{name}"')
    yield
    for _kind, _name, sql in saved:  # indexes first: a trigger may look rows up by them
        connection.exec_driver_sql(str(sql))


def _analyze(connection: Connection) -> None:
    """Give SQLite's planner statistics for the new base (sampled: quick even for a big base)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")


def _holds_data(session: Session) -> bool:
    for model in (Client, Purchase, Interaction, SalesPlan, Tag):
        if session.execute(select(model.id).limit(1)).first() is not None:
            return True
    return False


HOME_LOCALE = {"ru": "ru", "fi": "fi", "fa": "fa"}  # a language spoken in one demo country
LOCALE_OF_COUNTRY = {country: loc for loc, country in data.COUNTRIES.items()}


def demo_locale(language: str, country: str | None) -> tuple[str, str]:
    """Where the demo's clients come from and the language its texts are in: ``(people, words)``.

    Russian, Finnish and Persian bring their own country; English takes the firm's country when it is
    one of the demo's (Russia, Finland, Iran), else the United States.
    """
    words = language if language in data.PRODUCTS else "en"
    people = HOME_LOCALE.get(language) or LOCALE_OF_COUNTRY.get(str(country or "").upper(), "en")
    return people, words


def _firm_country(s: Session, people: str) -> dict[str, str]:
    """Set the demo firm's phone region and currency to its clients' country (in the load's transaction)."""
    values = {"phone_region": data.COUNTRIES[people], "currency": data.CURRENCIES[people]}
    for key, value in values.items():
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=json.dumps(value)))
        else:
            row.value = json.dumps(value)
    return values


def generate_demo(
    db: Database,
    *,
    clients: int,
    seed: int,
    progress: ProgressCallback | None = None,
    today: date | None = None,
    language: str | None = None,
) -> DemoStats:
    """Fill the empty base ``db`` with a demo client base, in one transaction.

    Args:
        db: an open, writable base with no clients, purchases, history, tags or plans yet.
        clients: how many clients to make (about ten purchases each on average).
        seed: the random seed; the same seed and ``today`` give the same base.
        progress: called now and then with (clients done, clients in all); raising from it cancels,
            and the base stays as it was.
        today: the day the demo lives up to (purchases end on it, calls are due from it); default today.
        language: the interface language the demo follows (default: the current one); see
            :func:`demo_locale` for how it and the firm's country choose the clients.

    Returns:
        The counts of what was made and the seconds it took.

    Raises:
        CustDeskError: the base already holds data, or ``clients`` is out of range.
    """
    if not 0 <= clients <= MAX_CLIENTS:
        raise CustDeskError(
            _("The demo base can have from 0 to {most} clients, not {count}.").format(
                most=format_number(MAX_CLIENTS), count=format_number(clients)
            )
        )
    started = time.perf_counter()
    today = today or date.today()
    report = progress or (lambda done, total: None)
    conf = settings.get_all(db)
    with db.session() as s:
        if _holds_data(s):
            raise CustDeskError(
                _(
                    "The base {path} already holds data; a demo base can only be made in an empty base. "
                    "Choose a new file for it."
                ).format(path=db.path)
            )
        report(0, clients)
        clock = _Clock()
        people, words = demo_locale(language or current_language(), conf.get("phone_region"))
        conf = {**conf, **_firm_country(s, people)}
        builder = hist.DemoBuilder(seed, today, conf, people=people, words=words)
        connection = s.connection()
        writer = _Writer(connection)
        clock.lap("prepare")
        # The search index is rebuilt after the indexes are back: its source view looks phones and
        # e-mails up by client.
        loaded = [table.name for _key, table, _cols in writer.TABLES]
        with _load_pragmas(connection), search.bulk_load(connection):
            with _indexes_and_triggers_suspended(connection, loaded):
                writer.rows(writer.tag_sql, builder.tag_rows())
                for first in range(1, clients + 1, CHUNK):
                    batch = hist.Batch()
                    end = min(first + CHUNK, clients + 1)
                    for cid in range(first, end):
                        builder.client(cid, batch)
                    clock.lap("generate")
                    writer.batch(batch)
                    clock.lap("insert")
                    report(end - 1, clients)
                    clock.lap("progress")
                plans = builder.sales.plan_rows()
                writer.rows(writer.plan_sql, plans)
                clock.lap("generate")
            clock.lap("indexes")
        clock.lap("search index")
        _analyze(connection)
        clock.lap("analyze")
        counts = builder.counts
        summary = (
            f"clients={counts.clients} purchases={counts.purchases + builder.sales.returns} "
            f"interactions={counts.interactions} seed={seed} today={today.isoformat()} "
            f"people={people} language={words}"
        )
        audit.record(s, "create", "base", None, field="demo", new=summary, at=datetime.now())
        clock.lap("audit")
    clock.lap("commit")
    log.debug("demo base of %d clients: %s", clients, {k: round(v, 2) for k, v in clock.phases.items()})
    c = builder.counts
    return DemoStats(
        clients=c.clients,
        organisations=c.organisations,
        buyers=c.buyers,
        one_time_buyers=c.one_time_buyers,
        purchases=c.purchases + builder.sales.returns,
        returns=builder.sales.returns,
        interactions=c.interactions,
        reminders=c.reminders,
        phones=c.phones,
        emails=c.emails,
        tagged_clients=c.tagged_clients,
        sales_plans=len(plans),
        overdue_calls=c.overdue_calls,
        calls_today=c.calls_today,
        seconds=round(time.perf_counter() - started, 2),
    )
