"""Screenshots of the interface in one language: main window, Today, the card, analysis, a printed card.

One language per process (the language is chosen at start-up, as in the application)::

    python -m custdesk.cli demo --db /tmp/shots/demo.sqlite --clients 300 --seed 1
    for l in ru fi fa; do QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_languages.py --db /tmp/shots/demo.sqlite --lang $l --out docs/screenshots; done

Writes ``lang-<lang>-main.png``, ``-today.png``, ``-card.png``, ``-analysis.png`` (when the analysis tab
exists) and, with ``--pdf``, ``lang-<lang>-print-card.png`` (the printed card, first page). With
``--charts``, also every view of the analysis tab (its chart beside the status line and thresholds) as
``analysis-<lang>-<view>.png``; ``--only-charts`` skips the other screenshots. With ``--funnel``, also the
funnel board (``lang-<lang>-funnel-board.png``) and the marker legend opened from the list's status bar
(``lang-<lang>-legend.png``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def wait(ms: int) -> None:
    """Let the event loop run for ``ms`` milliseconds (results from the base worker arrive)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, path: Path) -> None:
    """A grab of the widget as a PNG (8-bit palette when that keeps it small)."""
    widget.grab().save(str(path))
    subprocess.run(["convert", str(path), "-colors", "256", f"PNG8:{path}"], check=False)
    print("saved", path, path.stat().st_size // 1024, "KB", flush=True)


def shoot_charts(tab: QWidget, out: Path, lang: str) -> None:
    """Every view of the analysis tab, drawn, as ``analysis-<lang>-<view>.png`` (the tab, not the window)."""
    from custdesk.ui.widgets.analysis_pages import PAGES

    for key in PAGES:
        tab.show_view(key)  # type: ignore[attr-defined]
        wait(900)
        save(tab, out / f"analysis-{lang}-{key}.png")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--pdf", action="store_true", help="also the printed card")
    parser.add_argument("--charts", action="store_true", help="also every chart of the analysis tab")
    parser.add_argument("--only-charts", action="store_true", help="only the charts of the analysis tab")
    parser.add_argument("--funnel", action="store_true", help="also the funnel board and the marker legend")
    args = parser.parse_args()
    charts = args.charts or args.only_charts
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from custdesk import i18n, paths

    paths.set_data_dir(tempfile.mkdtemp(prefix="custdesk-shots-"))
    i18n.set_language(args.lang)
    from custdesk.app import make_application

    qapp = make_application(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    from custdesk.core.db import open_base
    from custdesk.core.services import settings
    from custdesk.ui.dialogs.client_card import ClientCardDialog
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    runner, bus = TaskRunner(), ChangeBus()
    db = open_base(Path(args.db))
    firm = settings.get_all(db)
    state = QSettings(str(paths.data_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm=firm)
    w.resize(1240, 720)
    w.show()
    wait(1500)
    prefix = f"lang-{args.lang}"
    if not args.only_charts:
        save(w, out / f"{prefix}-main.png")
    if args.funnel:
        board = w.open_funnel_board()  # type: ignore[attr-defined]
        wait(1500)
        save(board, out / f"{prefix}-funnel-board.png")
        board.close()
        w.funnel_legend_button.show_legend()  # type: ignore[attr-defined]
        wait(500)
        from custdesk.ui.widgets.funnel_legend import FunnelLegend

        legend = w.funnel_legend_button.findChild(FunnelLegend)  # type: ignore[attr-defined]
        save(legend, out / f"{prefix}-legend.png")
        legend.close()
    for i in range(w.tabs.count()):
        name = w.tabs.widget(i).objectName().lower()
        title = w.tabs.tabText(i)
        if (title.startswith(i18n._("Today")) or "today" in name) and not args.only_charts:
            w.tabs.setCurrentIndex(i)
            wait(1200)
            save(w, out / f"{prefix}-today.png")
        elif "analys" in name:
            w.tabs.setCurrentIndex(i)
            wait(4000)
            if not args.only_charts:
                save(w, out / f"{prefix}-analysis.png")
            if charts:
                shoot_charts(w.tabs.widget(i), out, args.lang)
    if args.only_charts:
        w.close()
        runner.shutdown()
        db.close()
        return 0
    w.show_client_list()
    # The card of a client with a history: the richest of the first rows.
    from sqlalchemy import select

    from custdesk.core.models import Client

    with db.session() as s:
        cid = s.scalar(select(Client.id).order_by(Client.purchase_count.desc(), Client.id).limit(1))
    card = ClientCardDialog(runner, db, bus, cid)
    card.resize(980, 700)
    card.show()
    wait(1500)
    save(card, out / f"{prefix}-card.png")
    card.tabs.setCurrentIndex(2)
    wait(600)
    save(card, out / f"{prefix}-card-history.png")
    card._closing_ok = True
    card.close()
    if args.pdf:
        from custdesk.io.cards import card_documents
        from custdesk.ui.printing import print_to_pdf

        pdf = Path(tempfile.mkdtemp()) / "card.pdf"
        print_to_pdf(card_documents(db, [cid]), pdf, firm_name=str(firm.get("firm_name", "")))
        target = out / f"{prefix}-print-card"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, target], check=True
        )
        print("saved", f"{target}.png", flush=True)
    w.close()
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
