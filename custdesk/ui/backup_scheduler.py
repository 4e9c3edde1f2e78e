"""Automatic backups while a window is open: after it is up, on a timer, and when it closes.

Opening a base no longer waits for its daily backup: the window comes up first, and a few seconds later
the backup runs on a thread of its own (SQLite's online backup reads one moment of the base while the
base worker goes on writing), with its progress in the status bar. A timer looks again every quarter of
an hour, so a window left open for a week still makes one backup a day; a new base gets its first backup
at once. When the window closes (or the base is switched), one more backup is made if anything changed
since the last one, queued on the base worker before the base is closed, so the application waits for it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar

from custdesk.core import backup
from custdesk.core.db import Database
from custdesk.i18n import _
from custdesk.ui.tasks import ChangeBus, TaskRunner, show_error

log = logging.getLogger("custdesk.ui.backups")

FIRST_DELAY_MS = 3000
CHECK_INTERVAL_MS = 15 * 60 * 1000
MIN_GAP_S = 3600.0  # a clock set back must not make the timer back up every quarter of an hour
MESSAGE_MS = 8000

_running: set[_BackupThread] = set()  # a QThread must outlive its run, even when its window is gone


class _BackupThread(QThread):
    """One automatic backup, off the GUI thread and beside the base worker."""

    progressed = Signal(int, int)
    made = Signal(object)  # Path | None
    failed = Signal(object)  # BaseException

    def __init__(self, db: Database, force: bool) -> None:
        super().__init__()
        self.setObjectName("custdesk-backup")
        self.db, self.force = db, force

    def run(self) -> None:
        try:
            result = backup.auto_backup(self.db, force=self.force, progress=self.progressed.emit)
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.made.emit(result)


class BackupScheduler(QObject):
    """Makes the automatic backups of one open base for its window (see the module's description)."""

    started = Signal()
    finished = Signal(object)  # the backup made (Path), None when none was due, or the error

    def __init__(
        self,
        window: QMainWindow,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        *,
        first_delay_ms: int = FIRST_DELAY_MS,
        interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(window)
        self.window, self.runner, self.db, self.bus = window, runner, db, bus
        self._thread: _BackupThread | None = None
        self._changed = False
        self._stopped = False
        self._last_made: float | None = None

        self.label = QLabel(_("Backing up the base…"))
        self.label.setObjectName("backupLabel")
        self.bar = QProgressBar()
        self.bar.setObjectName("backupProgress")
        self.bar.setMaximumWidth(140)
        self.bar.setRange(0, 0)
        for widget in (self.label, self.bar):
            widget.hide()
            window.statusBar().addPermanentWidget(widget)

        bus.changed.connect(self._on_change)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.setInterval(first_delay_ms)
        self._first.timeout.connect(self.back_up_if_due)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer)
        self._first.start()
        self._timer.start()

    @property
    def running(self) -> bool:
        """Whether a backup is being made now."""
        return self._thread is not None

    def _on_change(self, _change: Any) -> None:
        self._changed = True

    def _on_timer(self) -> None:
        if self._last_made is not None and time.monotonic() - self._last_made < MIN_GAP_S:
            return
        self.back_up_if_due()

    def back_up_if_due(self, *, force: bool = False) -> None:
        """Start the backup on its thread when one is due (or ``force``); nothing when one is running."""
        if self._stopped or self._thread is not None:
            return
        thread = _BackupThread(self.db, force)
        thread.progressed.connect(self._on_progress)
        thread.made.connect(self._on_made)
        thread.failed.connect(self._on_failed)
        thread.finished.connect(lambda t=thread: BackupScheduler._release(t))
        self._thread = thread
        self._changed = False
        _running.add(thread)
        thread.start()
        self.started.emit()

    @staticmethod
    def _release(thread: _BackupThread) -> None:
        _running.discard(thread)
        thread.deleteLater()

    def _on_progress(self, done: int, total: int) -> None:
        self.label.show()
        self.bar.show()
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def _end(self) -> None:
        self._thread = None
        self.label.hide()
        self.bar.hide()

    def _on_made(self, made: Path | None) -> None:
        self._end()
        if made is not None:
            self._last_made = time.monotonic()
            self.window.statusBar().showMessage(
                _("The base was backed up to {name}.").format(name=made.name), MESSAGE_MS
            )
        self.finished.emit(made)

    def _on_failed(self, exc: BaseException) -> None:
        self._end()
        self._changed = True  # nothing was saved: try again at the close
        log.warning("automatic backup of %s failed: %s", self.db.path, exc)
        if not self._stopped:
            show_error(self.window, exc)
        self.finished.emit(exc)

    def finish(self, *, final: bool) -> None:
        """Stop backing up this base: queue on the base worker a wait for a running backup and, when
        ``final`` and anything changed since the last backup, one more. Call it before the base is
        closed or replaced (which is queued behind)."""
        if self._stopped:
            return
        self._stopped = True
        self._first.stop()
        self._timer.stop()
        self.bus.changed.disconnect(self._on_change)
        thread, db, changed = self._thread, self.db, self._changed

        def last_backup() -> Path | None:
            if thread is not None:
                thread.wait()
            if final and changed:
                return backup.auto_backup(db, force=True)
            return None

        def failed(exc: BaseException) -> None:
            log.warning("the closing backup of %s failed: %s", db.path, exc)

        self.runner.run(last_backup, on_error=failed)
