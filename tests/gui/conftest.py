"""GUI test fixtures: a task runner on the base worker and the change bus (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from custdesk.ui.tasks import ChangeBus, TaskRunner


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
def bus() -> ChangeBus:
    """The change bus views listen to."""
    return ChangeBus()
