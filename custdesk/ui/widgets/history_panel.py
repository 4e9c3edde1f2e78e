"""The History tab of the client card: the timeline of contacts, newest first, and a form to add one.

The form has the kind of contact, its outcome, what was said, the next step, and a call timer (start/stop,
the elapsed time turns red past the firm's ``call_budget_minutes``; the measured seconds are stored with
the entry). Contacting a client sooner than the firm's minimum gap raises ``TooSoonError`` in the service;
the panel then asks "you contacted X on DATE; contact again anyway?" and repeats with confirmation.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.dto import InteractionDTO, InteractionInput
from custdesk.core.errors import TooSoonError
from custdesk.core.services import history
from custdesk.core.vocab import INTERACTION_KINDS, OUTCOMES, label
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import format_number, isolate_text, native_digits
from custdesk.ui.tasks import TaskRunner, show_error
from custdesk.ui.theme import link_colour, muted_colour
from custdesk.ui.widgets.fields import date_text, datetime_text, guarded, repolish


def elapsed_text(seconds: int) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour), in the interface language's digits."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
    return native_digits(text)


class CallTimer(QWidget):
    """Start/stop a call and see how long it lasts; red past the budget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.budget_minutes = 10
        self._clock = QElapsedTimer()
        self._seconds = 0  # of a stopped call
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._refresh)
        self.button = QPushButton(_("Start call"))
        self.button.setCheckable(True)
        self.button.toggled.connect(self._toggled)
        self.display = QLabel(elapsed_text(0))
        self.display.setObjectName("call_timer_display")
        font = self.display.font()
        font.setFamily("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.display.setFont(font)
        self.budget_label = QLabel()
        self.budget_label.setProperty("role", "hint")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.display)
        layout.addWidget(self.budget_label)
        layout.addStretch(1)
        self.set_budget(10)

    def set_budget(self, minutes: int) -> None:
        """The time budget of a conversation."""
        self.budget_minutes = int(minutes)
        self.budget_label.setText(
            ngettext("budget {n} minute", "budget {n} minutes", self.budget_minutes).format(
                n=format_number(self.budget_minutes)
            )
        )
        self._refresh()

    def _toggled(self, running: bool) -> None:
        if running:
            self._clock.start()
            self._seconds = 0
            self._tick.start()
            self.button.setText(_("Stop call"))
        else:
            self._seconds = self._clock.elapsed() // 1000 if self._clock.isValid() else 0
            self._tick.stop()
            self.button.setText(_("Start call"))
        self._refresh()

    @property
    def running(self) -> bool:
        """Whether a call is being timed."""
        return self.button.isChecked()

    def seconds(self) -> int:
        """Seconds of the running or last stopped call."""
        if self.running and self._clock.isValid():
            return int(self._clock.elapsed() // 1000)
        return int(self._seconds)

    @property
    def over_budget(self) -> bool:
        """Whether the call lasts longer than the budget."""
        return self.seconds() > self.budget_minutes * 60

    def _refresh(self) -> None:
        self.display.setText(elapsed_text(self.seconds()))
        over = self.over_budget
        if bool(self.display.property("over")) != over:
            self.display.setProperty("over", over)
            repolish(self.display)
        self.display.setToolTip(_("Longer than the time budget of a conversation.") if over else "")

    def reset(self) -> None:
        """Stop and clear."""
        self.button.setChecked(False)
        self._seconds = 0
        self._refresh()


class HistoryPanel(QWidget):
    """The timeline and the form; ``history_changed`` fires after an entry was added."""

    history_changed = Signal()
    entries_shown = Signal()  # the timeline shows ``entries`` (newest first), after every load

    def __init__(
        self, runner: TaskRunner, db: Database, client_name: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.db = runner, db
        self.client_id: int | None = None
        self._client_name = client_name
        self.entries: list[InteractionDTO] = []

        self.kind = QComboBox()
        for key in INTERACTION_KINDS:
            self.kind.addItem(label(INTERACTION_KINDS, key), key)
        self.outcome = QComboBox()
        for key in OUTCOMES:
            self.outcome.addItem(label(OUTCOMES, key), key)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_("What was said or done"))
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 3 + 12)
        self.next_step = QLineEdit()
        self.next_step.setPlaceholderText(_("e.g. send the price list on Monday"))
        self.timer = CallTimer()
        self.add_button = QPushButton(_("Add to history"))
        self.add_button.setDefault(False)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_entry)

        form_group = QGroupBox(_("New entry"))
        form = QFormLayout(form_group)
        kinds = QHBoxLayout()
        kinds.addWidget(self.kind)
        kinds.addWidget(QLabel(_("Outcome:")))
        kinds.addWidget(self.outcome, 1)
        form.addRow(_("Kind:"), kinds)
        form.addRow(_("Text:"), self.text)
        form.addRow(_("Next step:"), self.next_step)
        form.addRow(_("Call timer:"), self.timer)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        form.addRow(buttons)

        self.timeline = QTextBrowser()
        self.timeline.setObjectName("timeline")
        self.timeline.setOpenLinks(False)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")
        timeline_box = QWidget()
        tl = QVBoxLayout(timeline_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.count_label)
        tl.addWidget(self.timeline, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(form_group)
        splitter.addWidget(timeline_box)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.set_client(None)

    # --- loading ----------------------------------------------------------------------------------

    def set_client(self, client_id: int | None) -> None:
        """Show the history of ``client_id`` (None: a new client, nothing to add to yet)."""
        self.client_id = client_id
        self.add_button.setEnabled(client_id is not None)
        if client_id is None:
            self.show_entries([])
            self.count_label.setText(_("Save the card first to keep a history."))
        else:
            self.reload()

    def reload(self) -> None:
        """Fetch the timeline again."""
        if self.client_id is None:
            return
        self.runner.run(
            history.list_interactions, self.db, self.client_id, on_done=guarded(self, self.show_entries)
        )

    def show_entries(self, entries: Sequence[InteractionDTO]) -> None:
        """Show ``entries`` (newest first) as a timeline."""
        self.entries = list(entries)
        self.entries_shown.emit()
        n = len(self.entries)
        self.count_label.setText(
            ngettext("{n} entry, newest first", "{n} entries, newest first", n).format(n=format_number(n))
        )
        if not self.entries:
            self.timeline.setHtml(
                "<p style='color:gray'>{}</p>".format(html.escape(_("No contacts recorded yet.")))
            )
            return
        # Right to left: every paragraph starts at the right, the client's own words (Russian, English)
        # isolated in their direction; no italics (Persian has none, and many fonts lack them).
        rtl = i18n.is_rtl()
        para = " dir='rtl'" if rtl else ""
        parts = []
        muted, link = muted_colour().name(), link_colour().name()  # readable on a light or dark window
        for e in self.entries:
            head = _("{when} · {kind}").format(
                when=datetime_text(e.occurred_at), kind=label(INTERACTION_KINDS, e.kind)
            )
            details = []
            if e.outcome:
                details.append(label(OUTCOMES, e.outcome))
            if e.duration_seconds:
                details.append(_("lasted {duration}").format(duration=elapsed_text(e.duration_seconds)))
            if e.created_by:
                details.append(_("by {who}").format(who=isolate_text(e.created_by)))
            block = f"<p{para} style='margin:0'><b>{html.escape(head)}</b>"
            if details:
                joined = html.escape(_(", ").join(details))
                block += f" <span style='color:{muted}'>— {joined}</span>"
            block += "</p>"
            if e.text:
                lines = [html.escape(isolate_text(line)) for line in e.text.split("\n")]
                block += "<p{} style='margin:2px 12px 0 12px'>{}</p>".format(para, "<br>".join(lines))
            if e.next_step:
                step = html.escape(_("Next step: {step}").format(step=isolate_text(e.next_step)))
                step = step if rtl else f"<i>{step}</i>"
                block += f"<p{para} style='margin:2px 12px 0 12px; color:{link}'>{step}</p>"
            parts.append(f"<div style='margin-bottom:10px'>{block}</div>")
        self.timeline.setHtml("<hr style='border:0'>".join(parts))

    # --- adding -----------------------------------------------------------------------------------

    def entry_input(self) -> InteractionInput:
        """The form as an input."""
        seconds = self.timer.seconds()
        return InteractionInput(
            kind=str(self.kind.currentData()),
            outcome=str(self.outcome.currentData()),
            text=self.text.toPlainText().strip(),
            next_step=self.next_step.text().strip(),
            duration_seconds=seconds or None,
        )

    def has_draft(self) -> bool:
        """Whether the form holds text not yet added."""
        return bool(self.text.toPlainText().strip() or self.next_step.text().strip() or self.timer.running)

    def add_entry(self, *, confirm_too_soon: bool = False) -> None:
        """Add the form's entry to the history (asks first when contacting too soon)."""
        if self.client_id is None:
            return
        if self.timer.running:
            self.timer.button.setChecked(False)
        data = self.entry_input()
        self.add_button.setEnabled(False)
        self.runner.run(
            history.add_interaction,
            self.db,
            self.client_id,
            data,
            confirm_too_soon=confirm_too_soon,
            on_done=guarded(self, self._added),
            on_error=guarded(self, self._failed),
        )

    def _added(self, _result: object) -> None:
        self.add_button.setEnabled(True)
        self.text.clear()
        self.next_step.clear()
        self.outcome.setCurrentIndex(0)
        self.timer.reset()
        self.reload()
        self.history_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        if isinstance(exc, TooSoonError):
            box = QMessageBox(
                QMessageBox.Icon.Question,
                _("Contact again so soon?"),
                _("You contacted {name} on {date}; contact again anyway?").format(
                    name=isolate_text(self._client_name()), date=date_text(exc.last_contact)
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            box.setObjectName("too_soon_box")
            box.setInformativeText(
                ngettext(
                    "The firm's rule is at least {n} day between contacts, so as not to pester the client.",
                    "The firm's rule is at least {n} days between contacts, so as not to pester the client.",
                    exc.gap_days,
                ).format(n=format_number(exc.gap_days))
            )
            box.setDefaultButton(QMessageBox.StandardButton.No)
            if box.exec() == QMessageBox.StandardButton.Yes:
                self.add_entry(confirm_too_soon=True)
            return
        show_error(self, exc)
