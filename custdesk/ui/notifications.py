"""Tell the owner that calls are due: when the app starts, and when calls fall due while it runs.

Calls fall due by the day (``next_call_on`` is a date), so "while it runs" means the Today view's
midnight reload. Where the platform has a system tray (``QSystemTrayIcon.isSystemTrayAvailable()``) the
notice is a tray message; clicking it brings the Today tab to the front. Elsewhere it is a closable bar
above the main tabs with a "Show Today" button. While the bar is shown it follows every change (a call
logged, a call moved): it says what Today says, and goes away when nothing is left to do. Its colours
follow the window's light or dark scheme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from custdesk import APP_NAME
from custdesk.core.services.today import DueList
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import format_number
from custdesk.ui.theme import is_dark, notice_colours, scheme_changed

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.today_view import TodayView

NOTIFY_ON = frozenset({"start", "midnight"})


def due_message(lists: DueList) -> str:
    """The notice for ``lists`` (empty when nothing calls for one)."""
    parts = []
    if lists.calls_count:
        if lists.overdue_count:
            parts.append(
                ngettext(
                    "{count} call to make today, {overdue} of them overdue.",
                    "{count} calls to make today, {overdue} of them overdue.",
                    lists.calls_count,
                ).format(count=format_number(lists.calls_count), overdue=format_number(lists.overdue_count))
            )
        else:
            parts.append(
                ngettext(
                    "{count} call to make today.", "{count} calls to make today.", lists.calls_count
                ).format(count=format_number(lists.calls_count))
            )
    birthdays = len(lists.birthdays_today)
    if birthdays:
        parts.append(
            ngettext("{count} birthday today.", "{count} birthdays today.", birthdays).format(
                count=format_number(birthdays)
            )
        )
    return " ".join(parts)


class NotificationBanner(QFrame):
    """A closable bar with a message and a "Show Today" button."""

    show_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._colour()
        scheme_changed().connect(self._colour)
        self.label = QLabel()
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        self.show_button = QPushButton(_("Show &Today"))
        self.show_button.setObjectName("bannerShowToday")
        self.show_button.clicked.connect(self.show_requested.emit)
        self.show_button.clicked.connect(self.hide)
        self.close_button = QToolButton()
        self.close_button.setObjectName("bannerClose")
        self.close_button.setText("✕")
        self.close_button.setToolTip(_("Close this notice"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.show_button)
        layout.addWidget(self.close_button)

    def _colour(self) -> None:
        dark = is_dark()  # the application's palette: our own style sheet changes this widget's
        if dark == getattr(self, "_dark", None):
            return
        self._dark = dark
        c = notice_colours(dark)
        self.setStyleSheet(
            f"#notificationBanner {{ background: {c.background}; border: 1px solid {c.border};"
            f" border-radius: 4px; }} #notificationBanner QLabel {{ color: {c.text}; }}"
        )

    def show_text(self, text: str) -> None:
        """Show the bar with ``text``."""
        self.label.setText(text)
        self.show()


class Notifier(QObject):
    """Turns the Today view's loads at start and at midnight into a tray message or a banner."""

    notified = Signal(str)

    def __init__(self, window: MainWindow, view: TodayView, *, use_tray: bool | None = None) -> None:
        super().__init__(window)
        self.window, self.view = window, view
        self.use_tray = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.tray: QSystemTrayIcon | None = None
        self.banner: NotificationBanner | None = None
        self.last_message = ""
        view.loaded.connect(self._loaded)
        if not self.use_tray:
            # Made now, hidden, while the window is built: made later, moving the tabs into the holder
            # would hide them (and take the focus from the list or the search box) until Qt shows them
            # again on its next pass.
            self._banner()

    def _loaded(self, lists: DueList, reason: str) -> None:
        if reason not in NOTIFY_ON:
            self._follow(lists)
            return
        text = due_message(lists)
        if text:
            self.notify(text)

    def notify(self, text: str) -> None:
        """Show ``text`` in the tray or in the banner."""
        self.last_message = text
        if self.use_tray:
            tray = self._tray()
            tray.showMessage(_("{app}: today").format(app=APP_NAME), text, tray.icon(), 15000)
        else:
            self._banner().show_text(text)
        self.notified.emit(text)

    def _follow(self, lists: DueList) -> None:
        """After a change: the bar, while shown, says what Today says now (and goes when nothing is due).
        A bar the owner closed stays closed; the tray's message is not repeated."""
        if self.banner is None or not self.banner.isVisible():
            return
        text = due_message(lists)
        self.last_message = text
        if text:
            self.banner.label.setText(text)
        else:
            self.banner.hide()

    def show_today(self) -> None:
        """Bring the window and its Today tab to the front."""
        if not shiboken6.isValid(self.window):
            return
        self.window.show_tab(self.view)
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def _tray(self) -> QSystemTrayIcon:
        if self.tray is None:
            icon = self.window.windowIcon()
            if icon.isNull():
                icon = self.window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(QIcon(icon), self)
            self.tray.setToolTip(APP_NAME)
            self.tray.messageClicked.connect(self.show_today)
            self.tray.activated.connect(lambda _reason: self.show_today())
            self.tray.show()
        return self.tray

    def _banner(self) -> NotificationBanner:
        if self.banner is None:
            # A bar above the tabs: the tabs move into a holder with the bar on top (the window keeps
            # ``tabs`` as it was; only its parent changes).
            tabs = self.window.takeCentralWidget()
            holder = QWidget()
            holder.setObjectName("centralHolder")
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(0)
            self.banner = NotificationBanner()
            self.banner.hide()  # until there is something to say
            self.banner.show_requested.connect(self.show_today)
            margin = QHBoxLayout()
            margin.setContentsMargins(6, 6, 6, 2)
            margin.addWidget(self.banner)
            layout.addLayout(margin)
            layout.addWidget(tabs, 1)
            self.window.setCentralWidget(holder)
            self.banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        return self.banner


def install(window: MainWindow, view: TodayView) -> Notifier:
    """Start notifying for ``window``'s Today view."""
    return Notifier(window, view)
