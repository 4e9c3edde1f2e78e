"""Screenshots of users and access in one language: the users dialog (off and on), the login, and a
seller's window (status bar, analysis without profit) and card (purchases without profit).

Run on a virtual screen, on a demo base (it is copied first, so the shots never change it)::

    python -m custdesk.cli demo --db /tmp/usershots/demo.sqlite --clients 300 --seed 1
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_users.py --db /tmp/usershots/demo.sqlite --lang fa --out docs/screenshots

Writes ``users-<lang>-off.png``, ``users-<lang>-on.png``, ``users-<lang>-login.png``,
``users-<lang>-seller-analysis.png`` and ``users-<lang>-seller-card.png``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    subprocess.run(["convert", str(path), "-colors", "256", f"PNG8:{path}"], check=False)
    print("saved", path, path.stat().st_size // 1024, "KB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from custdesk import i18n, paths

    paths.set_data_dir(tempfile.mkdtemp(prefix="custdesk-shots-"))
    work = paths.data_dir() / "base.sqlite"
    shutil.copyfile(args.db, work)
    i18n.set_language(args.lang)
    from custdesk.app import make_application

    qapp = make_application(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    from sqlalchemy import select

    from custdesk.core.db import open_base
    from custdesk.core.models import Client
    from custdesk.core.services import access, settings, users
    from custdesk.ui.dialogs.client_card import ClientCardDialog
    from custdesk.ui.dialogs.login_dialog import LoginDialog
    from custdesk.ui.dialogs.users_dialog import UsersDialog
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    runner, bus = TaskRunner(), ChangeBus()
    db = open_base(work, auto_backup=False)
    firm = settings.get_all(db)
    prefix = f"users-{args.lang}"

    off = UsersDialog(runner, db, bus)
    off.show()
    wait(800)
    save(off, out / f"{prefix}-off.png")
    off.close()

    names = {"en": ("Olga", "Sam", "Vera"), "ru": ("Ольга", "Семён", "Вера"), "fi": ("Olga", "Sami", "Veera")}
    owner, seller, viewer = names.get(args.lang, ("مریم", "رضا", "سارا"))
    users.add_user(db, owner, "owner", "owner-secret-1")
    users.add_user(db, seller, "seller", "seller-secret-2")
    users.add_user(db, viewer, "viewer", "viewer-secret-3")
    on = UsersDialog(runner, db, bus)
    on.show()
    wait(800)
    save(on, out / f"{prefix}-on.png")
    on.close()

    access.sign_in(None)
    login = LoginDialog(runner, db)
    login.show()
    login.name.setText(seller)
    login.password.setText("wrong")
    login.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait(1500)
    save(login, out / f"{prefix}-login.png")
    login.password.setText("seller-secret-2")
    login.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait(1500)
    assert access.current(db).name == seller, access.current(db)

    state = QSettings(str(paths.data_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm=firm)
    w.resize(1240, 720)
    w.show()
    wait(1500)
    for i in range(w.tabs.count()):
        if "analys" in w.tabs.widget(i).objectName().lower():
            w.tabs.setCurrentIndex(i)
            wait(4000)
            save(w, out / f"{prefix}-seller-analysis.png")
    w.show_client_list()
    with db.session() as s:
        cid = s.scalar(select(Client.id).order_by(Client.purchase_count.desc(), Client.id).limit(1))
    card = ClientCardDialog(runner, db, bus, cid)
    card.resize(1000, 720)
    card.show()
    wait(1500)
    for index in range(card.tabs.count()):
        if "purchase" in card.tabs.widget(index).objectName().lower() or index == 3:
            card.tabs.setCurrentIndex(index)
            break
    wait(1000)
    save(card, out / f"{prefix}-seller-card.png")
    card._closing_ok = True  # type: ignore[attr-defined]
    card.close()
    w.close()
    wait(300)
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
