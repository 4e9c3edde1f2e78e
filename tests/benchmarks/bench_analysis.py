"""Benchmark: ABC + XYZ + RFM of every client against plain-SQL aggregates of the same figures.

Run it as a script (pytest does not collect it)::

    python tests/benchmarks/bench_analysis.py                      # builds a 100,000-client demo base
    python tests/benchmarks/bench_analysis.py --db BASE [--store]  # an existing base (--store writes)

It times ``analyze_clients`` (one scan of the window through the covering date index into numpy, then
ABC, XYZ and RFM) cold (the first run on a freshly opened base) and warm (best of ``--repeat``), each part
on its own (the scan, ABC, XYZ, RFM), and beside it, in the same run, a plain-SQL computation of the same
aggregates with GROUP BY queries (per client: purchases, revenue, profit, last day; per client and month:
revenue, then the sum of squares per client), plus the raw driver floor (``fetchall`` of the rows the
scan reads). It cross-checks that both give the same revenue, purchases, last day and cv per client,
and prints wall and CPU seconds (the CPU figure is what an idle machine would take), ratios, and the peak
memory (tracemalloc over one extra run, and the process's maximum resident size). It never asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np
from _report import figure  # the folder of the script: tests/benchmarks


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _best(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    runs = [_timed(fn) for _ in range(repeat)]
    return runs[-1][0], min(r[1] for r in runs), min(r[2] for r in runs)


def _line(label: str, wall: float, cpu: float, base: float | None = None) -> None:
    ratio = f"  ({wall / base:.2f}x plain SQL)" if base else ""
    print(f"  {label:<44} wall {wall:7.3f} s   cpu {cpu:7.3f} s{ratio}")


def plain_sql(path: Path, start: date, end: date) -> dict[str, Any]:
    """The same aggregates with GROUP BY queries on a raw sqlite3 connection (read-only)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    window = "purchased_on >= ? AND purchased_on <= ?"
    params = (start.isoformat(), end.isoformat())
    per_client = con.execute(
        f"SELECT client_id, count(*), sum(amount), sum(coalesce(profit, 0)), max(purchased_on) "
        f"FROM purchases WHERE {window} GROUP BY client_id",
        params,
    ).fetchall()
    squares = con.execute(
        f"SELECT client_id, sum(v * v) FROM (SELECT client_id, substr(purchased_on, 1, 7) AS m, "
        f"sum(amount) AS v FROM purchases WHERE {window} GROUP BY client_id, m) GROUP BY client_id",
        params,
    ).fetchall()
    con.close()
    return {"per_client": per_client, "squares": dict(squares)}


def raw_floor(path: Path, start: date, end: date, columns: str) -> int:
    """Rows the scan reads, fetched with a bare sqlite3 cursor (the driver's own cost)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = con.execute(
        f"SELECT {columns} FROM purchases WHERE purchased_on >= ? AND purchased_on <= ? "
        "ORDER BY purchased_on",
        (start.isoformat(), end.isoformat()),
    ).fetchall()
    con.close()
    return len(rows)


def cross_check(analysis: Any, sql: dict[str, Any], months: int) -> str:
    scan = analysis.scan
    pos = {int(c): i for i, c in enumerate(scan.client_ids)}
    bad = 0
    for cid, count, revenue, profit, last in sql["per_client"]:
        i = pos[cid]
        ok = (
            scan.purchases[i] == count
            and scan.revenue[i] == revenue
            and (not scan.has_profit or scan.profit[i] == profit)
            and scan.last_day[i] == date.fromisoformat(last).toordinal()
        )
        q = sql["squares"][cid]
        if revenue > 0:
            cv = np.sqrt(max(months * q - revenue * revenue, 0)) / revenue
            ok = ok and abs(cv - analysis.cv[i]) <= 1e-6 * max(1.0, cv)
        bad += not ok
    buyers = int(scan.bought.sum())
    return f"{len(sql['per_client'])} buyers in SQL, {buyers} in the scan, {bad} differing"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing base (default: build a demo base)")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=3, help="the window: the last N years (default 3)")
    parser.add_argument(
        "--end", type=date.fromisoformat, help="the window's last day (default: last purchase)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--store", action="store_true", help="also time storing the classes (writes)")
    args = parser.parse_args(argv)

    from custdesk.analysis.abc import abc_codes
    from custdesk.analysis.clients import analyze_clients, classify
    from custdesk.analysis.parameters import AnalysisParameters
    from custdesk.analysis.period import Period
    from custdesk.analysis.scan import scan_window
    from custdesk.analysis.store import store_analysis
    from custdesk.analysis.xyz import xyz_codes
    from custdesk.core.db import open_base

    folder = Path(tempfile.mkdtemp(prefix="bench-analysis-"))
    try:
        if args.db is None:
            from custdesk.core.demo import generate_demo

            path = folder / "demo.sqlite"
            print(f"Building a demo base of {args.clients:,} clients in {path} ...")
            db = open_base(path, auto_backup=False)
            _, wall, _cpu = _timed(lambda: generate_demo(db, clients=args.clients, seed=args.seed))
            db.close()
            print(f"  built in {wall:.1f} s")
            store = True
        else:
            path = args.db
            store = args.store
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        clients, purchases, last = con.execute(
            "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM purchases), "
            "(SELECT max(purchased_on) FROM purchases)"
        ).fetchone()
        con.close()
        end = args.end or date.fromisoformat(last)
        period = Period.last_years(args.years, end)
        params = AnalysisParameters(period)
        months = len(range(period.start.year * 12 + period.start.month, end.year * 12 + end.month + 1))
        print(f"Base: {clients:,} clients, {purchases:,} purchases; window {period.start} .. {period.end}")

        db = open_base(path, readonly=not store, auto_backup=False)
        try:
            analysis, cold_wall, cold_cpu = _timed(lambda: analyze_clients(db, params))
            in_window = int(analysis.scan.purchases.sum())
            print(f"  {in_window:,} purchases in the window, {analysis.buyers:,} buyers, {months} months\n")
            analysis, warm_wall, warm_cpu = _best(lambda: analyze_clients(db, params), args.repeat)
            profit_params = AnalysisParameters(period, criterion="profit")
            _, profit_wall, profit_cpu = _best(lambda: analyze_clients(db, profit_params), args.repeat)

            def scan() -> Any:
                with db.session() as s:
                    return scan_window(s, period, "month", with_profit=False)

            scanned, scan_wall, scan_cpu = _best(scan, args.repeat)
            bought = scanned.bought
            _, abc_wall, abc_cpu = _best(
                lambda: abc_codes(scanned.client_ids, scanned.revenue, bought), args.repeat
            )
            _, xyz_wall, xyz_cpu = _best(lambda: xyz_codes(scanned.cells, bought), args.repeat)
            _, all3_wall, all3_cpu = _best(lambda: classify(scanned, params), args.repeat)
            rfm_wall = max(all3_wall - abc_wall - xyz_wall, 0.0)
            rfm_cpu = max(all3_cpu - abc_cpu - xyz_cpu, 0.0)

            sql, sql_wall, sql_cpu = _best(lambda: plain_sql(path, period.start, period.end), args.repeat)
            _, floor_wall, floor_cpu = _best(
                lambda: raw_floor(path, period.start, period.end, "client_id, amount"), args.repeat
            )
            tracemalloc.start()
            analyze_clients(db, params)
            _current, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            stored = None
            if store:
                stored = _timed(lambda: store_analysis(db, analysis))
        finally:
            db.close()

        print("ABC + XYZ + RFM together (analyze_clients):")
        _line("cold (first run on a freshly opened base)", cold_wall, cold_cpu, sql_wall)
        _line(f"warm (best of {args.repeat}), revenue criterion", warm_wall, warm_cpu, sql_wall)
        _line(f"warm (best of {args.repeat}), profit criterion", profit_wall, profit_cpu, sql_wall)
        print("Each part (warm):")
        _line("scan: one pass of the window into numpy", scan_wall, scan_cpu, sql_wall)
        _line("ABC", abc_wall, abc_cpu)
        _line("XYZ", xyz_wall, xyz_cpu)
        _line("RFM (scores and segments)", rfm_wall, rfm_cpu)
        print("Baselines in the same run:")
        _line("plain SQL GROUP BY aggregates (same figures)", sql_wall, sql_cpu)
        _line("raw driver floor: fetchall(client_id, amount)", floor_wall, floor_cpu)
        print(
            f"Ratio analyze (warm) / plain SQL: {warm_wall / sql_wall:.2f} wall, {warm_cpu / sql_cpu:.2f} cpu"
        )
        figure(
            "analysis: ABC + XYZ + RFM, warm",
            warm_wall,
            "s",
            baseline="plain SQL GROUP BY of the same figures",
            baseline_value=sql_wall,
        )
        figure(
            "analysis: cold, a freshly opened base",
            cold_wall,
            "s",
            baseline="plain SQL",
            baseline_value=sql_wall,
        )
        print(f"Cross-check against SQL: {cross_check(analysis, sql, months)}")
        if stored is not None:
            _line("store the classes on every client (writes)", stored[1], stored[2])
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"Peak memory: {traced_peak / 2**20:.0f} MiB traced during one analysis; "
            f"process max RSS {maxrss:.0f} MiB"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
