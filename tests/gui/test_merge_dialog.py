"""The merge dialog: both cards side by side, a choice per differing field, the merge lands in the base."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, PhoneInput, PurchaseInput
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients, purchases, settings
from custdesk.ui.dialogs.merge_dialog import MergeDialog
from custdesk.ui.tasks import ChangeBus, TaskRunner


def two_cards(db: Database) -> tuple[int, int]:
    settings.set_values(db, {"phone_region": "FI", "currency": "EUR"})
    keep = clients.create_client(
        db,
        ClientInput(
            name="Anna Virtanen", city="Espoo", temperature="hot", phones=(PhoneInput("040 111 2233"),)
        ),
    ).id
    other = clients.create_client(
        db,
        ClientInput(
            name="Anna Virtanen-Koski",
            city="Helsinki",
            street="Mannerheimintie 5",
            temperature="hot",
            emails=(EmailInput("anna@example.fi"),),
        ),
    ).id
    purchases.add_purchase(db, keep, PurchaseInput(date(2024, 3, 1), Decimal("100.00")))
    purchases.add_purchase(db, other, PurchaseInput(date(2024, 5, 1), Decimal("250.50")))
    return keep, other


def test_merge_with_field_choices(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus) -> None:
    keep, other = two_cards(db)
    dialog = MergeDialog(runner, db, bus, keep, other)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.is_loaded)
    # Differing fields get a choice; identical ones (temperature) are shown once, without a choice.
    assert {"name", "city", "street"} <= set(dialog.groups)
    assert "temperature" not in dialog.groups
    assert dialog.choices()["name"] == "keep"
    assert dialog.choices()["street"] == "other"  # the kept card's street is empty
    assert "archived and point to the first" in dialog.summary.text()
    assert "journal" in dialog.summary.text()
    joined = dialog.joined.text()
    assert "anna@example.fi" in joined and "1 + 1" in joined

    city_other = dialog.grid_host.findChild(QRadioButton, "city:other")
    assert city_other.text() == "Helsinki"
    qtbot.mouseClick(city_other, Qt.MouseButton.LeftButton, pos=QPoint(8, city_other.height() // 2))
    assert dialog.choices()["city"] == "other"

    with qtbot.waitSignals([dialog.merged, bus.changed], timeout=5000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    card = clients.get_client(db, keep)
    assert (card.name, card.city, card.street) == ("Anna Virtanen", "Helsinki", "Mannerheimintie 5")
    assert [e.address for e in card.emails] == ["anna@example.fi"]
    assert len(card.phones) == 1
    totals = purchases.purchase_totals(db, keep)
    assert (totals.count, totals.total) == (2, Decimal("350.50"))
    gone = clients.get_client(db, other)
    assert gone.archived and gone.merged_into_id == keep
    with db.session() as s:
        merges = s.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
        assert {m.entity_id for m in merges} >= {keep}


def test_swap_keeps_the_other_card(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus) -> None:
    keep, other = two_cards(db)
    dialog = MergeDialog(runner, db, bus, keep, other)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.is_loaded)
    qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.is_loaded and dialog.keep_id == other)
    assert dialog.choices()["name"] == "keep"
    with qtbot.waitSignal(dialog.merged, timeout=5000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert clients.get_client(db, other).name == "Anna Virtanen-Koski"
    assert clients.get_client(db, keep).merged_into_id == other
