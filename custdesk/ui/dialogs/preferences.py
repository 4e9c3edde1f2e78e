"""The owner's own preferences (kept per user, not in the base): the interface language, the calendar and
the colours (light, dark, or as the system).

The language and calendar apply after CustDesk is restarted, which the dialog says; the colours at once.
Installed into the File menu as a feature (``install``), beside the firm's settings, which belong to the
base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from custdesk import i18n
from custdesk.i18n import _
from custdesk.ui import language, theme

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow


class PreferencesDialog(QDialog):
    """Choose the interface language and whether dates are shown in the Persian (Jalali) calendar."""

    def __init__(self, state: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(_("Preferences"))
        self.setMinimumWidth(420)

        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        system = language.LANGUAGE_NAMES[i18n.system_language()]
        self.language.addItem(_("As the system: {language}").format(language=system), "")
        for code, name in language.LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        index = self.language.findData(language.saved_language(state) or "")
        self.language.setCurrentIndex(max(index, 0))

        self.jalali = QCheckBox(_("Show dates in the Persian (&Jalali) calendar"))
        self.jalali.setObjectName("jalaliCheck")
        saved = language.saved_jalali(state)
        self.jalali.setChecked(i18n.uses_jalali() if saved is None else saved)
        self.language.currentIndexChanged.connect(self._follow_language)
        self._jalali_touched = saved is not None
        self.jalali.toggled.connect(self._touched)

        self.scheme = QComboBox()
        self.scheme.setObjectName("schemeCombo")
        for key, text in zip(theme.SCHEMES, (_("As the system"), _("Light"), _("Dark")), strict=True):
            self.scheme.addItem(text, key)
        self.scheme.setCurrentIndex(max(self.scheme.findData(theme.saved_scheme(state)), 0))

        note = QLabel(_("A new language or calendar applies after CustDesk is restarted; colours at once."))
        note.setObjectName("restartNote")
        note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("&Language:"), self.language)
        form.addRow("", self.jalali)
        form.addRow(_("&Colours:"), self.scheme)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def _touched(self) -> None:
        self._jalali_touched = True

    def _follow_language(self) -> None:
        # Until the owner ticks the box, the calendar follows the language: on for Persian.
        if self._jalali_touched:
            return
        code = self.chosen_language() or i18n.system_language()
        self.jalali.blockSignals(True)
        self.jalali.setChecked(code == "fa")
        self.jalali.blockSignals(False)

    def chosen_language(self) -> str | None:
        """The language chosen (None: as the system)."""
        return str(self.language.currentData()) or None

    def _save(self) -> None:
        jalali = self.jalali.isChecked() if self._jalali_touched else None
        language.save_choice(self.state, self.chosen_language(), jalali)
        scheme = str(self.scheme.currentData())
        if scheme != theme.saved_scheme(self.state):
            theme.save_scheme(self.state, scheme)
            theme.apply_scheme(scheme)
        self.accept()


def install(window: MainWindow) -> None:
    """Add File > Preferences… before the firm's settings."""
    action = QAction(_("&Preferences…"), window)
    action.setObjectName("preferencesAction")
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.setStatusTip(_("Your language, calendar and colours (for this computer's user)"))

    def show() -> None:
        PreferencesDialog(window.state, window).exec()

    action.triggered.connect(show)
    window.file_menu.insertAction(window.act_settings, action)
    window.act_preferences = action  # type: ignore[attr-defined]
