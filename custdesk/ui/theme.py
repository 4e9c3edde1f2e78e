"""Light or dark: the colour scheme of every window, and the colours our own widgets paint with.

The owner chooses in the preferences (QSettings ``ui/colourScheme``): follow the system (empty), or force
``light`` or ``dark``. Forced, the application uses Qt's Fusion style with a light or dark palette of its
own (and tells the platform, where it listens, through ``QStyleHints.setColorScheme``); following the
system, it keeps the platform's palette. Whatever the palette is, our own colours read it: hints in the
palette's placeholder colour, the notice banner and the analysis chip in tints that suit a light or a dark
window (:func:`notice_colours`), the charts on the window's background (:func:`is_dark`).

On Linux it lets Qt use the desktop's own file dialog (:func:`use_platform_dialogs`, before the
application is made): through the XDG desktop portal, which GNOME, KDE and most desktops answer; where
none answers, Qt's own dialog speaks the language through ``qtbase_<lang>.qm`` (:mod:`custdesk.ui.language`).
On Windows and macOS the platform's dialog is Qt's default already.

It also sizes windows to the screen they open on (:func:`fit_to_screen`): nothing opens taller or wider
than a 1280x800 or 1366x768 screen can show.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory, QWidget

SCHEME_KEY = "ui/colourScheme"
SCHEMES = ("", "light", "dark")  # "": the system's
# Room kept for the title bar and frame a window manager adds around a window.
FRAME_ALLOWANCE = (16, 48)


class SchemeNotifier(QObject):
    """``changed`` fires when the window went light or dark (chosen here, or by the system)."""

    changed = Signal()


_notifier: SchemeNotifier | None = None


def scheme_changed() -> Signal:
    """The signal our own painted widgets listen to, to repaint in the new scheme."""
    global _notifier
    if _notifier is None:
        _notifier = SchemeNotifier()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            _notifier.setParent(app)
            app.styleHints().colorSchemeChanged.connect(
                lambda _scheme: _notifier and _notifier.changed.emit()
            )
    return _notifier.changed  # type: ignore[return-value]


def saved_scheme(state: QSettings) -> str:
    """The scheme the owner chose ("" to follow the system)."""
    value = str(state.value(SCHEME_KEY, "") or "")
    return value if value in SCHEMES else ""


def save_scheme(state: QSettings, scheme: str) -> None:
    """Remember the owner's choice ("" to follow the system)."""
    state.setValue(SCHEME_KEY, scheme if scheme in SCHEMES else "")
    state.sync()


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (the colours of Qt's own dark Fusion, slightly softened)."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2B2B2B",
        role.WindowText: "#E6E6E6",
        role.Base: "#1F1F1F",
        role.AlternateBase: "#2A2D31",
        role.ToolTipBase: "#3A3A3A",
        role.ToolTipText: "#F0F0F0",
        role.PlaceholderText: "#A0A0A0",
        role.Text: "#E6E6E6",
        role.Button: "#353535",
        role.ButtonText: "#E6E6E6",
        role.BrightText: "#FF6B6B",
        role.Light: "#4A4A4A",
        role.Midlight: "#3E3E3E",
        role.Mid: "#5A5A5A",
        role.Dark: "#1A1A1A",
        role.Shadow: "#000000",
        role.Highlight: "#2F65CA",
        role.HighlightedText: "#FFFFFF",
        role.Link: "#8AB4F8",
        role.LinkVisited: "#C58AF9",
    }
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7A7A7A"))
    p.setColor(group.Disabled, role.Base, QColor("#262626"))
    return p


def apply_scheme(scheme: str, app: QApplication | None = None) -> str:
    """Use the ``scheme`` ("" the system's, "light", "dark") for every window; returns the one in force."""
    instance = app or QApplication.instance()
    if not isinstance(instance, QApplication):
        return scheme
    hints = instance.styleHints()
    wanted = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(scheme, Qt.ColorScheme.Unknown)
    hints.setColorScheme(wanted)  # the platform's own dark or light, where it has one (Qt 6.8)
    if scheme in ("light", "dark"):
        style = QStyleFactory.create("Fusion")
        if style is not None:
            instance.setStyle(style)
        instance.setPalette(dark_palette() if scheme == "dark" else instance.style().standardPalette())
    else:
        instance.setPalette(QPalette())  # nothing set: the platform's palette again
    scheme_changed().emit()
    return "dark" if is_dark() else "light"


def is_dark(widget: QWidget | None = None) -> bool:
    """Whether the window (or the application) is drawn light on dark."""
    palette = widget.palette() if widget is not None else QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def make_hint(label: QLabel) -> QLabel:
    """A secondary line (a hint, a note): in the palette's placeholder colour, readable light or dark."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


@dataclass(frozen=True)
class NoticeColours:
    """The colours of a notice (the Today banner, the archived banner of a card)."""

    background: str
    border: str
    text: str


def notice_colours(dark: bool) -> NoticeColours:
    """A warm yellow notice on a light window, a dim amber one on a dark window."""
    if dark:
        return NoticeColours(background="#4A3F12", border="#8C7424", text="#FCEBB6")
    return NoticeColours(background="#FFF4CE", border="#E0C36A", text="#3A2F00")


def info_colours(dark: bool) -> NoticeColours:
    """A blue information chip (the analysis selection) on a light or a dark window."""
    if dark:
        return NoticeColours(background="#1E3A5F", border="#3D6FA8", text="#DCEBFF")
    return NoticeColours(background="#E3F2FD", border="#90CAF9", text="#0D2A4A")


def alert_colour(dark: bool | None = None) -> QColor:
    """Red text that reads on the window (an overdue call): deep red on light, a soft red on dark."""
    return QColor("#FF8A80" if (is_dark() if dark is None else dark) else "#C62828")


def link_colour() -> QColor:
    """The colour of a clickable line in a list (the palette's own link colour)."""
    return QGuiApplication.palette().color(QPalette.ColorRole.Link)


def muted_colour() -> QColor:
    """A secondary line in a list (the palette's placeholder colour)."""
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def use_platform_dialogs(environ: MutableMapping[str, str], platform: str = sys.platform) -> str | None:
    """On a Linux desktop, ask Qt for the desktop's own file dialog; returns the platform theme chosen.

    Call before the QApplication is made. An owner's or packager's ``QT_QPA_PLATFORMTHEME`` wins; without
    a desktop session (no ``XDG_CURRENT_DESKTOP``, as under a test or a virtual screen) nothing changes.
    """
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORMTHEME"):
        return None
    if not environ.get("XDG_CURRENT_DESKTOP") or not environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return None
    # The portal's file chooser is the desktop's own (GTK on GNOME, KDE's on Plasma); the portal theme
    # keeps the desktop's look for everything else and falls back to Qt's dialog when no portal runs.
    environ["QT_QPA_PLATFORMTHEME"] = "xdgdesktopportal"
    return "xdgdesktopportal"


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width`` x ``height``, or less where its screen is smaller (a 1280x800 or
    1366x768 screen, a task bar), keeping room for the title bar."""
    screen = window.screen() if window.screen() is not None else QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    available = screen.availableGeometry()
    extra_w, extra_h = FRAME_ALLOWANCE
    window.resize(min(width, available.width() - extra_w), min(height, available.height() - extra_h))


__all__ = [
    "SCHEMES",
    "SCHEME_KEY",
    "NoticeColours",
    "alert_colour",
    "apply_scheme",
    "dark_palette",
    "fit_to_screen",
    "info_colours",
    "is_dark",
    "link_colour",
    "make_hint",
    "muted_colour",
    "notice_colours",
    "save_scheme",
    "saved_scheme",
    "scheme_changed",
    "use_platform_dialogs",
]
