"""Benchmark of importing a 100,000-row .xlsx of clients, beside python-calamine's raw read of it.

Not collected by pytest. Run::

    python3 tests/benchmarks/bench_import.py              # 100,000 rows
    python3 tests/benchmarks/bench_import.py --rows 20000
    python3 tests/benchmarks/bench_import.py --repeat 3   # a busy machine: the best run and the spread

openpyxl (write-only) writes a workbook of clients as old shop workbooks have them (a title row above
the header, Russian headers, phones as text in several styles, e-mails, cities, birthdays as date cells,
some repeated clients); then, in the same run, it times python-calamine's raw read of the file (the
baseline: no import can be faster than reading), and the whole import into an empty base: read, header
and mapping found, every row validated, duplicates found, inserted in one transaction. Target (issue 4):
under 20 s for 100,000 rows.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from _report import figure  # noqa: E402  (the folder of the script: tests/benchmarks)
from openpyxl import Workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

FIRST = ["Иван", "Пётр", "Анна", "Мария", "Сергей", "Ольга", "Дмитрий", "Елена", "Алексей", "Наталья"]
LAST = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков"]
CITIES = ["Москва", "Санкт-Петербург", "Казань", "Тверь", "Новосибирск", "Екатеринбург", "Самара"]


def write_workbook(path: Path, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Клиенты")
    ws.append(["Клиенты магазина на 01.01.2024"])
    ws.append(["ФИО", "Телефон", "E-mail", "Город", "Дата рождения", "Примечание"])
    for i in range(rows):
        if i and rnd.random() < 0.01:  # a client written twice
            i = rnd.randrange(i)
        number = 9_000_000_000 + i
        style = i % 3
        phone = (
            f"+7 {str(number)[:3]} {str(number)[3:6]}-{str(number)[6:8]}-{str(number)[8:]}"
            if style == 0
            else f"8{number}"
            if style == 1
            else str(number)
        )
        name = f"{LAST[i % len(LAST)]} {FIRST[(i // 7) % len(FIRST)]} {i}"
        birthday = date(1950, 1, 1) + timedelta(days=(i * 37) % 20000)
        ws.append(
            [name, phone, f"client{i}@example.ru", CITIES[i % len(CITIES)], birthday, "" if i % 5 else "VIP"]
        )
    wb.save(path)


def _one_run(tmp: Path, xlsx: Path, run: int) -> tuple[float, float]:
    """Time the raw read and the whole import into a new empty base; (raw read s, import s)."""
    from custdesk.core.db import open_base
    from custdesk.core.services import settings
    from custdesk.io.import_engine import ImportOptions, run_import
    from custdesk.io.importers.base import read_source
    from custdesk.io.mapping import suggest_mapping

    t = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(xlsx))
    raw = wb.get_sheet_by_name("Клиенты").to_python()
    raw_s = time.perf_counter() - t
    print(f"python-calamine raw read: {raw_s:.2f} s ({len(raw):,} rows)")
    del raw, wb

    with open_base(tmp / f"base{run}.sqlite", auto_backup=False) as db:
        settings.set_values(db, {"phone_region": "RU"})
        t0, cpu0 = time.perf_counter(), time.process_time()
        table = read_source(xlsx)
        read_s = time.perf_counter() - t0
        mapping = suggest_mapping("clients", table)
        report = run_import(db, table, mapping, ImportOptions())
        total_s = time.perf_counter() - t0
        cpu_s = time.process_time() - cpu0
    print(f"read_source (header and sheet found): {read_s:.2f} s")
    print(
        f"CPU time of this process for the whole import: {cpu_s:.2f} s "
        "(wall time is higher on a busy machine)"
    )
    print(f"run_import (validate, deduplicate, insert, commit): {total_s - read_s:.2f} s")
    print(
        f"whole import: {total_s:.2f} s for {report.total_rows:,} rows "
        f"(created {report.created:,}, duplicates skipped {report.duplicates:,}, "
        f"skipped {report.skipped:,})"
    )
    print(
        f"ratio to the raw read: {total_s / raw_s:.1f}x; target < 20 s: {'met' if total_s < 20 else 'MISSED'}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process (max RSS): {peak:.0f} MiB")
    figure(
        f"import a {report.total_rows:,}-row .xlsx of clients",
        total_s,
        "s",
        baseline="python-calamine raw read of the file",
        baseline_value=raw_s,
        target="≤ 3x",
    )
    figure("import: peak memory (max RSS)", peak, "MiB", target="≤ 500 MiB")
    return raw_s, total_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="import the same file this many times (each into a new base)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CUSTDESK_DATA_DIR"] = tmp
        xlsx = Path(tmp) / "clients.xlsx"
        t = time.perf_counter()
        write_workbook(xlsx, args.rows)
        print(
            f"wrote {args.rows:,} rows with openpyxl: {time.perf_counter() - t:.1f} s, "
            f"{xlsx.stat().st_size / 1e6:.1f} MB"
        )
        runs = []
        for run in range(args.repeat):
            if args.repeat > 1:
                print(f"--- run {run + 1} of {args.repeat}")
            runs.append(_one_run(Path(tmp), xlsx, run))
        if args.repeat > 1:
            imports = sorted(total for _raw, total in runs)
            raws = sorted(raw for raw, _total in runs)
            ratios = sorted(total / raw for raw, total in runs)
            print(
                f"best of {args.repeat}: whole import {imports[0]:.2f} s "
                f"(spread {imports[0]:.2f}-{imports[-1]:.2f} s), "
                f"raw read {raws[0]:.2f} s (spread {raws[0]:.2f}-{raws[-1]:.2f} s), "
                f"ratio {ratios[0]:.1f}x-{ratios[-1]:.1f}x"
            )


if __name__ == "__main__":
    main()
