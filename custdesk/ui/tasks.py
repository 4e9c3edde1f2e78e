"""Work off the GUI thread: one worker for everything that touches the base, results back on the GUI.

``TaskRunner.run(fn, ...)`` queues ``fn`` on the single base worker (SQLite likes one writer, and the
order of operations stays the order of clicks); ``on_done(result)`` and ``on_error(exc)`` run on the GUI
thread. A progress dialog appears only when the work lasts longer than half a second, with a cancel
button for work that accepts a ``progress`` callback. Errors never vanish into a log: without an
``on_error`` they become a dialog.

``ChangeBus.changed`` carries the :class:`custdesk.core.dto.Change` a mutating service returned, so each
view decides what to reload.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from custdesk import APP_NAME
from custdesk.core.errors import CustDeskError
from custdesk.i18n import _
from custdesk.ui import worker_guard
from custdesk.ui.gui_gc import GuiThreadCollector

log = logging.getLogger("custdesk.ui.tasks")

PROGRESS_DELAY_MS = 500


class Cancelled(Exception):
    """Raised inside a task's progress callback when the user pressed Cancel."""


@dataclass
class Task:
    """One queued piece of work."""

    id: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    label: str | None
    with_progress: bool
    cancel_event: threading.Event = field(default_factory=threading.Event)
    dialog: QProgressDialog | None = None

    def cancel(self) -> None:
        """Ask the task to stop at its next progress report."""
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked."""
        return self.cancel_event.is_set()


class _Worker(QThread):
    """The single thread that runs tasks in order."""

    done = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("custdesk-base-worker")
        self._queue: queue.Queue[Task | None] = queue.Queue()

    def submit(self, task: Task | None) -> None:
        self._queue.put(task)

    def run(self) -> None:
        worker_guard.install()
        while True:
            task = self._queue.get()
            if task is None:
                return
            if task.cancelled:
                self.failed.emit(task.id, Cancelled())
                continue
            kwargs = dict(task.kwargs)
            if task.with_progress:
                kwargs["progress"] = self._progress_callback(task)
            try:
                result = task.fn(*task.args, **kwargs)
            except BaseException as exc:
                self.failed.emit(task.id, exc)
            else:
                self.done.emit(task.id, result)

    def _progress_callback(self, task: Task) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if task.cancelled:
                raise Cancelled()
            self.progressed.emit(task.id, int(done), int(total))

        return report


class TaskRunner(QObject):
    """Runs work on the base worker and brings results back to the GUI thread."""

    idle_changed = Signal(bool)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self._ids = itertools.count(1)
        self._tasks: dict[int, Task] = {}
        self._worker = _Worker()
        self._worker.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._worker.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._worker.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        # Garbage with Qt slots in it must not be collected on the worker (see gui_gc).
        self._collector = GuiThreadCollector(self)
        self._worker.start()

    @property
    def idle(self) -> bool:
        """Whether no task is queued or running."""
        return not self._tasks

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str | None = None,
        with_progress: bool = False,
        **kwargs: Any,
    ) -> Task:
        """Queue ``fn(*args, **kwargs)`` on the base worker.

        Args:
            fn: the work; with ``with_progress`` it also gets ``progress=callback(done, total)``, which
                raises :class:`Cancelled` once the user pressed Cancel.
            on_done: called on the GUI thread with the result.
            on_error: called on the GUI thread with the exception; without it an error dialog shows.
            label: the text of the progress dialog (shown only if the work lasts over half a second).
            with_progress: pass a progress callback and give the dialog a Cancel button.
        """
        task = Task(next(self._ids), fn, args, kwargs, on_done, on_error, label, with_progress)
        was_idle = self.idle
        self._tasks[task.id] = task
        if label is not None:
            self._prepare_dialog(task)
        self._worker.submit(task)
        if was_idle:
            self.idle_changed.emit(False)
        return task

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn`` on the base worker and wait for it (for start-up and tests, never in a click)."""
        box: dict[str, Any] = {}
        event = threading.Event()

        def job() -> None:
            try:
                box["result"] = fn(*args, **kwargs)
            except BaseException as exc:
                box["error"] = exc
            finally:
                event.set()

        self._worker.submit(Task(next(self._ids), job, (), {}, None, None, None, False))
        event.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def _prepare_dialog(self, task: Task) -> None:
        dialog = QProgressDialog(task.label or "", "", 0, 0, self.parent_widget)
        dialog.setWindowTitle(_("Please wait"))
        # Wide enough for its title whole in the title bar (the window manager's buttons beside it).
        title_width = dialog.fontMetrics().horizontalAdvance(f"{dialog.windowTitle()} — {APP_NAME}")
        dialog.setMinimumWidth(max(dialog.minimumWidth(), title_width + 160))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if task.with_progress:
            dialog.setCancelButtonText(_("Cancel"))
            dialog.canceled.connect(task.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.setValue(0)  # starts QProgressDialog's minimum-duration timer
        task.dialog = dialog

    def _finish(self, task_id: int) -> Task | None:
        task = self._tasks.pop(task_id, None)
        if task is not None and task.dialog is not None:
            task.dialog.reset()
            task.dialog.hide()
            task.dialog.deleteLater()
            task.dialog = None
        if not self._tasks:
            self.idle_changed.emit(True)
        return task

    @Slot(int, object)
    def _on_done(self, task_id: int, result: object) -> None:
        task = self._finish(task_id)
        if task is not None and task.on_done is not None:
            task.on_done(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, exc: BaseException) -> None:
        task = self._finish(task_id)
        if task is None:
            return
        if task.on_error is not None:
            task.on_error(exc)
            return
        if isinstance(exc, Cancelled):
            return
        show_error(self.parent_widget, exc)

    @Slot(int, int, int)
    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        task = self._tasks.get(task_id)
        if task is None or task.dialog is None:
            return
        if total > 0:
            task.dialog.setMaximum(total)
            task.dialog.setValue(min(done, total))

    def shutdown(self) -> None:
        """Finish the queued work and stop the worker (called when the window closes)."""
        self._worker.submit(None)
        self._worker.wait()
        self._collector.stop()


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """An error as a dialog: the message for our errors, the message and a note of the log otherwise.

    The box opens without a nested event loop (``open()``, not ``exec()``): queued results keep arriving
    in order behind it, and nothing waits on the person to read it.
    """
    if isinstance(exc, CustDeskError):
        box = QMessageBox(QMessageBox.Icon.Warning, _("CustDesk"), str(exc), parent=parent)
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        box = QMessageBox(QMessageBox.Icon.Critical, _("CustDesk"), _("Something went wrong."), parent=parent)
        box.setInformativeText(
            _("{error}\n\nThe details are in the log file; nothing was saved by the failed action.").format(
                error=f"{type(exc).__name__}: {exc}"
            )
        )
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class ChangeBus(QObject):
    """Announces what changed in the base; views reload what concerns them."""

    changed = Signal(object)  # custdesk.core.dto.Change
