"""The Today tab: overdue calls, calls due today, birthdays this week and contracts to prolong.

The first thing the owner sees in the morning. Each row has its buttons, one click each: "Called…" (the
outcome and a note: logs the call and reschedules by the cycle; asks first when the minimum gap is not
met), "Snooze…" (tomorrow, next week or a day) and "Open card". From the keyboard: C, S and Enter on the
current row, or the context menu. The lists come from ``custdesk.core.services.today.due`` on the base
worker; they reload when the change bus announces a change and at midnight. The tab's title carries the
count of entries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.services import settings, today
from custdesk.core.services.today import DueEntry, DueList
from custdesk.core.validation import format_phone
from custdesk.core.vocab import FUNNEL_BY_KEY, TEMPERATURES, funnel_label, label
from custdesk.i18n import _, ngettext
from custdesk.ui import theme
from custdesk.ui.formatting import format_date, format_number, isolate_phone, isolate_text
from custdesk.ui.models.client_table import FunnelColourRole
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.today_actions import TodayRowActions
from custdesk.ui.today_dialogs import CallDialog, SnoozeDialog
from custdesk.ui.widgets.funnel_delegate import FunnelDelegate
from custdesk.ui.widgets.row_buttons import ButtonsRole, RowButtonsDelegate

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow

COLUMNS = ("client", "phone", "when", "temperature", "funnel", "actions")
COL = {key: i for i, key in enumerate(COLUMNS)}
EntryRole = int(Qt.ItemDataRole.UserRole) + 41
RELOAD_DELAY_MS = 150
WHEN_MAX_WIDTH = 330  # "When" grows to its text up to this (the buttons keep their room); longer: a tooltip
# Changes that can alter the lists.
TODAY_ENTITIES = frozenset({"client", "interaction", "purchase", "setting", "base"})
SECTION_TITLES = {
    "overdue": lambda n: ngettext("Overdue call — {n}", "Overdue calls — {n}", n),
    "today": lambda n: ngettext("Call today — {n}", "Calls today — {n}", n),
    "birthday": lambda n: ngettext("Birthday this week — {n}", "Birthdays this week — {n}", n),
    "prolongation": lambda n: ngettext("Contract to renew — {n}", "Contracts to renew — {n}", n),
}


def _empty_text(reason: str) -> str:
    return {
        "overdue": _("No overdue calls."),
        "today": _("No calls due today."),
        "birthday": _("No birthdays in the next 7 days."),
        "prolongation": _("No contract ends soon."),
    }[reason]


def when_text(e: DueEntry) -> str:
    """What the "When" column says about an entry."""
    day = format_date(e.due_on)
    if e.reason == "overdue":
        return ngettext("{date}: {n} day overdue", "{date}: {n} days overdue", -e.days).format(
            date=day, n=format_number(-e.days)
        )
    if e.reason == "today":
        if e.last_contact_at is None:
            return _("never contacted yet")
        return _("last contact {date}").format(date=format_date(e.last_contact_at.date()))
    if e.reason == "birthday":
        when = _("today") if e.days == 0 else day
        if e.age is not None and e.age > 0:
            return _("{when}: turns {age}").format(when=when, age=format_number(e.age))
        return when
    if e.contract_no:
        return ngettext(
            "contract {number} ends {date}, in {n} day",
            "contract {number} ends {date}, in {n} days",
            e.days,
        ).format(number=isolate_phone(e.contract_no), date=day, n=format_number(e.days))
    return ngettext(
        "the contract ends {date}, in {n} day", "the contract ends {date}, in {n} days", e.days
    ).format(date=day, n=format_number(e.days))


def _load(db: Database, on: date) -> tuple[DueList, str]:
    return today.due(db, on), str(settings.get(db, "phone_region"))


class TodayView(TodayRowActions, QWidget):
    """The Today tab's contents."""

    loaded = Signal(object, str)  # DueList, why it was loaded: "start" | "change" | "midnight"
    count_changed = Signal(int)
    show_all_requested = Signal(str)  # a section's reason: show all of it in the client list

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = datetime.now,
        open_card: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("todayView")
        self.runner, self.db, self.bus, self.clock = runner, db, bus, clock
        self.open_card_fn = open_card
        self.lists: DueList | None = None
        self.phone_region = "US"
        self.call_dialog: CallDialog | None = None
        self.snooze_dialog: SnoozeDialog | None = None
        self.too_soon_box: QMessageBox | None = None
        self._pending_reason = "start"
        self._when_sized = False
        self.menu_extenders: list[Callable[[QMenu, str | None, DueEntry | None], None]] = []

        self.message = QLabel()
        self.message.setObjectName("todayMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget()
        self.tree.setObjectName("todayTree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(
            [_("Client"), _("Phone"), _("When"), _("Temperature"), _("Marker"), _("Actions")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_a: self._update_actions())
        self.buttons_delegate = RowButtonsDelegate(self.tree)
        self.buttons_delegate.clicked.connect(self._button_clicked)
        self.tree.setItemDelegateForColumn(COL["actions"], self.buttons_delegate)
        self.tree.setItemDelegateForColumn(COL["funnel"], FunnelDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in {"client": 330, "phone": 140, "when": 210, "temperature": 90, "funnel": 64}.items():
            header.resizeSection(COL[key], width)
        header.setSectionResizeMode(COL["actions"], QHeaderView.ResizeMode.Stretch)
        self.sections: dict[str, QTreeWidgetItem] = {}
        for reason in today.REASONS:
            item = QTreeWidgetItem(self.tree)
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setData(0, EntryRole, None)
            self.sections[reason] = item
            item.setExpanded(True)
        for item in self.sections.values():
            item.setFirstColumnSpanned(True)

        hint = QLabel(
            _("Keys on a row: C — log call…, S — snooze…, Enter — open the card; the menu key for more.")
        )
        hint.setObjectName("todayHint")
        theme.make_hint(hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        self.message.hide()

        def action(text: str, keys: list[str], slot: Callable[[], None]) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(slot)
            self.tree.addAction(act)
            return act

        self.act_called = action(_("&Log call…"), ["C"], lambda: self.called(self.current_entry()))
        self.act_snooze = action(_("&Snooze to…"), ["S"], lambda: self.snooze(self.current_entry()))
        self.act_open = action(
            _("&Open card"), ["Return", "Enter"], lambda: self.open_card(self.current_entry())
        )

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_now)
        self.midnight_timer = QTimer(self)
        self.midnight_timer.setSingleShot(True)
        self.midnight_timer.timeout.connect(self._at_midnight)
        self.bus.changed.connect(self._on_change)
        self._arm_midnight()
        self._update_actions()

    # --- loading -------------------------------------------------------------------------------------

    def day(self) -> date:
        """The day the view is for."""
        return self.clock().date()

    def reload(self, reason: str = "change") -> None:
        """Load the lists again (soon: several changes in a row make one load)."""
        self._pending_reason = reason if self._pending_reason != "start" else "start"
        self._reload_timer.start()

    def _reload_now(self) -> None:
        reason, self._pending_reason = self._pending_reason, "change"
        self.runner.run(_load, self.db, self.day(), on_done=lambda result: self._loaded(result, reason))

    def _loaded(self, result: tuple[DueList, str], reason: str) -> None:
        if not shiboken6.isValid(self):
            return
        self.lists, self.phone_region = result
        self._fill(self.lists)
        self._size_when_column()
        self.count_changed.emit(self.lists.total)
        self.loaded.emit(self.lists, reason)

    def _on_change(self, change: Change) -> None:
        if shiboken6.isValid(self) and change.entity in TODAY_ENTITIES:
            self.reload("change")

    def _arm_midnight(self) -> None:
        now = self.clock()
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
        self.midnight_timer.start(int((midnight - now).total_seconds() * 1000) + 1000)

    def _at_midnight(self) -> None:
        self.reload("midnight")
        self._arm_midnight()

    # --- showing -------------------------------------------------------------------------------------

    def title(self) -> str:
        """The tab's title with the count of entries."""
        if self.lists is None:
            return _("Today")
        return _("Today ({count})").format(count=format_number(self.lists.total))

    def _row(self, parent: QTreeWidgetItem, e: DueEntry) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent)
        name = isolate_text(e.display_name) or _("(no name)")
        if e.kind == "organisation" and e.name and e.name != e.display_name:
            name = _("{organisation} ({person})").format(organisation=name, person=isolate_text(e.name))
        item.setText(COL["client"], name)
        item.setToolTip(COL["client"], name)  # a long organisation and contact may not fit the column
        item.setText(COL["phone"], isolate_phone(format_phone(e.phone, self.phone_region)) if e.phone else "")
        item.setText(COL["when"], when_text(e))
        item.setToolTip(COL["when"], when_text(e))
        item.setText(COL["temperature"], label(TEMPERATURES, e.temperature))
        marker = FUNNEL_BY_KEY.get(e.funnel)
        item.setText(COL["funnel"], marker.letter if marker else e.funnel)
        if marker is not None:
            item.setData(COL["funnel"], FunnelColourRole, QColor(marker.colour))
            item.setToolTip(COL["funnel"], funnel_label(e.funnel))
        if e.reason == "overdue":
            item.setForeground(COL["when"], theme.alert_colour())
        buttons = [("called", _("Log call…"))]
        if e.reason in ("overdue", "today"):
            buttons.append(("snooze", _("Snooze…")))
        buttons.append(("open", _("Open card")))
        item.setData(COL["actions"], ButtonsRole, buttons)
        item.setData(0, EntryRole, e)
        return item

    def _fill(self, lists: DueList) -> None:
        current = self.current_entry()
        self.tree.setUpdatesEnabled(False)
        try:
            for reason, section in self.sections.items():
                section.takeChildren()
                count = lists.count(reason)
                section.setText(0, SECTION_TITLES[reason](count).format(n=format_number(count)))
                entries = lists.section(reason)
                for e in entries:
                    self._row(section, e)
                if not entries:
                    note = QTreeWidgetItem(section, [_empty_text(reason)])
                    note.setForeground(0, theme.muted_colour())
                elif count > len(entries):
                    rest = format_number(count - len(entries))
                    note = QTreeWidgetItem(
                        section, [_("… and {count} more: show them in the client list").format(count=rest)]
                    )
                    note.setData(0, EntryRole, reason)
                    note.setForeground(0, theme.link_colour())
                else:
                    note = None
                if note is not None:
                    note.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    note.setFirstColumnSpanned(True)
                section.setExpanded(True)
        finally:
            self.tree.setUpdatesEnabled(True)
        if current is not None:
            self.select_client(current.client_id, current.reason)
        self._update_actions()

    def _size_when_column(self) -> None:
        """After a load: widen "When" to its longest text (longer in Russian or Finnish), up to a limit;
        it never narrows by itself (the owner's own width stays)."""
        if self.lists is None or self.lists.total == 0:
            return
        self._when_sized = True
        header = self.tree.header()
        needed = min(self.tree.sizeHintForColumn(COL["when"]), WHEN_MAX_WIDTH)
        if needed > header.sectionSize(COL["when"]):
            header.resizeSection(COL["when"], needed)

    def items(self, reason: str) -> list[QTreeWidgetItem]:
        """The rows of a section that are entries."""
        section = self.sections[reason]
        rows = [section.child(i) for i in range(section.childCount())]
        return [r for r in rows if isinstance(r.data(0, EntryRole), DueEntry)]

    def select_client(self, client_id: int, reason: str | None = None) -> bool:
        """Make the client's row (in ``reason``'s section, or the first found) current."""
        for key in [reason] if reason else list(self.sections):
            for item in self.items(key):
                if item.data(0, EntryRole).client_id == client_id:
                    self.tree.setCurrentItem(item)
                    return True
        return False

    def current_entry(self) -> DueEntry | None:
        """The entry of the current row (None on a section title)."""
        item = self.tree.currentItem()
        value = item.data(0, EntryRole) if item is not None else None
        return value if isinstance(value, DueEntry) else None

    def _update_actions(self) -> None:
        e = self.current_entry()
        self.act_called.setEnabled(e is not None)
        self.act_open.setEnabled(e is not None)
        self.act_snooze.setEnabled(e is not None and e.reason in ("overdue", "today"))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, EntryRole)
        if isinstance(value, DueEntry):
            self.open_card(value)
        elif isinstance(value, str):
            self.show_all_requested.emit(value)

    def _button_clicked(self, key: str, index: QModelIndex) -> None:
        item = self.tree.itemFromIndex(index)
        entry = item.data(0, EntryRole) if item is not None else None
        if not isinstance(entry, DueEntry):
            return
        self.tree.setCurrentItem(item)
        {"called": self.called, "snooze": self.snooze, "open": self.open_card}[key](entry)

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu_at(pos)
        if menu is not None:
            menu.popup(self.tree.viewport().mapToGlobal(pos))

    def context_menu_at(self, pos: QPoint) -> QMenu | None:
        """The menu of the row at ``pos`` (None: nothing to offer); features add to it through
        ``menu_extenders`` (fn(menu, section reason, entry or None))."""
        item = self.tree.itemAt(pos)
        if item is not None:
            self.tree.setCurrentItem(item)
        entry = self.current_entry()
        section = next((r for r, s in self.sections.items() if s is item), None)
        if entry is None and section is None:
            return None
        menu = QMenu(self)
        if entry is not None:
            menu.addActions([self.act_called, self.act_snooze, self.act_open])
            section = entry.reason
        for extend in self.menu_extenders:
            extend(menu, section, entry)
        return menu if not menu.isEmpty() else None

    def show_message(self, text: str) -> None:
        """A line above the lists saying what the last action did."""
        self.message.setText(text)
        self.message.show()


def install(window: MainWindow) -> None:
    """Add the Today tab beside the client list (View → Today, Ctrl+T) and start the notifications."""
    from custdesk.ui import notifications

    view = TodayView(window.runner, window.db, window.bus, window)
    index = window.add_tab(view, view.title())
    window.tabs.tabBar().moveTab(index, 1)

    def retitle(_count: int) -> None:
        i = window.tabs.indexOf(view)
        if i >= 0 and view.lists is not None:
            window.tabs.setTabText(i, view.title())
            lists = view.lists
            window.tabs.setTabToolTip(
                i,
                _(
                    "{overdue} overdue, {today} today, {birthdays} birthdays this week, "
                    "{contracts} contracts to renew"
                ).format(
                    overdue=format_number(lists.overdue_count),
                    today=format_number(lists.today_count),
                    birthdays=format_number(lists.birthday_count),
                    contracts=format_number(lists.prolongation_count),
                ),
            )

    def show_all(reason: str) -> None:
        window.filters.clear()
        if reason == "overdue":
            window.filters.overdue_check.setChecked(True)
        window.show_client_list()

    view.count_changed.connect(retitle)
    view.show_all_requested.connect(show_all)
    act = QAction(_("&Today"), window)
    act.setShortcut(QKeySequence("Ctrl+T"))
    act.setStatusTip(_("Calls, birthdays and contracts due"))
    act.triggered.connect(lambda: window.show_tab(view))
    window.addAction(act)
    window.view_menu.insertAction(window.view_menu.actions()[0], act)
    window.today_view = view  # type: ignore[attr-defined]
    window.today_notifier = notifications.install(window, view)  # type: ignore[attr-defined]
    view.reload("start")


def show_at_start(window: MainWindow) -> None:
    """Bring the Today tab to the front: the session calls this after showing a window it opened (the
    first thing the owner sees); windows built by tests and tools keep the client list in front."""
    view = getattr(window, "today_view", None)
    if isinstance(view, TodayView):
        window.show_tab(view)
