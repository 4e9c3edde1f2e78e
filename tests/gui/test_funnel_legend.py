"""Funnel markers as a user sees them: the list shows the language's own letters, red markers are
outlined in red, and the legend is one click away from the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.vocab import FUNNEL_BY_KEY, FUNNEL_MARKERS, RED_OUTLINE, funnel_label
from custdesk.ui.main_window import MainWindow
from custdesk.ui.models.client_table import COLUMN_INDEX
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.widgets.funnel_legend import FunnelLegend, swatch_pixmap
from tests.gui._data import add_clients


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    yield
    i18n.set_language("en")


def build(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path) -> MainWindow:
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "RUB", "phone_region": "RU"})
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total == 10 and not w.model.loading, timeout=5000)
    return w


def test_russian_list_letters_and_legend_a_click_away(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    add_clients(db, 10)  # markers in turn: white, green, gold, platinum, gold-red
    i18n.set_language("ru")
    w = build(qtbot, runner, db, bus, tmp_path)
    shown = {w.model.data(w.model.index(r, COLUMN_INDEX["funnel"])) for r in range(10)}
    assert shown == {FUNNEL_BY_KEY[k].letter for k in ("white", "green", "gold", "platinum", "gold-red")}
    assert all("\u0400" <= ch <= "\u04ff" for letters in shown for ch in letters)  # Cyrillic, not Au/Pt

    button = w.funnel_legend_button  # type: ignore[attr-defined]
    assert button.isVisible()  # in the list's status bar
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    legend = button.findChild(FunnelLegend)
    assert legend is not None
    qtbot.waitUntil(legend.isVisible, timeout=2000)
    assert [legend.rows[m.key][1].text() for m in FUNNEL_MARKERS] == [
        funnel_label(m.key) for m in FUNNEL_MARKERS
    ]
    assert legend.rows["gold-red"][2].text() == i18n._(FUNNEL_BY_KEY["gold-red"].meaning)
    legend.close()


def _has_outline(image: QImage) -> bool:
    """Whether the swatch's edge (a few pixels in from the left, at mid height) is the red outline."""
    y = image.height() // 2
    red = QColor(RED_OUTLINE)
    for x in range(1, 5):
        c = image.pixelColor(x, y)
        if abs(c.red() - red.red()) < 40 and c.green() < 60 and c.blue() < 60:
            return True
    return False


def test_red_swatches_have_a_red_outline_the_others_none(qtbot: QtBot) -> None:
    widget = QApplication.activeWindow() or FunnelLegend()
    qtbot.addWidget(widget)
    for marker in FUNNEL_MARKERS:
        image = swatch_pixmap(marker.key, widget).toImage()
        assert _has_outline(image) == marker.red, marker.key
