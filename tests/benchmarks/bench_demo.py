"""Benchmark: making the demo base (100,000 clients, about a million purchases) against a raw baseline.

Run it as a script (pytest does not collect it: its name does not start with ``test_``)::

    python tests/benchmarks/bench_demo.py --clients 100000

It makes the demo base in a temporary folder and prints the total time (wall and CPU: the CPU figure is
what the machine would take without other load), rows per second, the time per phase, the file size and
the peak memory; then a baseline measured in the same run: a raw ``sqlite3`` ``executemany`` of the same
number of plain rows into a bare table like ``purchases`` (no indexes, no triggers, one transaction, WAL),
and the ratio of the two. It never asserts a time.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


class _Phases(logging.Handler):
    """Keeps the phase timings ``custdesk.demo`` logs at DEBUG."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def baseline(folder: Path, rows: int) -> float:
    """Seconds for a raw executemany of ``rows`` plain purchase-like rows into a bare table."""
    path = folder / "baseline.sqlite"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute(
        "CREATE TABLE bare (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL, purchased_on DATE NOT NULL, "
        "amount BIGINT NOT NULL, profit BIGINT, items TEXT NOT NULL, document_no VARCHAR(64) NOT NULL, "
        "created_at DATETIME NOT NULL)"
    )
    started = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO bare (id, client_id, purchased_on, amount, profit, items, document_no, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                i,
                i // 10 + 1,
                "2024-05-17",
                123456 + i,
                23456,
                "Coffee beans, 1 kg × 3",
                f"INV-{i:07d}",
                "2024-05-17 10:21:00.000000",
            )
            for i in range(1, rows + 1)
        ),
    )
    con.execute("COMMIT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 20))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="custdesk-bench-demo-"))
    os.environ["CUSTDESK_DATA_DIR"] = str(folder / "data")  # backups and logs stay in the folder

    from custdesk.core.db import open_base
    from custdesk.core.demo import generate_demo

    phases = _Phases()
    logger = logging.getLogger("custdesk.demo")
    logger.addHandler(phases)
    logger.setLevel(logging.DEBUG)

    path = folder / "demo.sqlite"
    db = open_base(path, auto_backup=False)
    try:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        stats = generate_demo(db, clients=args.clients, seed=args.seed, today=args.today)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    finally:
        db.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = _size(path)
    rows = (
        stats.clients + stats.phones + stats.emails + stats.purchases + stats.interactions + stats.reminders
        + stats.sales_plans
    )  # fmt: skip
    load = os.getloadavg()

    base_seconds = baseline(folder, rows)

    print(f"demo base: {args.clients:,} clients, seed {args.seed}, today {args.today.isoformat()}")
    print(
        f"  made:        {stats.purchases:,} purchases ({stats.returns:,} returns), "
        f"{stats.interactions:,} interactions, {stats.phones:,} phones, {stats.emails:,} e-mails, "
        f"{stats.reminders:,} reminders, {stats.sales_plans} monthly plans"
    )
    print(
        f"  buyers:      {stats.buyers:,}, of which one-time {stats.one_time_buyers:,} "
        f"({stats.one_time_buyers / max(1, stats.buyers):.1%}); "
        f"calls overdue {stats.overdue_calls:,}, due today {stats.calls_today:,}"
    )
    print(f"  total time:  {wall:.1f} s wall, {cpu:.1f} s CPU (load average before: {load[0]:.1f})")
    for message in phases.messages:
        print(f"  phases:      {message}")
    print(f"  rows:        {rows:,} in all, {rows / wall:,.0f} rows/s")
    print(f"  file size:   {size / 2**20:,.1f} MiB")
    print(f"  peak memory: {peak_mib:,.0f} MiB (maxrss)")
    print(f"baseline: raw sqlite3 executemany of {rows:,} plain rows into a bare table")
    print(f"  time:        {base_seconds:.1f} s, {rows / base_seconds:,.0f} rows/s")
    print(f"  ratio:       the demo base takes {wall / base_seconds:.1f}x the baseline")
    if args.keep:
        print(f"kept: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
