"""Benchmark of the client list at 100,000 clients: first rows after opening, and search per keystroke.

Not collected by pytest. Run::

    python3 tests/benchmarks/bench_list.py                 # builds a temporary base of 100,000 clients
    python3 tests/benchmarks/bench_list.py --db BASE.sqlite  # an existing base (e.g. the demo base)

Each figure stands beside the raw SQL time of the same work in the same run: the SQL statements the
service ran are recorded and replayed on a plain ``sqlite3`` connection, so the ratio is the price of
the service layer (SQLAlchemy, sessions, dataclasses). Targets (issue 3): first rows < 1 s, < 50 ms
per keystroke.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from _report import figure  # noqa: E402  (the folder of the script: tests/benchmarks)
from sqlalchemy import event, insert  # noqa: E402

from custdesk.core import vocab  # noqa: E402
from custdesk.core.db import Database, open_base  # noqa: E402
from custdesk.core.models import Client, Email, Phone  # noqa: E402
from custdesk.core.services import client_list as cl  # noqa: E402
from custdesk.core.services import search  # noqa: E402

RU_FIRST = ["Иван", "Пётр", "Сергей", "Анна", "Мария", "Ольга", "Дмитрий", "Елена", "Алексей", "Наталья"]
RU_LAST = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков"]
EN_FIRST = ["John", "Mary", "Ivan", "Peter", "Anna", "Laura", "Matti", "Liisa", "Omid", "Sara"]
EN_LAST = ["Smith", "Brown", "Virtanen", "Korhonen", "Nieminen", "Johnson", "Miller", "Taylor"]
FA = ["مهدی رضایی", "علی محمدی", "زهرا احمدی", "سارا کریمی", "رضا حسینی", "مریم موسوی"]
CITIES = [
    ("Москва", "Москва"), ("Казань", "Татарстан"), ("Helsinki", "Uusimaa"), ("Oulu", "Pohjois-Pohjanmaa"),
    ("تهران", "تهران"), ("Самара", "Самарская область"), ("", ""),
]  # fmt: skip
LATIN = str.maketrans(
    {"И": "I", "в": "v", "а": "a", "н": "n", "П": "P", "ё": "yo", "т": "t", "р": "r", "С": "S", "е": "e",
     "г": "g", "й": "y", "А": "A", "М": "M", "и": "i", "я": "ya", "О": "O", "л": "l", "ь": "", "Д": "D",
     "м": "m", "Е": "E", "к": "k", "с": "s", "Н": "N", "ш": "sh", "о": "o", "К": "K", "з": "z", "ц": "ts",
     "п": "p", "В": "V", "Ф": "F", "д": "d", "б": "b"}
)  # fmt: skip


def build(path: Path, n: int, seed: int, plain: bool = False) -> None:
    """A base of ``n`` clients inserted plainly (the demo generator when it exists)."""
    try:
        from custdesk.core import demo

        generate = demo.generate_demo
    except (ImportError, AttributeError):
        generate = None
    if generate is not None and not plain:
        print(f"building with custdesk.core.demo.generate_demo ({n} clients)")
        with open_base(path, auto_backup=False) as demo_db:
            t0 = time.perf_counter()
            generate(demo_db, clients=n, seed=seed)
        print(f"built in {time.perf_counter() - t0:.1f} s")
        return
    rnd = random.Random(seed)
    now = datetime(2026, 3, 1, 12, 0)
    clients, phones, emails = [], [], []
    for i in range(1, n + 1):
        roll = rnd.random()
        if roll < 0.6:
            name = f"{rnd.choice(RU_LAST)} {rnd.choice(RU_FIRST)}"
        elif roll < 0.9:
            name = f"{rnd.choice(EN_FIRST)} {rnd.choice(EN_LAST)}"
        else:
            name = rnd.choice(FA)
        city, region = rnd.choice(CITIES)
        purchases = rnd.choice([0, 0, 1, 1, 2, 3, 5, 8])
        clients.append(
            {
                "id": i,
                "external_id": f"B{i:07d}",
                "kind": "person",
                "name": name,
                "organisation": f"ООО Ромашка {i % 700}" if rnd.random() < 0.2 else "",
                "city": city,
                "region": region,
                "notes": "постоянный клиент" if rnd.random() < 0.1 else "",
                "funnel": rnd.choice(vocab.FUNNEL_KEYS),
                "temperature": rnd.choice(("hot", "warm", "cold")),
                "vip": rnd.random() < 0.05,
                "next_call_on": None
                if rnd.random() < 0.3
                else date(2026, 1, 1) + timedelta(rnd.randrange(180)),
                "purchase_count": purchases,
                "revenue_total": purchases * rnd.randrange(1, 100_000),
                "last_purchase_on": date(2023, 1, 1) + timedelta(rnd.randrange(1100)) if purchases else None,
                "birthday": date(1950, 1, 1) + timedelta(rnd.randrange(20_000))
                if rnd.random() < 0.5
                else None,
                "archived": rnd.random() < 0.03,
                "created_at": now,
                "updated_at": now,
            }
        )
        for k in range(rnd.choice((0, 1, 1, 1, 2))):
            number = (
                f"+79{rnd.randrange(10**9):09d}"
                if rnd.random() < 0.7
                else f"+35840{rnd.randrange(10**7):07d}"
            )
            phones.append({"client_id": i, "number": number, "is_primary": k == 0, "position": k})
        if rnd.random() < 0.6:
            login = name.translate(LATIN).lower().replace(" ", ".")
            address = f"{login}{i}@{rnd.choice(('mail.ru', 'yandex.ru', 'gmail.com', 'firma.fi'))}"
            emails.append({"client_id": i, "address": address, "address_key": address, "is_primary": True})
    db = open_base(path, auto_backup=False)
    try:
        t0 = time.perf_counter()
        with db.engine.begin() as conn, search.bulk_load(conn):
            conn.execute(insert(Client), clients)
            conn.execute(insert(Phone), phones)
            conn.execute(insert(Email), emails)
            t1 = time.perf_counter()
        t2 = time.perf_counter()
        print(f"built {n} clients, {len(phones)} phones, {len(emails)} e-mails: inserts {t1 - t0:.2f} s, "
              f"index rebuild + commit {t2 - t1:.2f} s")  # fmt: skip
    finally:
        db.close()


@contextmanager
def recording(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Record the SQL statements (with their parameters) the engine runs inside the block."""
    statements: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, _many: bool) -> None:
        if sql.strip().upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The median of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def replay(raw: sqlite3.Connection, statements: list[tuple[str, Any]]) -> None:
    for sql, params in statements:
        raw.execute(sql, params).fetchall()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing base (default: build a temporary one)")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--plain", action="store_true", help="insert plainly even if the demo generator exists"
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="custdesk-bench-")
    os.environ.setdefault("CUSTDESK_DATA_DIR", str(Path(tmp.name) / "data"))
    path: Path = args.db or Path(tmp.name) / "bench.sqlite"
    if args.db is None:
        build(path, args.clients, args.seed, args.plain)
    print(f"SQLite {sqlite3.sqlite_version}, base {path} ({path.stat().st_size / 1e6:.0f} MB)")

    # First rows: open the base, count, the first window of ids, its rows (a cold start of the list).
    q = cl.ListQuery()
    t0 = time.perf_counter()
    db = open_base(path, auto_backup=False)
    t_open = time.perf_counter() - t0
    ensure = getattr(search, "ensure_statistics", None)  # what opening a base does (from migration 0003)
    if ensure is not None:
        t1 = time.perf_counter()
        with db.engine.begin() as conn:
            ran = ensure(conn)
        print(f"planner statistics: {'ANALYZE ran' if ran else 'present'} in {ms(time.perf_counter() - t1)}")
        t0 += time.perf_counter() - t1  # once per base (or after a migration adds an index), not per open
    with recording(db) as first_sql:
        n = cl.count(db, q)
        first = cl.rows(db, cl.page_ids(db, q, 0, 100))
    t_first = time.perf_counter() - t0
    raw = sqlite3.connect(path)

    def raw_first() -> None:  # like with like: the raw baseline opens its connection too
        con = sqlite3.connect(path)
        replay(con, first_sql)
        con.close()

    t_raw_first = best(raw_first, args.repeat)
    print(f"\nfirst rows: {n} clients shown, {len(first)} rows fetched")
    print(f"  open_base                {ms(t_open)}")
    print(f"  open + count + page + rows {ms(t_first)}   (target < 1000 ms)")
    print(
        f"  raw connect+count+page+rows {ms(t_raw_first)}   ratio {t_first / t_raw_first:6.1f}x (both open)"
    )
    figure(
        "list: first rows (open, count, first page)",
        t_first * 1000,
        "ms",
        baseline="raw sqlite3: connect and the same SQL",
        baseline_value=t_raw_first * 1000,
        target="< 1000 ms",
    )

    ranked_search = getattr(cl, "ranked_search", None)  # searches ranked in a kept order (issue 3)

    def forget(*, filters: bool = False, order: bool = False) -> None:
        """Forget what the list keeps of earlier searches: each repeat times a search typed anew."""
        if ranked_search is not None:
            ranked_search.of(db).forget(filters=filters, order=order)

    def window(query: cl.ListQuery, offset: int = 0) -> None:
        # As a view loads: the count first (for its scroll bar), handed to page_ids (which spares a count).
        total = cl.count(db, query)
        cl.rows(db, cl.page_ids(db, query, offset, 100, total=total))

    def measure(
        label: str, query: cl.ListQuery, offset: int = 0, fresh: Callable[[], None] = forget
    ) -> float:
        fresh()
        with recording(db) as sql:
            window(query, offset)

        def anew() -> None:
            fresh()
            window(query, offset)

        t_service = best(anew, args.repeat)
        t_raw = best(lambda: replay(raw, sql), args.repeat)
        found = cl.count(db, query)
        print(f"  {label:36} {ms(t_service)}  raw {ms(t_raw)}  ratio {t_service / t_raw:5.1f}x  rows {found}")
        figure(
            f"list: {label.strip()}",
            t_service * 1000,
            "ms",
            baseline="raw SQL replayed",
            baseline_value=t_raw * 1000,
        )
        return t_service

    prepare = getattr(cl, "prepare_search", None)
    if prepare is not None and ranked_search is not None:
        print("\nreading the list's order for searches (once per base change or new sort order)")
        for key in ("name", "funnel", "phone", "next_call"):

            def read_order(key: str = key) -> None:
                forget(order=True)
                prepare(db, cl.ListQuery(sort=key))

            print(f"  {key:28} {ms(best(read_order, args.repeat))}")
        kept = ranked_search.of(db)
        print(f"  memory kept for the last order: {kept.kept_bytes / 1024:.0f} KiB")

        def cold(query: cl.ListQuery) -> None:
            forget(order=True)
            window(query)

        for typed in ("о", "ова", "gmail"):
            t = best(lambda typed=typed: cold(cl.ListQuery(search=typed)), args.repeat)  # type: ignore[misc]
            print(f"  first keystroke after a change: {typed!r:8} {ms(t)}  (the order read included)")
        prepare(db, cl.ListQuery())

    print("\nsearch per keystroke (count + first 100 ids + their rows), median of", args.repeat)
    worst = 0.0
    words = ("Иван", "9123", "ivan@", "ива петр", "رضا", "ромашка 7", "ова пе", "gmail", "mail.ru", "com")
    for word in words:
        for k in range(1, len(word) + 1):
            typed = word[:k]
            if typed.endswith(" "):
                continue
            worst = max(worst, measure(repr(typed), cl.ListQuery(search=typed)))

    print(f"  worst keystroke {ms(worst)}   (target < 50 ms)")

    print("\nsearch beside filters (the filters' clients are read at the first keystroke, then kept)")
    worst_filtered = 0.0
    for label, filters in (
        ("gold", {"funnels": frozenset({"gold"})}),
        ("warm", {"temperatures": frozenset({"warm"})}),
        ("city Москва", {"city": "Москва"}),
        ("vip + hot", {"vip_only": True, "temperatures": frozenset({"hot"})}),
        ("birthday this month", {"birthday_this_month": True, "today": date(2026, 3, 15)}),
    ):
        for typed in ("о", "ова п", "com", "Иван"):
            query = cl.ListQuery(search=typed, **filters)
            worst_filtered = max(worst_filtered, measure(f"{label} + {typed!r}", query))
    print(f"  worst keystroke beside a filter {ms(worst_filtered)}   (target < 50 ms)")

    view_load: Callable[..., Any] | None
    try:  # what the list view runs on its worker per keystroke (needs PySide6 importable)
        from custdesk.core.validation import format_phone
        from custdesk.ui.models.client_table import load as view_load
    except ImportError:
        view_load = None
    if view_load is not None:
        print("\nas the list view loads a keystroke (both counts, first page, phones formatted afresh)")

        def view(query: cl.ListQuery) -> None:
            forget()
            format_phone.cache_clear()
            view_load(db, query, [0], 100, "RU")

        worst_view = 0.0
        for typed in ("о", "ова", "ова п", "gmail", "mail", "com", "Иван", "9123"):
            t = best(lambda typed=typed: view(cl.ListQuery(search=typed)), args.repeat)  # type: ignore[misc]
            worst_view = max(worst_view, t)
            print(f"  {typed!r:28} {ms(t)}")
        print(f"  worst {ms(worst_view)}   (target < 50 ms)")

    print("\nsearch results far down (count + a window of 100 ids + their rows)")
    for typed, offset in (("ова", 2_000), ("ова", 15_000), ("gmail", 5_000), ("ива пе", 200)):
        measure(f"{typed!r} at {offset}", cl.ListQuery(search=typed), offset)

    print("\nscrolling: a window of 100 rows at offset 50,000 (count + ids + rows)")
    for key in cl.SORT_KEYS:
        for descending in (False, True):
            measure(
                f"{key}{' desc' if descending else ''}", cl.ListQuery(sort=key, descending=descending), 50_000
            )

    print(
        "\nfilters (first window), by SQL (the order is not kept) and ranked (kept, as after the list showed)"
    )
    today = date(2026, 3, 15)

    def by_sql() -> None:
        forget(order=True)

    def ranked() -> None:
        forget(filters=True)

    for label, query in [
        ("overdue calls", cl.ListQuery(overdue_call=True, today=today, sort="next_call")),
        ("birthday this month", cl.ListQuery(birthday_this_month=True, today=today)),
        ("vip + hot", cl.ListQuery(vip_only=True, temperatures=frozenset({"hot"}))),
        (
            "funnel gold, by revenue desc",
            cl.ListQuery(funnels=frozenset({"gold"}), sort="revenue", descending=True),
        ),
        ("city Oulu", cl.ListQuery(city="Oulu")),
        ("city Москва, by phone", cl.ListQuery(city="Москва", sort="phone")),
        ("vip, by next call", cl.ListQuery(vip_only=True, sort="next_call")),
        ("archived = all, by name", cl.ListQuery(archived="all")),
    ]:
        measure(label, query, fresh=by_sql)
        if prepare is not None and query.archived != "all":  # the whole list is always walked by SQL
            prepare(db, query)
            measure(f"{label}, ranked", query, fresh=ranked)
    far = cl.ListQuery(birthday_this_month=True, today=today, sort="phone", descending=True)
    measure("birthday this month at 4,000", far, 4_000, fresh=by_sql)
    if prepare is not None:
        prepare(db, far)
        measure("birthday this month at 4,000, ranked", far, 4_000, fresh=ranked)

    between = getattr(cl, "birthday_between", None)  # the Today view's query (migration 0003 on)
    if between is not None:
        from sqlalchemy import select

        span = between(date(2026, 12, 20), date(2027, 1, 10))
        stmt = select(Client.id).where(Client.archived.is_(False), span).order_by(Client.birthday_md)

        def birthdays() -> int:
            with db.session() as s:
                return len(s.scalars(stmt).all())

        t = best(birthdays, args.repeat)
        print(f"  {'birthdays 20 Dec - 10 Jan':28} {ms(t)}  rows {birthdays()}")

    print("\nposition_of (re-select after a change)")
    some = cl.page_ids(db, cl.ListQuery(), min(60_000, n - 1), 1)  # n: the clients listed at first
    for key in ("name", "funnel", "next_call", "phone"):
        query = cl.ListQuery(sort=key)
        t = best(lambda query=query: cl.position_of(db, query, some[0]), args.repeat)  # type: ignore[misc]
        print(f"  {key:28} {ms(t)}")

    raw.close()
    db.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
