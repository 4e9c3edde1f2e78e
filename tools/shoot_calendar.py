"""Screenshots of the Calendar tab on a real 1280x800 screen, in one language (a demo base, copied).

    for l in en ru fa; do QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_calendar.py --db /tmp/demo-$l.sqlite --lang $l --out docs/screenshots; done

Writes ``calendar-<lang>-week.png`` (this week: calls, reminders with their time, birthdays, contract
ends) and ``calendar-<lang>-reminder.png`` (a card's Reminders tab with a reminder at a time of day).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date, time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from shoot_mailing import screen, wait


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="custdesk-calendar-shots-"))
    base = work / "base.sqlite"
    shutil.copyfile(args.db, base)

    from custdesk import i18n, paths

    paths.set_data_dir(work / "data")
    i18n.set_language(args.lang)
    from custdesk.app import make_application

    app = make_application(sys.argv[:1])
    assert isinstance(app, QApplication)
    from sqlalchemy import select

    from custdesk.core.db import open_base
    from custdesk.core.models import Client
    from custdesk.core.services import reminders, settings
    from custdesk.ui.dialogs.client_card import ClientCardDialog
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    runner, bus = TaskRunner(), ChangeBus()
    db = open_base(base, auto_backup=False)
    with db.session() as s:
        ids = list(s.scalars(select(Client.id).order_by(Client.id).limit(3)))
    texts = {
        "en": ("send the price list", "confirm the delivery"),
        "ru": ("отправить прайс-лист", "подтвердить доставку"),
        "fi": ("lähetä hinnasto", "vahvista toimitus"),
        "fa": ("فهرست قیمت را بفرست", "تحویل را تأیید کن"),
    }[args.lang]
    reminders.add_reminder(db, ids[0], "custom", date.today(), texts[0], at=time(15, 30))
    reminders.add_reminder(db, ids[1], "custom", date.today(), texts[1], at=time(10, 0))
    state = QSettings(str(work / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm=settings.get_all(db))
    w.show()
    w.setGeometry(app.primaryScreen().availableGeometry())
    wait(1500, until=lambda: not w.model.loading and runner.idle)
    view = w.calendar_view  # type: ignore[attr-defined]
    w.show_tab(view)
    view.mode.setCurrentIndex(view.mode.findData("week"))
    wait(300, until=lambda: runner.idle and bool(view.entries))
    wait(800)
    screen(out / f"calendar-{args.lang}-week.png")
    card = ClientCardDialog(runner, db, bus, ids[0], w)
    card.show()
    wait(300, until=lambda: card.is_loaded and runner.idle)
    card.tabs.setCurrentWidget(card.reminders)
    wait(600)
    screen(out / f"calendar-{args.lang}-reminder.png")
    card._closing_ok = True
    card.close()
    wait(300, until=lambda: runner.idle)
    w.close()
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
