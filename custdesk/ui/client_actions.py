"""What the Client menu does: new, open, archive, restore and merge, on the list's selected rows.

Writes go through the services on the base worker; each announces a :class:`Change` on the bus so every
view reloads. Nothing goes by one click: archiving asks first, naming the client.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QTableView, QWidget

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.i18n import _
from custdesk.ui.models.client_table import ClientTableModel
from custdesk.ui.tasks import ChangeBus, TaskRunner

log = logging.getLogger("custdesk.ui.clients")


def _card_dialog_class() -> Any:
    """The card dialog, built by another part of the UI (None while it is not there)."""
    try:
        from custdesk.ui.dialogs.client_card import ClientCardDialog
    except ImportError:  # pragma: no cover - only while the card is being written
        log.warning("the client card dialog is not available")
        return None
    return ClientCardDialog


def _merge_dialog_class() -> Any:
    """The merge dialog (None while it is not there)."""
    try:
        from custdesk.ui.dialogs.merge_dialog import MergeDialog
    except ImportError:  # pragma: no cover - only while the dialog is being written
        log.warning("the merge dialog is not available")
        return None
    return MergeDialog


def display_name(row: Any) -> str:
    """How a list row names its client."""
    return str(row.name or row.organisation or _("(no name)"))


class ClientActions(QObject):
    """The Client menu's actions over the client list."""

    def __init__(
        self,
        window: QWidget,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        table: QTableView,
        model: ClientTableModel,
    ) -> None:
        super().__init__(window)
        self.window, self.runner, self.db, self.bus = window, runner, db, bus
        self.table, self.model = table, model
        # Features add to the list's context menu here (the segment actions): fn(menu, selected ids).
        self.menu_extenders: list[Any] = []

        def action(text: str, slot: Any, shortcut: Any = None, on_table: bool = False) -> QAction:
            act = QAction(text, window)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            if on_table:
                # Enter and Del belong to the list; the search box keeps its own keys.
                act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                table.addAction(act)
            else:
                window.addAction(act)
            return act

        self.act_new = action(_("&New client…"), self.new_client, QKeySequence.StandardKey.New)
        self.act_open = action(_("&Open card"), self.open_current, "Return", on_table=True)
        self.act_open.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.act_archive = action(_("&Archive…"), self.archive_current, QKeySequence.StandardKey.Delete, True)
        self.act_restore = action(_("&Restore from archive"), self.restore_current)
        self.act_merge = action(_("&Merge two clients…"), self.merge_selected)
        table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self._make_marker_actions()
        self.update_enabled()

    def fill_menu(self, menu: QMenu) -> None:
        """Put the actions in the Client menu."""
        menu.addActions([self.act_new, self.act_open])
        menu.addMenu(self.marker_menu)
        menu.addSeparator()
        menu.addActions([self.act_archive, self.act_restore, self.act_merge])

    # --- selection -----------------------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        """Make ``row`` the current and only selected row.

        Not ``QTableView.selectRow``: in a right-to-left window (Persian) it looks for the column at the
        viewport's right edge, finds none when the columns do not fill the width, and selects nothing, so
        a right-click would act on the old selection.
        """
        index = self.model.index(row, 0)
        if not index.isValid():
            return
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)

    def selected_rows(self) -> list[int]:
        """The selected rows, the current one first."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        current = self.table.currentIndex().row()
        if current in rows:
            rows.remove(current)
            rows.insert(0, current)
        return rows

    def current_row(self) -> int | None:
        """The current row when it is selected and loaded."""
        rows = self.selected_rows()
        if not rows or self.model.client_row(rows[0]) is None:
            return None
        return rows[0]

    def update_enabled(self, *_args: Any) -> None:
        """Enable what the selection allows."""
        row = self.current_row()
        data = self.model.client_row(row) if row is not None else None
        self.act_open.setEnabled(data is not None)
        self.act_archive.setEnabled(data is not None and not data.archived)
        self.act_restore.setEnabled(data is not None and data.archived)
        self.act_merge.setEnabled(len(self.selected_rows()) == 2)
        if hasattr(self, "marker_menu"):
            self.marker_menu.setEnabled(data is not None)

    # --- actions -------------------------------------------------------------------------------------

    def _open_card(self, client_id: int | None) -> None:
        dialog_class = _card_dialog_class()
        if dialog_class is None:
            QMessageBox.information(self.window, _("Client card"), _("The client card is not available yet."))
            return
        dialog = dialog_class(self.runner, self.db, self.bus, client_id, parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def new_client(self) -> None:
        """Ctrl+N: an empty card."""
        self._open_card(None)

    def open_row(self, row: int) -> None:
        """Open the card of the client at ``row``."""
        client_id = self.model.client_id(row)
        if client_id is not None:
            self._open_card(client_id)

    def open_current(self) -> None:
        """Enter: open the current client's card."""
        row = self.current_row()
        if row is not None:
            self.open_row(row)

    def archive_current(self) -> None:
        """Del: archive the current client after a confirmation that names it."""
        row = self.current_row()
        data = self.model.client_row(row) if row is not None else None
        if data is None or data.archived:
            return
        name = display_name(data)
        answer = QMessageBox.question(
            self.window,
            _("Archive client"),
            _(
                "Archive {name}?\n\nThe card leaves the working list; nothing is deleted and it can be "
                "restored from the archive."
            ).format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from custdesk.core.services import clients

        client_id = int(data.id)
        self.runner.run(
            clients.archive_client,
            self.db,
            client_id,
            on_done=lambda _card: self.bus.changed.emit(Change("client", (client_id,), ("archived",))),
        )

    def restore_current(self) -> None:
        """Bring the current archived client back to the working list."""
        row = self.current_row()
        data = self.model.client_row(row) if row is not None else None
        if data is None or not data.archived:
            return
        from custdesk.core.services import clients

        client_id = int(data.id)
        self.runner.run(
            clients.restore_client,
            self.db,
            client_id,
            on_done=lambda _card: self.bus.changed.emit(Change("client", (client_id,), ("archived",))),
        )

    def merge_selected(self) -> None:
        """Merge the two selected clients; the current one is offered as the card to keep."""
        rows = self.selected_rows()
        if len(rows) != 2:
            QMessageBox.information(
                self.window, _("Merge clients"), _("Select exactly two clients in the list to merge them.")
            )
            return
        keep_id, other_id = self.model.client_id(rows[0]), self.model.client_id(rows[1])
        if keep_id is None or other_id is None:
            return
        dialog_class = _merge_dialog_class()
        if dialog_class is None:
            QMessageBox.information(self.window, _("Merge clients"), _("Merging is not available yet."))
            return
        dialog = dialog_class(self.runner, self.db, self.bus, keep_id, other_id, parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- funnel marker by hand (context menu, Ctrl+1 … Ctrl+9) -------------------------------------------

    def _make_marker_actions(self) -> None:
        from custdesk.core.vocab import FUNNEL_MARKERS, funnel_label
        from custdesk.ui.widgets.filter_panel import funnel_icon

        self.marker_menu = QMenu(_("Set &marker"), self.window)
        self.marker_menu.setObjectName("markerMenu")
        self.marker_actions: dict[str, QAction] = {}
        for i, marker in enumerate(FUNNEL_MARKERS, start=1):
            act = QAction(funnel_icon(marker.colour, marker.letter), funnel_label(marker.key), self.window)
            act.setShortcut(QKeySequence(f"Ctrl+{i}"))
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.setStatusTip(_(marker.meaning))
            act.triggered.connect(lambda _checked=False, key=marker.key: self.set_marker(key))
            self.table.addAction(act)
            self.marker_menu.addAction(act)
            self.marker_actions[marker.key] = act
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)

    def context_menu(self) -> QMenu:
        """The list's context menu for the current selection."""
        menu = QMenu(self.table)
        menu.setObjectName("clientContextMenu")
        menu.addAction(self.act_open)
        menu.addMenu(self.marker_menu)
        menu.addSeparator()
        menu.addActions([self.act_archive, self.act_restore, self.act_merge])
        ids = [cid for cid in (self.model.client_id(r) for r in self.selected_rows()) if cid is not None]
        for extend in self.menu_extenders:
            extend(menu, ids)
        return menu

    def _show_context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in self.selected_rows():
            self.select_row(index.row())
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def set_marker(self, key: str) -> None:
        """Set the funnel marker of every selected client by hand (the card shows "set by hand")."""
        ids = [cid for cid in (self.model.client_id(r) for r in self.selected_rows()) if cid is not None]
        if not ids:
            return
        from custdesk.core.services import clients

        def set_all() -> list[int]:
            for client_id in ids:
                clients.set_funnel(self.db, client_id, key)
            return ids

        self.runner.run(
            set_all, on_done=lambda done: self.bus.changed.emit(Change("client", tuple(done), ("funnel",)))
        )
