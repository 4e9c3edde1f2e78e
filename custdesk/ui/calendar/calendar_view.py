"""The Calendar tab: Qt's month calendar beside the list of a day (or of its whole week) — calls,
campaign calls, reminders (with their time), birthdays and contract ends.

Days with something on them are bold in the month. A call dragged from the list onto another day of
the month moves there (``custdesk.core.services.calendar.move_call``); a day sooner than the minimum gap
after the client's last contact asks first, as logging a contact does.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QByteArray, QDate, QEvent, QMimeData, QObject, QPoint, Qt
from PySide6.QtGui import QDrag, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import TooSoonError
from custdesk.core.services.calendar import KINDS, CalendarEntry, entries_between, move_call
from custdesk.i18n import _
from custdesk.ui import formatting
from custdesk.ui.formatting import isolate_text
from custdesk.ui.tasks import ChangeBus, TaskRunner, show_error
from custdesk.ui.widgets.fields import date_text, qdate_to_date

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow

MIME = "application/x-custdesk-call"
EntryRole = Qt.ItemDataRole.UserRole + 20
CALENDAR_ENTITIES = frozenset({"client", "interaction", "purchase", "base"})


def to_date(value: QDate) -> date:
    return qdate_to_date(value)


class CallTree(QTreeWidget):
    """The entries; a call can be dragged onto a day of the month."""

    def startDrag(self, _actions: Any) -> None:
        item = self.currentItem()
        entry = item.data(0, EntryRole) if item is not None else None
        if not isinstance(entry, CalendarEntry) or not entry.movable:
            return
        mime = QMimeData()
        mime.setData(MIME, QByteArray(str(entry.client_id).encode()))
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction)


class CalendarView(QWidget):
    """The tab's contents."""

    def __init__(
        self, runner: TaskRunner, db: Database, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarView")
        self.runner, self.db, self.bus = runner, db, bus
        self.entries: list[CalendarEntry] = []
        self.month = QCalendarWidget()
        self.month.setObjectName("calendarMonth")
        self.month.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.month.setGridVisible(True)
        self.month.setCalendar(formatting.calendar())
        self.month.setLocale(formatting.ui_locale())
        self.month.setSelectedDate(QDate.currentDate())
        self.cells = self.month.findChild(QTableView)
        assert self.cells is not None
        self.cells.viewport().setAcceptDrops(True)
        self.cells.viewport().installEventFilter(self)
        self.mode = QComboBox()
        self.mode.setObjectName("calendarMode")
        self.mode.addItem(_("The day"), "day")
        self.mode.addItem(_("The week"), "week")
        self.title = QLabel()
        self.title.setObjectName("calendarTitle")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.tree = CallTree()
        self.tree.setObjectName("calendarEntries")
        self.tree.setHeaderLabels([_("Time"), _("What"), _("Client"), _("Note")])
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        hint = QLabel(_("Drag a call onto another day of the month to move it."))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.title, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(top)
        right_layout.addWidget(self.tree, 1)
        right_layout.addWidget(hint)
        split = QSplitter()
        split.addWidget(self.month)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)
        self.month.selectionChanged.connect(self._show_list)
        self.month.currentPageChanged.connect(lambda _y, _m: self.reload())
        self.mode.currentIndexChanged.connect(lambda _i: self._show_list())
        bus.changed.connect(self._on_change)
        self._bold: list[QDate] = []

    # --- loading ----------------------------------------------------------------------------------

    def span(self) -> tuple[date, date]:
        """The days the month page shows (six weeks around the month)."""
        shown = QDate(self.month.yearShown(), self.month.monthShown(), 1, formatting.calendar())
        first = to_date(shown) - timedelta(days=7)
        return first, first + timedelta(days=49)

    def reload(self) -> None:
        """Read the entries of the page again."""
        first, last = self.span()
        self.runner.run(entries_between, self.db, first, last, on_done=self._loaded)

    def _on_change(self, change: Change) -> None:
        if shiboken6.isValid(self) and (change.entity in CALENDAR_ENTITIES or "reminders" in change.fields):
            self.reload()

    def _loaded(self, entries: list[CalendarEntry]) -> None:
        if not shiboken6.isValid(self):
            return
        self.entries = entries
        plain = QTextCharFormat()
        for day in self._bold:
            self.month.setDateTextFormat(day, plain)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        counts: dict[date, int] = {}
        for e in entries:
            counts[e.day] = counts.get(e.day, 0) + 1
        self._bold = []
        for day, n in counts.items():
            fmt = QTextCharFormat(bold)
            fmt.setToolTip(_("Entries: {n}").format(n=formatting.format_number(n)))
            q = formatting.to_qdate(day)
            self.month.setDateTextFormat(q, fmt)
            self._bold.append(q)
        self._show_list()

    # --- the list ---------------------------------------------------------------------------------

    def days_listed(self) -> list[date]:
        """The selected day, or the days of its week."""
        chosen = to_date(self.month.selectedDate())
        if self.mode.currentData() != "week":
            return [chosen]
        first_weekday = self.month.firstDayOfWeek().value - 1  # Qt: Monday = 1
        start = chosen - timedelta(days=(chosen.weekday() - first_weekday) % 7)
        return [start + timedelta(days=n) for n in range(7)]

    def _show_list(self) -> None:
        days = self.days_listed()
        if len(days) == 1:
            self.title.setText(date_text(days[0]))
        else:
            self.title.setText(
                _("{first} – {last}").format(first=date_text(days[0]), last=date_text(days[-1]))
            )
        self.tree.clear()
        wanted = set(days)
        by_day: dict[date, list[CalendarEntry]] = {d: [] for d in days}
        for e in self.entries:
            if e.day in wanted:
                by_day[e.day].append(e)
        for day in days:
            parent: QTreeWidget | QTreeWidgetItem = self.tree
            if len(days) > 1:
                head = QTreeWidgetItem(self.tree, [date_text(day)])
                font = QFont(head.font(0))
                font.setBold(True)
                head.setFont(0, font)
                head.setFirstColumnSpanned(True)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                head.setExpanded(True)
                parent = head
            for e in by_day[day]:
                at = formatting.format_time(datetime.combine(e.day, e.at)) if e.at else ""
                item = QTreeWidgetItem(parent, [at, _(KINDS[e.kind]), isolate_text(e.name), e.text])
                item.setData(0, EntryRole, e)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if e.movable:
                    flags |= Qt.ItemFlag.ItemIsDragEnabled
                    item.setToolTip(2, _("Drag onto another day to move the call"))
                item.setFlags(flags)
        if not any(by_day.values()):
            nothing = _("Nothing on these days.") if len(days) > 1 else _("Nothing on this day.")
            empty = QTreeWidgetItem(self.tree, ["", nothing])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        for c in range(4):
            self.tree.resizeColumnToContents(c)

    # --- dropping a call on a day -------------------------------------------------------------------

    def date_at(self, pos: QPoint) -> date | None:
        """The day of the month's cell at ``pos`` (viewport coordinates), None off the days."""
        index = self.cells.indexAt(pos)
        if not index.isValid() or index.row() < 1:
            return None
        digits = [unicodedata.digit(ch) for ch in str(index.data()) if ch.isdigit()]
        if not digits:
            return None
        day_number = int("".join(str(d) for d in digits))
        shown = to_date(QDate(self.month.yearShown(), self.month.monthShown(), 1, formatting.calendar()))
        first_weekday = self.month.firstDayOfWeek().value - 1
        start = shown - timedelta(days=(shown.weekday() - first_weekday) % 7)
        for guess in (start, start - timedelta(days=7)):
            candidate = guess + timedelta(days=(index.row() - 1) * 7 + index.column())
            if formatting.calendar().partsFromDate(formatting.to_qdate(candidate)).day == day_number:
                return candidate
        return None

    def cell_of(self, day: date) -> QPoint | None:
        """The middle of ``day``'s cell in the month (viewport coordinates), None when it is not shown."""
        model = self.cells.model()
        for row in range(1, model.rowCount()):
            for col in range(model.columnCount()):
                centre = self.cells.visualRect(model.index(row, col)).center()
                if self.date_at(centre) == day:
                    return centre
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasFormat(MIME):  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif kind == QEvent.Type.Drop and event.mimeData().hasFormat(MIME):  # type: ignore[attr-defined]
            client_id = int(bytes(event.mimeData().data(MIME).data()).decode())  # type: ignore[attr-defined]
            day = self.date_at(event.position().toPoint())  # type: ignore[attr-defined]
            if day is not None:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                self.drop_call(client_id, day)
            return True
        return super().eventFilter(watched, event)

    def drop_call(self, client_id: int, day: date, *, confirmed: bool = False) -> None:
        """Move the client's call to ``day``; sooner than the minimum gap asks first."""

        def done(change: Change) -> None:
            self.bus.changed.emit(change)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            if isinstance(exc, TooSoonError):
                answer = QMessageBox.question(
                    self,
                    _("Move the call"),
                    str(exc),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                if answer == QMessageBox.StandardButton.Yes:
                    self.drop_call(client_id, day, confirmed=True)
                return
            show_error(self, exc)

        self.runner.run(
            move_call, self.db, client_id, day, confirm_too_soon=confirmed, on_done=done, on_error=failed
        )


def install(window: MainWindow) -> None:
    """The Calendar tab (View → Calendar, Ctrl+L)."""
    from PySide6.QtGui import QAction, QKeySequence

    view = CalendarView(window.runner, window.db, window.bus, window)
    window.add_tab(view, _("Calendar"))
    act = QAction(_("&Calendar"), window)
    act.setShortcut(QKeySequence("Ctrl+L"))
    act.setStatusTip(_("Calls, reminders, birthdays and contract ends by day"))
    act.triggered.connect(lambda: window.show_tab(view))
    window.addAction(act)
    window.view_menu.addAction(act)
    window.calendar_view = view  # type: ignore[attr-defined]
    view.reload()
