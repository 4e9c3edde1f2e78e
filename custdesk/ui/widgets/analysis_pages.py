"""The views of the analysis tab, one page each: tables and a chart over the computed report.

Each page shows a part of an :class:`~custdesk.analysis.report.AnalysisReport`. Tables are filled as soon
as a report arrives; charts are drawn only when their page is first shown after that (drawing all of them
would cost a second nobody asked for). Every clickable thing (a table row, a bar, a cell, a point) emits
``target_clicked`` with a chart target; the tab turns it into clients.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.services import funnel
from custdesk.i18n import _, ngettext
from custdesk.ui.theme import make_hint
from custdesk.ui.widgets.analysis_chart import ChartView
from custdesk.ui.widgets.analysis_tables import PlanTable, SummaryTable

PAGES: tuple[str, ...] = (
    "abc",
    "xyz",
    "matrix",
    "rfm",
    "pareto",
    "dynamics",
    "plan",
    "growth",
    "funnel",
    "temperature",
    "geography",
)


def page_titles() -> dict[str, str]:
    """The translated title of every page."""
    return {
        "abc": _("ABC"),
        "xyz": _("XYZ"),
        "matrix": _("ABC × XYZ"),
        "rfm": _("RFM"),
        "pareto": _("Pareto"),
        "dynamics": _("Sales dynamics"),
        "plan": _("Plan vs actual"),
        "growth": _("Growth of the base"),
        "funnel": _("Funnel"),
        "temperature": _("Temperature"),
        "geography": _("Geography"),
    }


def _note(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName(name)
    # As tall as its lines, never taller: spare height goes to the chart (a wrapped label would take it).
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    make_hint(label)
    return label


class Page(QWidget):
    """A page: optional widgets above (notes, tables, choices) and a chart that fills the rest."""

    target_clicked = Signal(object)
    target_menu_requested = Signal(object, object)  # a target, the global QPoint of a right click

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"page-{key}")
        self.chart = ChartView(f"chart-{key}")
        self.chart.target_clicked.connect(self.target_clicked.emit)
        self.chart.target_menu_requested.connect(self.target_menu_requested.emit)
        self.top = QVBoxLayout()
        self.tables = QHBoxLayout()  # summary tables side by side, left-aligned
        self.tables.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self.top)
        layout.addLayout(self.tables)
        layout.addWidget(self.chart, 1)
        self.dirty = True
        self.draw_chart: Callable[[], None] | None = None

    def table(self, name: str, headers: list[str]) -> SummaryTable:
        """A summary table above the chart, clicks passed on."""
        table = SummaryTable(name, headers)
        table.row_clicked.connect(self.target_clicked.emit)
        table.row_menu_requested.connect(self.target_menu_requested.emit)
        self.tables.insertWidget(self.tables.count() - 1, table, 0, Qt.AlignmentFlag.AlignTop)
        return table

    def draw_if_needed(self) -> None:
        """Draw the chart now if the report changed since it was drawn."""
        if self.dirty and self.draw_chart is not None:
            self.draw_chart()
            self.dirty = False


class PlanPage(Page):
    """Plan vs actual: the editable plan per month beside the chart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("plan", parent)
        self.plan_table = PlanTable()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.chart)
        splitter = QSplitter()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(
            _note(_("Type the sales plan of each month (select a cell and type). It is saved at once."))
        )
        column.addWidget(self.plan_table, 1)
        splitter.addWidget(left)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([470, 600])
        layout.addWidget(splitter, 1)


def bucket_choice(name: str) -> QComboBox:
    """Month / quarter / year."""
    combo = QComboBox()
    combo.setObjectName(name)
    for key, text in (("month", _("by month")), ("quarter", _("by quarter")), ("year", _("by year"))):
        combo.addItem(text, key)
    return combo


class Pages:
    """Builds every page; ``pages[key]``. The tab fills them with :meth:`show_report`."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        for key in PAGES:
            self.pages[key] = PlanPage() if key == "plan" else Page(key)
        p = self.pages
        self.abc_table = p["abc"].table(
            "abcTable",
            [_("Class"), _("Clients"), _("Share of clients"), _("Revenue"), _("Share of revenue")],
        )
        self.xyz_note = _note(name="xyzNote")
        p["xyz"].top.addWidget(self.xyz_note)
        # Thresholds that fit the period's data (said in the note), proposed for monthly and quarterly
        # buckets, one click away.
        self.xyz_apply = QPushButton(_("Use these thresholds"))
        self.xyz_apply.setObjectName("applyXyzProposal")
        self.xyz_apply.setToolTip(
            _("Compute again with the proposed thresholds (Save thresholds keeps them)")
        )
        proposal = QHBoxLayout()
        proposal.addWidget(self.xyz_apply)
        proposal.addStretch(1)
        p["xyz"].top.addLayout(proposal)
        self.xyz_apply.hide()
        self.xyz_table = p["xyz"].table(
            "xyzTable", [_("Class"), _("Clients"), _("Share of buyers"), _("Revenue"), _("Share of revenue")]
        )
        self.rfm_table = p["rfm"].table("rfmTable", [_("Segment"), _("Clients"), _("Revenue")])
        self.score_table = p["rfm"].table(
            "scoreTable", [_("Score"), _("Clients by R"), _("Clients by F"), _("Clients by M")]
        )
        p["rfm"].top.addWidget(
            _note(
                _(
                    "Scores 1–5: R — how recently, F — how often, M — how much the client bought in the "
                    "period (5 is best). The segment comes from R and F."
                )
            )
        )
        self.dynamics_bucket = bucket_choice("dynamicsBucket")
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Show sales:")))
        row.addWidget(self.dynamics_bucket)
        self.dynamics_note = _note(name="dynamicsNote")
        row.addWidget(self.dynamics_note, 1)
        p["dynamics"].top.addLayout(row)
        self.funnel_note = _note(_(funnel.CONVERSION_RULE), name="funnelNote")
        p["funnel"].top.addWidget(self.funnel_note)
        self.geo_choice = QComboBox()
        self.geo_choice.setObjectName("geoChoice")
        self.geo_choice.addItem(_("by region"), "region")
        self.geo_choice.addItem(_("by city"), "city")
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Clients:")))
        row.addWidget(self.geo_choice)
        row.addStretch(1)
        p["geography"].top.addLayout(row)

    @property
    def plan_page(self) -> PlanPage:
        """The plan page (with its table)."""
        page = self.pages["plan"]
        assert isinstance(page, PlanPage)
        return page


def share(part: Decimal | int, whole: Decimal | int) -> float:
    """``part / whole`` as a float ratio (0 when ``whole`` is 0)."""
    return float(Decimal(part) / Decimal(whole)) if whole else 0.0


def clients_count(n: int, number: Callable[[int], str]) -> str:
    """ "1 client" / "12 clients"."""
    return ngettext("{count} client", "{count} clients", n).format(count=number(n))


__all__ = ["PAGES", "Page", "Pages", "PlanPage", "bucket_choice", "clients_count", "page_titles", "share"]
