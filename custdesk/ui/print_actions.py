"""The print items of the File menu: cards, the client list and the Today call list.

Each item builds its HTML on the base worker (progress with Cancel for many cards), then shows a print
preview (``QPrintPreviewDialog``: its Print button chooses the printer) with a "Save as PDF…" button on
its toolbar, or writes a PDF directly. Pages are painted on the GUI thread by
:class:`custdesk.ui.printing.PageRenderer` under a modal progress dialog. Every finished job goes into
the audit journal. The paper (A4 or Letter, portrait) is a choice in File > Page size, remembered per
user; it starts as the paper of the firm's country.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QProgressDialog, QToolBar, QWidget

from custdesk.core.services import client_list, settings
from custdesk.i18n import _, ngettext
from custdesk.io import cards, print_lists
from custdesk.io.print_html import PrintDocument
from custdesk.io.print_journal import journal_print
from custdesk.ui.formatting import format_number
from custdesk.ui.models.client_table import COLUMNS
from custdesk.ui.printing import PAGE_SIZES, JobHeader, PageRenderer, default_page_size, make_printer
from custdesk.ui.tasks import show_error
from custdesk.ui.theme import fit_to_screen

if TYPE_CHECKING:
    from custdesk.core.db import Database
    from custdesk.ui.main_window import MainWindow

CONFIRM_CARDS = 100  # asking before printing more cards than this
SETTINGS_KEY = "printing/pageSize"


@dataclass
class PrintJob:
    """What a print item prepared on the base worker: the documents and what the journal needs."""

    documents: list[PrintDocument]
    firm_name: str
    what: str  # cards | today | client-list
    client_ids: list[int] = field(default_factory=list)
    rows: int | None = None
    name: str = "custdesk"  # the suggested PDF file name, without extension


def _prepare(
    db: Database, what: str, build: Callable[..., Any], *args: Any, progress: Any = None
) -> PrintJob:
    """Build a job's documents on the base worker (``build(db, *args, progress=...)``)."""
    built = build(db, *args, progress=progress)
    documents = built if isinstance(built, list) else [built]
    return PrintJob(documents, str(settings.get(db, "firm_name")), what)


def _cards_of_list(db: Database, query: client_list.ListQuery, progress: Any = None) -> list[PrintDocument]:
    ids = client_list.page_ids(db, query, 0, client_list.count(db, query))
    return cards.card_documents(db, ids, progress=progress)


class PrintActions(QObject):
    """The print items of a main window and the jobs they run."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.preview_dialog: QPrintPreviewDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.last_pages = 0
        self.last_complete = False
        self._printer: QPrinter | None = None
        self._make_actions()

    # --- menu ----------------------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], None], shortcut: Any = None) -> QAction:
        act = QAction(text, self.window)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(act)
        return act

    def _make_actions(self) -> None:
        a = self._action
        self.act_print_card = a(_("&Print card…"), self.print_selected, QKeySequence.StandardKey.Print)
        self.act_print_card.setStatusTip(_("Preview and print the cards of the selected clients"))
        self.act_print_listed = a(_("Print the cards of the &list…"), self.print_listed)
        self.act_save_pdf = a(_("Save card as P&DF…"), self.save_selected_pdf)
        self.act_print_list = a(_("Print the client &list…"), self.print_client_list)
        self.act_print_today = a(_("Print &today's calls…"), self.print_today)
        self.page_menu_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        chosen = self.page_size
        for name in PAGE_SIZES:
            act = QAction(name, self.window)
            act.setCheckable(True)
            act.setChecked(name == chosen)
            act.triggered.connect(lambda _checked=False, n=name: self.set_page_size(n))
            group.addAction(act)
            self.page_menu_actions[name] = act
        menu = self.window.file_menu
        before = self.window.act_quit
        # Before the separator that precedes Quit: the print items get their own section.
        actions = menu.actions()
        index = actions.index(before)
        anchor = actions[index - 1] if index > 0 and actions[index - 1].isSeparator() else before
        for act in (self.act_print_card, self.act_print_listed, self.act_save_pdf):
            menu.insertAction(anchor, act)
        menu.insertSeparator(anchor)
        menu.insertAction(anchor, self.act_print_list)
        menu.insertAction(anchor, self.act_print_today)
        self.page_menu = QMenu(_("Page si&ze"), self.window)
        self.page_menu.addActions(list(self.page_menu_actions.values()))
        menu.insertMenu(anchor, self.page_menu)
        menu.insertSeparator(anchor)

    @property
    def page_size(self) -> str:
        """The paper chosen (remembered per user; first the paper of the firm's country)."""
        stored = self.window.state.value(SETTINGS_KEY)
        if isinstance(stored, str) and stored in PAGE_SIZES:
            return stored
        return default_page_size(self.window.model.phone_region)

    def set_page_size(self, name: str) -> None:
        """Choose the paper for the next jobs."""
        self.window.state.setValue(SETTINGS_KEY, name)
        for key, act in self.page_menu_actions.items():
            act.setChecked(key == name)

    # --- what to print -------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The selected clients of the list, the current one first."""
        ids = [self.window.model.client_id(row) for row in self.window.clients.selected_rows()]
        return [i for i in ids if i is not None]

    def _need_selection(self) -> list[int] | None:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(
                self.window, _("Print card"), _("Select one or more clients in the list first.")
            )
            return None
        return ids

    def _run(self, what: str, label: str, then: Callable[[PrintJob], None], build: Any, *args: Any) -> None:
        def done(job: PrintJob) -> None:
            if shiboken6.isValid(self.window):
                then(job)

        self.window.runner.run(
            _prepare, self.window.db, what, build, *args, on_done=done, label=label, with_progress=True
        )

    def _cards(self, ids: Sequence[int], then: Callable[[PrintJob], None]) -> None:
        def named(job: PrintJob) -> None:
            job.client_ids = list(ids)
            job.name = job.documents[0].title if len(ids) == 1 else _("cards")
            then(job)

        self._run("cards", _("Preparing the cards…"), named, cards.card_documents, list(ids))

    def print_selected(self) -> None:
        """Ctrl+P: preview the cards of the selected clients."""
        ids = self._need_selection()
        if ids:
            self._cards(ids, self.preview)

    def print_cards(self, ids: Sequence[int]) -> None:
        """Preview the cards of ``ids`` (an open card's Print button and Ctrl+P)."""
        if ids:
            self._cards(ids, self.preview)

    def save_selected_pdf(self) -> None:
        """The cards of the selected clients straight to a PDF file."""
        ids = self._need_selection()
        if ids:
            self._cards(ids, self.ask_pdf)

    def print_listed(self) -> None:
        """The cards of every client the list shows (its search and filters), one per page."""
        total = self.window.model.total
        if total == 0:
            QMessageBox.information(self.window, _("Print cards"), _("The list shows no clients."))
            return
        if total > CONFIRM_CARDS:
            answer = QMessageBox.question(
                self.window,
                _("Print cards"),
                ngettext(
                    "Print the cards of all {count} client the list shows, one per page?",
                    "Print the cards of all {count} clients the list shows, one per page?",
                    total,
                ).format(count=format_number(total)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        query = self.window.model.query

        def named(job: PrintJob) -> None:
            job.client_ids = []
            job.rows = len(job.documents)
            job.name = _("cards")
            self.preview(job)

        self._run("cards", _("Preparing the cards…"), named, _cards_of_list, query)

    def shown_columns(self) -> list[str]:
        """The keys of the client list's visible columns, in the order they are shown."""
        header = self.window.table.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        # The firm's own columns (after the built-in ones) are not printed yet.
        return [COLUMNS[i].key for i in logical if i < len(COLUMNS) and not header.isSectionHidden(i)]

    def print_client_list(self) -> None:
        """The client list as shown: its rows, its order, its visible columns."""

        def named(job: PrintJob) -> None:
            job.name = _("client list")
            self.preview(job)

        columns = self.shown_columns()
        self._run(
            "client-list",
            _("Preparing the list…"),
            named,
            print_lists.client_list_document,
            self.window.model.query,
            columns,
        )

    def print_today(self) -> None:
        """The day's call sheet: overdue calls, calls due, birthdays and prolongations."""

        def named(job: PrintJob) -> None:
            job.name = _("calls {date}").format(date=date.today().isoformat())
            self.preview(job)

        self._run("today", _("Preparing the call list…"), named, print_lists.today_document, None)

    # --- painting ------------------------------------------------------------------------------------

    def paint(self, job: PrintJob, printer: QPrinter, parent: QWidget | None = None) -> int:
        """Paint ``job`` on ``printer`` under a modal progress dialog; returns the pages painted.

        ``last_complete`` tells afterwards whether every page was painted (False after Cancel).
        """
        renderer = PageRenderer(job.documents, JobHeader(job.firm_name, date.today()))
        steps = 2 * len(job.documents)
        dialog = QProgressDialog(_("Laying out the pages…"), _("Cancel"), 0, steps, parent or self.window)
        dialog.setWindowTitle(_("Printing"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)

        def step(done: int, total: int) -> bool:
            if done >= len(job.documents):
                dialog.setLabelText(_("Printing the pages…"))
            dialog.setValue(min(done, total))
            return not dialog.wasCanceled()

        try:
            pages = renderer.render(printer, step)
        finally:
            dialog.reset()
            dialog.deleteLater()
        self.last_pages = pages
        self.last_complete = pages > 0 and pages == renderer.page_count
        return pages

    def _journal(self, job: PrintJob, pages: int, target: str) -> None:
        self.window.runner.run(
            journal_print,
            self.window.db,
            job.what,
            client_ids=job.client_ids,
            rows=job.rows,
            pages=pages,
            target=target,
        )

    def preview(self, job: PrintJob) -> None:
        """The print preview of ``job``: Print (with the printer's choice) and Save as PDF beside it."""
        printer = make_printer(self.page_size)
        self._printer = printer  # the dialog does not own its printer
        dialog = QPrintPreviewDialog(printer, self.window)
        dialog.setObjectName("printPreview")
        dialog.setWindowTitle(_("Print preview"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_to_screen(dialog, 900, 1000)  # a page tall, or the screen's height
        dialog.paintRequested.connect(lambda target: self.paint(job, target, dialog))
        # Print chooses the printer, prints, then accepts the dialog: that is a finished job.
        dialog.accepted.connect(
            lambda: self._journal(job, self.last_pages, printer.outputFileName() or printer.printerName())
        )
        save = QAction(_("Save as PDF…"), dialog)
        save.setObjectName("savePdf")
        save.setToolTip(_("Save these pages as a PDF file"))
        save.triggered.connect(lambda _checked=False: self.ask_pdf(job, dialog, printer))
        toolbar = dialog.findChild(QToolBar)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addAction(save)
        self.preview_dialog = dialog
        dialog.open()

    def ask_pdf(self, job: PrintJob, parent: QWidget | None = None, like: QPrinter | None = None) -> None:
        """Ask where to save ``job`` as PDF, then save it there (on ``like``'s paper, if given)."""
        dialog = QFileDialog(parent or self.window, _("Save as PDF"))
        dialog.setObjectName("pdfFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(_("PDF files (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(f"{job.name}.pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = like.pageLayout() if like is not None else None
        dialog.fileSelected.connect(lambda path: self.save_pdf(job, Path(path), parent, layout))
        self.file_dialog = dialog
        dialog.open()

    def save_pdf(
        self, job: PrintJob, path: Path, parent: QWidget | None = None, layout: QPageLayout | None = None
    ) -> int:
        """Write ``job`` to the PDF file ``path``; returns the pages written (0: cancelled or failed)."""
        printer = make_printer(self.page_size, path)
        if layout is not None:
            printer.setPageLayout(layout)
        try:
            pages = self.paint(job, printer, parent)
        except Exception as exc:
            path.unlink(missing_ok=True)
            show_error(parent or self.window, exc)
            return 0
        if not self.last_complete:
            path.unlink(missing_ok=True)  # cancelled: no half-written file
            return 0
        self._journal(job, pages, str(path))
        self.window.statusBar().showMessage(
            ngettext("Saved {pages} page to {path}.", "Saved {pages} pages to {path}.", pages).format(
                pages=format_number(pages), path=path
            ),
            8000,
        )
        return pages
