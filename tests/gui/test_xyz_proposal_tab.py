"""The XYZ page proposes thresholds that fit monthly data, and one click applies them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.ui.analysis_tab import AnalysisTab
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.unit.analysis.test_xyz_proposal import _monthly_base


@pytest.fixture
def tab(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> Iterator[AnalysisTab]:
    _monthly_base(db)
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(w)
    w.resize(1200, 760)
    w.show()
    qtbot.waitUntil(lambda: w.model.total == 30 and not w.model.loading, timeout=5000)
    t: AnalysisTab = w.analysis_tab  # type: ignore[attr-defined]
    with qtbot.waitSignal(t.computed, timeout=10000):
        w.show_tab(t)
    t.preset.setCurrentIndex(t.preset.findData("custom"))
    t.date_from.setDate(QDate(2024, 1, 1))
    t.date_to.setDate(QDate(2024, 12, 31))
    with qtbot.waitSignal(t.computed, timeout=10000):
        qtbot.mouseClick(t.compute_button, Qt.MouseButton.LeftButton)
    t.show_view("xyz")
    yield t


def xyz_counts(tab: AnalysisTab) -> dict[str, int]:
    return {t.name: t.clients for t in tab.report.analysis.totals()["xyz"]}


def test_one_click_applies_the_proposed_thresholds(qtbot: QtBot, tab: AnalysisTab) -> None:
    assert xyz_counts(tab)["X"] == 0  # 10% / 25% on monthly data
    proposal = tab.report.xyz_proposal
    assert proposal is not None
    assert tab.pages.xyz_apply.isVisible()
    x, y = (round(float(t) * 100) for t in proposal.thresholds)
    text = tab.pages.xyz_note.text()
    assert f"X up to {x}%" in text and f"Y up to {y}%" in text
    with qtbot.waitSignal(tab.computed, timeout=10000):
        qtbot.mouseClick(tab.pages.xyz_apply, Qt.MouseButton.LeftButton)
    assert (tab.xyz_x.value(), tab.xyz_y.value()) == (x, y)
    counts = xyz_counts(tab)
    assert (counts["X"], counts["Y"], counts["Z"]) == (proposal.x, proposal.y, proposal.z)
    assert f"X if the coefficient of variation is up to {x}.0%" in tab.status.text()
    assert not tab.pages.xyz_apply.isVisible()  # in force: nothing more to propose
