"""What the analysis tab writes and draws from a report: status line, tables, charts, labels of clicks.

Kept apart from :mod:`custdesk.ui.analysis_tab` (which wires controls and work) so each stays short.
Charts are drawn through :mod:`custdesk.analysis.charts`, imported here only inside functions: the tab
must not load matplotlib before a chart is drawn.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import format_date, format_number

if TYPE_CHECKING:
    from custdesk.ui.analysis_tab import AnalysisTab
    from custdesk.ui.widgets.analysis_pages import Pages

BUCKET_WORDS = {"month": "months", "quarter": "quarters", "year": "years"}


def clients_text(n: int) -> str:
    """ "1 client" / "1,234 clients"."""
    return ngettext("{count} client", "{count} clients", n).format(count=format_number(n))


def _pct(share: float, fmt: Any, digits: int = 0) -> str:
    return str(fmt.percent(share, digits))


def thresholds_text(report: Any, fmt: Any) -> tuple[str, str]:
    """The ABC and XYZ rules in force, as people read them."""
    p = report.parameters
    a, b = (float(t) for t in p.abc_thresholds)
    x, y = (float(t) for t in p.xyz_thresholds)
    abc = _("A: the clients bringing the first {a} of the {criterion}, B: up to {b}, C: the rest").format(
        a=_pct(a, fmt, 1), b=_pct(b, fmt, 1), criterion=_(p.criterion)
    )
    buckets = {"month": _("monthly"), "quarter": _("quarterly"), "year": _("yearly")}[p.bucket]
    xyz = _(
        "XYZ over {buckets} revenue: X if the coefficient of variation is up to {x}, Y up to {y}, else Z"
    ).format(buckets=buckets, x=_pct(x, fmt, 1), y=_pct(y, fmt, 1))
    return abc, xyz


def status_text(report: Any) -> str:
    """The line under the controls: window, criterion, bucket and thresholds in force, and the base."""
    from custdesk.ui.widgets.analysis_chart import qt_formats

    fmt = qt_formats(report.currency)
    p = report.parameters
    abc, xyz = thresholds_text(report, fmt)
    return _(
        "Computed for {start} – {end}: {buyers} of {clients} bought, revenue {revenue}.\n{abc}. {xyz}."
    ).format(
        start=format_date(p.period.start),
        end=format_date(p.period.end),
        buyers=format_number(report.analysis.buyers),
        clients=clients_text(int(report.analysis.client_ids.size)),
        revenue=fmt.amount(report.analysis.revenue),
        abc=abc,
        xyz=xyz,
    )


def stored_text(run: Any) -> str:
    """What "Store classes" did."""
    return _(
        "Classes stored on {clients} for {start} – {end}: see the ABC, XYZ and segment columns of the list."
    ).format(
        clients=clients_text(run.clients),
        start=format_date(run.period.start),
        end=format_date(run.period.end),
    )


def _share(part: Decimal | int, whole: Decimal | int) -> float:
    return float(Decimal(part) / Decimal(whole)) if whole else 0.0


def fill_tables(pages: Pages, report: Any, fmt: Any) -> None:
    """The tables and notes of every page."""
    from custdesk.analysis.rfm import SEGMENT_LABELS
    from custdesk.core.services.client_list import SEGMENT_ORDER  # best first, no matplotlib

    totals = report.analysis.totals()
    everyone = sum(t.clients for t in totals["abc"])
    revenue = report.analysis.revenue
    buyers = report.analysis.buyers
    pages.abc_table.set_rows(
        [
            (
                [
                    t.name,
                    fmt.number(t.clients),
                    _pct(_share(t.clients, everyone), fmt, 1),
                    fmt.amount(t.revenue),
                    _pct(_share(t.revenue, revenue), fmt, 1),
                ],
                ("abc", t.name),
            )
            for t in totals["abc"]
        ]
    )
    xyz_rule = thresholds_text(report, fmt)[1]
    note = _(
        "{rule}. Textbook thresholds of 10% and 25% were made for yearly data: with monthly "
        "buckets most clients come out Z."
    ).format(rule=xyz_rule)
    proposal = getattr(report, "xyz_proposal", None)
    pages.xyz_apply.setVisible(proposal is not None)
    if proposal is not None:
        x, y = (float(t) for t in proposal.thresholds)
        offer = _(
            "Thresholds that fit this period's data: X up to {x}, Y up to {y} (the cv's terciles, "
            "rounded down to 5%). They would make {nx} X, {ny} Y and {nz} Z."
        ).format(
            x=_pct(x, fmt, 0),
            y=_pct(y, fmt, 0),
            nx=fmt.number(proposal.x),
            ny=fmt.number(proposal.y),
            nz=fmt.number(proposal.z),
        )
        note = _("{note}\n{offer}").format(note=note, offer=offer)
    pages.xyz_note.setText(note)
    pages.xyz_table.set_rows(
        [
            (
                [
                    t.name,
                    fmt.number(t.clients),
                    _pct(_share(t.clients, buyers), fmt, 1),
                    fmt.amount(t.revenue),
                    _pct(_share(t.revenue, revenue), fmt, 1),
                ],
                ("xyz", t.name),
            )
            for t in totals["xyz"]
        ]
    )

    by_name = {t.name: t for t in totals["segment"]}
    pages.rfm_table.set_rows(
        [
            (
                [_(SEGMENT_LABELS[n]), fmt.number(by_name[n].clients), fmt.amount(by_name[n].revenue)],
                ("segment", n) if by_name[n].clients else None,
            )
            for n in SEGMENT_ORDER
            if n in by_name
        ]
    )
    scored = report.analysis.scan.bought
    rows = []
    for score in range(5, 0, -1):
        counts = [int(((getattr(report.analysis, k) == score) & scored).sum()) for k in ("r", "f", "m")]
        rows.append(([fmt.number(score), *(fmt.number(c) for c in counts)], None))
    pages.score_table.set_rows(rows)
    period = report.dynamics_window
    pages.dynamics_note.setText(
        _(
            "{start} – {end}, each period beside the same period a year earlier. Click a bar for its buyers."
        ).format(start=format_date(period.start), end=format_date(period.end))
    )


def draw_page(tab: AnalysisTab, key: str) -> None:
    """Draw the chart of one page from the tab's report."""
    from custdesk.analysis import charts

    report = tab.report
    fmt = tab.formats()
    chart = tab.pages.pages[key].chart
    totals = report.analysis.totals()
    period = report.parameters.period
    if key == "abc":
        chart.draw(charts.draw_abc, totals["abc"], fmt)
    elif key == "xyz":
        chart.draw(charts.draw_xyz, totals["xyz"], thresholds_text(report, fmt)[1], fmt)
    elif key == "matrix":
        chart.draw(charts.draw_matrix, report.matrix, fmt)
    elif key == "rfm":
        chart.draw(charts.draw_segments, totals["segment"], fmt)
    elif key == "pareto":
        chart.draw(charts.draw_pareto, report.pareto, fmt)
    elif key == "dynamics":
        window = report.dynamics_window
        chart.draw(charts.draw_dynamics, tab.dynamics_rows, fmt, start=window.start, until=window.end)
    elif key == "plan":
        chart.draw(charts.draw_plan, report.plan, fmt)
    elif key == "growth":
        chart.draw(charts.draw_growth, report.growth, fmt, start=period.start, until=period.end)
    elif key == "funnel":
        chart.draw(charts.draw_funnel, report.funnel, fmt)
    elif key == "temperature":
        chart.draw(charts.draw_temperature, report.temperature, fmt)
    elif key == "geography":
        by_city = tab.pages.geo_choice.currentData() == "city"
        chart.draw(charts.draw_geography, report.cities if by_city else report.regions, fmt)


def describe(target: Any, pages: Pages) -> str:
    """What a clicked figure is, for the chip over the client list ("AX", "class A", "top 227 buyers")."""
    from custdesk.analysis.rfm import SEGMENT_LABELS

    kind = target[0]
    if kind == "cell":
        return f"{target[1]}{target[2]}"
    if kind in ("abc", "xyz"):
        return _("class {name}").format(name=target[1])
    if kind == "segment":
        return _(SEGMENT_LABELS.get(target[1], target[1]))
    if kind == "top":
        return _("the best {count} buyers").format(count=format_number(int(target[1])))
    days = (
        _("{first} – {last}").format(first=format_date(target[1]), last=format_date(target[2]))
        if kind in ("bought", "new_buyers", "lapsed")
        else ""
    )
    if kind == "bought":
        return _("bought {days}").format(days=days)
    if kind == "new_buyers":
        return _("first purchase {days}").format(days=days)
    if kind == "lapsed":
        return _("lapsed {days}").format(days=days)
    if kind == "region":
        return str(target[1]) or _("(no region)")
    if kind == "city":
        return _("{city}, {region}").format(
            city=target[2] or _("(no city)"), region=target[1] or _("(no region)")
        )
    return str(kind)


__all__ = [
    "clients_text",
    "describe",
    "draw_page",
    "fill_tables",
    "status_text",
    "stored_text",
    "thresholds_text",
]
