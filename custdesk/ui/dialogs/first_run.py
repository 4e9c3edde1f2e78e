"""The first-run window: the first thing a new owner sees when there is no base yet.

It says what CustDesk is in one sentence and offers four big choices: try the demo base, start an empty
base of one's own, bring the old Excel / Access base in (the base is opened, then the import wizard), or
open an existing base file. The data folder is shown, so the owner knows where the
base and its backups live. The window only asks; the session opens or makes the base.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from custdesk import APP_NAME, __version__, paths
from custdesk.i18n import _
from custdesk.ui.formatting import format_number

DEMO_CLIENTS = 2000


def base_file_filter() -> str:
    """The file-dialog filter for base files."""
    return _("CustDesk bases (*.sqlite *.db *.custdesk);;All files (*)")


class FirstRunWindow(QWidget):
    """Welcome: demo base, empty base, or an existing one."""

    demo_chosen = Signal()
    empty_chosen = Signal()
    import_chosen = Signal()
    open_chosen = Signal(str)
    quit_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWindow")
        self.setWindowTitle(_("Welcome to {app}").format(app=APP_NAME))
        self.setMinimumWidth(620)

        title = QLabel(_("Welcome to {app}").format(app=APP_NAME))
        title.setObjectName("title")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        title.setFont(font)

        intro = QLabel(
            _(
                "{app} keeps your clients, their purchases and your calls in one safe base on this "
                "computer, and tells you whom to call today and who brings the money."
            ).format(app=APP_NAME)
        )
        intro.setWordWrap(True)
        intro_font = QFont(intro.font())
        intro_font.setPointSizeF(intro_font.pointSizeF() * 1.1)
        intro.setFont(intro_font)

        question = QLabel(_("How would you like to start?"))
        question_font = QFont(question.font())
        question_font.setBold(True)
        question.setFont(question_font)

        demo_exists = paths.demo_base_path().exists()
        self.demo_button = QCommandLinkButton(
            _("Open the demo base"),
            _("Look around first: the demo base you made before, with its made-up clients.")
            if demo_exists
            else _(
                "Look around first: {count} made-up clients with three years of purchases and calls. "
                "Your own data stays apart."
            ).format(count=format_number(DEMO_CLIENTS)),
        )
        self.demo_button.setObjectName("demoButton")
        default_exists = paths.default_base_path().exists()
        self.empty_button = QCommandLinkButton(
            _("Open my base") if default_exists else _("Start an empty base"),
            _("Your base in the data folder, as you left it.")
            if default_exists
            else _("Begin with your own clients. The base is backed up by itself every day."),
        )
        self.empty_button.setObjectName("emptyButton")
        self.import_button = QCommandLinkButton(
            _("Bring my Excel / Access base"),
            _(
                "Move your clients in from a workbook, a CSV file, contacts or an Access base: nothing "
                "in it is lost, and you see what will land before anything is written."
            ),
        )
        self.import_button.setObjectName("importButton")
        self.open_button = QCommandLinkButton(
            _("Open an existing base…"),
            _("Choose a base file, for example one copied from another computer."),
        )
        self.open_button.setObjectName("openButton")
        self.demo_button.clicked.connect(self.demo_chosen.emit)
        self.empty_button.clicked.connect(self.empty_chosen.emit)
        self.import_button.clicked.connect(self.import_chosen.emit)
        self.open_button.clicked.connect(self._choose_file)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        folder = QLabel(
            _("Data folder (bases, backups, log): {folder}").format(folder=paths.data_dir()),
        )
        folder.setObjectName("dataFolder")
        folder.setWordWrap(True)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setStyleSheet("color: palette(placeholder-text);")
        version = QLabel(_("Version {version}").format(version=__version__))
        version.setStyleSheet("color: palette(placeholder-text);")

        buttons = QDialogButtonBox()
        self.quit_button = QPushButton(_("Quit"))
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.clicked.connect(self.close)

        footer = QHBoxLayout()
        footer.addWidget(version)
        footer.addStretch(1)
        footer.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(14)
        layout.addWidget(question)
        for button in (self.demo_button, self.empty_button, self.import_button, self.open_button):
            layout.addWidget(button)
        layout.addSpacing(8)
        layout.addWidget(line)
        layout.addWidget(folder)
        layout.addLayout(footer)
        self._leaving = False

    def set_busy(self, busy: bool) -> None:
        """Grey the choices while a base is being opened or made."""
        for button in (self.demo_button, self.empty_button, self.import_button, self.open_button):
            button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def leave(self) -> None:
        """Close because a base is open (not a quit)."""
        self._leaving = True
        self.close()

    def _choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Open a base"), str(paths.data_dir()), base_file_filter()
        )
        if name:
            self.open_chosen.emit(str(Path(name)))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leaving:
            self.quit_chosen.emit()
        super().closeEvent(event)
