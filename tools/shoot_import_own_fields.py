"""Screenshot of the import wizard's mapping step with columns that become the firm's own fields.

Run on a virtual screen, once per language::

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \\
        python tools/shoot_import_own_fields.py --lang fa --out /shots
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shoot_import import save, settle


def workbook(path: Path) -> Path:
    """Clients with four columns of the shop's own, a row number column and an empty one."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Клиенты"
    headers = ["Строка", "ФИО", "Телефон", "Скидочная карта", "Бонусы", "Дата анкеты", "Рассылка", "Пусто"]
    sheet.append(headers)
    for k in range(40):
        sheet.append(
            [
                k + 1,
                f"Клиент {k:02d}",
                f"+7 915 {700 + k:03d}-{k:02d}-{10 + k:02d}",
                f"{4500 + k:07d}",
                k * 15,
                date(2024, 1 + k % 12, 1 + k % 28),
                "да" if k % 3 else "нет",
                None,
            ]
        )
    book.save(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, default=Path("/shots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from custdesk import i18n, paths

    paths.set_data_dir(tempfile.mkdtemp(prefix="custdesk-ownshots-"))
    i18n.set_language(args.lang)
    from custdesk.app import make_application

    app = make_application(sys.argv[:1])
    assert isinstance(app, QApplication)
    from custdesk.core.db import open_base
    from custdesk.core.services import settings
    from custdesk.ui.import_wizard import ImportWizard
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    work = Path(tempfile.mkdtemp(prefix="custdesk-ownshots-base-"))
    db = open_base(work / "base.sqlite", create=True, auto_backup=False)
    settings.set_values(db, {"phone_region": "RU"})
    runner, bus = TaskRunner(), ChangeBus()
    wizard = ImportWizard(runner, db, bus)
    wizard.resize(1180, 720)
    wizard.show()
    page = wizard.page_file
    page.path_edit.setText(str(workbook(work / "клиенты.xlsx")))
    page.path_edit.editingFinished.emit()
    settle(until=page.isComplete)
    for _step in range(2):
        settle(until=wizard.currentPage().isComplete)
        wizard.next()
    settle(800)
    save(wizard, args.out / f"import-own-fields-{args.lang}.png")
    wizard.close()
    runner.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
