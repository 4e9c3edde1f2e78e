"""Round trip of a whole base: export it to .csv or .xlsx, import it into an EMPTY base, compare everything.

Not collected by pytest. Run::

    python3 tests/benchmarks/bench_round_trip.py                       # a 100,000-client demo base, CSV
    python3 tests/benchmarks/bench_round_trip.py --format xlsx
    python3 tests/benchmarks/bench_round_trip.py --db demo.sqlite      # an existing base (only read)
    python3 tests/benchmarks/bench_round_trip.py --clients 2000        # a quick look

The benchmark base is the demo base (``custdesk-cli demo``), made in the run when no ``--db`` is given.
Its clients, purchases and history are exported with the app's own exporter, then imported with the
import's defaults (as a new user would: no option chosen) into an empty base with the same firm country.
The result must be identical: the same number of clients; per external id every card field, the funnel
marker, the tags, the phones and e-mails (kinds, order, primary), when the client came (``since``) and
the purchase figures; the same purchases and the same history entries. It prints the counts on both
sides, every difference found (the first ten of each kind), the time of each step, and the time of a
baseline measured in the same run: reading the exported files back with the format's plain reader (the
csv module; python-calamine), which no import can beat. Exit code 0 when identical, 1 when not.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

KINDS = ("clients", "purchases", "history")


def _snapshot(db: Any) -> dict[str, Any]:
    """Everything the round trip must keep, read in bulk (external id -> values)."""
    from sqlalchemy import select

    from custdesk.core.dto import CARD_FIELDS
    from custdesk.core.models import Client, Email, Interaction, Phone, Purchase, Tag, client_tags

    cols = [getattr(Client, f) for f in CARD_FIELDS]
    out: dict[str, Any] = {}
    with db.session() as s:
        ext_of: dict[int, str] = {}
        cards: dict[str, dict[str, Any]] = {}
        stmt = select(
            Client.id,
            Client.external_id,
            Client.funnel,
            Client.client_since,
            Client.created_at,
            Client.purchase_count,
            Client.revenue_total,
            Client.last_purchase_on,
            Client.last_contact_at,
            *cols,
        ).where(Client.merged_into_id.is_(None))
        for row in s.execute(stmt):
            cid, ext, funnel, since, created, count, revenue, last_buy, last_contact = row[:9]
            ext_of[cid] = ext
            card = dict(zip(CARD_FIELDS, row[9:], strict=True))
            card |= {
                "funnel": funnel,
                "since": since or created.date(),
                "figures": (count, revenue, last_buy),
                "last_contact_at": last_contact,
                "phones": [],
                "emails": [],
                "tags": [],
            }
            cards[ext] = card
        for p in s.execute(select(Phone).order_by(Phone.client_id, Phone.position)).scalars():
            cards[ext_of[p.client_id]]["phones"].append((p.number, p.extension, p.kind, p.is_primary))
        for e in s.execute(select(Email).order_by(Email.client_id, Email.position)).scalars():
            cards[ext_of[e.client_id]]["emails"].append((e.address, e.kind, e.is_primary))
        tags = select(client_tags.c.client_id, Tag.name).join(Tag, Tag.id == client_tags.c.tag_id)
        for cid, name in s.execute(tags):
            cards[ext_of[cid]]["tags"].append(name)
        for card in cards.values():
            card["tags"].sort()
        bought = Counter(
            (ext_of[r[0]], *r[1:])
            for r in s.execute(
                select(
                    Purchase.client_id,
                    Purchase.purchased_on,
                    Purchase.amount,
                    Purchase.profit,
                    Purchase.items,
                    Purchase.document_no,
                )
            )
        )
        talked = Counter(
            (ext_of[r[0]], *r[1:])
            for r in s.execute(
                select(
                    Interaction.client_id,
                    Interaction.occurred_at,
                    Interaction.kind,
                    Interaction.outcome,
                    Interaction.text,
                    Interaction.next_step,
                    Interaction.duration_seconds,
                )
            )
        )
    out["clients"], out["purchases"], out["history"] = cards, bought, talked
    return out


def _differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    a, b = before["clients"], after["clients"]
    for ext in sorted(set(a) - set(b)):
        found["clients missing after the import"].append(ext)
    for ext in sorted(set(b) - set(a)):
        found["clients that were not in the base"].append(ext)
    for ext in sorted(set(a) & set(b)):
        for key, value in a[ext].items():
            if b[ext].get(key) != value:
                found[f"field {key}"].append(f"{ext}: {value!r} -> {b[ext].get(key)!r}")
    for kind in ("purchases", "history"):
        missing = before[kind] - after[kind]
        extra = after[kind] - before[kind]
        found[f"{kind} missing"].extend(repr(k) for k in list(missing.elements())[:10])
        found[f"{kind} added"].extend(repr(k) for k in list(extra.elements())[:10])
    return {k: v for k, v in found.items() if v}


def _baseline_read(folder: Path, fmt: str) -> float:
    """Seconds to read the exported files with the format's plain reader (no import can be faster)."""
    start = time.perf_counter()
    for kind in KINDS:
        path = folder / f"{kind}.{fmt}"
        if fmt == "csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                sum(1 for _row in csv.reader(fh))
        else:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, help="an existing base to export (only read); default: a new demo base"
    )
    parser.add_argument("--clients", type=int, default=100_000, help="clients of the demo base made")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="custdesk-roundtrip-"))
    os.environ["CUSTDESK_DATA_DIR"] = str(work / "data")

    from custdesk.core.db import open_base
    from custdesk.core.services import settings
    from custdesk.io.exporters import export_file
    from custdesk.io.import_engine import ImportOptions, run_import
    from custdesk.io.importers.base import read_source
    from custdesk.io.mapping import suggest_mapping

    source = args.db
    if source is None:
        from custdesk.core.demo import generate_demo

        source = work / "demo.sqlite"
        t = time.perf_counter()
        with open_base(source, auto_backup=False) as db:
            generate_demo(db, clients=args.clients, seed=args.seed)
        print(f"demo base of {args.clients:,} clients made: {time.perf_counter() - t:.1f} s")
    elif not source.is_file():
        parser.error(f"no base at {source}")
    else:
        import shutil

        copy = work / "source.sqlite"  # the export writes its journal entry: work on a copy
        shutil.copyfile(source, copy)
        source = copy

    folder = work / "files"
    folder.mkdir()
    with open_base(source, auto_backup=False) as db:
        region = str(settings.get_all(db)["phone_region"])
        t = time.perf_counter()
        for kind in KINDS:
            start = time.perf_counter()
            summary = export_file(db, folder / f"{kind}.{args.format}", kind)
            size = (folder / f"{kind}.{args.format}").stat().st_size / 1e6
            print(
                f"export {kind:9} {summary.rows:9,} rows {time.perf_counter() - start:7.1f} s {size:7.1f} MB"
            )
        export_s = time.perf_counter() - t
        t = time.perf_counter()
        before = _snapshot(db)
        snap_s = time.perf_counter() - t

    baseline_s = _baseline_read(folder, args.format)
    target_path = work / "target.sqlite"
    with open_base(target_path, auto_backup=False) as target:
        settings.set_values(target, {"phone_region": region})
        t = time.perf_counter()
        reports = {}
        for kind in KINDS:
            start = time.perf_counter()
            table = read_source(folder / f"{kind}.{args.format}", kind=kind)
            report = run_import(target, table, suggest_mapping(kind, table), ImportOptions(kind=kind))
            reports[kind] = report
            print(
                f"import {kind:9} {report.total_rows:9,} rows {time.perf_counter() - start:7.1f} s: "
                f"created {report.created:,}, flagged {report.flagged:,}, possible duplicates "
                f"{report.possible_duplicates:,}, left out {report.skipped:,}, "
                f"without a client {report.unmatched:,}"
            )
        import_s = time.perf_counter() - t
        after = _snapshot(target)

    print(
        f"clients {len(before['clients']):,} -> {len(after['clients']):,}; purchases "
        f"{sum(before['purchases'].values()):,} -> {sum(after['purchases'].values()):,}; history "
        f"{sum(before['history'].values()):,} -> {sum(after['history'].values()):,}"
    )
    diffs = _differences(before, after)
    for what, examples in diffs.items():
        print(f"DIFFERENT {what}: {len(examples):,}")
        for example in examples[:10]:
            print(f"    {example}")
    issues = sum(len(r.issues) for r in reports.values())
    print(f"issues in the import reports: {issues:,}")
    print(
        f"times: export {export_s:.1f} s, import {import_s:.1f} s (reading the base for the comparison "
        f"{snap_s:.1f} s); baseline (plain read of the exported files) {baseline_s:.1f} s, import / baseline "
        f"{import_s / baseline_s:.1f}x"
    )
    print("IDENTICAL" if not diffs else "NOT IDENTICAL")
    return 0 if not diffs else 1


if __name__ == "__main__":
    raise SystemExit(main())
