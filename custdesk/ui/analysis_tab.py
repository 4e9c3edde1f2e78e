"""The Analysis tab: who brings the money, who is slipping away, whether the plan is met.

The owner picks a period (the last 1, 3 or 5 years, or any dates), ABC by revenue or profit and the XYZ
bucket, and presses Compute: :func:`custdesk.analysis.report.build_report` runs on the base worker with
progress and Cancel. The views (a list on the left) show ABC, XYZ, the ABC × XYZ matrix, RFM, Pareto,
sales dynamics, plan vs actual (the plan typed per month here), growth, funnel, temperature and
geography; the thresholds in force are shown beside the results and can be changed (firm settings).
A click on a table row, a bar, a matrix cell or a curve point opens the client list filtered to those
clients; "Store classes" writes ABC, XYZ and the RFM segment onto the clients for the list's columns and
filters; "Export…" writes the analysis to .xlsx or PDF (:mod:`custdesk.ui.widgets.analysis_export`).

matplotlib is imported only when a chart is first drawn (the tab computes when it is first shown).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QMessageBox,
    QWidget,
)

from custdesk import i18n
from custdesk.core.dto import Change
from custdesk.i18n import _
from custdesk.ui.formatting import RLM, to_qdate
from custdesk.ui.models.client_table import COLUMN_INDEX
from custdesk.ui.tasks import Cancelled, ChangeBus, TaskRunner, show_error
from custdesk.ui.widgets import analysis_view
from custdesk.ui.widgets.analysis_pages import PAGES

if TYPE_CHECKING:
    from custdesk.core.db import Database
    from custdesk.ui.main_window import MainWindow

CLASS_COLUMNS = ("abc", "xyz", "segment")


def paragraphs_in_direction(text: str) -> str:
    """Each paragraph (line) of a label's text laid out in the interface's direction.

    A QLabel takes the direction of each paragraph from its first strong character: the thresholds line
    starts with "A:" (a Latin letter), so in a Persian window it would read left to right, "A:" at the
    far left of a right-aligned line. Right to left, each paragraph starts with a right-to-left mark;
    left to right, ``text`` is returned unchanged.
    """
    if not text or not i18n.is_rtl():
        return text
    return "\n".join(line if not line or line.startswith(RLM) else RLM + line for line in text.split("\n"))


class AnalysisTab(QWidget):
    """The analysis tab over one open base."""

    clients_requested = Signal(object, str)  # frozenset[int] of client ids, the chip's label
    target_menu_requested = Signal(object, object)  # a figure's target and where it was right-clicked
    markers_requested = Signal(object, object)  # funnel markers, temperatures (tuples)
    computed = Signal()
    exported = Signal(str)  # the path written
    classes_stored = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        *,
        currency: str = "USD",
        firm_name: str = "",
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("analysisTab")
        self.runner, self.db, self.bus = runner, db, bus
        self.currency, self.firm_name = currency, firm_name
        self.today = today or date.today()
        self.report: Any = None  # custdesk.analysis.report.AnalysisReport
        self.dynamics_rows: Any = None
        self._shown_once = False
        self._settings_loaded = False
        self.last_pdf_pages = 0
        self._build()

    # --- building ------------------------------------------------------------------------------------

    def _build(self) -> None:
        from custdesk.ui.widgets.analysis_controls import build

        build(self)

    # --- parameters ----------------------------------------------------------------------------------

    def set_thresholds(self, abc: Any, xyz: Any) -> None:
        """Show thresholds (shares, e.g. 0.8 and 0.95) in the spin boxes as percentages."""
        for spin, value in zip((self.abc_a, self.abc_b, self.xyz_x, self.xyz_y), (*abc, *xyz), strict=True):
            spin.setValue(float(Decimal(str(value)) * 100))

    def thresholds(self) -> tuple[list[float], list[float]]:
        """The thresholds in the spin boxes as shares."""

        def share(spin: QDoubleSpinBox) -> float:
            return float(Decimal(str(round(spin.value(), 1))) / 100)

        return [share(self.abc_a), share(self.abc_b)], [share(self.xyz_x), share(self.xyz_y)]

    def _preset_changed(self, _index: int = 0) -> None:
        key = self.preset.currentData()
        custom = key == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            from custdesk.analysis.period import Period

            period = Period.last_years(int(key), self.today)
            self.date_from.setDate(to_qdate(period.start))
            self.date_to.setDate(to_qdate(period.end))

    def period(self) -> Any:
        """The chosen window (raises ValidationFailed when it starts after it ends)."""
        from custdesk.analysis.period import Period

        def day(edit: QDateEdit) -> date:
            d: QDate = edit.date()
            return date(d.year(), d.month(), d.day())

        return Period.custom(day(self.date_from), day(self.date_to))

    def parameters(self) -> Any:
        """The analysis parameters chosen in the tab."""
        from custdesk.analysis.parameters import AnalysisParameters

        abc, xyz = self.thresholds()
        return AnalysisParameters(
            self.period(),
            criterion=self.criterion.currentData(),
            bucket=self.bucket.currentData(),
            abc_thresholds=abc,  # type: ignore[arg-type]
            xyz_thresholds=xyz,  # type: ignore[arg-type]
        )

    # --- showing and computing ----------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        """Write the status line (window, thresholds in force, what was done) in the interface's direction."""
        self.status.setText(paragraphs_in_direction(text))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.load_settings(then_compute=True)

    def load_settings(self, *, then_compute: bool = False) -> None:
        """Read the firm's thresholds and bucket (then compute, the first time the tab shows)."""
        from custdesk.core.services import settings

        def done(values: dict[str, Any]) -> None:
            if not shiboken6.isValid(self):
                return
            self.set_thresholds(values["abc_thresholds"], values["xyz_thresholds"])
            index = self.bucket.findData(values.get("xyz_bucket", "month"))
            self.bucket.setCurrentIndex(max(0, index))
            self.currency = str(values.get("currency", self.currency))
            self.firm_name = str(values.get("firm_name", self.firm_name))
            self._settings_loaded = True
            if then_compute:
                self.compute()

        self.runner.run(settings.get_all, self.db, on_done=done)

    def compute(self) -> None:
        """Compute the analysis for the chosen parameters on the base worker (progress, Cancel)."""
        from custdesk.analysis.report import build_report

        try:
            params = self.parameters()
        except Exception as exc:  # ValidationFailed: a clear message, nothing lost
            show_error(self, exc)
            return
        self.compute_button.setEnabled(False)
        self.show_status(_("Computing…"))
        self.runner.run(
            build_report,
            self.db,
            params,
            currency=self.currency,
            with_progress=True,
            label=_("Computing the analysis…"),
            on_done=self._computed,
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.compute_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.show_status(_("The analysis was cancelled; the results shown are from before."))
            return
        self.show_status(_("The analysis failed."))
        show_error(self, exc)

    def _computed(self, report: Any) -> None:
        if not shiboken6.isValid(self):
            return
        self.report = report
        self.dynamics_rows = report.dynamics
        self.pages.dynamics_bucket.blockSignals(True)
        self.pages.dynamics_bucket.setCurrentIndex(
            max(0, self.pages.dynamics_bucket.findData(report.parameters.bucket))
        )
        self.pages.dynamics_bucket.blockSignals(False)
        self.compute_button.setEnabled(True)
        self.store_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.show_status(analysis_view.status_text(report))
        analysis_view.fill_tables(self.pages, report, self.formats())
        for note in (self.pages.xyz_note, self.pages.dynamics_note):  # they start with the rule ("XYZ …")
            note.setText(paragraphs_in_direction(note.text()))
        for page in self.pages.pages.values():
            page.dirty = True
            page.draw_chart = lambda key=page.key: self._draw(key)
        self.load_plan()
        self._show_page(self.views.currentRow())
        self.computed.emit()

    def formats(self) -> Any:
        """Chart formatters in the interface's locale and the firm's currency."""
        from custdesk.ui.widgets.analysis_chart import qt_formats

        return qt_formats(self.currency)

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.stack.setCurrentIndex(row)
            if self.report is not None:
                self.pages.pages[PAGES[row]].draw_if_needed()

    def _draw(self, key: str) -> None:
        analysis_view.draw_page(self, key)

    def _redraw(self, key: str) -> None:
        page = self.pages.pages[key]
        page.dirty = True
        if self.report is not None and self.stack.currentWidget() is page:
            page.draw_if_needed()

    def show_view(self, key: str) -> None:
        """Bring a view to the front (``"matrix"``, ``"plan"``…)."""
        self.views.setCurrentRow(PAGES.index(key))

    def _dynamics_bucket_changed(self, _index: int) -> None:
        if self.report is None:
            return
        from custdesk.analysis.dynamics import sales_dynamics
        from custdesk.analysis.report import dynamics_window_of

        size = self.pages.dynamics_bucket.currentData()
        period = self.report.parameters.period

        def done(rows: Any) -> None:
            if shiboken6.isValid(self):
                self.dynamics_rows = rows
                self._redraw("dynamics")

        window = dynamics_window_of(period, size)
        self.runner.run(sales_dynamics, self.db, size, period.end, period=window, on_done=done)

    # --- plan ----------------------------------------------------------------------------------------

    def load_plan(self) -> None:
        """Fill the plan table: the window's months and the twelve after it."""
        from custdesk.analysis.plan import plan_vs_actual

        if self.report is None:
            return
        period = self.report.parameters.period
        last = date(period.end.year + 1, period.end.month, 1)

        def done(months: Any) -> None:
            if not shiboken6.isValid(self):
                return
            fmt = self.formats()
            self.pages.plan_page.plan_table.set_months(
                months, fmt.amount, lambda value: fmt.percent(float(value) / 100, 1)
            )
            inside = [m for m in months if m.month <= period.end]
            self.report = dataclasses.replace(self.report, plan=inside)
            self._redraw("plan")

        self.runner.run(plan_vs_actual, self.db, period.start, last, on_done=done)

    def set_plan(self, month: date, amount: Decimal | None) -> None:
        """Save the plan of a month (journalled), then show it."""
        from custdesk.analysis.plan import set_plan

        self.runner.run(set_plan, self.db, month, amount, on_done=lambda _r: self.load_plan())

    def _bad_amount(self, text: str) -> None:
        QMessageBox.warning(
            self,
            _("Plan"),
            _("“{text}” is not an amount. Type the plan as a number, e.g. 12500 or 12500.50.").format(
                text=text
            ),
        )
        self.load_plan()

    # --- thresholds, storing, clients behind a figure ------------------------------------------------

    def apply_xyz_proposal(self) -> None:
        """Put the proposed XYZ thresholds in the boxes and compute again (one click; not yet saved)."""
        proposal = getattr(self.report, "xyz_proposal", None)
        if proposal is None:
            return
        abc, _xyz = self.thresholds()
        self.set_thresholds(abc, [float(t) for t in proposal.thresholds])
        self.compute()

    def save_thresholds(self) -> None:
        """Keep the thresholds and the XYZ bucket as the firm's settings (checked first)."""
        from custdesk.analysis.parameters import parse_thresholds
        from custdesk.core.services import settings

        abc, xyz = self.thresholds()
        try:
            parse_thresholds(abc, "abc")
            parse_thresholds(xyz, "xyz")
        except Exception as exc:
            show_error(self, exc)
            return
        values = {"abc_thresholds": abc, "xyz_thresholds": xyz, "xyz_bucket": self.bucket.currentData()}

        def done(_result: object) -> None:
            if shiboken6.isValid(self):
                self.show_status(_("Thresholds saved. Press Compute to apply them."))
            self.bus.changed.emit(Change("setting", fields=tuple(values)))

        self.runner.run(settings.set_values, self.db, values, on_done=done)

    def store_classes(self) -> None:
        """Write the computed classes onto the clients (one transaction, journalled)."""
        from custdesk.analysis.store import store_analysis

        if self.report is None:
            return

        def done(run: Any) -> None:
            if shiboken6.isValid(self):
                self.show_status(analysis_view.stored_text(run))
                self.classes_stored.emit()
            self.bus.changed.emit(Change("client", fields=("abc_class", "xyz_class", "rfm_segment")))

        self.runner.run(
            store_analysis, self.db, self.report.analysis, on_done=done, label=_("Storing classes…")
        )

    def open_target(self, target: Any) -> None:
        """Open the client list on the clients behind a clicked figure."""
        from custdesk.analysis.report import clients_of

        if self.report is None:
            return
        if target[0] == "funnel":
            self.markers_requested.emit((target[1],), ())
            return
        if target[0] == "temperature":
            self.markers_requested.emit((), (target[1],))
            return
        what = analysis_view.describe(target, self.pages)

        def done(ids: list[int] | None) -> None:
            if ids is None or not shiboken6.isValid(self):
                return
            label = _("Analysis: {what} — {clients}").format(
                what=what, clients=analysis_view.clients_text(len(ids))
            )
            self.clients_requested.emit(frozenset(ids), label)

        self.runner.run(clients_of, self.db, self.report, target, on_done=done)

    def clients_of_target(self, target: Any, then: Any) -> None:
        """Find the clients behind a figure on the base worker, then ``then(ids, what)``."""
        from custdesk.analysis.report import clients_of

        if self.report is None:
            return
        what = analysis_view.describe(target, self.pages)

        def done(ids: list[int] | None) -> None:
            if ids is not None and shiboken6.isValid(self):
                then(ids, what)

        self.runner.run(clients_of, self.db, self.report, target, on_done=done)

    # --- export --------------------------------------------------------------------------------------

    def choose_export(self) -> None:
        """Ask where to export the analysis (.xlsx or PDF) and export it."""
        if self.report is None:
            return
        xlsx, pdf = _("Excel workbook (*.xlsx)"), _("PDF document (*.pdf)")
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export the analysis"), "analysis.xlsx", f"{xlsx};;{pdf}"
        )
        if not path:
            return
        if chosen == pdf and not path.lower().endswith(".pdf"):
            path += ".pdf"
        elif chosen == xlsx and not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self.export_to(path)

    def export_to(self, path: str) -> None:
        """Export to ``path``: a PDF for ``.pdf``, else an Excel workbook (off the GUI thread)."""
        from custdesk.ui.widgets import analysis_export

        analysis_export.export(self, path)


def install(window: MainWindow) -> None:
    """The Analysis main tab; its clicks open the client list filtered to the clients behind them."""
    tab = AnalysisTab(
        window.runner,
        window.db,
        window.bus,
        currency=window.model.currency,
        parent=window,
    )

    def show_clients(ids: frozenset[int], label: str) -> None:
        if window.search.text():
            window.search.clear()
        window.filters.set_analysis_selection(ids, label)
        window.filters_dock.show()
        window.show_client_list()

    def show_markers(funnels: tuple[str, ...], temperatures: tuple[str, ...]) -> None:
        if window.search.text():
            window.search.clear()
        window.filters.set_funnels(funnels, temperatures)
        window.filters_dock.show()
        window.show_client_list()

    header = window.table.horizontalHeader()

    def show_class_columns(shown: bool) -> None:
        # The ABC, XYZ and segment columns appear once classes have been stored: empty, they only crowd.
        if not shiboken6.isValid(header):
            return
        for key in CLASS_COLUMNS:
            header.setSectionHidden(COLUMN_INDEX[key], not shown)

    def run_stored(run: Any) -> None:
        show_class_columns(run is not None)

    from custdesk.analysis.store import latest_run

    show_class_columns(False)
    window.runner.run(latest_run, window.db, on_done=run_stored)
    tab.classes_stored.connect(lambda: show_class_columns(True))
    tab.clients_requested.connect(show_clients)
    tab.markers_requested.connect(show_markers)
    window.add_tab(tab, _("Analysis"))
    window.analysis_tab = tab  # type: ignore[attr-defined]


__all__ = ["AnalysisTab", "install", "paragraphs_in_direction"]
