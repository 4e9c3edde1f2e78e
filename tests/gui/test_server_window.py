"""The window on a base on a PostgreSQL server (``custdesk --db postgresql://…``): a smoke test.

Skipped without the test server (tools/pg_test_server.sh), failed in CI without it, as the other server
tests are.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from custdesk.core.db import open_base
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, settings
from custdesk.ui.main_window import MainWindow
from custdesk.ui.session import Session


def test_the_window_opens_a_server_base_and_searches_it(
    server_base_url: str, qtbot: QtBot, session: Session
) -> None:  # the server base first: dropped after the session has closed it
    seat = open_base(server_base_url, auto_backup=False)  # another seat filled the base
    try:
        settings.set_values(seat, {"phone_region": "FI"})
        for name in ("Liisa Laine", "Matti Meikäläinen", "Pekka Järvinen"):
            clients.create_client(seat, ClientInput(name=name, phones=(PhoneInput("040 123 4567"),)))
    finally:
        seat.close()

    session.start(server_base_url)
    qtbot.waitUntil(lambda: session.window is not None, timeout=20000)
    window = session.window
    assert isinstance(window, MainWindow) and window.isVisible()
    assert session.db is not None and session.db.is_server
    url = make_url(server_base_url)
    shown = window.path_label.text()
    assert shown == f"{url.username}@{url.host}:{url.port}/{url.database}"  # never the password
    assert f":{url.password}@" not in shown
    assert session.state.value("session/lastBase") in (None, "")  # an address with a password: not kept
    assert session.backups is None  # the server's owner backs it up (pg_dump)

    window.show_client_list()
    qtbot.waitUntil(lambda: window.count_label.text() == "3 of 3 clients", timeout=10000)
    qtbot.keyClicks(window.search, "RVINEN")  # any letter case (ASCII: keyClicks types no ä)
    qtbot.waitUntil(lambda: window.count_label.text() == "1 of 3 clients", timeout=10000)

    seen: list[str] = []

    def answer() -> None:
        box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(50, answer)
    session.backup_now()  # refused with what to do instead, nothing made
    assert seen and "pg_dump" in seen[0]
