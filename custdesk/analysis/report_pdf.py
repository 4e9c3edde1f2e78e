"""The analysis as print documents (HTML with the charts as images), for a PDF made by Qt printing.

Why this way: the PDF goes through the same printing path as cards and lists
(:func:`custdesk.ui.printing.print_to_pdf`: ``QTextDocument`` pages with the running header, page
numbers, DejaVu embedded, right-to-left text laid out by Qt), so tables paginate between rows and repeat
their header, and Persian reads right. The charts are drawn here by matplotlib's Agg renderer (no Qt,
so on the base worker) into PNG images at 150 dpi and embedded as ``data:`` URLs, which ``QTextDocument``
reads. matplotlib's own PdfPages would give vector charts, but tables in matplotlib are poor and a
second PDF path would drift from the app's printing.

The per-client table is not in the PDF (100,000 rows); it is in the .xlsx export.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from typing import Any

from custdesk.analysis.period import bucket_of
from custdesk.analysis.report import AnalysisReport
from custdesk.analysis.rfm import SEGMENT_LABELS
from custdesk.core.services.client_list import SEGMENT_ORDER
from custdesk.i18n import _, is_rtl
from custdesk.io.print_html import PrintDocument, esc

Progress = Callable[[int, int], None]
CHART_DPI = 150
CHART_SIZE = (9.0, 5.2)  # inches; the printed body of an A4 page is about 7 inches wide


def chart_images(
    report: AnalysisReport, fmt: Any, progress: Progress | None = None
) -> list[tuple[str, bytes]]:
    """Every chart of the report as ``(title, PNG bytes)`` (Agg, no Qt; may run off the GUI thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from custdesk.analysis import charts
    from custdesk.analysis.chart_style import fit_titles

    totals = report.analysis.totals()
    period = report.parameters.period
    window = report.dynamics_window
    plans: list[tuple[str, Callable[[Any], object]]] = [
        (_("ABC × XYZ"), lambda f: charts.draw_matrix(f, report.matrix, fmt)),
        (_("ABC"), lambda f: charts.draw_abc(f, totals["abc"], fmt)),
        (_("XYZ"), lambda f: charts.draw_xyz(f, totals["xyz"], "", fmt)),
        (_("RFM segments"), lambda f: charts.draw_segments(f, totals["segment"], fmt)),
        (_("Pareto"), lambda f: charts.draw_pareto(f, report.pareto, fmt)),
        (
            _("Sales dynamics"),
            lambda f: charts.draw_dynamics(f, report.dynamics, fmt, start=window.start, until=window.end),
        ),
        (_("Plan vs actual"), lambda f: charts.draw_plan(f, report.plan, fmt)),
        (
            _("Growth of the base"),
            lambda f: charts.draw_growth(f, report.growth, fmt, start=period.start, until=period.end),
        ),
        (_("Funnel"), lambda f: charts.draw_funnel(f, report.funnel, fmt)),
        (_("Temperature"), lambda f: charts.draw_temperature(f, report.temperature, fmt)),
        (_("Geography"), lambda f: charts.draw_geography(f, report.regions, fmt)),
    ]
    images = []
    for i, (title, draw) in enumerate(plans):
        if progress is not None:
            progress(i, len(plans))
        fig = Figure(figsize=CHART_SIZE, dpi=CHART_DPI, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        fit_titles(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        images.append((title, buffer.getvalue()))
    if progress is not None:
        progress(len(plans), len(plans))
    return images


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td align="{"right" if i >= numeric_from else "left"}">{esc(v)}</td>' for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="4" width="100%" style="border-color:#BDBDBD">'
        f"<thead><tr style='background:#EEEEEE'>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _cell_text(report: AnalysisReport, abc: str, xyz: str, fmt: Any) -> str:
    cell = report.matrix.cell(abc, xyz)
    return f"{fmt.number(cell.clients)} · {fmt.amount(cell.revenue)}"


def _base64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def _share(part: Any, whole: Any) -> float:
    return float(part / whole) if whole else 0.0


def documents(
    report: AnalysisReport, images: Sequence[tuple[str, bytes]], fmt: Any, *, period_text: str, rules: str
) -> list[PrintDocument]:
    """The print documents: the tables first, then the charts, two a page.

    Args:
        report: the computed analysis.
        images: from :func:`chart_images`.
        fmt: the formatters the charts used (numbers, money, percentages).
        period_text: the window as the interface writes dates.
        rules: the thresholds in force, as a sentence.
    """
    rtl = is_rtl()
    a = report.analysis
    totals = a.totals()
    everyone = sum(t.clients for t in totals["abc"])
    revenue = a.revenue
    parts = [
        f"<h2>{esc(_('Client analysis'))}</h2>",
        f"<p>{esc(period_text)}</p><p>{esc(rules)}</p>",
        f"<h3>{esc(_('ABC'))}</h3>",
        _table(
            [_("Class"), _("Clients"), _("Share of clients"), _("Revenue"), _("Share of revenue")],
            [
                [
                    t.name,
                    fmt.number(t.clients),
                    fmt.percent(_share(t.clients, everyone), 1),
                    fmt.amount(t.revenue),
                    fmt.percent(_share(t.revenue, revenue), 1),
                ]
                for t in totals["abc"]
            ],
        ),
        f"<h3>{esc(_('XYZ'))}</h3>",
        _table(
            [_("Class"), _("Clients"), _("Revenue")],
            [[t.name, fmt.number(t.clients), fmt.amount(t.revenue)] for t in totals["xyz"]],
        ),
        f"<h3>{esc(_('ABC × XYZ'))}</h3>",
        _table(
            ["", "X", "Y", "Z"],
            [[abc] + [_cell_text(report, abc, x, fmt) for x in ("X", "Y", "Z")] for abc in ("A", "B", "C")]
            + [["D", fmt.number(report.matrix.d_row.clients), "", ""]],
        ),
        f"<h3>{esc(_('RFM segments'))}</h3>",
        _table(
            [_("Segment"), _("Clients"), _("Revenue")],
            [
                [_(SEGMENT_LABELS[t.name]), fmt.number(t.clients), fmt.amount(t.revenue)]
                for t in sorted(totals["segment"], key=lambda t: SEGMENT_ORDER.index(t.name))
            ],
        ),
        f"<h3>{esc(_('Plan vs actual'))}</h3>",
        _table(
            [_("Month"), _("Plan"), _("Actual"), _("Fulfilment")],
            [
                [
                    fmt.bucket(bucket_of(m.month, "month")),
                    "" if m.plan is None else fmt.amount(m.plan),
                    fmt.amount(m.actual),
                    "" if m.fulfilment is None else fmt.percent(float(m.fulfilment) / 100, 1),
                ]
                for m in report.plan
            ],
        ),
        f"<h3>{esc(_('Growth of the base'))}</h3>",
        _table(
            [_("Period"), _("New buyers"), _("Active"), _("Lapsed"), _("One-time buyers"), _("Retention")],
            [
                [
                    fmt.bucket(g.bucket),
                    fmt.number(g.new_buyers),
                    fmt.number(g.active),
                    fmt.number(g.lapsed),
                    fmt.percent(g.one_time_share),
                    "" if g.retention is None else fmt.percent(g.retention),
                ]
                for g in report.growth
            ],
        ),
    ]
    docs = [PrintDocument(_("Client analysis"), "".join(parts), rtl)]
    for first in range(0, len(images), 2):  # two charts a page
        pair = images[first : first + 2]
        html = "".join(
            f'<h3>{esc(title)}</h3><p><img src="data:image/png;base64,{_base64(png)}" width="600"/></p>'
            for title, png in pair
        )
        docs.append(PrintDocument(" · ".join(title for title, _png in pair), html, rtl))
    return docs


__all__ = ["CHART_DPI", "chart_images", "documents"]
