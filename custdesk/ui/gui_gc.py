"""Python's cyclic garbage collection on the GUI thread only, while a base worker runs.

Python collects reference cycles in whichever thread happens to allocate when a threshold is crossed;
with the base worker that is often the worker. A cycle can hold a Python slot connected to a Qt signal
(a lambda of a dialog, say); collecting it on the worker disconnects the slot there: Qt locks the
sender's connections and then waits for Python's lock, which the GUI thread holds while it waits for
that same Qt lock (to connect a slot of its own). Both wait forever: the window freezes. It happened
here once in a test run (the GUI thread in ``QStatusBar.showMessage``, the worker in a disconnect).

So while a worker runs, automatic collection is off and a timer on the GUI thread collects the
generations that are due, by the same thresholds Python uses, a few times a second.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects on the GUI thread instead; :meth:`stop` undoes it.

    Made on the GUI thread. Collections nest: the last collector stopped turns automatic collection back
    on (if it was on before the first).
    """

    _active = 0
    _was_enabled = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if GuiThreadCollector._active == 0:
            GuiThreadCollector._was_enabled = gc.isenabled()
            gc.disable()
        GuiThreadCollector._active += 1
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed Python's threshold; returns what was freed."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        due = [g for g in range(3) if thresholds[g] and counts[g] > thresholds[g]]
        return gc.collect(max(due)) if due else 0

    def stop(self) -> None:
        """Stop collecting here; the last one stopped turns Python's automatic collection back on."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        GuiThreadCollector._active -= 1
        if GuiThreadCollector._active == 0 and GuiThreadCollector._was_enabled:
            gc.enable()


__all__ = ["INTERVAL_MS", "GuiThreadCollector"]
