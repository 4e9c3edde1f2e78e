"""The analysis as an Excel workbook: one sheet per table, formatted (openpyxl, write-only, no Qt).

Sheets: Summary (what was computed, for which window and thresholds), ABC, XYZ, ABC × XYZ (the matrix
with counts and revenue per cell and the D row), RFM (segments and the spread of scores), Clients (the
classes of every client), Dynamics, Plan, Growth, Funnel and Geography. Headers are bold and frozen with
an autofilter; money has two decimals and thousands separators, shares are percentages, dates real dates.
Write-only mode streams the rows, so 100,000 clients take little memory. Names that a spreadsheet would
run as formulas are written as quoted text (:mod:`custdesk.io.exporters.columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from custdesk.analysis.matrix import COLUMNS, ROWS
from custdesk.analysis.parameters import BUCKET_LABELS, CRITERION_LABELS, threshold_text
from custdesk.analysis.report import AnalysisReport
from custdesk.analysis.rfm import SEGMENT_LABELS
from custdesk.core import vocab
from custdesk.core.db import Database
from custdesk.core.models import Client
from custdesk.i18n import _
from custdesk.io.exporters.columns import is_formula_like

MONEY = "#,##0.00"
COUNT = "#,##0"
SHARE = "0.0%"
RATIO = "0.000"
DAY = "yyyy-mm-dd"
STAMP = "yyyy-mm-dd hh:mm"
_CHUNK = 500

Progress = Callable[[int, int], None]
Kind = str  # "text", "count", "money", "share", "ratio", "day", "stamp"


def client_names(db: Database, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """``{id: (external id, shown name)}`` of the clients (organisation name for organisations)."""
    out: dict[int, tuple[str, str]] = {}
    with db.session() as s:
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            stmt = select(Client.id, Client.external_id, Client.kind, Client.name, Client.organisation)
            for cid, ext, kind, name, org in s.execute(stmt.where(Client.id.in_(chunk))):
                shown = org if kind == "organisation" and org else (name or org)
                out[int(cid)] = (ext, shown)
    return out


class _Sheet:
    """One sheet: a bold frozen header, typed cells, widths from the header and the first rows."""

    FORMATS: ClassVar[dict[str, str]] = {
        "count": COUNT,
        "money": MONEY,
        "share": SHARE,
        "ratio": RATIO,
        "day": DAY,
        "stamp": STAMP,
    }

    def __init__(
        self, book: Workbook, title: str, columns: Sequence[tuple[str, Kind]], widths: Sequence[int]
    ):
        self.sheet = book.create_sheet(title[:31])
        self.kinds = [k for _h, k in columns]
        for i, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
        bold = Font(bold=True)
        header = []
        for text, _kind in columns:
            cell = WriteOnlyCell(self.sheet, text)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        self.sheet.append(header)

    def cell(self, value: Any, kind: Kind) -> Any:
        if value is None:
            return None
        if kind == "text":
            text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            if not is_formula_like(text):
                return text
            cell = WriteOnlyCell(self.sheet, text)
            cell.data_type = "s"
            cell.quotePrefix = True
            return cell
        if isinstance(value, float | int | Decimal) and kind == "share":
            value = float(value)
        if isinstance(value, datetime):
            value = value.replace(microsecond=0)
        cell = WriteOnlyCell(self.sheet, value)
        cell.number_format = self.FORMATS[kind]
        return cell

    def row(self, values: Iterable[Any]) -> None:
        self.sheet.append([self.cell(v, k) for v, k in zip(values, self.kinds, strict=True)])


def _share(part: Decimal | int, whole: Decimal | int) -> float | None:
    return float(Decimal(part) / Decimal(whole)) if whole else None


def _summary(book: Workbook, report: AnalysisReport) -> None:
    p = report.parameters
    a = report.analysis
    sheet = _Sheet(book, _("Summary"), [(_("What"), "text"), (_("Value"), "text")], [40, 44])
    sheet.kinds = ["text", "text"]
    rows: list[tuple[str, Any, Kind]] = [
        (_("Period from"), p.period.start, "day"),
        (_("Period to"), p.period.end, "day"),
        (_("ABC criterion"), _(CRITERION_LABELS[p.criterion]), "text"),
        (
            _("ABC thresholds (A below, B below)"),
            ", ".join(threshold_text(t) for t in p.abc_thresholds),
            "text",
        ),
        (_("XYZ buckets"), _(BUCKET_LABELS[p.bucket]), "text"),
        (
            _("XYZ thresholds (X up to, Y up to)"),
            ", ".join(threshold_text(t) for t in p.xyz_thresholds),
            "text",
        ),
        (_("Computed at"), a.computed_at, "stamp"),
        (_("Currency"), report.currency, "text"),
        (_("Clients analysed"), int(a.client_ids.size), "count"),
        (_("Clients who bought in the period"), a.buyers, "count"),
        (_("Revenue in the period"), a.revenue, "money"),
    ]
    for label, value, kind in rows:
        sheet.sheet.append([sheet.cell(label, "text"), sheet.cell(value, kind)])


def _classes(book: Workbook, report: AnalysisReport) -> None:
    totals = report.analysis.totals()
    clients = sum(t.clients for t in totals["abc"])
    revenue = report.analysis.revenue
    cols = [
        (_("Class"), "text"),
        (_("Clients"), "count"),
        (_("Share of clients"), "share"),
        (_("Revenue"), "money"),
        (_("Share of revenue"), "share"),
        (_("Profit"), "money"),
    ]
    abc = _Sheet(book, _("ABC"), cols, [10, 12, 14, 18, 14, 18])
    for t in totals["abc"]:
        abc.row(
            [t.name, t.clients, _share(t.clients, clients), t.revenue, _share(t.revenue, revenue), t.profit]
        )
    buyers = report.analysis.buyers
    xyz = _Sheet(book, _("XYZ"), cols[:5], [10, 12, 14, 18, 14])
    for t in totals["xyz"]:
        xyz.row([t.name, t.clients, _share(t.clients, buyers), t.revenue, _share(t.revenue, revenue)])
    m = report.matrix
    cols = [(_("ABC"), "text")]
    for x in COLUMNS:
        cols += [(_("{cell} clients").format(cell=x), "count"), (_("{cell} revenue").format(cell=x), "money")]
    matrix = _Sheet(book, _("ABC × XYZ"), cols, [8] + [12, 18] * len(COLUMNS))
    for a in ROWS:
        values: list[Any] = [a]
        for x in COLUMNS:
            values += [m.cell(a, x).clients, m.cell(a, x).revenue]
        matrix.row(values)
    matrix.row(["D", m.d_row.clients, m.d_row.revenue, None, None, None, None])
    rfm = _Sheet(
        book,
        _("RFM"),
        [
            (_("Segment"), "text"),
            (_("Clients"), "count"),
            (_("Revenue"), "money"),
            (_("Share of revenue"), "share"),
        ],
        [24, 12, 18, 14],
    )
    for t in totals["segment"]:
        rfm.row([_(SEGMENT_LABELS.get(t.name, t.name)), t.clients, t.revenue, _share(t.revenue, revenue)])


def _clients(
    book: Workbook, report: AnalysisReport, names: dict[int, tuple[str, str]], progress: Progress | None
) -> None:
    cols = [
        (_("Id"), "count"),
        (_("External ID"), "text"),
        (_("Name"), "text"),
        (_("ABC"), "text"),
        (_("XYZ"), "text"),
        (_("CV (coefficient of variation)"), "ratio"),
        (_("Recency, days"), "count"),
        (_("Frequency"), "count"),
        (_("Monetary"), "money"),
        (_("Profit"), "money"),
        (_("R"), "count"),
        (_("F"), "count"),
        (_("M"), "count"),
        (_("Segment"), "text"),
    ]
    sheet = _Sheet(book, _("Clients"), cols, [8, 14, 34, 6, 6, 8, 10, 10, 14, 14, 5, 5, 5, 20])
    rows = report.analysis.clients()
    for i, c in enumerate(rows):
        ext, name = names.get(c.client_id, ("", ""))
        segment = _(SEGMENT_LABELS[c.segment]) if c.segment else None
        sheet.row(
            [
                c.client_id,
                ext,
                name,
                c.abc,
                c.xyz,
                c.cv,
                c.recency,
                c.frequency,
                c.monetary,
                c.profit,
                c.r,
                c.f,
                c.m,
                segment,
            ]
        )
        if progress is not None and i % 5000 == 0:
            progress(i, len(rows))


def _over_time(book: Workbook, report: AnalysisReport) -> None:
    dyn = _Sheet(
        book,
        _("Dynamics"),
        [
            (_("Period"), "text"),
            (_("First day"), "day"),
            (_("Revenue"), "money"),
            (_("Buying clients"), "count"),
            (_("Revenue a year earlier"), "money"),
            (_("Buying clients a year earlier"), "count"),
            (_("Revenue change"), "share"),
            (_("Buyers change"), "share"),
        ],
        [12, 12, 16, 12, 16, 14, 12, 12],
    )
    for r in report.dynamics:
        dyn.row(
            [
                r.bucket.key,
                r.bucket.start,
                r.revenue,
                r.buyers,
                r.revenue_year_ago,
                r.buyers_year_ago,
                r.revenue_change,
                r.buyers_change,
            ]
        )
    plan = _Sheet(
        book,
        _("Plan"),
        [(_("Month"), "day"), (_("Plan"), "money"), (_("Actual"), "money"), (_("Fulfilment"), "share")],
        [12, 16, 16, 12],
    )
    for m in report.plan:
        plan.row([m.month, m.plan, m.actual, None if m.fulfilment is None else m.fulfilment / 100])
    growth = _Sheet(
        book,
        _("Growth"),
        [
            (_("Period"), "text"),
            (_("First day"), "day"),
            (_("New buyers"), "count"),
            (_("New cards"), "count"),
            (_("Active"), "count"),
            (_("Lapsed"), "count"),
            (_("One-time buyers"), "share"),
            (_("Retention"), "share"),
        ],
        [12, 12, 12, 12, 10, 10, 14, 12],
    )
    for g in report.growth:
        growth.row(
            [
                g.bucket.key,
                g.bucket.start,
                g.new_buyers,
                g.new_cards,
                g.active,
                g.lapsed,
                g.one_time_share,
                g.retention,
            ]
        )


def _base(book: Workbook, report: AnalysisReport) -> None:
    funnel = _Sheet(book, _("Funnel"), [(_("Marker"), "text"), (_("Clients"), "count")], [20, 12])
    for c in report.funnel.counts:
        funnel.row([vocab.funnel_label(c.key) if c.key in vocab.FUNNEL_BY_KEY else c.key, c.clients])
    for c in report.temperature:
        funnel.row([vocab.label(vocab.TEMPERATURES, c.key), c.clients])
    geo = _Sheet(
        book,
        _("Geography"),
        [
            (_("Region"), "text"),
            (_("City"), "text"),
            (_("Clients"), "count"),
            (_("All-time revenue"), "money"),
        ],
        [28, 28, 12, 18],
    )
    for g in report.cities:
        geo.row([g.region, g.city, g.clients, g.revenue])


def write_report_xlsx(
    report: AnalysisReport,
    path: str | Path,
    names: dict[int, tuple[str, str]],
    progress: Progress | None = None,
) -> list[str]:
    """Write ``report`` to the workbook ``path``; returns the sheet titles.

    Args:
        report: the computed analysis.
        path: the .xlsx file to write.
        names: ``{id: (external id, name)}`` from :func:`client_names`.
        progress: called with (clients written, clients) while the Clients sheet is written.
    """
    book = Workbook(write_only=True)
    _summary(book, report)
    _classes(book, report)
    _clients(book, report, names, progress)
    _over_time(book, report)
    _base(book, report)
    book.save(str(path))
    return list(book.sheetnames)


def export_report_xlsx(
    db: Database,
    report: AnalysisReport,
    path: str | Path,
    progress: Progress | None = None,
    *,
    who: str | None = None,
) -> list[str]:
    """Write the workbook and journal the export (one "export" entry); returns the sheet titles.

    Raises:
        AccessDenied: the user's role may not export (nothing is written).
    """
    from custdesk.core.services import access

    access.require(db, access.Permission.EXPORT)
    names = client_names(db, [int(i) for i in report.analysis.client_ids])
    target = Path(path)
    try:
        sheets = write_report_xlsx(report, target, names, progress)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    journal_export(db, report, target, "xlsx", who=who)
    return sheets


def journal_export(
    db: Database, report: AnalysisReport, path: Path, fmt: str, *, who: str | None = None
) -> None:
    """One journal entry for an export of the analysis (what, where, for which window)."""
    from custdesk.core.services.audit import record

    p = report.parameters.period
    with db.session() as s:
        record(
            s,
            "export",
            "analysis",
            None,
            field=fmt,
            new=f"{path.name}: {p.start.isoformat()}..{p.end.isoformat()}, "
            f"{int(report.analysis.client_ids.size)} clients",
            who=who,
        )


__all__ = ["client_names", "export_report_xlsx", "journal_export", "write_report_xlsx"]
