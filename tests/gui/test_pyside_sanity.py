"""Guards against a broken PySide6: 6.12.0 lost one reference to None (or a bool) per signal delivered
to a Python slot, and the interpreter aborted after a few thousand clicks. pyproject pins around it; this
test fails if such a build comes back."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot


def test_signal_delivery_keeps_reference_counts(qtbot: QtBot) -> None:
    box = QCheckBox()
    qtbot.addWidget(box)
    seen: list[bool] = []
    box.toggled.connect(lambda on: seen.append(on))
    box.clicked.connect(lambda: None)
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(400):
        box.click()
    assert len(seen) == 400
    # A little slack for unrelated references made meanwhile; the broken build lost 400+ of each.
    assert sys.getrefcount(None) - before_none > -50
    assert sys.getrefcount(True) - before_true > -50


def test_python_signal_emit_keeps_reference_counts() -> None:
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        number = Signal(int)

    emitter = Emitter()
    got: list[int] = []
    emitter.number.connect(got.append)
    before_true = sys.getrefcount(True)
    for i in range(400):
        emitter.number.emit(i)
    assert len(got) == 400
    assert sys.getrefcount(True) - before_true > -50
