"""Screenshots of the firm's own fields in one language: the Fields dialog, a card's own tab, the list.

One language per process, on a copy of a demo base (the base given is never changed)::

    custdesk-cli demo --db /tmp/f/demo-ru.sqlite --clients 2000 --seed 1 --lang ru
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_fields.py --db /tmp/f/demo-ru.sqlite --lang ru --out docs/screenshots

Defines four fields with names in the language (a discount card, a size from a list, bonus points, a
member-since date), fills them for the first clients, and writes ``fields-<lang>-dialog.png``,
``fields-<lang>-card.png`` and ``fields-<lang>-list.png`` (the list sorted by the discount card column).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

NAMES = {
    "en": ("Discount card", "Clothing size", "Bonus points", "Member since", "Loyalty"),
    "ru": ("Дисконтная карта", "Размер одежды", "Бонусные баллы", "Участник клуба с", "Лояльность"),
    "fi": ("Kanta-asiakaskortti", "Vaatekoko", "Bonuspisteet", "Jäsen alkaen", "Kanta-asiakkuus"),
    "fa": ("کارت تخفیف", "سایز لباس", "امتیاز باشگاه", "عضو از", "وفاداری"),
}


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    subprocess.run(["convert", str(path), "-colors", "256", f"PNG8:{path}"], check=False)
    print("saved", path, path.stat().st_size // 1024, "KB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from custdesk import i18n, paths

    paths.set_data_dir(tempfile.mkdtemp(prefix="custdesk-shots-"))
    i18n.set_language(args.lang)
    work = Path(tempfile.mkdtemp(prefix="fieldshots-")) / "base.sqlite"
    shutil.copyfile(args.db, work)
    from custdesk.app import make_application

    qapp = make_application(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    from sqlalchemy import select

    from custdesk.core.db import open_base
    from custdesk.core.models import Client
    from custdesk.core.services import clients, custom_fields, settings
    from custdesk.ui.dialogs.client_card import ClientCardDialog
    from custdesk.ui.dialogs.fields_dialog import FieldsDialog
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    db = open_base(work, auto_backup=False)
    card_name, size_name, points_name, since_name, section = NAMES.get(args.lang, NAMES["en"])
    custom_fields.create_field(db, card_name, "text", section=section, list_column=True)
    custom_fields.create_field(db, size_name, "choice", choices=("XS", "S", "M", "L", "XL"), list_column=True)
    custom_fields.create_field(db, points_name, "number", section=section, list_column=True)
    custom_fields.create_field(db, since_name, "date", section=section, required=True)
    card_f, size_f, points_f, since_f = custom_fields.list_fields(db)
    rng = random.Random(1)
    with db.session() as s:
        stmt = select(Client.id).where(Client.archived.is_(False)).order_by(Client.name).limit(60)
        ids = list(s.scalars(stmt))
    for cid in ids:
        card = clients.get_client(db, cid)
        values = {
            card_f.key: f"{rng.randrange(1, 99999):07d}",
            size_f.key: rng.choice(size_f.choices),
            points_f.key: str(rng.randrange(0, 5000)),
            since_f.key: date(2020, 1, 1) + timedelta(days=rng.randrange(0, 2000)),
        }
        try:
            clients.update_client(db, cid, dataclasses.replace(card.to_input(), custom=values))
        except Exception as exc:  # a demo card the firm's rules refuse: leave it
            print("skipped", cid, exc)

    runner, bus = TaskRunner(), ChangeBus()
    firm = settings.get_all(db)
    state = QSettings(str(paths.data_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm=firm)
    w.resize(1240, 720)
    w.show()
    wait(1500)
    header = w.table.horizontalHeader()
    for key in ("abc", "xyz", "segment", "last_purchase", "temperature"):  # room for the own columns
        from custdesk.ui.models.client_table import COLUMN_INDEX

        header.setSectionHidden(COLUMN_INDEX[key], True)
    column = next(i for i, c in enumerate(w.model.columns) if c.key == card_f.key)
    header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    wait(1500)
    prefix = f"fields-{args.lang}"
    save(w, args.out / f"{prefix}-list.png")

    dialog = FieldsDialog(runner, db, bus, w)
    dialog.show()
    wait(1200)
    dialog.list.setCurrentRow(1)
    wait(300)
    save(dialog, args.out / f"{prefix}-dialog.png")
    dialog.close()

    card = ClientCardDialog(runner, db, bus, ids[0])
    card.resize(980, 700)
    card.show()
    wait(1500)
    card.tabs.setCurrentIndex(card.custom_tab)
    wait(500)
    save(card, args.out / f"{prefix}-card.png")
    card._closing_ok = True
    card.close()
    w.close()
    wait(300)
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
