"""Choose a backup to restore the open base from (File > Restore from a backup…).

The list shows each backup's time, kind and size; restoring asks once more, saying that the current base
is kept as a backup first, so nothing goes by one click.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.backup import BackupInfo
from custdesk.i18n import N_, _
from custdesk.ui.formatting import ui_locale

KIND_NAMES = {
    "auto": N_("daily backup"),
    "manual": N_("backup made by hand"),
    "before-upgrade": N_("copy before an upgrade"),
    "before-restore": N_("copy before a restore"),
}


class RestoreDialog(QDialog):
    """A list of the base's backups; ``chosen`` is the one to restore."""

    def __init__(self, base_path: Path, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from a backup"))
        self.setMinimumSize(560, 360)
        self.chosen: BackupInfo | None = None
        self._backups = list(backups)

        intro = QLabel(
            _(
                "Choose the backup that replaces the base {name}. The current base is kept as a backup first."
            ).format(name=base_path.name)
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        locale = ui_locale()
        for info in self._backups:
            when = locale.toString(
                QDateTime(info.made_at.date(), info.made_at.time()), QLocale.FormatType.LongFormat
            )
            text = _("{when} — {kind}, {size}").format(
                when=when,
                kind=_(KIND_NAMES.get(info.kind, info.kind)),
                size=locale.formattedDataSize(info.size),
            )
            if info.problem is not None:
                text = _("{backup} — does not check out: {problem}").format(backup=text, problem=info.problem)
            item = QListWidgetItem(text)
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        if not self._backups:
            self.list.addItem(_("This base has no backups yet."))
            self.list.setEnabled(False)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = QPushButton(_("Restore…"))
        self.restore_button.setEnabled(bool(self._backups))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        other = QPushButton(_("Another file…"))
        buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
        other.clicked.connect(self._choose_file)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), "", _("CustDesk bases (*.sqlite *.db *.custdesk);;All files (*)")
        )
        if name:
            p = Path(name)
            self._confirm(BackupInfo(p, "manual", QDateTime.currentDateTime().toPython(), p.stat().st_size))

    def accept(self) -> None:
        row = self.list.currentRow()
        if not self._backups or not 0 <= row < len(self._backups):
            return
        self._confirm(self._backups[row])

    def _confirm(self, info: BackupInfo) -> None:
        answer = QMessageBox.question(
            self,
            _("Restore from a backup"),
            _(
                "Replace the base with the backup {backup}?\n\nEverything entered since that backup is "
                "replaced; the current base is first kept as a backup, so it can be brought back."
            ).format(backup=info.path.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = info
            super().accept()
