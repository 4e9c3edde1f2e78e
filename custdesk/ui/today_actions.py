"""What the Today view's row buttons do: open the card, log a call (asking before pestering), snooze.

A mixin of :class:`custdesk.ui.today_view.TodayView`: it uses the view's ``runner``, ``db``, ``bus``,
``open_card_fn``, ``day()`` and ``show_message()``. Each action runs its service on the base worker and
announces the change on the bus, which reloads every view (the Today lists included).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import TooSoonError
from custdesk.core.services import today
from custdesk.core.services.today import DueEntry
from custdesk.core.vocab import funnel_label
from custdesk.i18n import _
from custdesk.ui.formatting import format_date, isolate_text
from custdesk.ui.tasks import ChangeBus, TaskRunner, show_error
from custdesk.ui.today_dialogs import CallDialog, SnoozeDialog


class TodayRowActions:
    """Called…, Snooze to… and Open card on an entry of the Today lists."""

    runner: TaskRunner
    db: Database
    bus: ChangeBus
    open_card_fn: Callable[[int], None] | None
    call_dialog: CallDialog | None
    snooze_dialog: SnoozeDialog | None
    too_soon_box: QMessageBox | None

    def day(self) -> date:  # pragma: no cover - provided by the view
        raise NotImplementedError

    def show_message(self, text: str) -> None:  # pragma: no cover - provided by the view
        raise NotImplementedError

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def open_card(self, entry: DueEntry | None) -> None:
        """Open the client's card."""
        if entry is None:
            return
        if self.open_card_fn is not None:
            self.open_card_fn(entry.client_id)
            return
        from custdesk.ui.dialogs.client_card import open_client_card

        open_client_card(self.runner, self.db, self.bus, entry.client_id, self._widget().window())

    def called(self, entry: DueEntry | None) -> None:
        """Ask for the outcome of the call with ``entry``'s client, then log it."""
        if entry is None:
            return
        dialog = CallDialog(entry.display_name, self._widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._log_call(entry, dialog.chosen_outcome(), dialog.note_text(), False)
        )
        self.call_dialog = dialog
        dialog.open()

    def _log_call(self, entry: DueEntry, outcome: str, text: str, confirmed: bool) -> None:
        self.runner.run(
            today.log_call,
            self.db,
            entry.client_id,
            outcome,
            text,
            confirm_too_soon=confirmed,
            on_done=lambda result: self._call_logged(entry, result),
            on_error=lambda exc: self._call_failed(entry, outcome, text, exc),
        )

    def _call_logged(self, entry: DueEntry, result: today.CallLogged) -> None:
        self.bus.changed.emit(
            Change("interaction", (entry.client_id,), ("last_contact_at", "next_call_on", "funnel"))
        )
        if not shiboken6.isValid(self):
            return
        if result.next_call_on is not None:
            text = _("Call with {name} logged; the next call is on {date}.").format(
                name=isolate_text(entry.display_name), date=format_date(result.next_call_on)
            )
        else:
            text = _("Call with {name} logged.").format(name=isolate_text(entry.display_name))
        if result.funnel_changed:
            text += " " + _("The marker is now {marker}.").format(marker=funnel_label(result.funnel))
        self.show_message(text)

    def _call_failed(self, entry: DueEntry, outcome: str, text: str, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if not isinstance(exc, TooSoonError):
            show_error(self._widget(), exc)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Contact again so soon?"),
            str(exc),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._widget(),
        )
        box.setObjectName("tooSoonBox")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda answer: (
                answer == QMessageBox.StandardButton.Yes and self._log_call(entry, outcome, text, True)
            )
        )
        self.too_soon_box = box
        box.open()

    def snooze(self, entry: DueEntry | None) -> None:
        """Ask for the day to call ``entry``'s client instead, then move the next call."""
        if entry is None or entry.reason not in ("overdue", "today"):
            return
        dialog = SnoozeDialog(entry.display_name, self.day(), self._widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._snooze(entry, dialog.chosen_date()))
        self.snooze_dialog = dialog
        dialog.open()

    def _snooze(self, entry: DueEntry, to: date) -> None:
        def done(_day: Any) -> None:
            self.bus.changed.emit(Change("client", (entry.client_id,), ("next_call_on",)))
            if shiboken6.isValid(self):
                self.show_message(
                    _("The call to {name} is moved to {date}.").format(
                        name=isolate_text(entry.display_name), date=format_date(to)
                    )
                )

        self.runner.run(today.snooze, self.db, entry.client_id, to, on_done=done)
