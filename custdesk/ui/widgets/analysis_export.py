"""Exporting the analysis tab: an Excel workbook of its tables, or a PDF of its charts and tables.

.xlsx: written entirely on the base worker (:func:`custdesk.analysis.report_xlsx.export_report_xlsx`,
journalled there). PDF: the charts are rendered to images on the base worker (matplotlib Agg), then the
pages are laid out and painted on the GUI thread by :func:`custdesk.ui.printing.print_to_pdf`
(``QTextDocument`` must live in the GUI thread), and the export is journalled on the worker. Both show
progress with Cancel when they last; a failed or cancelled export leaves no file behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6

from custdesk.i18n import _
from custdesk.ui.formatting import format_date
from custdesk.ui.tasks import Cancelled, show_error

if TYPE_CHECKING:
    from custdesk.ui.analysis_tab import AnalysisTab


def export(tab: AnalysisTab, path: str) -> None:
    """Export the report to ``path`` (PDF for ``.pdf``, else .xlsx); the status line says how it went."""
    if tab.report is None:
        return
    target = Path(path)
    if target.suffix.lower() == ".pdf":
        _export_pdf(tab, target)
    else:
        _export_xlsx(tab, target)


def _finished(tab: AnalysisTab, target: Path) -> None:
    if shiboken6.isValid(tab):
        tab.status.setText(_("The analysis was exported to {path}.").format(path=str(target)))
        tab.exported.emit(str(target))


def _failed(tab: AnalysisTab, exc: BaseException) -> None:
    if not shiboken6.isValid(tab):
        return
    if isinstance(exc, Cancelled):
        tab.status.setText(_("The export was cancelled; no file was written."))
        return
    show_error(tab, exc)


def _export_xlsx(tab: AnalysisTab, target: Path) -> None:
    from custdesk.analysis.report_xlsx import export_report_xlsx

    tab.runner.run(
        export_report_xlsx,
        tab.db,
        tab.report,
        target,
        with_progress=True,
        label=_("Exporting the analysis…"),
        on_done=lambda _sheets: _finished(tab, target),
        on_error=lambda exc: _failed(tab, exc),
    )


def _export_pdf(tab: AnalysisTab, target: Path) -> None:
    from custdesk.analysis.report_pdf import chart_images

    report = tab.report
    fmt = tab.formats()

    def laid_out(images: list[tuple[str, bytes]]) -> None:
        if not shiboken6.isValid(tab):
            return
        try:
            _print(tab, report, images, fmt, target)
        except BaseException as exc:  # a PDF that cannot be written: a message, no file left
            target.unlink(missing_ok=True)
            _failed(tab, exc)

    tab.runner.run(
        chart_images,
        report,
        fmt,
        with_progress=True,
        label=_("Drawing the charts…"),
        on_done=laid_out,
        on_error=lambda exc: _failed(tab, exc),
    )


def _print(tab: AnalysisTab, report: Any, images: list[tuple[str, bytes]], fmt: Any, target: Path) -> None:
    from custdesk.analysis.report_pdf import documents
    from custdesk.analysis.report_xlsx import journal_export
    from custdesk.ui.printing import print_to_pdf
    from custdesk.ui.widgets.analysis_view import thresholds_text

    p = report.parameters.period
    period_text = _("Period: {start} – {end}").format(start=format_date(p.start), end=format_date(p.end))
    abc, xyz = thresholds_text(report, fmt)
    docs = documents(report, images, fmt, period_text=period_text, rules=f"{abc}. {xyz}.")
    pages = print_to_pdf(docs, target, firm_name=tab.firm_name)
    tab.last_pdf_pages = pages
    tab.runner.run(
        journal_export,
        tab.db,
        report,
        target,
        "pdf",
        on_done=lambda _r: _finished(tab, target),
        on_error=lambda exc: _failed(tab, exc),
    )


__all__ = ["export"]
