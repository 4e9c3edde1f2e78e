"""The journal window: who changed what, filtered by client, person, kind and days; any action undone.

Base > Journal shows the whole base's journal; Client > History of changes one card's. Each line is one
entry with its field's old and new value. Undo takes back the whole action the selected entry belongs to
(every field of one save, a merge, an import), after a confirmation; when the service asks (a field has
changed since) or offers part of it (later work blocks the rest), the window asks again with its words.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.services import journal
from custdesk.core.validation import field_label
from custdesk.i18n import N_, _
from custdesk.ui import formatting
from custdesk.ui.tasks import ChangeBus, TaskRunner, show_error
from custdesk.ui.theme import fit_to_screen
from custdesk.ui.widgets.fields import date_edit, qdate_to_date

KIND_LABELS = {
    "edit": N_("Edit"),
    "marker": N_("Marker"),
    "merge": N_("Merged"),
    "import": N_("Import"),
    "export": N_("Export"),
    "print": N_("Print"),
    "archive": N_("Archived"),
    "restore": N_("Restored"),
    "undo": N_("Undone"),
}
_FIRST_DAY = QDate(2000, 1, 1)
_LONG = 120  # characters of a value shown in the table (the tooltip has it whole)


def kind_label(kind: str) -> str:
    """A journal kind in the interface language."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _value(text: str | None) -> str:
    value = (text or "").replace("\n", " ")
    return value if len(value) <= _LONG else value[: _LONG - 1] + "…"


def change_texts(e: journal.JournalEntry) -> tuple[str, str, str]:
    """The field, the old and the new value of an entry as the table shows them (snapshots in words)."""
    from custdesk.core.vocab import funnel_label

    if e.kind == "marker":
        return "", funnel_label(e.old or ""), funnel_label(e.new or "")
    if e.action in ("archive", "restore"):
        words = {True: _("in the archive"), False: _("in the working list")}
        return "", words[e.action == "restore"], words[e.action == "archive"]
    if e.action == "create" and e.entity == "client":
        return "", "", _("card created")
    if e.action == "merge":
        if e.field == "merged_into":
            return "", _("a card of its own"), _("merged into the card number {id}").format(id=e.new)
        return "", _("the card before the merge"), _("the merged card")
    if e.action == "import":
        try:
            summary = json.loads(e.new or "{}")
            text = _("new: {created}, updated: {updated}, left out: {skipped}").format(
                created=summary.get("created", 0),
                updated=summary.get("updated", 0),
                skipped=summary.get("skipped", 0),
            )
        except (ValueError, AttributeError):
            text = _value(e.new)
        return "", "", text
    if e.action == "undo":
        return "", "", _("takes back journal entry {id}").format(id=e.undoes)
    if e.entity != "client" and e.action == "create":
        return "", "", _value(e.new)
    return (field_label(e.field) if e.entity == "client" else e.field), _value(e.old), _value(e.new)


class JournalWindow(QDialog):
    """The journal, filtered; an Undo button for the selected entry's action."""

    COLUMNS = (
        N_("Entry"),
        N_("When"),
        N_("Who"),
        N_("Kind"),
        N_("Client"),
        N_("Field"),
        N_("Was"),
        N_("Now"),
    )

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        client_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus = runner, db, bus
        self.entries: list[journal.JournalEntry] = []
        self.setWindowTitle(_("History of changes") if client_id else _("Journal"))
        fit_to_screen(self, 1100, 640)

        self.client = QSpinBox()
        self.client.setRange(0, 2_000_000_000)
        self.client.setSpecialValueText(_("all clients"))
        self.client.setValue(client_id or 0)
        self.who = QComboBox()
        self.who.addItem(_("everyone"), "")
        self.kind = QComboBox()
        self.kind.addItem(_("all kinds"), "")
        for key in journal.KINDS:
            self.kind.addItem(kind_label(key), key)
        self.since, self.until = self._day_edit(), self._day_edit()
        filters = QHBoxLayout()
        for text, widget in (
            (_("Client number:"), self.client),
            (_("Who:"), self.who),
            (_("Kind:"), self.kind),
            (_("From:"), self.since),
            (_("To:"), self.until),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("journalTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.status = QLabel()
        self.status.setObjectName("journalStatus")
        self.status.setWordWrap(True)
        self.undo_button = QPushButton(_("&Undo…"))
        self.undo_button.setObjectName("undoButton")
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        for signal in (
            self.client.valueChanged,
            self.who.currentIndexChanged,
            self.kind.currentIndexChanged,
            self.since.dateChanged,
            self.until.dateChanged,
        ):
            signal.connect(self.reload)
        self.is_loaded = False
        self.last_message = ""  # what the last undo said, kept above the count
        self.runner.run(journal.people, db, on_done=self._people)
        self.reload()
        self._update_buttons()

    def _day_edit(self) -> QDateEdit:
        edit = date_edit()
        edit.setMinimumDate(_FIRST_DAY)
        edit.setSpecialValueText(_("any day"))
        edit.setDate(_FIRST_DAY)
        return edit

    @staticmethod
    def _day(edit: QDateEdit) -> date | None:
        value = edit.date()
        return None if value == _FIRST_DAY else qdate_to_date(value)

    def _people(self, people: list[str]) -> None:
        if not shiboken6.isValid(self.table):  # closed while the base worker answered
            return
        for name in people:
            self.who.addItem(name, name)

    def filters(self) -> dict[str, Any]:
        """The filters as :func:`journal.list_entries` takes them."""
        kind = self.kind.currentData()
        return {
            "client_id": self.client.value() or None,
            "who": self.who.currentData() or None,
            "kinds": (kind,) if kind else (),
            "since": self._day(self.since),
            "until": self._day(self.until),
        }

    def reload(self, *_args: Any) -> None:
        """Read the entries again with the filters shown (on the base worker)."""
        self.runner.run(journal.list_entries, self.db, **self.filters(), on_done=self._show)

    def _show(self, entries: list[journal.JournalEntry]) -> None:
        if not shiboken6.isValid(self.table):  # closed while the base worker answered
            return
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            client = e.client_name or (str(e.client_id) if e.client_id else "")
            field, old, new = change_texts(e)
            cells = [
                formatting.format_number(e.id),
                formatting.format_datetime(e.at),
                e.who,
                kind_label(e.kind),
                client,
                field,
                old,
                new,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 6:
                    item.setToolTip((e.old if col == 6 else e.new) or "")
                if e.undone_by is not None:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, col, item)
        self.is_loaded = True
        shown = (
            _("Entries shown: {count}.").format(count=formatting.format_number(len(entries)))
            if entries
            else _("No journal entries match.")
        )
        self.status.setText(f"{self.last_message}\n{shown}" if self.last_message else shown)
        self._update_buttons()

    def select_row(self, row: int) -> None:
        """Make ``row`` the selected one (``selectRow`` selects nothing in a right-to-left window)."""
        index = self.table.model().index(row, 0)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)

    def selected(self) -> journal.JournalEntry | None:
        """The selected entry."""
        rows = {i.row() for i in self.table.selectedItems()}
        return self.entries[min(rows)] if rows and min(rows) < len(self.entries) else None

    def _update_buttons(self) -> None:
        entry = self.selected()
        self.undo_button.setEnabled(entry is not None and entry.undone_by is None)

    # --- undo ------------------------------------------------------------------------------------------

    def undo_selected(self) -> None:
        """Ask, then undo the selected entry's action."""
        entry = self.selected()
        if entry is None:
            return
        text = _(
            "Undo the action of journal entry {id} ({kind}, {when})? It is undone as a new entry."
        ).format(id=entry.id, kind=kind_label(entry.kind), when=formatting.format_datetime(entry.at))
        self._ask(text, lambda: self._undo(entry.id))

    def _ask(self, text: str, then: Any, yes: str | None = None) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), text, parent=self)
        box.setObjectName("undoQuestion")
        ok = box.addButton(yes or _("Yes, undo"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: then() if button is ok else None)
        box.open()
        return box

    def _undo(self, entry_id: int, **options: bool) -> None:
        self.runner.run(
            journal.undo,
            self.db,
            entry_id,
            **options,
            on_done=self._undone,
            on_error=lambda exc: self._refused(entry_id, exc, options),
            label=_("Undoing…"),
        )

    def _refused(self, entry_id: int, exc: BaseException, options: dict[str, bool]) -> None:
        if not shiboken6.isValid(self.table):  # closed while the base worker answered
            return
        if isinstance(exc, journal.UndoNeedsConfirmation):
            self._ask(str(exc), lambda: self._undo(entry_id, **options, force=True), _("Undo anyway"))
        elif isinstance(exc, journal.UndoBlocked):
            self._ask(str(exc), lambda: self._undo(entry_id, **options, partial=True), _("Undo the rest"))
        else:
            show_error(self, exc)

    def _undone(self, result: journal.UndoResult) -> None:
        self.bus.changed.emit(result.change())
        if not shiboken6.isValid(self.table):  # closed while the base worker answered
            return
        self.last_message = result.message
        self.reload()
