"""The filters panel of the client list: funnel markers, temperature, VIP, place, calls, birthdays, archive.

The panel only collects choices; ``changed`` carries them as the fields of a ``ListQuery`` and the main
window hands them to the table model. The regions and cities to choose from come from the base
(``set_regions``, ``set_cities``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.fields import TEXT_KINDS, FieldSpec, canonical
from custdesk.core.vocab import FUNNEL_MARKERS, TEMPERATURES, funnel_label, label
from custdesk.i18n import _
from custdesk.ui.formatting import ui_locale
from custdesk.ui.widgets.analysis_filters import AnalysisFilters
from custdesk.ui.widgets.fields import parse_decimal
from custdesk.ui.widgets.funnel_delegate import paint_swatch

ARCHIVED_CHOICES = ("active", "archived", "all")


def funnel_icon(colour: str, letter: str, size: QSize = QSize(34, 18)) -> QIcon:  # noqa: B008
    """An icon of a funnel swatch with its letter (for check boxes and menus)."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    font = painter.font()
    font.setPixelSize(int(size.height() * 0.6))
    painter.setFont(font)
    paint_swatch(painter, pixmap.rect(), QColor(colour), letter)
    painter.end()
    return QIcon(pixmap)


class FilterPanel(QWidget):
    """Choices that narrow the client list."""

    changed = Signal(dict)  # ListQuery fields
    region_chosen = Signal(object)  # str | None: the owner asks for the cities of this region

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self._quiet = False
        # The archive scope before an analysis click-through showed archived clients too: given back when
        # its chip is removed (None: nothing to give back, or the owner has chosen a scope since).
        self._scope_before_selection: str | None = None
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(8, 8, 8, 8)
        self.analysis = AnalysisFilters()  # stored classes, segment, the chip of an analysis selection
        self.analysis.changed.connect(self._emit)
        self.analysis.only_removed.connect(self._give_back_scope)
        layout.addWidget(self.analysis.chip)

        funnel_box = QGroupBox(_("Funnel marker"))
        funnel_grid = QGridLayout(funnel_box)
        self.funnel_checks: dict[str, QCheckBox] = {}
        for i, marker in enumerate(FUNNEL_MARKERS):
            box = QCheckBox(funnel_label(marker.key))
            box.setIcon(funnel_icon(marker.colour, marker.letter))
            box.setIconSize(QSize(34, 18))
            box.setToolTip(_(marker.meaning))
            box.toggled.connect(self._emit)
            funnel_grid.addWidget(box, i, 0)
            self.funnel_checks[marker.key] = box
        layout.addWidget(funnel_box)

        temp_box = QGroupBox(_("Temperature"))
        temp_layout = QVBoxLayout(temp_box)
        self.temperature_checks: dict[str, QCheckBox] = {}
        for key in TEMPERATURES:
            box = QCheckBox(label(TEMPERATURES, key))
            box.toggled.connect(self._emit)
            temp_layout.addWidget(box)
            self.temperature_checks[key] = box
        layout.addWidget(temp_box)

        more = QGroupBox(_("Clients"))
        more_layout = QVBoxLayout(more)
        self.vip_check = QCheckBox(_("VIP only"))
        self.overdue_check = QCheckBox(_("Call overdue"))
        self.birthday_check = QCheckBox(_("Birthday this month"))
        for box in (self.vip_check, self.overdue_check, self.birthday_check):
            box.toggled.connect(self._emit)
            more_layout.addWidget(box)
        layout.addWidget(more)

        place = QGroupBox(_("Place"))
        place_form = QFormLayout(place)
        self.region_combo = QComboBox()
        self.city_combo = QComboBox()
        for combo in (self.region_combo, self.city_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.set_regions([])
        self.set_cities([])
        self.region_combo.currentIndexChanged.connect(self._region_changed)
        self.city_combo.currentIndexChanged.connect(self._emit)
        place_form.addRow(_("Region:"), self.region_combo)
        place_form.addRow(_("City:"), self.city_combo)
        layout.addWidget(place)

        # The firm's own fields (filled by set_custom_fields; hidden while the firm has none).
        self.custom_box = QGroupBox(_("Own fields"))
        custom_form = QFormLayout(self.custom_box)
        self.custom_field_combo = QComboBox()
        self.custom_field_combo.setObjectName("customFilterField")
        self.custom_value = QLineEdit()
        self.custom_value.setObjectName("customFilterValue")
        self.custom_value.setPlaceholderText(_("Any value"))
        self.custom_value.setClearButtonEnabled(True)
        self.custom_field_combo.currentIndexChanged.connect(self._custom_changed)
        self.custom_value.textChanged.connect(self._custom_changed)
        custom_form.addRow(_("Field:"), self.custom_field_combo)
        custom_form.addRow(_("Value:"), self.custom_value)
        self.custom_box.setVisible(False)
        self._custom_specs: list[FieldSpec] = []
        layout.addWidget(self.custom_box)
        layout.addWidget(self.analysis)

        archive = QGroupBox(_("Archive"))
        archive_layout = QVBoxLayout(archive)
        self.archived_group = QButtonGroup(self)
        self.archived_radios: dict[str, QRadioButton] = {}
        names = {"active": _("Active clients"), "archived": _("Archived clients"), "all": _("All clients")}
        for key in ARCHIVED_CHOICES:
            radio = QRadioButton(names[key])
            self.archived_group.addButton(radio)
            archive_layout.addWidget(radio)
            self.archived_radios[key] = radio
        self.archived_radios["active"].setChecked(True)
        self.archived_group.buttonToggled.connect(self._scope_toggled)
        layout.addWidget(archive)

        self.clear_button = QPushButton(_("Clear filters"))
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    @staticmethod
    def _fill(combo: QComboBox, anything: str, names: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(anything, None)
            for name in names:
                combo.addItem(name, name)
            found = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(found, 0))
        finally:
            combo.blockSignals(False)

    def set_regions(self, names: list[str]) -> None:
        """The regions to choose from (from the base)."""
        self._fill(self.region_combo, _("any region"), names)

    def set_cities(self, names: list[str]) -> None:
        """The cities to choose from (of the chosen region, or all)."""
        self._fill(self.city_combo, _("any city"), names)

    def _region_changed(self) -> None:
        self.city_combo.blockSignals(True)
        self.city_combo.setCurrentIndex(0)
        self.city_combo.blockSignals(False)
        self.region_chosen.emit(self.region_combo.currentData())
        self._emit()

    def values(self) -> dict[str, Any]:
        """The choices as ``ListQuery`` fields."""
        archived = self._archived_scope()
        return {
            "funnels": frozenset(k for k, b in self.funnel_checks.items() if b.isChecked()),
            "temperatures": frozenset(k for k, b in self.temperature_checks.items() if b.isChecked()),
            "vip_only": self.vip_check.isChecked(),
            "region": self.region_combo.currentData(),
            "city": self.city_combo.currentData(),
            "overdue_call": self.overdue_check.isChecked(),
            "birthday_this_month": self.birthday_check.isChecked(),
            "archived": archived,
            **self.analysis.values(),
            "custom": self._custom_filter(),
        }

    # --- the firm's own fields ------------------------------------------------------------------------

    def set_custom_fields(self, specs: list[FieldSpec]) -> None:
        """The firm's own fields to filter by (the chosen one is kept while it exists)."""
        current = self.custom_field_combo.currentData()
        self._custom_specs = list(specs)
        self.custom_field_combo.blockSignals(True)
        self.custom_field_combo.clear()
        for spec in specs:
            self.custom_field_combo.addItem(spec.label, spec.field_id)
        index = self.custom_field_combo.findData(current)
        self.custom_field_combo.setCurrentIndex(max(index, 0))
        self.custom_field_combo.blockSignals(False)
        self.custom_box.setVisible(bool(specs))
        if current is not None and index < 0 and self.custom_value.text():
            self._emit()

    def _custom_changed(self) -> None:
        if self.custom_value.text().strip():
            self._emit()
        elif self.sender() is self.custom_value:
            self._emit()  # the value was cleared

    def _custom_filter(self) -> tuple[tuple[int, str, str], ...]:
        text = self.custom_value.text().strip()
        field_id = self.custom_field_combo.currentData()
        spec = next((f for f in self._custom_specs if f.field_id == field_id), None)
        if not text or spec is None or spec.field_id is None:
            return ()
        if spec.kind in TEXT_KINDS:
            return ((spec.field_id, "contains", text),)
        if spec.kind in ("number", "money", "date"):
            typed: object = text
            if spec.kind == "date":
                day = ui_locale().toDate(text, QLocale.FormatType.ShortFormat)
                typed = date(day.year(), day.month(), day.day()) if day.isValid() else text
            else:
                with contextlib.suppress(ValueError):
                    typed = parse_decimal(text)
            stored, _error = canonical(spec, typed)
        else:
            stored, _error = canonical(spec, text)
        return ((spec.field_id, "equals", stored if stored is not None else text),)

    def active_count(self) -> int:
        """How many filters narrow the list (the archived scope is not counted when it is "active")."""
        v = self.values()
        return (
            len(v["funnels"])
            + len(v["temperatures"])
            + sum(bool(v[k]) for k in ("vip_only", "region", "city", "overdue_call", "birthday_this_month"))
            + (v["archived"] != "active")
            + self.analysis.active_count()
            + bool(v["custom"])
        )

    def _archived_scope(self) -> str:
        return next((k for k, r in self.archived_radios.items() if r.isChecked()), "active")

    def _scope_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if not checked:
            return
        if not self._quiet:
            self._scope_before_selection = None  # the owner's own choice stays
        self._emit()

    def _give_back_scope(self) -> None:
        before, self._scope_before_selection = self._scope_before_selection, None
        if before is not None:
            self._quiet = True  # the chip's removal emits ``changed`` once, right after
            try:
                self.archived_radios[before].setChecked(True)
            finally:
                self._quiet = False

    def set_archived(self, scope: str) -> None:
        """Show active, archived or all clients."""
        self.archived_radios[scope].setChecked(True)

    def clear(self) -> None:
        """Back to every active client."""
        self._scope_before_selection = None
        self._quiet = True
        try:
            for box in [*self.funnel_checks.values(), *self.temperature_checks.values()]:
                box.setChecked(False)
            for box in (self.vip_check, self.overdue_check, self.birthday_check):
                box.setChecked(False)
            self.region_combo.setCurrentIndex(0)
            self.city_combo.setCurrentIndex(0)
            self.archived_radios["active"].setChecked(True)
            self.analysis.clear()
            self.custom_value.clear()
        finally:
            self._quiet = False
        self._emit()

    def set_funnels(self, keys: Iterable[str], temperatures: Iterable[str] = ()) -> None:
        """Show only the active clients with these markers (and temperatures): the other choices are
        cleared, ``changed`` is emitted once."""
        wanted, warm = set(keys), set(temperatures)
        self._scope_before_selection = None
        self._quiet = True
        try:
            for box in (self.vip_check, self.overdue_check, self.birthday_check):
                box.setChecked(False)
            self.region_combo.setCurrentIndex(0)
            self.city_combo.setCurrentIndex(0)
            self.archived_radios["active"].setChecked(True)
            self.analysis.clear()
            for key, box in self.funnel_checks.items():
                box.setChecked(key in wanted)
            for key, box in self.temperature_checks.items():
                box.setChecked(key in warm)
        finally:
            self._quiet = False
        self._emit()

    def set_analysis_selection(self, ids: frozenset[int], label: str) -> None:
        """Show only the clients ``ids`` (behind a figure of the analysis), archived ones included, with a
        chip saying ``label``; every other choice is cleared, ``changed`` is emitted once. Removing the
        chip gives back the archive scope that was chosen before."""
        if self.analysis.only_ids is None:  # a second click-through keeps the scope of before the first
            self._scope_before_selection = self._archived_scope()
        self._quiet = True
        try:
            for box in [*self.funnel_checks.values(), *self.temperature_checks.values()]:
                box.setChecked(False)
            for box in (self.vip_check, self.overdue_check, self.birthday_check):
                box.setChecked(False)
            self.region_combo.setCurrentIndex(0)
            self.city_combo.setCurrentIndex(0)
            self.archived_radios["all"].setChecked(True)
            self.analysis.clear()
            self.analysis.set_only(ids, label)
        finally:
            self._quiet = False
        self._emit()

    def _emit(self) -> None:
        if self._quiet:
            return
        self.changed.emit(self.values())
