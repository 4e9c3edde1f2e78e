"""What durable commits cost: ``synchronous = FULL`` (what CustDesk uses) beside ``NORMAL`` (before).

Not collected by pytest. Run::

    python3 tests/benchmarks/bench_durability.py                    # 200 edits, a 5,000-row import
    python3 tests/benchmarks/bench_durability.py --edits 500 --rows 20000 --repeat 3
    python3 tests/benchmarks/bench_durability.py --dir /path/on/the/real/disk

In WAL mode ``NORMAL`` syncs only at checkpoints (a power cut can take back the last commits); ``FULL``
also syncs the log at every commit. Both are measured in the same run, on the same disk (a tmpfs has no
sync cost: give ``--dir`` on a real disk), alternating, best of ``--repeat``:

- an edit: one ``create_client`` through the services (one transaction), milliseconds each (median);
- an import: a CSV of ``--rows`` clients through ``custdesk-cli import`` (one transaction), seconds;
- the open of the window: ``open_base`` with the daily backup (what the first open of the day did
  before) beside without it (now: the backup runs after the window is up), on a demo base.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from custdesk import paths  # noqa: E402
from custdesk.core import db as dbmod  # noqa: E402

MODES = ("NORMAL", "FULL")


def _with_mode(mode: str) -> None:
    """Make every engine made from now on use ``synchronous = mode`` (after CustDesk's own pragmas)."""
    original = dbmod._pragmas

    def pragmas(busy: int) -> Any:
        first = original(busy)

        def on_connect(con: Any, record: Any) -> None:
            first(con, record)
            cur = con.cursor()
            if not cur.execute("PRAGMA query_only").fetchone()[0]:
                cur.execute(f"PRAGMA synchronous = {mode}")
            cur.close()

        return on_connect

    dbmod._pragmas = pragmas  # type: ignore[assignment]
    _with_mode.restore = original  # type: ignore[attr-defined]


def _undo() -> None:
    restore = getattr(_with_mode, "restore", None)
    if restore is not None:
        dbmod._pragmas = restore  # type: ignore[assignment]


def edits(template: Path, work: Path, mode: str, n: int) -> float:
    from custdesk.core.dto import ClientInput, PhoneInput
    from custdesk.core.services.clients import create_client

    base = work / f"edits-{mode}.sqlite"
    shutil.copyfile(template, base)
    _with_mode(mode)
    try:
        times = []
        with dbmod.open_base(base, auto_backup=False) as db:
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == {"NORMAL": 1, "FULL": 2}[mode]
            for i in range(n):
                t0 = time.perf_counter()
                create_client(
                    db, ClientInput(name=f"Edit {i}", phones=(PhoneInput(number=f"+35840{i:07d}"),))
                )
                times.append(time.perf_counter() - t0)
        return statistics.median(times) * 1000
    finally:
        _undo()
        base.unlink()


def import_rows(template: Path, work: Path, mode: str, csv: Path) -> float:
    from custdesk.cli import main

    base = work / f"import-{mode}.sqlite"
    shutil.copyfile(template, base)
    _with_mode(mode)
    try:
        t0 = time.perf_counter()
        code = main(["import", str(csv), "--db", str(base), "--json"])
        elapsed = time.perf_counter() - t0
        assert code == 0, code
        return elapsed
    finally:
        _undo()
        base.unlink()


def open_window(demo: Path, with_backup: bool) -> float:
    shutil.rmtree(paths.data_dir() / "backups", ignore_errors=True)
    t0 = time.perf_counter()
    db = dbmod.open_base(demo, auto_backup=with_backup)
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20000, help="clients of the demo base opened")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where the bases go (a real disk)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="custdesk-bench-", dir=args.dir))
    os.environ["CUSTDESK_DATA_DIR"] = str(work / "data")
    import io
    from contextlib import redirect_stdout

    from custdesk.core.demo import generate_demo

    try:
        template = work / "template.sqlite"
        dbmod.open_base(template, auto_backup=False).close()
        csv = work / "clients.csv"
        lines = ["External ID,Name,Phone,City,E-mail"]
        lines += [f"B-{i},Client {i:06d},+35850{i:07d},Tampere,c{i}@example.fi" for i in range(args.rows)]
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        demo = work / "demo.sqlite"
        with dbmod.open_base(demo, auto_backup=False) as db:
            generate_demo(db, clients=args.clients, seed=1)
        size = demo.stat().st_size / 1e6
        print(f"disk: {work}; demo base {size:.1f} MB")

        edit_ms: dict[str, list[float]] = {m: [] for m in MODES}
        import_s: dict[str, list[float]] = {m: [] for m in MODES}
        opens: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(args.repeat):
            for mode in MODES:
                edit_ms[mode].append(edits(template, work, mode, args.edits))
                with redirect_stdout(io.StringIO()):
                    import_s[mode].append(import_rows(template, work, mode, csv))
            for with_backup in (False, True):
                opens[with_backup].append(open_window(demo, with_backup))

        def show(label: str, values: dict[Any, list[float]], unit: str, base: Any, other: Any) -> None:
            a, b = min(values[base]), min(values[other])
            spread = ", ".join(f"{k}: " + " ".join(f"{v:.3g}" for v in vs) for k, vs in values.items())
            print(f"{label:<44} {a:8.3g} {unit} -> {b:8.3g} {unit}  x{b / a:5.2f}   (all runs: {spread})")

        print(f"best of {args.repeat}; NORMAL -> FULL")
        show(f"an edit (median of {args.edits}), synchronous", edit_ms, "ms", "NORMAL", "FULL")
        show(f"an import of {args.rows} rows, synchronous", import_s, "s", "NORMAL", "FULL")
        show(f"open, {args.clients} clients: no backup -> with backup", opens, "s", False, True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
