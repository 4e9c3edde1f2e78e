"""Benchmark: the client list with 20 of the firm's own fields filled on every client, beside the same base
without them, in one run.

Not collected by pytest. Run::

    python3 tests/benchmarks/bench_custom_fields.py                    # 100,000 clients (plain inserts)
    python3 tests/benchmarks/bench_custom_fields.py --clients 20000

One base of N clients is built (as ``bench_list.py`` builds it), copied, and the copy gets 20 custom
fields (10 text, 4 number, 2 money, 2 date, 2 choice; 5 of them list columns) with a value for every
client: N x 20 rows of ``client_field_values``. In both bases the same work is timed (best of a few):

- first rows: count the list and read its first window of 100 rows, with the custom values of that
  window (what the table model does after opening);
- a keystroke: a search typed into the box (count + first window + values);
- a sort by a custom list column (the with-fields base only; the plain base sorts by name).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_list import build  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from custdesk.core.db import Database, open_base  # noqa: E402
from custdesk.core.models import Client, ClientFieldValue, CustomField  # noqa: E402
from custdesk.core.services import client_list as cl  # noqa: E402
from custdesk.core.services import custom_fields, search  # noqa: E402
from custdesk.core.services.list_sql import custom_sort_key  # noqa: E402

KINDS = ["text"] * 10 + ["number"] * 4 + ["money"] * 2 + ["date"] * 2 + ["choice"] * 2
WORDS = ["Toyota", "Lada", "Kia", "Škoda", "Volvo", "синий", "красный", "XL", "подарок", "VIP-клуб"]


def add_fields(db: Database, seed: int) -> float:
    """20 fields and a value of each on every client; returns the seconds it took."""
    rnd = random.Random(seed)
    t0 = time.perf_counter()
    with db.engine.begin() as conn, search.bulk_load(conn):
        ids = list(conn.execute(select(Client.id)).scalars())
        rows = []
        for i, kind in enumerate(KINDS, start=1):
            choices = ["Gold", "Silver", "Bronze"] if kind == "choice" else []
            rows.append(
                {
                    "id": i,
                    "name": f"Field {i:02d} ({kind})",
                    "kind": kind,
                    "section": "Own fields",
                    "required": False,
                    "list_column": i in (1, 2, 11, 15, 19),
                    "choices": json.dumps(choices),
                    "position": i,
                    "created_at": datetime(2026, 1, 1),
                }
            )
        conn.execute(insert(CustomField), rows)
        for field in rows:
            kind, values = field["kind"], []
            for cid in ids:
                if kind == "text":
                    value = f"{rnd.choice(WORDS)} {rnd.randrange(10**6):07d}"
                elif kind == "number":
                    value = str(rnd.randrange(10**5))
                elif kind == "money":
                    value = f"{rnd.randrange(10**6)}.{rnd.randrange(100):02d}"
                elif kind == "date":
                    value = (date(2015, 1, 1) + timedelta(rnd.randrange(4000))).isoformat()
                else:
                    value = rnd.choice(["Gold", "Silver", "Bronze"])
                values.append({"client_id": cid, "field_id": field["id"], "value": value})
            conn.execute(insert(ClientFieldValue), values)
    return time.perf_counter() - t0


def first_window(db: Database, q: cl.ListQuery) -> None:
    total = cl.count(db, q)
    ids = cl.page_ids(db, q, 0, 100, total=total)
    cl.rows(db, ids)
    with db.session() as s:
        custom_fields.list_column_values(s, ids)  # what the table model reads for a window


def best(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-custom-"))
    plain_path, fields_path = folder / "plain.sqlite", folder / "fields.sqlite"
    build(plain_path, args.clients, args.seed, plain=True)
    shutil.copyfile(plain_path, fields_path)
    with open_base(fields_path, auto_backup=False) as db:
        took = add_fields(db, args.seed)
    print(f"20 fields x {args.clients} clients added in {took:.1f} s")
    sizes = {p.name: p.stat().st_size // 2**20 for p in (plain_path, fields_path)}
    print(f"file sizes: plain {sizes['plain.sqlite']} MB, with fields {sizes['fields.sqlite']} MB")
    results: dict[str, dict[str, float]] = {}
    for label, path in (("plain", plain_path), ("fields", fields_path)):
        with open_base(path, auto_backup=False) as db:
            figures = {
                "first rows": best(lambda db=db: first_window(db, cl.ListQuery())),
                "keystroke 'петр'": best(lambda db=db: first_window(db, cl.ListQuery(search="петр"))),
                "keystroke 'toyota'": best(lambda db=db: first_window(db, cl.ListQuery(search="toyota"))),
            }
            if label == "fields":
                figures["sort by a text column"] = best(
                    lambda db=db: first_window(db, cl.ListQuery(sort=custom_sort_key(1, "text"))), 3
                )
                figures["sort by a number column"] = best(
                    lambda db=db: first_window(db, cl.ListQuery(sort=custom_sort_key(11, "number"))), 3
                )
                figures["filter text contains"] = best(
                    lambda db=db: first_window(db, cl.ListQuery(custom=((1, "contains", "Volvo 00"),))), 3
                )
            results[label] = figures
    print(f"{'':28}{'plain':>12}{'with 20 fields':>16}{'ratio':>8}")
    for name in results["fields"]:
        plain = results["plain"].get(name)
        with_fields = results["fields"][name]
        ratio = f"{with_fields / plain:7.2f}x" if plain else "       -"
        print(f"{name:28}{ms(plain) if plain else '           -':>12}{ms(with_fields):>16}{ratio:>8}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
