"""Benchmark of search as you type in the real main window: from a keystroke's search to its rows shown.

Not collected by pytest. Run on a big base (the 100,000-client demo base, for example)::

    custdesk-cli demo --db /tmp/b/demo.sqlite --clients 100000 --seed 1
    QT_QPA_PLATFORM=offscreen python3 tests/benchmarks/bench_search_window.py --db /tmp/b/demo.sqlite

For each keystroke of a few words the script sets the search box's text, applies the search to the list
(what the box's typing pause timer does) and waits until the list model has the new count and first page
and the list has been painted with them. The figure is that wall time, the worker's work included, median of
``--repeat`` runs, each run a search typed anew (the list forgets its kept searches in between). Beside
it, in the same run, the service alone (``client_list.count`` + ``page_ids`` + ``rows``), so the ratio is
the price of the view (formatting, the model reset, the queued signals, the painting). The box waits
``SEARCH_DELAY_MS`` after the last keystroke before it searches; that pause is not in the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from custdesk.core.db import open_base  # noqa: E402
from custdesk.core.services import client_list as cl  # noqa: E402
from custdesk.core.services import ranked_search  # noqa: E402
from custdesk.core.validation import format_phone  # noqa: E402
from custdesk.ui.main_window import SEARCH_DELAY_MS, MainWindow  # noqa: E402
from custdesk.ui.tasks import ChangeBus, TaskRunner  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a big base, e.g. the demo base")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = tempfile.TemporaryDirectory(prefix="custdesk-bench-")
    db = open_base(args.db, auto_backup=False)
    runner = TaskRunner()
    state = QSettings(str(Path(tmp.name) / "ui-state.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, db, ChangeBus(), state, firm={"currency": "USD", "phone_region": "RU"})
    window.resize(1280, 800)
    window.show()
    kept = ranked_search.of(db)

    def wait(ms: int) -> None:
        """Run Qt's event loop for ``ms`` (blocking in Qt, as the app's GUI thread does: no busy loop
        holding Python's lock while the worker needs it)."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle() -> None:
        while window.model.loading or not runner.idle:
            wait(2)
        qapp.processEvents()

    shown_loop = QEventLoop()
    window.model.loaded.connect(shown_loop.quit)

    class PaintCounter(QObject):
        paints = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                PaintCounter.paints += 1
            return False

    counter = PaintCounter()
    window.table.viewport().installEventFilter(counter)
    paints_per_search: list[int] = []

    t0 = time.perf_counter()
    settle()
    ready = (time.perf_counter() - t0) * 1000
    print(f"base {args.db}: {window.model.total:,} clients listed; first rows shown and the order kept "
          f"for searching {ready:.0f} ms after the window was shown")  # fmt: skip

    def search(text: str) -> float:
        kept.forget()
        format_phone.cache_clear()
        window.search.setText(text)
        window._search_timer.stop()
        started = time.perf_counter()
        before = PaintCounter.paints
        window.model.update_query(search=text)  # what the typing pause timer does (each repeat anew)
        if window.model.loading:
            shown_loop.exec()  # until the model has the new count and first page
        # Then until the list has been painted and nothing more is painted for 50 ms: the time is when
        # the last paint ended.
        done = time.perf_counter()
        quiet_since = done
        while time.perf_counter() - quiet_since < 0.05:
            painted = PaintCounter.paints
            wait(1)  # Qt's event loop, as the app runs it (paints and layouts are posted events)
            if PaintCounter.paints != painted:
                done = quiet_since = time.perf_counter()
        paints_per_search.append(PaintCounter.paints - before)
        settle()
        return done - started

    def service(text: str) -> float:
        kept.forget()
        format_phone.cache_clear()
        q = cl.ListQuery(search=text)
        started = time.perf_counter()
        total = cl.count(db, q)
        cl.rows(db, cl.page_ids(db, q, 0, 100, total=total))
        return time.perf_counter() - started

    print(f"\nkeystroke -> rows shown in the window (median of {args.repeat}; plus the {SEARCH_DELAY_MS} ms "
          "typing pause)")  # fmt: skip
    worst = 0.0
    for word in ("ова пе", "gmail", "Иван", "9123", "com"):
        for k in range(1, len(word) + 1):
            typed = word[:k]
            if typed.endswith(" "):
                continue
            shown = statistics.median(search(typed) for _ in range(args.repeat))
            alone = statistics.median(service(typed) for _ in range(args.repeat))
            worst = max(worst, shown)
            print(f"  {typed!r:12} {shown * 1000:7.1f} ms   service alone {alone * 1000:6.1f} ms   "
                  f"ratio {shown / alone:4.1f}x   {window.model.total:>7,} rows")  # fmt: skip
    print(f"  worst {worst * 1000:.1f} ms   (target < 50 ms)")
    print(f"  the list was painted {statistics.median(paints_per_search):.0f} time(s) per search (median)")

    window.search.clear()
    window._apply_search()
    settle()
    window.close()
    runner.shutdown()
    db.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
