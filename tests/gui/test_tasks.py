"""The base worker: results and errors come back on the GUI thread, cancel stops progress work."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from custdesk.core.errors import NotFoundError
from custdesk.ui.tasks import Cancelled, TaskRunner


def test_result_arrives_on_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}
    gui = QThread.currentThread()

    def work() -> str:
        seen["worker"] = threading.current_thread().name
        return "done"

    def done(result: object) -> None:
        seen["result"] = result
        seen["on_gui"] = QThread.currentThread() is gui

    runner.run(work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == "done"
    assert seen["on_gui"] is True
    assert seen["worker"] != threading.main_thread().name


def test_error_goes_to_on_error(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise NotFoundError("client 7 is gone")

    runner.run(work, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], NotFoundError)
    assert str(errors[0]) == "client 7 is gone"


def test_tasks_run_in_order(qtbot: QtBot, runner: TaskRunner) -> None:
    order: list[int] = []
    for i in range(20):
        runner.run(lambda i=i: i, on_done=order.append)
    qtbot.waitUntil(lambda: len(order) == 20)
    assert order == list(range(20))


def test_cancel_stops_work_at_next_progress(qtbot: QtBot, runner: TaskRunner) -> None:
    started = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []
    steps: list[int] = []

    def work(progress: object) -> None:
        started.set()
        release.wait(5)
        for i in range(1000):
            steps.append(i)
            progress(i, 1000)  # type: ignore[operator]

    task = runner.run(work, with_progress=True, on_error=errors.append)
    assert started.wait(5)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], Cancelled)
    assert steps == [0]


def test_call_waits_and_reraises(runner: TaskRunner) -> None:
    assert runner.call(lambda: 41 + 1) == 42
    with pytest.raises(ZeroDivisionError):
        runner.call(lambda: 1 / 0)


def test_garbage_is_collected_on_the_gui_thread_while_the_worker_runs(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    """A cycle made on the GUI thread is freed there, even while the worker allocates a lot."""
    assert not gc.isenabled()
    freed_on: list[int] = []

    class Node:
        me: object = None

    for _ in range(20):
        node = Node()
        node.me = node  # a cycle: only the collector frees it
        weakref.finalize(node, lambda: freed_on.append(threading.get_ident()))
    del node

    def churn() -> list[list[int]]:
        return [[i] for i in range(300_000)]  # new containers kept: far past the collection threshold

    assert len(runner.call(churn)) == 300_000
    qtbot.waitUntil(lambda: len(freed_on) == 20, timeout=5000)
    assert set(freed_on) == {threading.get_ident()}


def test_automatic_collection_is_back_once_the_worker_stops(qtbot: QtBot) -> None:
    was = gc.isenabled()
    first = TaskRunner()
    second = TaskRunner()
    assert not gc.isenabled()
    first.shutdown()
    assert not gc.isenabled()  # the other worker still runs
    second.shutdown()
    assert gc.isenabled() == was


def test_a_qt_call_on_the_worker_is_caught(qtbot: QtBot, runner: TaskRunner) -> None:
    """The guard every GUI test relies on (conftest): a task that touches Qt is recorded with its stack,
    and plain domain work is not."""
    from PySide6.QtCore import QLocale

    from custdesk.ui import worker_guard

    locale = QLocale(QLocale.Language.Russian)  # made on the GUI thread, as a widget's locale would be
    results: list[object] = []
    runner.run(lambda: sum(range(10)), on_done=results.append)
    qtbot.waitUntil(lambda: len(results) == 1)
    assert worker_guard.take() == []

    def format_on_worker() -> str:
        return locale.toString(1234)

    runner.run(format_on_worker, on_done=results.append)
    qtbot.waitUntil(lambda: len(results) == 2)
    found = worker_guard.take()
    assert len(found) == 1
    assert found[0].startswith("the base worker called Qt: QLocale.toString")
    assert "format_on_worker" in found[0]
