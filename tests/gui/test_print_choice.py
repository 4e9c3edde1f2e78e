"""The firm chooses what a printed card shows (File > Firm settings > A printed card shows): the PDF a
user prints leaves out what was unticked, and shows what was ticked."""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.dto import PurchaseInput
from custdesk.core.services import clients, purchases, settings
from custdesk.io.cards import card_documents
from custdesk.ui.dialogs.firm_settings import FirmSettingsDialog
from custdesk.ui.printing import print_to_pdf
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.unit.io._card_data import RICH


def _pdf_text(db: Database, cid: int, out: Path) -> str:
    print_to_pdf(card_documents(db, [cid]), out, firm_name="Firm")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_unticked_parts_are_left_out_of_the_printed_card(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    settings.set_values(db, {"currency": "USD", "phone_region": "US"})
    card = clients.create_client(db, replace(RICH, external_id="EXT-4711"))
    purchases.add_purchase(db, card.id, PurchaseInput(date(2024, 1, 5), Decimal("120.00"), Decimal("37.50")))

    before = _pdf_text(db, card.id, tmp_path / "before.pdf")
    assert "$37.50" in before and "EXT-4711" in before  # by default a card shows everything

    dialog = FirmSettingsDialog(runner, db, bus)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=5000)
    boxes = dialog.print_parts
    assert all(box.isChecked() for box in boxes.values())
    boxes["profit"].setChecked(False)
    boxes["external_id"].setChecked(False)
    boxes["requisites"].setChecked(False)
    with qtbot.waitSignal(bus.changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert sorted(settings.get(db, "card_print_hidden")) == ["external_id", "profit", "requisites"]

    after = _pdf_text(db, card.id, tmp_path / "after.pdf")
    assert "$37.50" not in after and "Profit" not in after
    assert "EXT-4711" not in after
    assert RICH.tax_id not in after and RICH.bank_details not in after
    assert "$120.00" in after and RICH.buying_particulars in after  # the rest as before
