"""GUI test fixtures: a task runner on the base worker and the change bus (offscreen)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from custdesk import i18n
from custdesk.ui import worker_guard
from custdesk.ui.session import Session
from custdesk.ui.tasks import ChangeBus, TaskRunner

# The base worker records every call it makes into Qt (see worker_guard); each test asserts there is none.
os.environ[worker_guard.ENV] = "1"


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    """The single base worker, stopped after the test."""
    r = TaskRunner()
    try:
        yield r
    finally:
        qtbot.waitUntil(lambda: r.idle, timeout=10000)
        r.shutdown()


@pytest.fixture
def session(qtbot: QtBot, runner: TaskRunner, bus: ChangeBus, tmp_path: Path) -> Iterator[Session]:
    """The app's session (welcome window, main window, base) with its window state in the test's folder;
    its windows and base closed after the test, the language back to English."""
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    s = Session(runner, bus, state)
    yield s
    for widget in (s.window, s.first_run, s.error_box):
        if widget is not None:
            widget.close()
    if s.db is not None:
        runner.call(s.db.close)
    i18n.set_language("en")


@pytest.fixture
def bus() -> ChangeBus:
    """The change bus views listen to."""
    return ChangeBus()


@pytest.fixture(autouse=True)
def _worker_never_calls_qt() -> Iterator[None]:
    """The base worker runs domain code only: a call into Qt from it can crash the app at random."""
    worker_guard.take()
    yield
    found = worker_guard.take()
    if found:
        pytest.fail("\n".join(found[:3]), pytrace=False)


@pytest.fixture(autouse=True)
def _no_dialog_left_open(qapp: QApplication) -> Iterator[None]:
    """After each test: an error box still open means an error nobody expected (the test fails with its
    text); any other dialog left open is closed, so it cannot hold the focus or block the next test."""
    yield
    errors = []
    for widget in QApplication.topLevelWidgets():
        if not isinstance(widget, QDialog) or not widget.isVisible():
            continue
        if isinstance(widget, QMessageBox) and widget.objectName() == "errorBox":
            errors.append(f"{widget.text()} {widget.informativeText()}".strip())
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()
    if errors:
        pytest.fail("an error dialog was left open: " + " | ".join(errors), pytrace=False)
