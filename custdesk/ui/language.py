"""The interface language of the GUI: the owner's choice, Qt's own translations and the layout direction.

The choice is per user (QSettings ``ui/language``; empty: follow the system) and so is the calendar of
dates (``ui/jalaliCalendar``; absent: the Persian calendar for Persian). Both are read once at start-up:
a change applies after a restart. Qt's standard dialogs (message box buttons, the file dialog) speak the
language through the ``qtbase_<lang>.qm`` files that PySide6 ships; Persian lays every window out right
to left.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from custdesk import i18n
from custdesk.ui.formatting import ui_locale

log = logging.getLogger("custdesk.ui.language")

LANGUAGE_KEY = "ui/language"
JALALI_KEY = "ui/jalaliCalendar"
# Each language named in itself, so that an owner who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "fi": "Suomi", "fa": "فارسی"}

_installed: list[QTranslator] = []


def saved_language(state: QSettings) -> str | None:
    """The language the owner chose in the preferences (None: follow the system)."""
    value = str(state.value(LANGUAGE_KEY, "") or "")
    return value if value in i18n.LANGUAGES else None


def saved_jalali(state: QSettings) -> bool | None:
    """Whether the owner chose the Jalali calendar (None: not chosen, the language decides)."""
    value = state.value(JALALI_KEY)
    if value is None or value == "":
        return None
    return str(value).lower() in ("true", "1", "yes")


def choose_language(requested: str | None, state: QSettings) -> str:
    """Set the language for every layer: ``--lang``, else the saved choice, else the system's."""
    language = i18n.set_language(requested or saved_language(state))
    i18n.set_jalali(saved_jalali(state))
    return language


def save_choice(state: QSettings, language: str | None, jalali: bool | None) -> None:
    """Remember the owner's language (None: the system's) and calendar (None: by the language)."""
    state.setValue(LANGUAGE_KEY, language or "")
    if jalali is None:
        state.remove(JALALI_KEY)
    else:
        state.setValue(JALALI_KEY, bool(jalali))
    state.sync()


def qt_translations_dir() -> str:
    """The folder of Qt's own translations (``qtbase_ru.qm`` ...) of this PySide6."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install_qt_translations(app: QCoreApplication | None = None) -> list[str]:
    """Load Qt's translations of standard dialogs for the current language; returns the files loaded.

    Calling it again (another language) replaces what was loaded before.
    """
    app = app or QCoreApplication.instance()
    if app is None:
        return []
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = i18n.current_language()
    QLocale.setDefault(ui_locale())
    if language == "en":
        return []
    loaded = []
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language}", qt_translations_dir()):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(translator.filePath())
            break  # qtbase is the part we use; "qt" is the meta-catalog of older installations
    if not loaded:
        log.warning("no Qt translation for %s in %s", language, qt_translations_dir())
    return loaded


def apply_layout_direction(app: QApplication | None = None) -> Qt.LayoutDirection:
    """Lay every window out right to left for Persian, left to right otherwise."""
    direction = Qt.LayoutDirection.RightToLeft if i18n.is_rtl() else Qt.LayoutDirection.LeftToRight
    instance = app or QApplication.instance()
    if isinstance(instance, QApplication):
        instance.setLayoutDirection(direction)
    return direction
