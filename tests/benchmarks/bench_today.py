"""Benchmark of the Today lists and the funnel board on a big base (e.g. the 100,000-client demo base).

Not collected by pytest. Run::

    python -m custdesk.cli demo --db /tmp/demo100k.sqlite --clients 100000 --seed 1
    python3 tests/benchmarks/bench_today.py --db /tmp/demo100k.sqlite

The day is the demo base's own "today" (the day its data lives up to, from the demo's journal entry),
so every list has clients in it; ``--on`` picks another.

Baselines measured in the same run on the same base: a real full scan of the clients table (``NOT
INDEXED``: SQLite reads every row and tests the four lists' conditions on each, what a naive Today
would cost), and the week of birthdays found the naive way (``strftime('%m%d', birthday)`` on every
row). ``today.due`` should cost a fraction of the full scan.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from _report import figure  # noqa: E402  (the folder of the script: tests/benchmarks)

from custdesk.core.db import open_base  # noqa: E402
from custdesk.core.services import funnel, today  # noqa: E402


def timed(fn: Callable[[], Any], repeat: int = 7) -> float:
    """The median of ``repeat`` runs, in milliseconds (after one warm-up run)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def demo_day(raw: sqlite3.Connection) -> date:
    """The day a demo base lives up to (its journal says ``today=YYYY-MM-DD``); else the calendar's."""
    row = raw.execute(
        "SELECT new FROM audit WHERE action = 'create' AND entity = 'base' AND field = 'demo' "
        "ORDER BY id DESC"
    ).fetchone()
    found = re.search(r"today=(\d{4}-\d{2}-\d{2})", row[0] if row else "")
    return date.fromisoformat(found.group(1)) if found else date.today()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a base with many clients (the demo base)")
    parser.add_argument("--on", type=date.fromisoformat, help="the day (default: the demo base's own)")
    args = parser.parse_args()
    path = Path(args.db)
    raw = sqlite3.connect(path)
    args.on = args.on or demo_day(raw)
    clients = raw.execute("SELECT count(*) FROM clients").fetchone()[0]
    keys = ",".join(str(k) for k in today.birthday_keys(args.on))
    day, week = args.on.isoformat(), (args.on + timedelta(days=30)).isoformat()
    full_scan = timed(
        lambda: raw.execute(
            "SELECT sum(next_call_on < ?), sum(next_call_on = ?), "
            "sum(CAST(strftime('%m%d', birthday) AS INTEGER) IN (" + keys + ")), "
            "sum(contract_end BETWEEN ? AND ?) FROM clients NOT INDEXED WHERE archived = 0",
            (day, day, day, week),
        ).fetchall()
    )
    naive_birthdays = timed(
        lambda: raw.execute(
            "SELECT id FROM clients WHERE archived = 0 AND "
            f"CAST(strftime('%m%d', birthday) AS INTEGER) IN ({keys})"
        ).fetchall()
    )
    indexed_birthdays = timed(
        lambda: raw.execute(
            f"SELECT id FROM clients WHERE archived = 0 AND birthday_md IN ({keys})"
        ).fetchall()
    )
    plan = raw.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM clients WHERE archived = 0 AND birthday_md IN ({keys})"
    ).fetchall()
    db = open_base(path, readonly=True)
    try:
        lists = today.due(db, args.on)
        due_ms = timed(lambda: today.due(db, args.on))
        board_ms = timed(lambda: funnel.board(db))
    finally:
        db.close()
    print(f"base: {path} ({clients:,} clients), day {args.on}")
    print(
        f"lists: {lists.overdue_count:,} overdue, {lists.today_count:,} today, "
        f"{lists.birthday_count:,} birthdays, {lists.prolongation_count:,} prolongations"
    )
    print(f"baseline full scan (four lists)      {full_scan:8.1f} ms   1.00")
    print(
        f"birthdays, strftime on every row      {naive_birthdays:8.1f} ms   {naive_birthdays / full_scan:.2f}"
    )
    print(
        f"birthdays, birthday_md index          {indexed_birthdays:8.1f} ms   "
        f"{indexed_birthdays / full_scan:.2f}"
    )
    print(f"today.due (four lists, counts)        {due_ms:8.1f} ms   {due_ms / full_scan:.2f}")
    figure(
        "today.due (four lists and their counts)",
        due_ms,
        "ms",
        baseline="a full scan",
        baseline_value=full_scan,
    )
    print(f"funnel.board                          {board_ms:8.1f} ms   {board_ms / full_scan:.2f}")
    print("birthday plan:", "; ".join(str(row[-1]) for row in plan))


if __name__ == "__main__":
    main()
