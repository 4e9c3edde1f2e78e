"""``CustDesk.exe --help`` / ``--version`` on Windows: the windowed program has no console to print to.

A windowed PyInstaller program runs with ``sys.stdout`` and ``sys.stderr`` set to None; argparse then
prints nothing. The text goes to a message box instead, with a pointer to ``custdesk-cli``.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from custdesk import APP_NAME, __version__, app


def _run_without_console(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int | str | None, QMessageBox]:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    seen: list[QMessageBox] = []

    def close_the_box() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, close_the_box)
            return
        seen.append(boxes[0])
        boxes[0].done(0)

    QTimer.singleShot(0, close_the_box)
    with pytest.raises(SystemExit) as caught:
        app.main(list(argv))
    assert len(seen) == 1, "no message box was shown"
    return caught.value.code, seen[0]


def test_help_is_shown_in_a_message_box(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    code, box = _run_without_console(monkeypatch, "--help")
    assert code == 0
    assert box.icon() == QMessageBox.Icon.Information
    assert box.text().startswith("usage: custdesk")
    assert "--self-test" in box.text()
    assert "custdesk-cli --help" in box.informativeText()
    assert box.windowTitle() == APP_NAME


def test_version_is_shown_in_a_message_box(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    code, box = _run_without_console(monkeypatch, "--version")
    assert code == 0
    assert box.text() == f"{APP_NAME} {__version__}"


def test_a_usage_error_is_a_warning_box(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    code, box = _run_without_console(monkeypatch, "--no-such-option")
    assert code == 2
    assert box.icon() == QMessageBox.Icon.Warning
    assert "unrecognized arguments: --no-such-option" in box.text()


def test_with_a_console_nothing_is_shown(qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        app.main(["--version"])
    assert capsys.readouterr().out.strip() == f"{APP_NAME} {__version__}"
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
