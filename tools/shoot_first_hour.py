"""Screenshots of what a new owner sees in the first hour, on a real 1280x800 screen, in one language.

Run on a virtual screen, on a demo base (copied first, so the shots never change it)::

    python -m custdesk.cli demo --db /tmp/a23/demo.sqlite --clients 2000 --seed 1
    for l in en ru fa; do QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_first_hour.py --db /tmp/a23/demo.sqlite --lang $l --out /work/shots/23a/after; done

Writes ``<lang>-1-main.png`` (the window as large as the screen, the filters panel shown),
``-2-today.png``, ``-3-funnel-board.png``, ``-4-card.png``, ``-5-card-history.png``,
``-6-print-preview.png``, ``-7-new-card-errors.png``, ``-8-analysis.png``; with ``--scheme dark`` the
names carry ``-dark``. Each is the whole screen (ImageMagick ``import -window root``), so what runs off it
shows. The window's minimum width is printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget


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


def top_dialog(app: QApplication, name: str) -> QWidget | None:
    return next((w for w in app.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--out", default="/work/shots/23a")
    parser.add_argument("--scheme", default="", help="light or dark (default: the system's)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="custdesk-first-hour-"))
    base = work / "base.sqlite"
    shutil.copyfile(args.db, base)

    from custdesk import i18n, paths

    paths.set_data_dir(work / "data")
    i18n.set_language(args.lang)
    from custdesk.app import make_application

    app = make_application(sys.argv[:1])
    assert isinstance(app, QApplication)
    if args.scheme:
        try:
            from custdesk.ui import theme
        except ImportError:
            print("no theme module: the scheme is the system's", flush=True)
        else:
            theme.apply_scheme(args.scheme, app)
    from sqlalchemy import select

    from custdesk.core.db import open_base
    from custdesk.core.models import Client
    from custdesk.core.services import settings
    from custdesk.ui.dialogs.client_card import ClientCardDialog
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    runner, bus = TaskRunner(), ChangeBus()
    db = open_base(base, auto_backup=False)
    state = QSettings(str(work / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm=settings.get_all(db))
    w.show()
    w.filters_dock.show()
    w.setGeometry(app.primaryScreen().availableGeometry())  # no window manager to maximise it
    wait(1500, until=lambda: not w.model.loading and runner.idle)
    wait(800)
    prefix = f"{args.lang}{'-' + args.scheme if args.scheme else ''}"
    print(
        "minimum width with the filters panel:", w.minimumSizeHint().width(), "window", w.width(), flush=True
    )
    screen(out / f"{prefix}-1-main.png")
    today = getattr(w, "today_view", None)
    if today is not None:
        w.show_tab(today)
        wait(1200, until=lambda: runner.idle)
        screen(out / f"{prefix}-2-today.png")
    w.show_client_list()
    board = w.open_funnel_board()  # type: ignore[attr-defined]
    wait(1200, until=lambda: runner.idle)
    screen(out / f"{prefix}-3-funnel-board.png")
    board.close()

    with db.session() as s:
        cid = s.scalar(select(Client.id).order_by(Client.purchase_count.desc(), Client.id).limit(1))
    card = ClientCardDialog(runner, db, bus, cid, w)
    card.show()
    wait(300, until=lambda: card.is_loaded and runner.idle)
    wait(500)
    screen(out / f"{prefix}-4-card.png")
    card.tabs.setCurrentIndex(2)
    wait(500)
    screen(out / f"{prefix}-5-card-history.png")
    card._closing_ok = True
    card.close()

    printing = getattr(w, "printing", None)
    if printing is not None:
        w.clients.select_row(0)
        printing.print_selected()
        wait(300, until=lambda: top_dialog(app, "printPreview") is not None)
        wait(1500)
        screen(out / f"{prefix}-6-print-preview.png")
        dialog = top_dialog(app, "printPreview")
        if dialog is not None:
            dialog.close()

    tab = getattr(w, "analysis_tab", None)
    if tab is not None:
        w.show_tab(tab)
        tab.compute()
        wait(500, until=lambda: runner.idle)
        wait(2500)
        screen(out / f"{prefix}-8-analysis.png")
        w.show_client_list()

    new = ClientCardDialog(runner, db, bus, None, w)
    new.show()
    wait(300, until=lambda: new.is_loaded)
    new.general.fields["name"].box.editor.setText("Anna Example")  # type: ignore[attr-defined]
    new.general.phones.rows[0].value.setText("555 12")
    new.general.emails.rows[0].value.setText("anna@@example")
    new.save()
    wait(800)
    screen(out / f"{prefix}-7-new-card-errors.png")
    new._closing_ok = True
    new.close()
    wait(300, until=lambda: runner.idle)
    w.close()
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
