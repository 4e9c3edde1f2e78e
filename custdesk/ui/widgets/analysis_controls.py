"""The controls and layout of the analysis tab (kept apart from :mod:`custdesk.ui.analysis_tab`'s work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
)

from custdesk.i18n import _
from custdesk.ui.formatting import apply_calendar
from custdesk.ui.widgets.analysis_pages import PAGES, Pages, bucket_choice, page_titles
from custdesk.ui.widgets.flow_layout import FlowLayout

if TYPE_CHECKING:
    from custdesk.ui.analysis_tab import AnalysisTab

PRESETS: tuple[tuple[str, int], ...] = (("1", 1), ("3", 3), ("5", 5), ("custom", 0))


def _spin(name: str, maximum: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setDecimals(1)
    spin.setRange(0.0, maximum)
    # The percent sign as the language writes it after a number ("%" in English, " %" in Russian).
    spin.setSuffix(_("{value}%").format(value=""))
    spin.setSingleStep(1.0)
    return spin


def build(tab: AnalysisTab) -> None:
    """Make the tab's controls, thresholds, status line, list of views and pages, and connect them."""
    tab.preset = QComboBox()
    tab.preset.setObjectName("periodPreset")
    for key, text in zip(
        (k for k, _y in PRESETS),
        (_("the last year"), _("the last 3 years"), _("the last 5 years"), _("custom dates")),
        strict=True,
    ):
        tab.preset.addItem(text, key)
    tab.date_from, tab.date_to = QDateEdit(), QDateEdit()
    for edit, name in ((tab.date_from, "dateFrom"), (tab.date_to, "dateTo")):
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        apply_calendar(edit)
    tab.criterion = QComboBox()
    tab.criterion.setObjectName("criterion")
    tab.criterion.addItem(_("revenue"), "revenue")
    tab.criterion.addItem(_("profit"), "profit")
    tab.bucket = bucket_choice("bucket")
    tab.bucket.setItemText(0, _("months"))
    tab.bucket.setItemText(1, _("quarters"))
    tab.bucket.setItemText(2, _("years"))
    tab.compute_button = QPushButton(_("&Compute"))
    tab.compute_button.setObjectName("computeButton")
    tab.compute_button.setDefault(True)
    tab.store_button = QPushButton(_("&Store classes"))
    tab.store_button.setObjectName("storeButton")
    tab.store_button.setToolTip(
        _("Write ABC, XYZ and the RFM segment onto every client, for the list's columns and filters")
    )
    tab.export_button = QPushButton(_("&Export…"))
    tab.export_button.setObjectName("exportButton")
    for button in (tab.store_button, tab.export_button):
        button.setEnabled(False)

    # Rows that wrap: their words are long in some languages and must not widen the window.
    row = FlowLayout()
    row.addWidget(QLabel(_("Period:")))
    row.addWidget(tab.preset)
    row.addWidget(tab.date_from)
    row.addWidget(QLabel("–"))
    row.addWidget(tab.date_to)
    row.addSpacing(12)
    row.addWidget(QLabel(_("ABC by:")))
    row.addWidget(tab.criterion)
    row.addSpacing(12)
    row.addWidget(QLabel(_("XYZ by:")))
    row.addWidget(tab.bucket)
    row.addSpacing(12)
    row.addWidget(tab.compute_button)
    row.addStretch(1)
    row.addWidget(tab.store_button)
    row.addWidget(tab.export_button)

    tab.abc_a, tab.abc_b = _spin("abcA", 100.0), _spin("abcB", 100.0)
    tab.xyz_x, tab.xyz_y = _spin("xyzX", 1000.0), _spin("xyzY", 1000.0)
    tab.save_thresholds_button = QPushButton(_("Save thresholds"))
    tab.save_thresholds_button.setObjectName("saveThresholds")
    tab.save_thresholds_button.setToolTip(
        _("Keep these thresholds and the XYZ bucket as the firm's settings")
    )
    limits = FlowLayout()
    limits.addWidget(QLabel(_("Thresholds — A: first")))
    limits.addWidget(tab.abc_a)
    limits.addWidget(QLabel(_("of revenue, B: up to")))
    limits.addWidget(tab.abc_b)
    limits.addSpacing(16)
    limits.addWidget(QLabel(_("X: cv up to")))
    limits.addWidget(tab.xyz_x)
    limits.addWidget(QLabel(_("Y: up to")))
    limits.addWidget(tab.xyz_y)
    limits.addWidget(tab.save_thresholds_button)
    limits.addStretch(1)

    tab.status = QLabel(_("Choose a period and press Compute."))
    tab.status.setObjectName("analysisStatus")
    tab.status.setWordWrap(True)
    tab.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    tab.views = QListWidget()
    tab.views.setObjectName("analysisViews")
    titles = page_titles()
    tab.views.addItems([titles[k] for k in PAGES])
    tab.views.setMaximumWidth(190)
    tab.pages = Pages()
    tab.stack = QStackedWidget()
    for key in PAGES:
        tab.stack.addWidget(tab.pages.pages[key])
        tab.pages.pages[key].target_clicked.connect(tab.open_target)
        tab.pages.pages[key].target_menu_requested.connect(tab.target_menu_requested.emit)
    tab.views.currentRowChanged.connect(tab._show_page)
    splitter = QSplitter()
    splitter.addWidget(tab.views)
    splitter.addWidget(tab.stack)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([170, 1100])

    layout = QVBoxLayout(tab)
    layout.addLayout(row)
    layout.addLayout(limits)
    layout.addWidget(tab.status)
    layout.addWidget(splitter, 1)

    tab.preset.currentIndexChanged.connect(tab._preset_changed)
    tab.compute_button.clicked.connect(tab.compute)
    tab.store_button.clicked.connect(tab.store_classes)
    tab.export_button.clicked.connect(tab.choose_export)
    tab.save_thresholds_button.clicked.connect(tab.save_thresholds)
    tab.pages.xyz_apply.clicked.connect(tab.apply_xyz_proposal)
    tab.pages.dynamics_bucket.currentIndexChanged.connect(tab._dynamics_bucket_changed)
    tab.pages.geo_choice.currentIndexChanged.connect(lambda _i: tab._redraw("geography"))
    plan = tab.pages.plan_page.plan_table
    plan.plan_edited.connect(tab.set_plan)
    plan.bad_amount.connect(tab._bad_amount)
    tab.set_thresholds((0.80, 0.95), (0.10, 0.25))
    tab._preset_changed()
    tab.views.setCurrentRow(PAGES.index("matrix"))


__all__ = ["PRESETS", "build"]
