"""File > Import…: the wizard that moves an old client base (Excel, CSV, vCard, Access) into CustDesk.

Pages: the file (and sheet or table, CustDesk's choice shown with why), what it holds, the column
mapping, duplicates and bad rows, the preview, the run (progress with Cancel) and the report. Reading,
previewing and importing run on the base worker; the import is one transaction, so Cancel (or closing
the wizard while it runs) leaves the base exactly as it was.

:func:`install` adds to the File menu: Import…, Import reports…, Export clients…, Export purchases…
and Export history….
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget, QWizard

from custdesk.core.db import Database
from custdesk.i18n import _
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.theme import fit_to_screen
from custdesk.ui.widgets.import_mapping import MappingPage
from custdesk.ui.widgets.import_options import OptionsPage
from custdesk.ui.widgets.import_pages import FilePage, ImportState, KindPage
from custdesk.ui.widgets.import_run import PreviewPage, ReportPage, RunPage

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow


class ImportWizard(QWizard):
    """The import wizard over one open base."""

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        parent: QWidget | None = None,
        *,
        path: str = "",
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus = runner, db, bus
        self.state = ImportState()
        self.setObjectName("importWizard")
        self.setWindowTitle(_("Import clients, purchases or history"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        fit_to_screen(self, 900, 600)
        self.page_file = FilePage()
        self.page_kind = KindPage()
        self.page_mapping = MappingPage()
        self.page_options = OptionsPage()
        self.page_preview = PreviewPage()
        self.page_run = RunPage()
        self.page_report = ReportPage()
        for page in (
            self.page_file,
            self.page_kind,
            self.page_mapping,
            self.page_options,
            self.page_preview,
            self.page_run,
            self.page_report,
        ):
            self.addPage(page)
        self.page_file.table_read.connect(self.page_kind.table_read)
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Close"))
        from custdesk.core.services import custom_fields

        # Read before the file (one worker, in order): a column named as an own field fills it.
        self.runner.run(custom_fields.list_fields, self.db, on_done=self._own_fields_read)
        self._close_when_stopped = False
        if path:
            self.page_file.path_edit.setText(path)
            self.page_file.read(path)

    def _own_fields_read(self, specs: list[Any]) -> None:
        self.state.own_fields = {spec.label: spec.kind for spec in specs}

    def reject(self) -> None:
        """Cancel: a running import is stopped first (its transaction rolls back), then the wizard closes."""
        if self.page_run.running:
            self._close_when_stopped = True
            self.page_run.cancel()
            return
        super().reject()

    def import_stopped(self) -> None:
        """The run page's import ended without a report (cancelled or failed)."""
        if self._close_when_stopped:
            super().reject()


def open_import_wizard(window: MainWindow, path: str = "") -> ImportWizard:
    """Show the import wizard over the main window (non-modal, deleted when closed)."""
    wizard = ImportWizard(window.runner, window.db, window.bus, window, path=path)
    from PySide6.QtCore import Qt

    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.show()
    return wizard


def open_import_reports(window: MainWindow) -> None:
    """File > Import reports…: the kept reports, any of them opened again."""
    from custdesk.ui.widgets.import_report import ImportReportsDialog

    dialog = ImportReportsDialog(window)
    dialog.exec()


def install(window: MainWindow) -> None:
    """Add Import…, Import reports… and the three Export… items to the File menu, and the empty base's
    pointer to the import over the Clients tab."""
    from custdesk.ui.export_dialog import open_export_dialog

    menu = window.file_menu
    before = window.act_settings
    actions: list[QAction] = []

    def add(text: str, slot: object, name: str) -> QAction:
        action = QAction(text, window)
        action.setObjectName(name)
        action.triggered.connect(slot)
        actions.append(action)
        return action

    add(_("&Import…"), lambda: open_import_wizard(window), "actImport")
    add(_("Import re&ports…"), lambda: open_import_reports(window), "actImportReports")
    add(_("&Export clients…"), lambda: open_export_dialog(window, "clients"), "actExportClients")
    add(_("Export &purchases…"), lambda: open_export_dialog(window, "purchases"), "actExportPurchases")
    add(_("Export &history…"), lambda: open_export_dialog(window, "history"), "actExportHistory")
    from custdesk.ui.widgets.import_pointer import EmptyBasePointer

    pointer = EmptyBasePointer(window.table, lambda: open_import_wizard(window))
    window.empty_base_pointer = pointer  # type: ignore[attr-defined]

    def counted(_shown: int, base_total: int) -> None:
        pointer.set_empty(base_total == 0 and window.model.query.archived == "active")

    window.model.countsChanged.connect(counted)
    if not window.model.loading:
        counted(window.model.rowCount(), window.model.base_total)
    menu.insertActions(before, actions[:2])
    menu.insertSeparator(before)
    menu.insertActions(before, actions[2:])
    menu.insertSeparator(before)


__all__ = ["ImportWizard", "install", "open_import_reports", "open_import_wizard"]
