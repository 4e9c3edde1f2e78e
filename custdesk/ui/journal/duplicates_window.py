"""Base > Find duplicates: the whole base scanned off the GUI thread, groups best first with why.

Each group opens the merge dialog (a choice per field) for its first two cards; a group of more is
merged pair by pair, the scan running again after each merge. "Not duplicates" remembers the group's
cards as different clients, so they are not offered again.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.services.duplicate_scan import DuplicateGroup, mark_not_duplicates, scan
from custdesk.i18n import N_, _
from custdesk.ui import formatting
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.theme import fit_to_screen


class DuplicatesWindow(QDialog):
    """Likely duplicates of the whole base; Merge… and Not duplicates per group."""

    COLUMNS = (N_("Score"), N_("Clients"), N_("Why"))

    def __init__(
        self, runner: TaskRunner, db: Database, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus = runner, db, bus
        self.groups: list[DuplicateGroup] = []
        self.is_loaded = False
        self.setWindowTitle(_("Find duplicates"))
        fit_to_screen(self, 1000, 620)

        self.intro = QLabel(_("Looking for duplicates…"))
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("duplicatesTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.merge_selected())

        self.merge_button = QPushButton(_("&Merge…"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.merge_selected)
        self.not_button = QPushButton(_("&Not duplicates"))
        self.not_button.setObjectName("notDuplicatesButton")
        self.not_button.clicked.connect(self.not_duplicates)
        self.rescan_button = QPushButton(_("Scan &again"))
        self.rescan_button.clicked.connect(self.rescan)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in (self.merge_button, self.not_button, self.rescan_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self._update_buttons()
        self.rescan()

    def rescan(self) -> None:
        """Scan the whole base on the base worker (a progress dialog with Cancel if it lasts)."""
        self.is_loaded = False
        self.intro.setText(_("Looking for duplicates…"))
        self.runner.run(
            scan,
            self.db,
            on_done=self._show,
            label=_("Looking for duplicates in the whole base…"),
            with_progress=True,
        )

    def _show(self, groups: list[DuplicateGroup]) -> None:
        if not shiboken6.isValid(self.table):  # closed while the base worker answered
            return
        self.groups = groups
        self.table.setRowCount(len(groups))
        for row, g in enumerate(groups):
            names = "\n".join(
                _("{name} (number {id})").format(name=n or _("(no name)"), id=formatting.format_number(i))
                for i, n in zip(g.ids, g.names, strict=True)
            )
            why = g.reason_text()
            if g.marked:
                why = _("{reasons} — marked by an import").format(reasons=why)
            for col, text in enumerate((formatting.format_number(g.score), names, why)):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.intro.setText(
            _("Groups of cards that look like one client, the likeliest first: {count}.").format(
                count=formatting.format_number(len(groups))
            )
            if groups
            else _("No likely duplicates found.")
        )
        self.is_loaded = True
        if groups:
            self.select_row(0)
        self._update_buttons()

    def select_row(self, row: int) -> None:
        """Make ``row`` the selected one (``selectRow`` selects nothing in a right-to-left window)."""
        index = self.table.model().index(row, 0)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)

    def selected(self) -> DuplicateGroup | None:
        """The selected group."""
        rows = {i.row() for i in self.table.selectedItems()}
        return self.groups[min(rows)] if rows and min(rows) < len(self.groups) else None

    def _update_buttons(self) -> None:
        group = self.selected()
        self.merge_button.setEnabled(group is not None)
        self.not_button.setEnabled(group is not None)

    def merge_selected(self) -> Any:
        """Open the merge dialog for the group's first two cards; scan again after the merge."""
        from custdesk.ui.dialogs.merge_dialog import MergeDialog

        group = self.selected()
        if group is None:
            return None
        dialog = MergeDialog(self.runner, self.db, self.bus, group.ids[0], group.ids[1], parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.merged.connect(lambda _keep: self.rescan())
        dialog.open()
        return dialog

    def not_duplicates(self) -> None:
        """Remember the group's cards as different clients; the group leaves the list."""
        group = self.selected()
        if group is None:
            return

        def done(change: Any) -> None:
            self.bus.changed.emit(change)
            if not shiboken6.isValid(self.table):
                return
            row = self.groups.index(group)
            self.groups.pop(row)
            self.table.removeRow(row)
            self._update_buttons()

        self.runner.run(mark_not_duplicates, self.db, group.ids, on_done=done)
