"""Export speed on a demo base, beside a baseline measured in the same run (not collected by pytest).

    python tests/benchmarks/bench_export.py /tmp/me/demo.sqlite [--clients-only]

The baseline is openpyxl's write-only mode writing the same number of rows and columns of plain values
(no styles, no reading from the base): what the library costs at its cheapest.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _report import figure  # the folder of the script: tests/benchmarks
from openpyxl import Workbook

from custdesk.core.db import open_base
from custdesk.io.exporters import export_file


def _baseline(path: Path, rows: int, columns: int) -> float:
    start = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Baseline")
    row = [f"value {i}" for i in range(columns)]
    for _ in range(rows):
        sheet.append(row)
    book.save(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="an existing base (e.g. a demo base)")
    parser.add_argument("--clients-only", action="store_true", help="export the clients only")
    args = parser.parse_args()
    base: Path = args.base
    if not base.is_file():
        parser.error(f"no base at {base}")  # never create a base by accident
    kinds = ("clients",) if args.clients_only else ("clients", "purchases", "history")
    folder = Path(tempfile.mkdtemp(prefix="custdesk-bench-export-"))
    try:
        with open_base(base, auto_backup=False) as db:
            for kind in kinds:
                for ext in ("xlsx", "csv", "vcf") if kind == "clients" else ("xlsx", "csv"):
                    start = time.perf_counter()
                    summary = export_file(db, folder / f"{kind}.{ext}", kind)
                    seconds = time.perf_counter() - start
                    rate = summary.rows / seconds
                    line = f"{kind:9} {ext:4} {summary.rows:9,} rows {seconds:7.2f} s {rate:9,.0f} rows/s"
                    step = f"export {summary.rows:,} {kind} to .{ext}"
                    if ext != "xlsx":
                        figure(step, seconds, "s")
                    else:
                        from openpyxl import load_workbook

                        sheet = load_workbook(folder / f"{kind}.{ext}", read_only=True).active
                        columns = len(next(sheet.iter_rows(max_row=1)))
                        base_s = _baseline(folder / "baseline.xlsx", summary.rows, columns)
                        line += f"   baseline {base_s:6.2f} s, ratio {seconds / base_s:4.1f}x"
                        figure(
                            step,
                            seconds,
                            "s",
                            baseline="openpyxl write-only, same cells",
                            baseline_value=base_s,
                        )
                    print(line)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # hundreds of MB at 100,000 clients


if __name__ == "__main__":
    main()
