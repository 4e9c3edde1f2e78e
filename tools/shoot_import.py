"""Screenshots of the import: the welcome window, the preview with the whole-file counts and the phones'
country question, the report, and an empty base's pointer to the import.

Run on a virtual screen, once per language::

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_import.py --lang ru --out /shots

A Russian semicolon CSV in Windows-1251 is made on the fly (60 clients, phones written ``8 915 …``,
one row without a name, one repeated, two sharing an e-mail) and imported into a fresh base whose firm
is in the United States: the preview proposes reading the phones as Russian.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def settle(ms: int = 300, until: Callable[[], bool] | None = None) -> None:
    """Let the GUI process events for ``ms`` (and until ``until`` holds, up to 20 s)."""
    for _ in range(200):
        loop = QEventLoop()
        QTimer.singleShot(ms if until is None else 100, loop.quit)
        loop.exec()
        if until is None or until():
            break


def save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(f"{path}  {path.stat().st_size // 1024} KB")


def russian_csv(path: Path) -> Path:
    """60 clients as a Russian Excel saves them (cp1251, semicolons), with the usual faults."""
    lines = ["ФИО;Телефон;Эл. почта;Город;Номер карты;Дата регистрации"]
    cities = ["Москва", "Тверь", "Тула", "Калуга"]
    for k in range(57):
        mail = "semya@example.ru" if k in (3, 4) else f"client{k}@example.ru"
        lines.append(
            f"Клиент {k:02d};8 915 {700 + k:03d}-{k % 100:02d}-{(k * 7) % 90 + 10:02d};{mail};"
            f"{cities[k % 4]};{4500 + k:08d};{1 + k % 28:02d}.0{1 + k % 9}.2019"
        )
    lines.append(";8 915 000-00-01;;Москва;00009999;01.01.2020")  # no name: left out, listed
    lines.append(lines[1])  # the same client again: left out, listed
    lines.append("Клиент 99;12;;Тверь;00001234;05.05.2021")  # a phone that is no phone: flagged
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, default=Path("/shots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from custdesk import i18n, paths

    paths.set_data_dir(tempfile.mkdtemp(prefix="custdesk-importshots-"))
    i18n.set_language(args.lang)
    from custdesk.app import make_application

    app = make_application(sys.argv[:1])
    assert isinstance(app, QApplication)
    from custdesk.core.db import open_base
    from custdesk.core.services import settings
    from custdesk.ui.dialogs.first_run import FirstRunWindow
    from custdesk.ui.import_wizard import ImportWizard
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    prefix = f"import-{args.lang}"
    welcome = FirstRunWindow()
    welcome.show()
    settle(600)
    save(welcome, args.out / f"{prefix}-welcome.png")
    welcome.leave()

    work = Path(tempfile.mkdtemp(prefix="custdesk-importshots-base-"))
    db = open_base(work / "base.sqlite", create=True, auto_backup=False)
    settings.set_values(db, {"phone_region": "US"})
    runner, bus = TaskRunner(), ChangeBus()
    state = QSettings(str(work / "ui-state.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, db, bus, state, firm=settings.get_all(db))
    window.resize(1100, 650)
    window.show()
    window.show_client_list()
    settle(1500)
    save(window, args.out / f"{prefix}-empty-base.png")

    wizard = ImportWizard(runner, db, bus, window)
    wizard.resize(1100, 700)
    wizard.show()
    page = wizard.page_file
    page.path_edit.setText(str(russian_csv(work / "клиенты.csv")))
    page.path_edit.editingFinished.emit()
    settle(until=page.isComplete)
    for _step in range(3):
        settle(until=wizard.currentPage().isComplete)
        wizard.next()
    settle(800)
    settle(until=wizard.currentPage().isComplete)
    wizard.next()  # the preview
    settle(until=lambda: wizard.state.preview is not None)
    settle(600)
    save(wizard, args.out / f"{prefix}-preview.png")
    wizard.next()  # import
    settle(until=lambda: wizard.currentPage() is wizard.page_report)
    settle(600)
    save(wizard, args.out / f"{prefix}-report.png")
    wizard.close()
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
