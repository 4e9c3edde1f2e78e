"""Screenshots of the client card (every tab), a card with validation errors, and the merge dialog.

Run on a virtual screen, on a copy of a demo base::

    python -m custdesk.cli demo --db /tmp/cardshots/demo.sqlite --clients 500 --seed 1
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_card.py --db /tmp/cardshots/demo.sqlite --out docs/screenshots

The base is copied first, so the shots never change it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from custdesk.core.db import open_base
from custdesk.core.models import Client, Interaction, Purchase
from custdesk.ui.dialogs.client_card import ClientCardDialog
from custdesk.ui.dialogs.merge_dialog import MergeDialog
from custdesk.ui.tasks import ChangeBus, TaskRunner


def settle(app: QApplication, ms: int = 300, until: Callable[[], bool] | None = None) -> None:
    """Let the GUI process events for ``ms`` (and until ``until`` holds, up to 10 s)."""
    for _ in range(100):
        loop = QEventLoop()
        QTimer.singleShot(ms if until is None else 100, loop.quit)
        loop.exec()
        if until is None or until():
            break
    app.processEvents()


def shoot(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(f"{path}  {path.stat().st_size // 1024} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cardshots-")) / "base.sqlite"
    shutil.copyfile(args.db, work)

    app = QApplication(sys.argv)
    db = open_base(work, auto_backup=False)
    runner, bus = TaskRunner(), ChangeBus()
    with db.session() as s:
        # A Latin-script organisation with the richest history and purchases, and two persons to merge.
        contacts = func.count(Interaction.id)
        rich = s.execute(
            select(Client.id)
            .join(Interaction, Interaction.client_id == Client.id)
            .where(Client.kind == "organisation", Client.organisation.op("GLOB")("[A-Z]*"))
            .group_by(Client.id)
            .order_by(contacts.desc(), Client.purchase_count.desc())
            .limit(1)
        ).scalar_one()
        persons = list(
            s.scalars(
                select(Client.id)
                .join(Purchase, Purchase.client_id == Client.id)
                .where(Client.kind == "person", Client.name.op("GLOB")("[A-Z]*"))
                .group_by(Client.id)
                .order_by(Client.id)
                .limit(2)
            )
        )

    card = ClientCardDialog(runner, db, bus, rich)
    card.resize(1000, 720)
    card.show()
    settle(app, until=lambda: card.is_loaded and runner.idle)
    names = ["general", "special", "history", "purchases", "reminders"]
    for index, name in enumerate(names):
        card.tabs.setCurrentIndex(index)
        settle(app, 200, until=lambda: runner.idle)
        shoot(card, args.out / f"card-{index + 1}-{name}.png")
    card._closing_ok = True
    card.close()

    new = ClientCardDialog(runner, db, bus, None)
    new.resize(1000, 720)
    new.show()
    settle(app, until=lambda: new.is_loaded)
    new.general.fields["name"].box.editor.setFocus()
    phone = new.general.phones.rows[0].value
    phone.setText("555 12")
    new.general.emails.rows[0].value.setText("anna@@example")
    new.general.fields["city"].box.editor.setText("Springfield")  # type: ignore[attr-defined]
    new.save()
    settle(app, 300)
    shoot(new, args.out / "card-6-validation.png")
    new._closing_ok = True
    new.close()

    merge = MergeDialog(runner, db, bus, persons[0], persons[1])
    merge.show()
    settle(app, until=lambda: merge.is_loaded)
    shoot(merge, args.out / "card-7-merge.png")
    merge.close()

    settle(app, 200, until=lambda: runner.idle)
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
