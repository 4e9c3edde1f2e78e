"""The running session: which base is open, in which window; opening, switching, backing up, restoring.

Every open runs on the base worker (``open_base`` may back up and migrate). A base that cannot be opened
becomes a dialog that names the problem and offers to choose another base or quit; the file is left as
it was (``open_base`` guarantees it). Per-user state (recent bases, the last base) lives in QSettings.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from custdesk import paths
from custdesk.core import backup, restore
from custdesk.core.db import Database, open_base
from custdesk.core.errors import CustDeskError
from custdesk.core.services import access, journal_chain, settings, users
from custdesk.core.storage.target import is_server_url, parse_server_url
from custdesk.i18n import N_, _
from custdesk.ui import features
from custdesk.ui.backup_scheduler import BackupScheduler
from custdesk.ui.dialogs.first_run import DEMO_CLIENTS, FirstRunWindow, base_file_filter
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import Cancelled, ChangeBus, TaskRunner, show_error

log = logging.getLogger("custdesk.ui.session")
SERVER_BACKUP = N_(
    "This base is on a server: the server's owner backs it up with pg_dump and restores it with "
    "pg_restore (see the README)."
)

MAX_RECENT = 9
DEMO_SEED = 1


@dataclass(frozen=True)
class OpenedBase:
    """An open base and the firm settings the window needs at once."""

    db: Database
    firm: dict[str, Any]
    protected: bool = False  # users set up: someone must sign in before the window shows


def open_for_gui(path: Path | str, *, create: bool = True) -> OpenedBase:
    """Open a base and read its firm settings (runs on the base worker; the backup comes after the window
    is up, see :mod:`custdesk.ui.backup_scheduler`)."""
    db = open_base(path, create=create, auto_backup=False)
    try:
        return OpenedBase(db, settings.get_all(db), users.is_protected(db))
    except BaseException:
        db.close()
        raise


def journal_break(db: Database) -> journal_chain.ChainBreak | None:
    """The first broken link of the base's journal chain (runs on the base worker)."""
    with db.engine.connect() as conn:
        return journal_chain.verify(conn)


def _remove_base_files(path: Path) -> None:
    for p in (
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        paths.lock_path(path),
    ):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def make_demo_base(
    path: Path, *, clients: int, seed: int, progress: Callable[[int, int], None]
) -> OpenedBase:
    """Make the demo base at ``path`` (runs on the base worker); a cancelled or failed one is removed."""
    from custdesk.core.demo import generate_demo

    db = open_base(path, create=True, auto_backup=False)
    try:
        generate_demo(db, clients=clients, seed=seed, progress=progress)
        return OpenedBase(db, settings.get_all(db))
    except BaseException:
        db.close()
        _remove_base_files(path)
        raise


def restore_and_reopen(db: Database, backup_path: Path) -> tuple[OpenedBase, BaseException | None]:
    """Close the base, replace it with a backup and open it again (runs on the base worker).

    A failed restore leaves the base as it was; it is opened again either way and the error returned.
    """
    path = db.path
    db.close()
    error: BaseException | None = None
    try:
        restore.restore(path, backup_path)
    except CustDeskError as exc:
        error = exc
    db2 = open_base(path, create=False, auto_backup=False)
    return OpenedBase(db2, settings.get_all(db2)), error


class Session(QObject):
    """Owns the open base and its window; ``finished(exit_code)`` when the owner quits."""

    finished = Signal(int)
    base_opened = Signal(object)  # Database

    def __init__(self, runner: TaskRunner, bus: ChangeBus, state: QSettings) -> None:
        super().__init__()
        self.runner, self.bus, self.state = runner, bus, state
        self.window: MainWindow | None = None
        self.first_run: FirstRunWindow | None = None
        self.error_box: QMessageBox | None = None
        self.db: Database | None = None
        self.backups: BackupScheduler | None = None
        self.ever_opened = False
        self._busy = False
        self._import_after_open = False  # the welcome window's "Bring my Excel / Access base"

    # --- start ---------------------------------------------------------------------------------------

    def start(self, base: Path | str | None) -> None:
        """Open ``base`` (a file, or a server address ``postgresql://…``), else the last or default base,
        else show the first-run window."""
        if base is not None:
            self.open_path(base, create=True)
            return
        last = self.state.value("session/lastBase")
        for candidate in (Path(str(last)) if last else None, paths.default_base_path()):
            if candidate is not None and candidate.is_file():
                self.open_path(candidate, create=False)
                return
        self.show_first_run()

    def show_first_run(self) -> None:
        """The welcome window with its three choices."""
        if self.first_run is None:
            self.first_run = FirstRunWindow()
            self.first_run.demo_chosen.connect(self.open_demo)
            self.first_run.empty_chosen.connect(
                lambda: self.open_path(paths.default_base_path(), create=True)
            )
            self.first_run.import_chosen.connect(self.open_for_import)
            self.first_run.open_chosen.connect(lambda p: self.open_path(Path(p), create=False))
            self.first_run.quit_chosen.connect(self._quit_from_first_run)
        self.runner.parent_widget = self.first_run
        self.first_run.show()
        self.first_run.raise_()

    def _quit_from_first_run(self) -> None:
        self.first_run = None
        if self.window is None:
            self.finished.emit(0 if self.ever_opened or self.error_box is None else 1)

    # --- opening -------------------------------------------------------------------------------------

    def _parent(self) -> QWidget | None:
        return self.window or self.first_run

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if self.first_run is not None:
            self.first_run.set_busy(busy)

    def open_path(self, path: Path | str, *, create: bool = False) -> None:
        """Open the base at ``path`` (a file, or a server address ``postgresql://…``) on the worker;
        switch to it or explain why not."""
        target: Path | str
        if is_server_url(path):
            server = parse_server_url(str(path))
            target, name, shown = str(path), server.display, Path(server.display)
            same = self.db is not None and self.db.server is not None and self.db.server.url == server.url
        else:
            target = shown = Path(path).expanduser().absolute()
            name = shown.name
            same = self.db is not None and self.db.path == shown
        if same:
            if self.window is not None:
                self.window.raise_()
            return
        if self._busy:
            return
        self._set_busy(True)
        self.runner.parent_widget = self._parent()
        self.runner.run(
            open_for_gui,
            target,
            create=create,
            label=_("Opening {name}…").format(name=name),
            on_done=self._opened,
            on_error=lambda exc: self._open_failed(shown, exc),
        )

    def open_for_import(self) -> None:
        """Open (or make) the base in the data folder, then the import wizard over it."""
        self._import_after_open = True
        self.open_path(paths.default_base_path(), create=True)

    def open_demo(self) -> None:
        """Open the demo base, making it first (with progress and cancel) when there is none."""
        path = paths.demo_base_path()
        if path.is_file():
            self.open_path(path)
            return
        if self._busy:
            return
        self._set_busy(True)
        self.runner.parent_widget = self._parent()
        self.runner.run(
            make_demo_base,
            path,
            clients=DEMO_CLIENTS,
            seed=DEMO_SEED,
            with_progress=True,
            label=_("Making the demo base…"),
            on_done=self._opened,
            on_error=lambda exc: self._open_failed(path, exc),
        )

    def _opened(self, opened: OpenedBase) -> None:
        self._set_busy(False)
        if opened.protected and access.current(opened.db) is access.NOBODY:
            from custdesk.ui.dialogs.login_dialog import LoginDialog

            if not LoginDialog(self.runner, opened.db, self._parent()).exec():
                if opened.db is not self.db:
                    self.runner.run(opened.db.close)
                if self.window is None:
                    self.show_first_run()
                return
        old_window, old_db = self.window, self.db
        self.db, self.ever_opened = opened.db, True
        if not opened.db.is_server:  # a server base is given by its address (with a password): not kept
            self._remember(opened.db.path)
        window = MainWindow(
            self.runner, opened.db, self.bus, self.state, firm=opened.firm, recent=self.recent()
        )
        window.new_base_requested.connect(self.new_base)
        window.open_base_requested.connect(self.choose_base)
        window.open_demo_requested.connect(self.open_demo)
        window.open_path_requested.connect(lambda p: self.open_path(Path(p)))
        window.backup_requested.connect(self.backup_now)
        window.restore_requested.connect(self.restore_from_backup)
        window.settings_requested.connect(self.firm_settings)
        window.fields_requested.connect(self.own_fields)
        window.closing.connect(lambda w=window: self._window_closed(w))
        self.window = window
        self.runner.parent_widget = window
        if self.backups is not None:
            # Queued before the old base is closed (a new window over the same base: no final backup).
            self.backups.finish(final=old_db is not None and old_db is not opened.db)
        if old_window is not None:
            old_window.closing.disconnect()
            old_window.close()
            old_window.deleteLater()
        if old_db is not None and old_db is not opened.db:
            self.runner.run(old_db.close)
        if self.first_run is not None:
            self.first_run.leave()
            self.first_run = None
        window.show()
        # A server base is backed up by the server's owner (pg_dump, see the README), not by each seat.
        self.backups = (
            None if opened.db.is_server else BackupScheduler(window, self.runner, opened.db, self.bus)
        )
        features.on_start(window)
        if access.allows(opened.db, access.Permission.USERS):  # the owner hears of a rewritten journal
            self.runner.run(
                journal_break, opened.db, on_done=lambda broken: self._warn_journal(window, broken)
            )
        for warning in opened.db.warnings:
            box = QMessageBox(QMessageBox.Icon.Warning, _("CustDesk"), warning, parent=window)
            box.setObjectName("openWarningBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        if self._import_after_open:
            from custdesk.ui.import_wizard import open_import_wizard

            self._import_after_open = False
            open_import_wizard(window)
        self.base_opened.emit(opened.db)

    def _warn_journal(self, window: MainWindow, broken: journal_chain.ChainBreak | None) -> None:
        if broken is None or window is not self.window:
            return
        text = _("The journal of this base was changed outside CustDesk. {problem}").format(
            problem=broken.message
        )
        box = QMessageBox(QMessageBox.Icon.Warning, _("CustDesk"), text, parent=window)
        box.setObjectName("journalBrokenBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _open_failed(self, path: Path, exc: BaseException) -> None:
        self._set_busy(False)
        self._import_after_open = False
        if isinstance(exc, Cancelled):
            return
        if not isinstance(exc, CustDeskError):
            log.error("opening %s failed", path, exc_info=(type(exc), exc, exc.__traceback__))
        box = QMessageBox(self._parent())
        box.setObjectName("openErrorBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("The base cannot be opened"))
        box.setText(_("CustDesk cannot open the base {path}.").format(path=path))
        box.setInformativeText(str(exc) if isinstance(exc, CustDeskError) else f"{type(exc).__name__}: {exc}")
        choose = box.addButton(_("Choose another base…"), QMessageBox.ButtonRole.AcceptRole)
        leave_text = _("Quit") if self.window is None and self.first_run is None else _("Close")
        box.addButton(leave_text, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(choose)
        self.error_box = box

        def answered() -> None:
            self.error_box = None
            box.deleteLater()
            if box.clickedButton() is choose:
                self.choose_base(after_error=True)
            elif self.window is None and self.first_run is None:
                self.finished.emit(1)

        box.finished.connect(answered)
        box.open()

    # --- base menu actions ---------------------------------------------------------------------------

    def choose_base(self, after_error: bool = False) -> None:
        """File > Open: pick a base file."""
        start = str(self.db.path.parent if self.db is not None else paths.data_dir())
        name, _filter = QFileDialog.getOpenFileName(
            self._parent(), _("Open a base"), start, base_file_filter()
        )
        if name:
            self.open_path(Path(name), create=False)
        elif after_error and self.window is None:
            self.show_first_run()

    def new_base(self) -> None:
        """File > New base: a new, empty base file."""
        start = str(self.db.path.parent if self.db is not None else paths.data_dir())
        name, _filter = QFileDialog.getSaveFileName(
            self._parent(),
            _("New base"),
            str(Path(start) / _("new-base.sqlite")),
            base_file_filter(),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not name:
            return
        path = Path(name)
        if path.exists():
            QMessageBox.warning(
                self._parent(),
                _("New base"),
                _("{path} already exists. Choose another name, or open it with File > Open base.").format(
                    path=path
                ),
            )
            return
        self.open_path(path, create=True)

    def backup_now(self) -> None:
        """File > Back up now."""
        if self.db is None:
            return
        parent = self._parent()
        if self.db.is_server:
            QMessageBox.information(parent, _("Backup"), _(SERVER_BACKUP))
            return

        def done(target: Path) -> None:
            QMessageBox.information(
                parent, _("Backup"), _("The base was backed up to {path}.").format(path=target)
            )

        self.runner.run(backup.make_backup, self.db.path, label=_("Backing up the base…"), on_done=done)

    def restore_from_backup(self) -> None:
        """File > Restore: choose a backup, confirm, replace the base and open it again."""
        if self.db is None:
            return
        if self.db.is_server:
            QMessageBox.information(self._parent(), _("Backup"), _(SERVER_BACKUP))
            return
        db = self.db
        if not access.allows(db, access.Permission.RESTORE):
            refusal = _("Only the owner may restore a backup.")
            QMessageBox.warning(self._parent(), _("Restore from a backup"), refusal)
            return
        self.runner.run(backup.list_backups, db.path, on_done=lambda found: self._pick_backup(db, found))

    def _pick_backup(self, db: Database, found: list[backup.BackupInfo]) -> None:
        from custdesk.ui.dialogs.restore_dialog import RestoreDialog

        dialog = RestoreDialog(db.path, found, self._parent())
        if not dialog.exec() or dialog.chosen is None:
            return
        chosen = dialog.chosen
        if self.backups is not None:
            self.backups.finish(final=False)  # a running backup ends before the base is replaced

        def done(result: tuple[OpenedBase, BaseException | None]) -> None:
            opened, error = result
            self.db = None  # closed by the restore; the window is replaced
            self._opened(opened)
            if error is not None:
                show_error(self.window, error)
            else:
                QMessageBox.information(
                    self.window,
                    _("Restore"),
                    _("The base was restored from {backup}. The replaced base was kept as a backup.").format(
                        backup=chosen.path.name
                    ),
                )

        self.runner.run(
            restore_and_reopen,
            db,
            chosen.path,
            label=_("Restoring the base…"),
            on_done=done,
            on_error=lambda exc: self._lost_base(db.path, exc),
        )

    def _lost_base(self, path: Path, exc: BaseException) -> None:
        self.backups = None
        if self.window is not None:
            self.window.closing.disconnect()
            self.window.close()
            self.window = None
        self.db = None
        self._open_failed(path, exc)

    def firm_settings(self) -> None:
        """File > Firm settings."""
        if self.db is None or self.window is None:
            return
        from custdesk.ui.dialogs.firm_settings import FirmSettingsDialog

        dialog = FirmSettingsDialog(self.runner, self.db, self.bus, self.window)
        dialog.open()

    def own_fields(self) -> None:
        """File > Own fields: the firm's own client fields."""
        if self.db is None or self.window is None:
            return
        from custdesk.ui.dialogs.fields_dialog import FieldsDialog

        dialog = FieldsDialog(self.runner, self.db, self.bus, self.window)
        dialog.open()

    # --- state ---------------------------------------------------------------------------------------

    def recent(self) -> list[str]:
        """The recent bases, newest first."""
        value = self.state.value("session/recentBases") or []
        return [str(v) for v in (value if isinstance(value, list) else [value])]

    def _remember(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self.recent() if p != str(path)]
        self.state.setValue("session/recentBases", recent[:MAX_RECENT])
        self.state.setValue("session/lastBase", str(path))
        self.state.sync()

    def _window_closed(self, window: MainWindow) -> None:
        if window is not self.window:
            return
        self.window = None
        db, self.db = self.db, None
        if self.backups is not None:
            self.backups.finish(final=db is not None)  # queued before the base is closed
            self.backups = None
        if db is not None:
            self.runner.run(db.close)
        self.finished.emit(0)
