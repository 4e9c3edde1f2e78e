"""Benchmark: the duplicate finder over a 100,000-client base, against reading the same rows alone.

Run it as a script (pytest does not collect it)::

    python tests/benchmarks/bench_duplicates.py                  # builds a 100,000-client base
    python tests/benchmarks/bench_duplicates.py --clients 20000  # a smaller one
    python tests/benchmarks/bench_duplicates.py --db BASE        # an existing base

The built base has people in 40 cities (names from a few hundred first names and surnames, so many share
a city and a similar name, as a real base does), one phone and most with an e-mail, a tenth organisations,
and 1 % planted duplicates (the phone respelled, the e-mail in capitals, a typo in the surname). It times
``scan`` (wall and CPU seconds, best of ``--repeat``) and, as the floor in the same run, the reading of the
rows the scan reads; it prints how many groups were found and how many planted pairs are among them.
It never asserts a time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

FIRST = [
    "Иван",
    "Пётр",
    "Сергей",
    "Алексей",
    "Дмитрий",
    "Андрей",
    "Михаил",
    "Николай",
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Ирина",
    "Светлана",
    "Юлия",
    "Ксения",
    "Артём",
    "Егор",
]
LAST = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
]
CITIES = [f"Город {n}" for n in range(40)]


def build(path: Path, clients: int, seed: int) -> set[tuple[int, int]]:
    from sqlalchemy import Table, insert

    from custdesk.core.db import open_base
    from custdesk.core.models import Client, Email, Phone

    rnd = random.Random(seed)
    now = datetime.now()
    rows: list[dict[str, Any]] = []
    phones: list[dict[str, Any]] = []
    emails: list[dict[str, Any]] = []
    planted: set[tuple[int, int]] = set()
    for cid in range(1, clients + 1):
        org = rnd.random() < 0.1
        last, first = rnd.choice(LAST), rnd.choice(FIRST)
        rows.append(
            {
                "id": cid,
                "external_id": f"B-{cid}",
                "kind": "organisation" if org else "person",
                "name": f"{last} {first} {rnd.choice(FIRST)}ович",
                "organisation": f"ООО «Фирма {cid}»" if org else "",
                "city": rnd.choice(CITIES),
                "created_at": now,
                "updated_at": now,
            }
        )
        phones.append({"client_id": cid, "number": f"+7912{cid:07d}", "kind": "mobile", "is_primary": True})
        if rnd.random() < 0.7:
            emails.append(
                {"client_id": cid, "address": f"c{cid}@example.ru", "address_key": f"c{cid}@example.ru"}
            )
    for n in range(clients // 100):  # planted duplicates
        src = rnd.randrange(1, clients - clients // 100)
        cid = clients + n + 1
        base = dict(rows[src - 1])
        how = n % 3
        base.update(id=cid, external_id=f"D-{cid}")
        if how == 2:
            base["name"] = base["name"].replace("ов ", "ав ", 1)
        rows.append(base)
        if how == 0:
            phones.append({"client_id": cid, "number": f"+7912{src:07d}", "kind": "work", "is_primary": True})
        elif how == 1:
            key = f"c{src}@example.ru"
            emails.append({"client_id": cid, "address": key.upper(), "address_key": key})
        planted.add((src, cid))
    db = open_base(path, auto_backup=False)
    with db.session() as s:
        s.execute(insert(cast(Table, Client.__table__)), rows)
        s.execute(insert(cast(Table, Phone.__table__)), phones)
        s.execute(insert(cast(Table, Email.__table__)), emails)
    db.close()
    return planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from sqlalchemy import select

    from custdesk.core.db import open_base
    from custdesk.core.models import Client, Email, Phone
    from custdesk.core.services.duplicate_scan import scan

    planted: set[tuple[int, int]] = set()
    path = args.db
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="bench-dup-")) / "base.sqlite"
        started = time.perf_counter()
        planted = build(path, args.clients, args.seed)
        print(
            f"built {args.clients:,} clients (+{len(planted):,} planted duplicates)"
            f" in {time.perf_counter() - started:.1f} s"
        )
    db = open_base(path, auto_backup=False)

    def floor() -> None:
        with db.session() as s:
            s.execute(select(Client.id, Client.kind, Client.name, Client.organisation, Client.city)).all()
            s.execute(select(Phone.client_id, Phone.number)).all()
            s.execute(select(Email.client_id, Email.address_key)).all()

    def timed(fn: Any) -> tuple[Any, float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        return result, time.perf_counter() - wall, time.process_time() - cpu

    _r, floor_wall, floor_cpu = min((timed(floor) for _ in range(args.repeat)), key=lambda t: t[1])
    groups, wall, cpu = min((timed(lambda: scan(db)) for _ in range(args.repeat)), key=lambda t: t[1])
    db.close()
    print(f"reading the rows (floor): {floor_wall:.2f} s wall, {floor_cpu:.2f} s CPU")
    print(f"scan: {wall:.2f} s wall, {cpu:.2f} s CPU ({wall / floor_wall:.1f} x the floor)")
    print(f"groups found: {len(groups):,}; largest: {max((len(g.ids) for g in groups), default=0)} cards")
    if planted:
        together = {tuple(sorted((a, b))) for g in groups for a in g.ids for b in g.ids if a < b}
        found = sum(1 for p in planted if p in together)
        print(f"planted pairs found: {found:,} of {len(planted):,}")


if __name__ == "__main__":
    main()
