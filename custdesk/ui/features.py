"""The features that plug into the main window: each adds its tab, menu items and shortcuts.

A feature is a function ``install(window: MainWindow) -> None`` in its own module; it uses the window's
menus (``file_menu``, ``client_menu``, ``view_menu`` or one it adds with ``window.menuBar()``), its
``add_tab``, ``runner``, ``db`` and ``bus``. Keeping the list here keeps ``main_window`` free of feature
code, so features grow without touching each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow


def _installers() -> list[Callable[[MainWindow], None]]:
    # Imported here, when a window is built, so start-up loads only what the first window needs.
    from custdesk.ui import (
        access_actions,
        analysis_tab,
        calling,
        funnel_board,
        import_wizard,
        journal,
        printing,
        segment_actions,
        today_view,
    )
    from custdesk.ui.calendar import calendar_view
    from custdesk.ui.dialogs import preferences

    return [
        today_view.install,
        funnel_board.install,
        printing.install,
        import_wizard.install,
        preferences.install,
        analysis_tab.install,
        journal.install,
        calendar_view.install,
        segment_actions.install,  # after the list, Analysis and Today: it adds to their menus
        calling.install,  # after Today: a click on a phone there calls
        access_actions.install,
    ]


def install_features(window: MainWindow) -> None:
    """Install every feature into a newly built main window."""
    for install in _installers():
        install(window)


def on_start(window: MainWindow) -> None:
    """What features do when the session has shown a window it opened (not windows built by tests):
    the Today tab comes to the front, the first thing the owner sees in the morning."""
    from custdesk.ui import today_view

    today_view.show_at_start(window)
