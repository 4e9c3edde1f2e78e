"""The main window: the client list with its search box, filters dock, menus, toolbar and status bar.

Wiring only. The list is :class:`ClientTableModel`; what the client actions do lives in
:mod:`custdesk.ui.client_actions`; opening, switching, backing up and restoring bases belong to the
session (:mod:`custdesk.ui.session`), which the window asks through its ``*_requested`` signals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QStyle,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)

from custdesk import APP_NAME
from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.fields import FieldSpec
from custdesk.core.services import client_list, custom_fields, settings
from custdesk.i18n import _, ngettext
from custdesk.ui.client_actions import ClientActions
from custdesk.ui.features import install_features
from custdesk.ui.formatting import format_number
from custdesk.ui.models.client_table import COLUMN_INDEX, ClientTableModel
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.theme import fit_to_screen
from custdesk.ui.widgets.filter_panel import FilterPanel
from custdesk.ui.widgets.funnel_delegate import FunnelDelegate

SEARCH_DELAY_MS = 150
DEFAULT_WIDTHS = {
    "name": 190,
    "organisation": 150,
    "phone": 128,
    "city": 112,
    "funnel": 54,
    "temperature": 84,
    "next_call": 82,
    "last_purchase": 96,
    "revenue": 110,
}
# Changes that can alter which clients the list shows, or what a row says.
LIST_ENTITIES = frozenset({"client", "purchase", "interaction", "base", "setting"})


def header_text_width(header: QHeaderView, section: int) -> int:
    """The width a column needs to show its header's text whole: the text in the header's font, the
    style's margins and the room of the sort indicator (drawn beside the text of the sorted column)."""
    text = str(header.model().headerData(section, header.orientation()) or "")
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    mark = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    measured = header.fontMetrics().horizontalAdvance(text) + 3 * margin + mark + 4
    return max(measured, header.sectionSizeHint(section))


class MainWindow(QMainWindow):
    """The owner's daily screen over one open base."""

    new_base_requested = Signal()
    open_base_requested = Signal()
    open_demo_requested = Signal()
    open_path_requested = Signal(str)
    backup_requested = Signal()
    restore_requested = Signal()
    settings_requested = Signal()
    fields_requested = Signal()
    closing = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        state: QSettings,
        *,
        firm: dict[str, Any] | None = None,
        recent: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        firm = firm or {}
        self.runner, self.db, self.bus, self.state = runner, db, bus, state
        self.recent = recent or []
        self.setObjectName("mainWindow")
        self._closed = False
        self.setWindowTitle(_("{base} — {app}").format(base=db.path.name, app=APP_NAME))
        fit_to_screen(self, 1200, 720)

        self.model = ClientTableModel(
            runner,
            db,
            currency=str(firm.get("currency", "USD")),
            phone_region=str(firm.get("phone_region", "US")),
            parent=self,
        )
        self.table = self._make_table()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.table, _("Clients"))
        self.setCentralWidget(self.tabs)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        # A short placeholder (it must fit in every language); what is searched, in the tooltip.
        self.search.setPlaceholderText(_("Search clients (Ctrl+F)"))
        self.search.setToolTip(_("Search by name, organisation, phone, e-mail, city or notes"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.setMaximumWidth(420)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._focus_list)

        self.filters = FilterPanel()
        self.filters.changed.connect(self._apply_filters)
        self.filters.region_chosen.connect(self._load_cities)
        from PySide6.QtWidgets import QDockWidget

        self.filters_dock = QDockWidget(_("Filters"), self)
        self.filters_dock.setObjectName("filtersDock")
        self.filters_dock.setWidget(self.filters)
        self.filters_dock.setMinimumWidth(250)
        self.filters_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.filters_dock)
        self.filters_dock.hide()

        self.clients = ClientActions(self, runner, db, bus, self.table, self.model)
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()

        self.model.countsChanged.connect(self._show_counts)
        self.model.loaded.connect(self.clients.update_enabled)
        self.model.loaded.connect(self._fit_amounts)
        self.table.selectionModel().selectionChanged.connect(self.clients.update_enabled)
        self.bus.changed.connect(self._on_change)
        self.model.customColumnsChanged.connect(self._fit_custom_columns)
        self._load_custom_fields()  # the firm's own list columns and filter
        self._amounts_fitted = False
        self._restore_state()
        self.model.set_query(self.model.query)
        self._load_places()
        install_features(self)

    # --- building ------------------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("clientTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setSortingEnabled(True)
        table.setItemDelegateForColumn(COLUMN_INDEX["funnel"], FunnelDelegate(table))
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(COLUMN_INDEX["name"], Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in DEFAULT_WIDTHS.items():  # at least the header's words, in any language
            header.resizeSection(COLUMN_INDEX[key], max(width, header_text_width(header, COLUMN_INDEX[key])))
        # The organisation takes the room the window has to spare (or gives it back when the filters show).
        header.setMinimumSectionSize(48)
        header.setSectionResizeMode(COLUMN_INDEX["organisation"], QHeaderView.ResizeMode.Stretch)
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
        return table

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.act_new_base = a(_("&New base…"), self.new_base_requested.emit)
        self.act_open_base = a(_("&Open base…"), self.open_base_requested.emit, QKeySequence.StandardKey.Open)
        self.act_open_demo = a(_("Open the &demo base"), self.open_demo_requested.emit)
        self.act_backup = a(
            _("&Back up now"), self.backup_requested.emit, tip=_("Copy the base to its backups")
        )
        self.act_restore = a(_("&Restore from a backup…"), self.restore_requested.emit)
        self.act_settings = a(_("Firm &settings…"), self.settings_requested.emit)
        self.act_fields = a(_("Own &fields…"), self.fields_requested.emit)
        self.act_quit = a(_("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.act_focus_search = a(_("&Find…"), self.focus_search, QKeySequence.StandardKey.Find)
        self.act_toggle_filters = self.filters_dock.toggleViewAction()
        self.act_toggle_filters.setText(_("&Filters panel"))
        self.act_toggle_filters.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.act_show_archived = a(_("Show &archived clients"), self._toggle_archived)
        self.act_show_archived.setCheckable(True)
        self.act_refresh = a(_("&Refresh"), self.model.refresh, QKeySequence.StandardKey.Refresh)
        self.addActions([self.act_focus_search, self.act_refresh])

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.setObjectName("fileMenu")
        file_menu.addActions([self.act_new_base, self.act_open_base, self.act_open_demo])
        self.recent_menu = QMenu(_("Recent &bases"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.act_backup, self.act_restore])
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        file_menu.addAction(self.act_fields)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.file_menu = file_menu

        client_menu = bar.addMenu(_("&Client"))
        client_menu.setObjectName("clientMenu")
        self.clients.fill_menu(client_menu)
        self.client_menu = client_menu

        view_menu = bar.addMenu(_("&View"))
        view_menu.setObjectName("viewMenu")
        view_menu.addActions([self.act_focus_search, self.act_toggle_filters, self.act_show_archived])
        view_menu.addSeparator()
        view_menu.addAction(self.act_refresh)
        self.view_menu = view_menu

    def _make_toolbar(self) -> None:
        bar = QToolBar(_("Main toolbar"), self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.clients.act_new)
        bar.addAction(self.clients.act_open)
        bar.addAction(self.clients.act_archive)
        bar.addSeparator()
        bar.addAction(self.act_toggle_filters)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(self.search)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar

    def _make_status_bar(self) -> None:
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.path_label = QLabel(str(self.db.path))
        self.path_label.setObjectName("pathLabel")
        self.path_label.setToolTip(_("The open base"))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.path_label)

    # --- extension points for features (see custdesk.ui.features) ----------------------------------

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a main tab after the client list; returns its index."""
        return self.tabs.addTab(widget, title)

    def show_tab(self, widget: QWidget) -> None:
        """Bring a main tab to the front."""
        self.tabs.setCurrentWidget(widget)

    def show_client_list(self) -> None:
        """Bring the client list to the front."""
        self.tabs.setCurrentWidget(self.table)

    # --- state ---------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.state.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        window_state = self.state.value("mainWindow/state")
        if isinstance(window_state, QByteArray | bytes):
            self.restoreState(QByteArray(window_state))
        header_state = self.state.value("clientTable/header")
        if isinstance(header_state, QByteArray | bytes):
            header = self.table.horizontalHeader()
            header.restoreState(QByteArray(header_state))
            self._amounts_fitted = True  # the owner's own widths win
            # The sort order is the query's business: start sorted by name.
            header.setSortIndicator(COLUMN_INDEX["name"], Qt.SortOrder.AscendingOrder)

    def _fit_amounts(self) -> None:
        """Widen the revenue column, once, to the widest amount of the first rows shown.

        Amounts run long in some currencies (rials: "۵۸٬۹۳۰٬۹۲۹ ریال") and a cut amount is worse than
        none. Only on a first start: widths the owner set are restored and left alone.
        """
        if self._amounts_fitted or not self.model.rowCount():
            return
        self._amounts_fitted = True
        column = COLUMN_INDEX["revenue"]
        metrics = self.table.fontMetrics()
        rows = range(min(self.model.rowCount(), 200))
        texts = [str(self.model.data(self.model.index(row, column)) or "") for row in rows]
        margin = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table)
        needed = max((metrics.horizontalAdvance(text) for text in texts), default=0) + 2 * margin + 12
        header = self.table.horizontalHeader()
        if needed > header.sectionSize(column):
            header.resizeSection(column, min(needed, 3 * DEFAULT_WIDTHS["revenue"]))

    def _load_custom_fields(self) -> None:
        self.runner.run(custom_fields.list_fields, self.db, on_done=self._alive(self._custom_fields_read))

    def _custom_fields_read(self, specs: list[FieldSpec]) -> None:
        self.model.set_custom_fields(specs)
        self.filters.set_custom_fields(specs)

    def _fit_custom_columns(self) -> None:
        """The firm's own columns are as wide as their headers (at least a short value's width)."""
        header = self.table.horizontalHeader()
        for index in range(len(COLUMN_INDEX), self.model.columnCount()):
            header.resizeSection(index, max(90, header_text_width(header, index)))

    def save_state(self) -> None:
        """Remember geometry, docks and the list's column order and widths."""
        self.state.setValue("mainWindow/geometry", self.saveGeometry())
        self.state.setValue("mainWindow/state", self.saveState())
        self.state.setValue("clientTable/header", self.table.horizontalHeader().saveState())
        self.state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.save_state()
            self.bus.changed.disconnect(self._on_change)
            self.closing.emit()
        super().closeEvent(event)

    # --- slots ---------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F: to the search box, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self._apply_search()
            return
        super().keyPressEvent(event)

    def _focus_list(self) -> None:
        self._apply_search()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.clients.select_row(0)

    def _apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        if text != self.model.query.search:
            self.model.update_query(search=text)

    def _apply_filters(self, values: dict[str, Any]) -> None:
        self.act_show_archived.setChecked(values.get("archived") != "active")
        self.model.update_query(**values)

    def _toggle_archived(self, checked: bool) -> None:
        self.filters.set_archived("all" if checked else "active")

    def _show_counts(self, shown: int, total: int) -> None:
        text = ngettext("{shown} of {total} client", "{shown} of {total} clients", total).format(
            shown=format_number(shown), total=format_number(total)
        )
        self.count_label.setText(text)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = [p for p in self.recent if Path(p) != self.db.path]
        if not paths:
            empty = self.recent_menu.addAction(_("No other bases yet"))
            empty.setEnabled(False)
            return
        for i, path in enumerate(paths[:9], start=1):
            action = self.recent_menu.addAction(f"&{i}  {path}")
            action.triggered.connect(lambda _checked=False, p=path: self.open_path_requested.emit(p))

    def _alive(self, fn: Any) -> Any:
        """``fn`` that does nothing once this window is gone (a result may arrive after it closed)."""

        def call(value: Any) -> None:
            if shiboken6.isValid(self) and not self._closed:
                fn(value)

        return call

    def _load_places(self) -> None:
        self.runner.run(client_list.regions, self.db, on_done=self._alive(self.filters.set_regions))
        self._load_cities(self.filters.region_combo.currentData())

    def _load_cities(self, region: str | None) -> None:
        self.runner.run(client_list.cities, self.db, region, on_done=self._alive(self.filters.set_cities))

    def _apply_firm(self, firm: dict[str, Any]) -> None:
        self.model.currency = str(firm.get("currency", self.model.currency))
        self.model.phone_region = str(firm.get("phone_region", self.model.phone_region))
        self.model.refresh()

    def _on_change(self, change: Change) -> None:
        if change.entity == "custom_field":
            self._load_custom_fields()
        if change.entity == "setting":
            self.runner.run(settings.get_all, self.db, on_done=self._alive(self._apply_firm))
        elif change.entity in LIST_ENTITIES:
            self.model.refresh()
        if change.entity in ("client", "base"):
            self._load_places()
