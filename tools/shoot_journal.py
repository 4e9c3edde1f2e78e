"""Screenshots of the journal window (with an undo's question) and the duplicate finder, in one language.

Run on a virtual screen, on a copy of a demo base in that language::

    python -m custdesk.cli demo --db /tmp/j/demo-ru.sqlite --clients 400 --seed 1 --lang ru
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_journal.py --db /tmp/j/demo-ru.sqlite --lang ru --out docs/screenshots

The copy gets a few edits, a merge and two planted near-duplicates first, so both windows have something
to show; the base given is never changed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from custdesk import i18n
from custdesk.core.db import open_base
from custdesk.core.dto import CARD_FIELDS, ClientInput, EmailInput, PhoneInput
from custdesk.core.models import Client
from custdesk.core.services import clients
from custdesk.ui.journal.duplicates_window import DuplicatesWindow
from custdesk.ui.journal.journal_window import JournalWindow
from custdesk.ui.language import apply_layout_direction, install_qt_translations
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tools.shoot_card import settle, shoot


def _input(card: clients.ClientCard) -> ClientInput:  # type: ignore[name-defined]
    values = {f: getattr(card, f) for f in CARD_FIELDS}
    phones = tuple(PhoneInput(p.number, p.kind, p.is_primary, p.extension) for p in card.phones)
    emails = tuple(EmailInput(e.address, e.kind, e.is_primary) for e in card.emails)
    return ClientInput(**values, phones=phones, emails=emails, tags=tuple(card.tags))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="journalshots-")) / "base.sqlite"
    shutil.copyfile(args.db, work)

    i18n.set_language(args.lang)
    app = QApplication(sys.argv)
    install_qt_translations(app)
    apply_layout_direction(app)
    db = open_base(work, auto_backup=False)
    with db.session() as s:
        ids = list(s.scalars(select(Client.id).where(Client.kind == "person").order_by(Client.id).limit(6)))
    first = clients.get_client(db, ids[0])
    cities = [clients.get_client(db, i).city for i in ids[3:5]]
    clients.update_client(db, first.id, replace(_input(first), city=cities[0], notes=first.notes + " VIP"))
    clients.set_funnel(db, ids[1], "green", who="anna")
    clients.archive_client(db, ids[2], who="anna")
    # A near-duplicate of the first card: its phone in another spelling, a typo in the name.
    twin = replace(_input(first), name=first.name[:-1] + first.name[-1] * 2, external_id=None)
    clients.create_client(db, twin)
    clients.merge_clients(db, ids[3], ids[4])

    runner, bus = TaskRunner(), ChangeBus()
    window = JournalWindow(runner, db, bus)
    window.resize(1180, 620)
    window.show()
    settle(app, until=lambda: window.is_loaded and runner.idle)
    shoot(window, args.out / f"journal-{args.lang}.png")
    window.select_row(0)
    window.undo_selected()
    settle(app, 300)
    box = next(w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    shoot(box, args.out / f"journal-undo-question-{args.lang}.png")
    box.close()
    window.close()

    history = JournalWindow(runner, db, bus, client_id=first.id)
    history.resize(1180, 520)
    history.show()
    settle(app, until=lambda: history.is_loaded and runner.idle)
    shoot(history, args.out / f"journal-card-history-{args.lang}.png")
    history.close()

    finder = DuplicatesWindow(runner, db, bus)
    finder.resize(1000, 620)
    finder.show()
    settle(app, until=lambda: finder.is_loaded and runner.idle)
    shoot(finder, args.out / f"duplicates-{args.lang}.png")
    finder.close()

    settle(app, 200, until=lambda: runner.idle)
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
