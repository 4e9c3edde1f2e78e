"""The analysis part of the client list's filters: stored ABC / XYZ classes, RFM segment, and a chip.

The classes and segments are those stored by the analysis tab ("Store classes"). The chip shows when the
list is narrowed to the clients behind a figure of the analysis (a matrix cell, a bar, a point of the
Pareto curve): "Analysis: AX — 123 clients", with a button that removes it. :class:`AnalysisFilters`
only collects choices, as ``ListQuery`` fields; the filter panel merges them into its own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.vocab import RFM_SEGMENT_ORDER
from custdesk.i18n import _
from custdesk.ui.theme import info_colours, is_dark, scheme_changed

ABC = ("A", "B", "C", "D")
XYZ = ("X", "Y", "Z")
SEGMENTS = RFM_SEGMENT_ORDER  # best first (names marked in analysis.rfm)


class OnlyChip(QFrame):
    """ "Analysis: AX — 123 clients ✕": the list shows only the clients behind a figure."""

    removed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisChip")
        self._colour()
        scheme_changed().connect(self._colour)
        self.label = QLabel()
        self.label.setObjectName("analysisChipLabel")
        self.label.setWordWrap(True)
        self.remove_button = QToolButton()
        self.remove_button.setObjectName("analysisChipRemove")
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(_("Show all clients again"))
        self.remove_button.clicked.connect(self.removed.emit)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 2, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def _colour(self) -> None:
        dark = is_dark()
        if dark == getattr(self, "_dark", None):
            return
        self._dark = dark
        c = info_colours(dark)
        self.setStyleSheet(
            f"#analysisChip {{ background: {c.background}; border: 1px solid {c.border};"
            " border-radius: 10px; }"
            f" #analysisChip QLabel {{ color: {c.text}; }}"
        )

    def show_text(self, text: str) -> None:
        """Show the chip with ``text`` (empty: hide it)."""
        self.label.setText(text)
        self.setVisible(bool(text))


class AnalysisFilters(QWidget):
    """Stored classes and segment to filter by, and the chip of an analysis selection."""

    changed = Signal()
    only_removed = Signal()  # the chip's ✕, just before ``changed``: the panel gives back what it changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.only_ids: frozenset[int] | None = None
        self.only_label = ""
        self.chip = OnlyChip()
        self.chip.removed.connect(self.remove_only)
        box = QGroupBox(_("Analysis (stored classes)"))
        box.setToolTip(_("Classes stored by the Analysis tab with “Store classes”"))
        grid = QGridLayout(box)
        self.abc_checks: dict[str, QCheckBox] = {}
        self.xyz_checks: dict[str, QCheckBox] = {}
        grid.addWidget(QLabel(_("ABC:")), 0, 0)
        for i, name in enumerate(ABC):
            check = QCheckBox(name)
            check.setObjectName(f"abc-{name}")
            check.toggled.connect(lambda _on: self.changed.emit())
            grid.addWidget(check, 0, i + 1)
            self.abc_checks[name] = check
        grid.addWidget(QLabel(_("XYZ:")), 1, 0)
        for i, name in enumerate(XYZ):
            check = QCheckBox(name)
            check.setObjectName(f"xyz-{name}")
            check.toggled.connect(lambda _on: self.changed.emit())
            grid.addWidget(check, 1, i + 1)
            self.xyz_checks[name] = check
        self.segment_combo = QComboBox()
        self.segment_combo.setObjectName("segmentFilter")
        self.segment_combo.addItem(_("any segment"), None)
        for key in SEGMENTS:
            self.segment_combo.addItem(_(key), key)
        self.segment_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        grid.addWidget(QLabel(_("Segment:")), 2, 0)
        grid.addWidget(self.segment_combo, 2, 1, 1, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chip)
        layout.addWidget(box)

    def values(self) -> dict[str, Any]:
        """The choices as ``ListQuery`` fields."""
        segment = self.segment_combo.currentData()
        return {
            "abc": frozenset(k for k, b in self.abc_checks.items() if b.isChecked()),
            "xyz": frozenset(k for k, b in self.xyz_checks.items() if b.isChecked()),
            "segment": frozenset({segment}) if segment else frozenset(),
            "only_ids": self.only_ids,
            "only_label": self.only_label,
        }

    def active_count(self) -> int:
        """How many of these choices narrow the list."""
        v = self.values()
        return len(v["abc"]) + len(v["xyz"]) + len(v["segment"]) + (self.only_ids is not None)

    def clear(self) -> None:
        """No class, no segment, no selection (without emitting ``changed``)."""
        for check in (*self.abc_checks.values(), *self.xyz_checks.values()):
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
        self.segment_combo.blockSignals(True)
        self.segment_combo.setCurrentIndex(0)
        self.segment_combo.blockSignals(False)
        self.only_ids, self.only_label = None, ""
        self.chip.show_text("")

    def set_only(self, ids: frozenset[int], label: str) -> None:
        """Narrow to these clients with a chip saying ``label`` (without emitting ``changed``)."""
        self.only_ids, self.only_label = ids, label
        self.chip.show_text(label)

    def remove_only(self) -> None:
        """The chip's ✕: back to the list without the selection."""
        self.only_ids, self.only_label = None, ""
        self.chip.show_text("")
        self.only_removed.emit()
        self.changed.emit()


__all__ = ["SEGMENTS", "AnalysisFilters", "OnlyChip"]
