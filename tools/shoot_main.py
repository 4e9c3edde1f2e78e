"""Screenshots of the first-run window and the main window, taken from the real app on a virtual screen.

Run on X (xvfb), for example::

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" python tools/shoot_main.py \\
        --data-dir /tmp/cdshots/data --out docs/screenshots [--first-run]

With ``--first-run`` the data folder should be empty: the first-run window is shot. Otherwise the app
opens the base (``--db``, default: the data folder's demo base), and the script shoots the main window,
a search, and the filters panel. Grabs use ImageMagick's ``import -window root``, cropped to the window.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from custdesk import app as cdapp


def grab(widget: QWidget, out: Path) -> None:
    """The screen area of ``widget`` as a PNG."""
    geo = widget.frameGeometry()
    crop = f"{geo.width()}x{geo.height()}+{geo.x()}+{geo.y()}"
    subprocess.run(["import", "-window", "root", "-crop", crop, "+repage", str(out)], check=True)
    print("saved", out, crop, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--db")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--first-run", action="store_true")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--search", default="ivan", help="what to type in the search box (default: ivan)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication(sys.argv[:1])
    steps: list[Callable[[], None]] = []

    def later(ms: int, fn: Callable[[], None]) -> None:
        steps.append(fn)
        QTimer.singleShot(ms, fn)

    def top(name: str) -> QWidget | None:
        return next((w for w in qapp.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)

    if args.first_run:

        def shoot_first_run() -> None:
            w = top("firstRunWindow")
            if w is None:
                QTimer.singleShot(200, shoot_first_run)
                return
            w.move(40, 40)
            QTimer.singleShot(500, lambda: (grab(w, out / f"first-run-{args.lang}.png"), qapp.exit(0)))

        later(500, shoot_first_run)
    else:

        def shoot_main() -> None:
            w = top("mainWindow")
            if w is None or w.model.loading:  # type: ignore[attr-defined]
                QTimer.singleShot(200, shoot_main)
                return
            w.setGeometry(0, 0, 1280, 800)
            w.tabs.setCurrentWidget(w.table)  # type: ignore[attr-defined]  # the app may open on Today
            QTimer.singleShot(800, lambda: step_list(w))

        def step_list(w: QWidget) -> None:
            grab(w, out / f"main-window-{args.lang}.png")
            w.search.setFocus()  # type: ignore[attr-defined]
            w.search.setText(args.search)  # type: ignore[attr-defined]
            QTimer.singleShot(1200, lambda: step_search(w))

        def step_search(w: QWidget) -> None:
            grab(w, out / f"search-{args.lang}.png")
            w.search.clear()  # type: ignore[attr-defined]
            w.filters_dock.show()  # type: ignore[attr-defined]
            w.filters.funnel_checks["platinum"].setChecked(True)  # type: ignore[attr-defined]
            w.filters.overdue_check.setChecked(False)  # type: ignore[attr-defined]
            w.filters.temperature_checks["warm"].setChecked(True)  # type: ignore[attr-defined]
            QTimer.singleShot(1200, lambda: step_filters(w))

        def step_filters(w: QWidget) -> None:
            grab(w, out / f"filters-{args.lang}.png")
            w.filters_dock.hide()  # type: ignore[attr-defined]
            w.filters.clear()  # type: ignore[attr-defined]
            w.close()

        later(500, shoot_main)

    argv = ["--data-dir", args.data_dir, "--lang", args.lang]
    if args.db:
        argv.append(args.db)
    return cdapp.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
