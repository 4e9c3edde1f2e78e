"""Screenshots of the way from a segment to an action, on a real 1280x800 screen, in one language.

Run on a virtual screen, on a demo base (copied first, so the shots never change it)::

    custdesk-cli demo --db /tmp/demo-ru.sqlite --clients 2000 --seed 1 --lang ru
    for l in en ru fa; do QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_mailing.py --db /tmp/demo-$l.sqlite --lang $l --out docs/screenshots; done

Writes ``mailing-<lang>-1-cell-menu.png`` (the right-click menu on the CZ cell of the ABC × XYZ matrix),
``-2-preview.png`` (the mailing to those clients, previewed for the first one, with who is left out and
why), ``-3-sms.png`` (the SMS list), ``-4-smtp.png`` (Firm settings → E-mail), ``-5-card.png`` (a card
flagged "do not mail"), ``-6-campaign.png`` (a call campaign for the "at risk" segment) and
``-7-campaigns.png`` (the campaigns with their progress).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

LETTERS = {
    "en": (
        "Spring offer for {{ first_name }}",
        "Dear {{ name }},\n\nwe have missed you! Until the end of the month you get 10% off "
        "everything in the shop.\n\n{{ firm }}\n",
    ),
    "ru": (
        "{{ first_name }}, весеннее предложение для вас",
        "Здравствуйте, {{ name }}!\n\nМы по вам соскучились! "
        "До конца месяца — скидка 10% на всё.\n\n{{ firm }}\n",
    ),
    "fi": (
        "Kevättarjous: {{ first_name }}",
        "Hei {{ name }},\n\nolemme kaivanneet sinua! "
        "Kuun loppuun asti saat 10 % alennuksen kaikesta.\n\n{{ firm }}\n",
    ),
    "fa": (
        "پیشنهاد بهاری برای {{ first_name }}",
        "{{ name }} عزیز،\n\nدلمان برایتان تنگ شده بود! "
        "تا پایان ماه ۱۰٪ تخفیف روی همهٔ کالاها.\n\n{{ firm }}\n",
    ),
}


def wait(ms: int, until: Callable[[], bool] | None = None) -> None:
    """Let the event loop run ``ms`` (and until ``until`` holds, up to 15 s)."""
    for _ in range(150):
        loop = QEventLoop()
        QTimer.singleShot(ms if until is None else 100, loop.quit)
        loop.exec()
        if until is None or until():
            break


def screen(path: Path) -> None:
    """The whole virtual screen as a PNG."""
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    print("saved", path, flush=True)


def top(app: QApplication, name: str) -> QWidget | None:
    return next((w for w in app.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="custdesk-mailing-shots-"))
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
    from custdesk.core.models import Client, Email
    from custdesk.core.services import settings
    from custdesk.core.services.mailings import set_do_not_mail
    from custdesk.ui.dialogs.client_card import ClientCardDialog
    from custdesk.ui.dialogs.firm_settings import FirmSettingsDialog
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.segment_actions import analysis_menu
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    runner, bus = TaskRunner(), ChangeBus()
    db = open_base(base, auto_backup=False)
    firm = {"en": "Corner Shop", "ru": "Магазин «Уголок»", "fi": "Kulmakauppa", "fa": "فروشگاه نبش"}[
        args.lang
    ]
    settings.set_values(db, {"firm_name": firm, "smtp_host": "smtp.example.com", "smtp_user": "shop"})
    settings.set_values(db, {"smtp_sender": "shop@example.com"})
    state = QSettings(str(work / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm=settings.get_all(db))
    w.show()
    w.setGeometry(app.primaryScreen().availableGeometry())
    wait(1500, until=lambda: not w.model.loading and runner.idle)
    tab = w.analysis_tab  # type: ignore[attr-defined]
    w.show_tab(tab)
    tab.compute()
    wait(500, until=lambda: runner.idle and tab.report is not None)
    tab.store_classes()  # the segments the list and the mailings choose by
    wait(500, until=lambda: runner.idle)
    tab.show_view("matrix")
    wait(2500)
    chart = tab.pages.pages["matrix"].chart
    target = ("cell", "C", "Z")
    artist = next(a for a, t in chart.drawn.targets.items() if t == target)
    x, y = chart.widget_point_of(artist)
    menu = analysis_menu(w.segment_actions, tab, target)  # type: ignore[attr-defined]
    menu.popup(chart.canvas.mapToGlobal(QPoint(x, y)))
    wait(800)
    screen(out / f"mailing-{args.lang}-1-cell-menu.png")
    mail = next(a for a in menu.actions() if a.objectName() == "segmentMailing")
    menu.hide()
    mail.trigger()
    wait(300, until=lambda: top(app, "mailingDialog") is not None)
    dialog = top(app, "mailingDialog")
    assert dialog is not None
    dialog.setGeometry(app.primaryScreen().availableGeometry().adjusted(40, 30, -40, -30))
    subject, body = LETTERS[args.lang]
    dialog.subject.setText(subject)  # type: ignore[attr-defined]
    dialog.body.setPlainText(body)  # type: ignore[attr-defined]
    dialog.preview()  # type: ignore[attr-defined]
    wait(300, until=lambda: runner.idle and dialog.plan is not None)  # type: ignore[attr-defined]
    wait(800)
    screen(out / f"mailing-{args.lang}-2-preview.png")
    dialog.close()

    from custdesk.analysis.rfm import SEGMENT_LABELS
    from custdesk.core.services.mailings import Audience
    from custdesk.i18n import _
    from custdesk.ui.dialogs.sms_dialog import SmsDialog

    sms = SmsDialog(runner, db, Audience(segment="at risk"), _(SEGMENT_LABELS["at risk"]), w)
    sms.show()
    sms.text.setPlainText(  # type: ignore[attr-defined]
        {
            "en": "{{ first_name }}, 10% off everything until Friday! {{ firm }}",
            "ru": "{{ first_name }}, скидка 10% на всё до пятницы! {{ firm }}",
            "fi": "{{ first_name }}, kaikki -10 % perjantaihin asti! {{ firm }}",
            "fa": "{{ first_name }}، ۱۰٪ تخفیف روی همه‌چیز تا جمعه! {{ firm }}",
        }[args.lang]
    )
    sms.preview()
    wait(300, until=lambda: runner.idle and sms.sms is not None)
    wait(600)
    screen(out / f"mailing-{args.lang}-3-sms.png")
    sms.close()

    from custdesk.ui.dialogs.campaign_dialog import CampaignDialog, CampaignsDialog

    campaign = CampaignDialog(runner, db, bus, Audience(segment="at risk"), _(SEGMENT_LABELS["at risk"]), w)
    campaign.show()
    names = {
        "en": ("Spring comeback", "offer the spring collection"),
        "ru": ("Весеннее возвращение", "предложить весеннюю коллекцию"),
        "fi": ("Kevään paluu", "tarjoa kevätmallistoa"),
        "fa": ("بازگشت بهاری", "مجموعهٔ بهاری را پیشنهاد بده"),
    }[args.lang]
    campaign.name.setText(names[0])
    campaign.note.setText(names[1])
    campaign.days.setValue(5)
    campaign.per_day.setValue(25)
    wait(300, until=lambda: runner.idle and campaign.schedule_button.isEnabled())
    wait(500)
    screen(out / f"mailing-{args.lang}-6-campaign.png")
    campaign.schedule()
    wait(300, until=lambda: runner.idle)
    campaign.close()
    follow = CampaignsDialog(runner, db, w)
    follow.show()
    wait(300, until=lambda: runner.idle and follow.table.rowCount() > 0)
    wait(500)
    screen(out / f"mailing-{args.lang}-7-campaigns.png")
    follow.close()

    firm_dialog = FirmSettingsDialog(runner, db, bus, w)
    firm_dialog.show()
    wait(300, until=lambda: firm_dialog.buttons.isEnabled())
    firm_dialog.tabs.setCurrentIndex(1)
    firm_dialog.smtp_password.setText("password")
    wait(500)
    screen(out / f"mailing-{args.lang}-4-smtp.png")
    firm_dialog.close()

    with db.session() as s:
        cid = s.scalar(
            select(Email.client_id).join(Client, Client.id == Email.client_id).order_by(Client.id).limit(1)
        )
    reason = {
        "en": "asked by phone",
        "ru": "попросил по телефону",
        "fi": "pyysi puhelimessa",
        "fa": "تلفنی خواست",
    }
    set_do_not_mail(db, cid, True, reason=reason[args.lang], on=date.today())
    card = ClientCardDialog(runner, db, bus, cid, w)
    card.show()
    wait(300, until=lambda: card.is_loaded and runner.idle)
    wait(600)
    screen(out / f"mailing-{args.lang}-5-card.png")
    card._closing_ok = True
    card.close()
    wait(300, until=lambda: runner.idle)
    w.close()
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
