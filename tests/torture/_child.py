"""The process a crash trial kills: one operation on a base, acknowledged line by line on stdout.

Run as ``python _child.py MODE BASE ARG``; everything heavy is imported first, then ``READY`` is printed,
so the trial's random kill lands in the operation, not in the interpreter's start-up. ``edits`` prints
``ACK <external id>`` only after the service call (one transaction) has returned.

Modes: ``import BASE FILE``, ``edits BASE TAG``, ``backup BASE TARGET``, ``restore BASE BACKUP``.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal


def main(mode: str, base: str, arg: str) -> int:
    from custdesk.cli import build_parser
    from custdesk.cli import main as cli
    from custdesk.core.db import open_base
    from custdesk.core.dto import ClientInput, PhoneInput, PurchaseInput
    from custdesk.core.services.clients import create_client
    from custdesk.core.services.purchases import add_purchase

    build_parser()  # imports every command module
    import custdesk.io.import_engine
    import custdesk.io.importers.base  # noqa: F401

    if mode == "edits":
        with open_base(base, auto_backup=False) as db:
            print("READY", flush=True)
            i = 0
            while True:
                ext = f"{arg}-{i}"
                card = create_client(
                    db,
                    ClientInput(
                        name=f"Torture {ext}",
                        external_id=ext,
                        city="Tampere",
                        phones=(PhoneInput(number=f"+35840{i % 10_000_000:07d}"),),
                    ),
                )
                print(f"ACK {ext}", flush=True)
                if i % 3 == 0:
                    add_purchase(
                        db, card.id, PurchaseInput(purchased_on=date(2026, 1, 5), amount=Decimal("12.50"))
                    )
                    print(f"ACKP {ext}", flush=True)
                i += 1
    print("READY", flush=True)
    if mode == "import":
        return cli(["import", arg, "--db", base])
    if mode == "backup":
        return cli(["backup", "--db", base, "--to", arg])
    if mode == "restore":
        return cli(["restore", "--db", base, "--from", arg])
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
