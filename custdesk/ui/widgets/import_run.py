"""The last pages of the import wizard: the preview, the run (progress with Cancel) and the report.

The preview and the import run on the base worker; the run page shows the worker's progress in its own
progress bar (no extra dialog) and its Cancel stops the import, which then leaves the base exactly as it
was (the import is one transaction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from custdesk.i18n import N_, _, ngettext
from custdesk.ui.formatting import format_number
from custdesk.ui.widgets.import_pages import ERROR_STYLE
from custdesk.ui.widgets.import_report import ReportView

if TYPE_CHECKING:
    from custdesk.io.import_engine import ImportPreview, ImportReport
    from custdesk.ui.tasks import Task
    from custdesk.ui.widgets.import_pages import ImportState

PREVIEW_ROWS = 20
FIRST_FIELD = 3  # the columns before the fields: row, what happens, problems
STATUS_NAMES = {
    "new": N_("a new client"),
    "update": N_("updates a card"),
    "duplicate": N_("duplicate: skipped"),
    "bad": N_("skipped: a problem"),
    "flagged": N_("flagged for review"),
    "unmatched": N_("no such client"),
}
STATUS_COLOURS = {
    "bad": "#FDE2E0",
    "unmatched": "#FDE2E0",
    "flagged": "#FFF4CC",
    "duplicate": "#ECEFF1",
    "update": "#E3F2FD",
}


def _state(page: QWizardPage) -> ImportState:
    state: ImportState = page.wizard().state  # type: ignore[attr-defined]
    return state


def _options(state: ImportState) -> Any:
    from custdesk.io.import_engine import ImportOptions

    return ImportOptions(
        kind=state.kind, duplicates=state.duplicates, bad_rows=state.bad_rows, region=state.region
    )


def counts_text(preview: ImportPreview) -> str:
    """What the whole file will give, as the preview says it (translated; "" without counts)."""
    c = preview.counts
    if not c:
        return ""
    numbers = {k: format_number(v) for k, v in c.items()}
    if preview.kind == "clients":
        return _(
            "The whole file: new {new} · flagged for review {flagged} · possible duplicates {possible} · "
            "update cards {updated} · left out {left_out}"
        ).format(
            new=numbers["new"],
            flagged=numbers["flagged"],
            possible=numbers["possible_duplicates"],
            updated=numbers["updated"],
            left_out=numbers["left_out"],
        )
    return _("The whole file: new {new} · no such client {unmatched} · left out {left_out}").format(
        new=numbers["new"], unmatched=numbers["unmatched"], left_out=numbers["left_out"]
    )


def region_question(preview: ImportPreview) -> str:
    """The question the preview asks when the phones fit another country far better ("" when not)."""
    from custdesk.core.validation import country_name
    from custdesk.io.phone_regions import calling_code

    if not preview.suggested_region:
        return ""
    return _(
        "The phones look like numbers of {country} (+{code}), not of {firm} ({share} of them read as "
        "{country}): read them as numbers of {country}?"
    ).format(
        country=country_name(preview.suggested_region),
        code=calling_code(preview.suggested_region),
        firm=country_name(preview.firm_region),
        share=_("{percent}%").format(percent=format_number(round(preview.region_share * 100))),
    )


class PreviewPage(QWizardPage):
    """The first rows as they will land; rows with problems highlighted, their reasons listed."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("importPreviewPage")
        self.setTitle(_("Preview"))
        self.setSubTitle(
            _("What the whole file will give, and its first rows as they will land. Nothing is imported yet.")
        )
        # No way back past this page: the import starts (after a cancel, the wizard starts afresh).
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Import"))
        self.summary = QLabel()
        self.summary.setObjectName("importPreviewSummary")
        self.summary.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setObjectName("importPreviewCounts")
        self.counts.setWordWrap(True)
        self.counts.setStyleSheet("font-weight: bold;")
        self.region = QCheckBox()
        self.region.setObjectName("importRegion")
        self.region.setVisible(False)
        self.region.toggled.connect(self._region_toggled)
        self.table = QTableWidget()
        self.table.setObjectName("importPreviewTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.problems = QLabel()
        self.problems.setObjectName("importPreviewProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.region)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)

    def initializePage(self) -> None:
        from custdesk.io.import_engine import preview

        state = _state(self)
        self.table.clear()
        self.table.setRowCount(0)
        self.summary.setText(_("Preparing the preview…"))
        self.counts.clear()
        self.problems.clear()
        state.preview = None
        self.completeChanged.emit()
        key = id(state.mapping), state.duplicates, state.bad_rows, state.region
        wizard = self.wizard()
        wizard.runner.run(  # type: ignore[attr-defined]
            preview,
            wizard.db,  # type: ignore[attr-defined]
            state.table,
            state.mapping,
            _options(state),
            limit=PREVIEW_ROWS,
            on_done=lambda result: self._shown(key, result),
            label=_("Preparing the preview…"),
        )

    def _region_toggled(self, checked: bool) -> None:
        state = _state(self)
        preview = state.preview
        if preview is None or not preview.suggested_region:
            return
        wanted = preview.suggested_region if checked else preview.firm_region
        if wanted != preview.region:
            state.region = wanted
            self.initializePage()

    def _shown(self, key: tuple[int, str, str, str | None], result: ImportPreview) -> None:
        state = _state(self)
        if key != (id(state.mapping), state.duplicates, state.bad_rows, state.region):
            return
        state.preview = result
        self.show_preview(result)
        self.completeChanged.emit()

    def show_preview(self, result: ImportPreview) -> None:
        """Fill the table with the preview's rows; a row with problems is coloured and lists them."""
        from custdesk.io.mapping import field_label

        fields = list(result.fields)
        self.table.setColumnCount(len(fields) + FIRST_FIELD)
        self.table.setHorizontalHeaderLabels(
            [_("Row"), _("What happens"), _("Problems")] + [field_label(f) for f in fields]
        )
        self.table.setRowCount(len(result.rows))
        with_issues = 0
        for r, row in enumerate(result.rows):
            status = _(STATUS_NAMES.get(row.status, row.status))
            if row.status == "new" and any(i.action == "possible_duplicate" for i in row.issues):
                status = _("imported: a possible duplicate")  # as the report says it
            if row.match:
                status = _("{status}: {client}").format(status=status, client=row.match)
            reasons = "\n".join(
                _("{column}: {reason}").format(column=i.column, reason=i.reason) if i.column else i.reason
                for i in row.issues
            )
            items = [
                QTableWidgetItem(format_number(row.row)),
                QTableWidgetItem(status),
                QTableWidgetItem(reasons.replace("\n", "; ")),
            ]
            # A left-to-right mark keeps "+7 …" reading left to right in a right-to-left table.
            items += [
                QTableWidgetItem(
                    ("\u200e" if f == "phone" and row.values.get(f) else "") + row.values.get(f, "")
                )
                for f in fields
            ]
            colour = STATUS_COLOURS.get(row.status) or ("#FFF4CC" if row.issues else None)
            with_issues += bool(row.issues)
            for c, item in enumerate(items):
                if colour:  # a light tint: its text dark, on a light or a dark window alike
                    item.setBackground(QBrush(QColor(colour)))
                    item.setForeground(QBrush(QColor("#1A1A1A")))
                if reasons:
                    item.setToolTip(reasons)
                if (
                    row.issues
                    and c >= FIRST_FIELD
                    and any(i.field == fields[c - FIRST_FIELD] for i in row.issues)
                ):
                    item.setForeground(QBrush(QColor("#B3261E")))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for c in range(self.table.columnCount()):
            header.resizeSection(c, min(header.sectionSize(c), 300 if c == FIRST_FIELD - 1 else 220))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        shown = ngettext(
            "The first {shown} of {total} row.", "The first {shown} of {total} rows.", result.total_rows
        ).format(shown=format_number(len(result.rows)), total=format_number(result.total_rows))
        if with_issues:
            shown = _("{shown} Rows with problems are coloured; the Problems column says why.").format(
                shown=shown
            )
        self.summary.setText(shown)
        self.counts.setText(counts_text(result))
        question = region_question(result)
        self.region.blockSignals(True)
        self.region.setText(question)
        self.region.setChecked(bool(question) and result.region == result.suggested_region)
        self.region.blockSignals(False)
        self.region.setVisible(bool(question))
        notes = list(result.problems)
        if result.unmapped:
            from custdesk.io.mapping import mapping_line

            mapping = _state(self).mapping
            if mapping is not None and any(mapping.left_out.get(h) for h in result.unmapped):
                notes.extend(mapping_line(mapping, h) for h in result.unmapped)
            else:
                notes.append(_("Not imported: {columns}.").format(columns=_(", ").join(result.unmapped)))
        self.problems.setText("\n".join(notes))
        self.problems.setStyleSheet(ERROR_STYLE if result.problems else "")

    def isComplete(self) -> bool:
        preview = _state(self).preview
        return preview is not None and not preview.problems


class _Bridge(QObject):
    """Carries progress from the worker to the run page (a queued signal)."""

    progressed = Signal(int, int)


class RunPage(QWizardPage):
    """The import running: a progress bar and Cancel; when it ends, the wizard goes on to the report."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("importRunPage")
        self.setTitle(_("Importing"))
        self.setSubTitle(_("The import is one transaction: until it ends, the base is as it was."))
        self.label = QLabel()
        self.label.setObjectName("importRunLabel")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.cancel_button = QPushButton(_("&Cancel the import"))
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        layout.addStretch(1)
        self.bridge = _Bridge()
        self.bridge.progressed.connect(self._progressed)
        self.task: Task | None = None
        self.finished = False
        self.cancelled = False

    @property
    def running(self) -> bool:
        """Whether the import is on its way."""
        return self.task is not None

    def initializePage(self) -> None:
        from custdesk.io.import_engine import run_import

        state = _state(self)
        self.finished = self.cancelled = False
        total = state.table.total_rows if state.table is not None else 0
        self.label.setText(
            ngettext("Importing {count} row…", "Importing {count} rows…", total).format(
                count=format_number(total)
            )
        )
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        bridge = self.bridge
        wizard = self.wizard()

        def work(db: Any, table: Any, mapping: Any, options: Any, progress: Any) -> ImportReport:
            def report(done: int, total: int) -> None:
                progress(done, total)  # raises Cancelled once Cancel was pressed
                bridge.progressed.emit(done, total)

            return run_import(db, table, mapping, options, progress=report)

        self.task = wizard.runner.run(  # type: ignore[attr-defined]
            work,
            wizard.db,  # type: ignore[attr-defined]
            state.table,
            state.mapping,
            _options(state),
            with_progress=True,
            on_done=self._done,
            on_error=self._failed,
        )

    def _progressed(self, done: int, total: int) -> None:
        if self.task is None or total <= 0:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))
        self.label.setText(
            _("Imported {done} of {total} rows…").format(done=format_number(done), total=format_number(total))
        )

    def cancel(self) -> None:
        """Stop the import; nothing of it stays in the base."""
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(_("Cancelling…"))

    def _done(self, report: ImportReport) -> None:
        from custdesk.core.dto import Change

        self.task = None
        self.finished = True
        _state(self).report = report
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.cancel_button.setEnabled(False)
        wizard = self.wizard()
        wizard.bus.changed.emit(Change("base"))  # type: ignore[attr-defined]
        self.completeChanged.emit()
        wizard.next()

    def _failed(self, exc: BaseException) -> None:
        from custdesk.ui.tasks import Cancelled, show_error

        self.task = None
        self.cancel_button.setEnabled(False)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        if isinstance(exc, Cancelled):
            self.cancelled = True
            self.label.setText(_("The import was cancelled. Nothing was imported: the base is as it was."))
        else:
            self.label.setText(_("The import failed. Nothing was imported: the base is as it was."))
            self.label.setStyleSheet(ERROR_STYLE)
            show_error(self, exc)
        self.completeChanged.emit()
        self.wizard().import_stopped()  # type: ignore[attr-defined]

    def isComplete(self) -> bool:
        return self.finished


class ReportPage(QWizardPage):
    """What the import did: the counts and every row that did not land as it was."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("importReportPage")
        self.setTitle(_("Import report"))
        self.setSubTitle(_("You can open this report again later: File > Import reports…"))
        self.view = ReportView()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)

    def initializePage(self) -> None:
        report = _state(self).report
        if report is not None:
            self.view.show_report(report)


__all__ = ["PreviewPage", "ReportPage", "RunPage"]
