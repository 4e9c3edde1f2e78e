"""The firm's own fields driven like a user: the Fields dialog defines them, the card shows and saves them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, custom_fields, settings
from custdesk.ui.dialogs import client_card
from custdesk.ui.dialogs.client_card import ClientCardDialog
from custdesk.ui.dialogs.fields_dialog import FieldsDialog
from custdesk.ui.tasks import ChangeBus, TaskRunner


@pytest.fixture
def fields_dialog(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus) -> Iterator[FieldsDialog]:
    dialog = FieldsDialog(runner, db, bus)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    yield dialog
    qtbot.waitUntil(lambda: runner.idle)


def _define(
    qtbot: QtBot, runner: TaskRunner, dialog: FieldsDialog, name: str, kind: str, **opts: object
) -> None:
    dialog.add_button.click()
    qtbot.keyClicks(dialog.name, name)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    if "choices" in opts:
        dialog.choices.setPlainText("\n".join(opts["choices"]))  # type: ignore[arg-type]
    dialog.list_column.setChecked(bool(opts.get("list_column")))
    dialog.section.setEditText(str(opts.get("section", dialog.section.currentText())))
    count = dialog.list.count()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == count + 1 and runner.idle)


def test_the_dialog_defines_renames_and_removes_fields(
    qtbot: QtBot, runner: TaskRunner, db: Database, fields_dialog: FieldsDialog, bus: ChangeBus
) -> None:
    announced: list[object] = []
    bus.changed.connect(announced.append)
    _define(qtbot, runner, fields_dialog, "Discount card", "text", list_column=True)
    _define(qtbot, runner, fields_dialog, "Size", "choice", choices=["S", "M", "L"], section="Clothes")
    specs = custom_fields.list_fields(db)
    assert [(f.label, f.kind, f.section, f.list_column, f.choices) for f in specs] == [
        ("Discount card", "text", "Own fields", True, ()),
        ("Size", "choice", "Clothes", False, ("S", "M", "L")),
    ]
    assert len(announced) == 2
    assert fields_dialog.list.item(1).text() == "Size — Choice from a list"

    # A name already taken is refused in the dialog, with its reason; nothing is stored.
    fields_dialog.add_button.click()
    qtbot.keyClicks(fields_dialog.name, "size")
    fields_dialog.save_button.click()
    qtbot.waitUntil(lambda: fields_dialog.error.isVisible())
    assert "already exists" in fields_dialog.error.text()
    assert len(custom_fields.list_fields(db)) == 2

    # Rename keeps the value a client holds.
    phone = (PhoneInput("+12025550100"),)
    cid = clients.create_client(
        db, ClientInput(name="Ann", phones=phone, custom={specs[0].key: "0004512"})
    ).id
    fields_dialog.list.setCurrentRow(0)
    fields_dialog.name.setText("Loyalty card")
    fields_dialog.save_button.click()
    qtbot.waitUntil(lambda: runner.idle and fields_dialog.list.item(0).text().startswith("Loyalty card"))
    assert custom_fields.client_custom_fields(db, cid)["Loyalty card"] == "0004512"

    # Removing asks first, naming how many clients hold a value.
    fields_dialog.list.setCurrentRow(0)
    fields_dialog.remove_button.click()
    qtbot.waitUntil(
        lambda: (
            getattr(fields_dialog, "remove_box", None) is not None and fields_dialog.remove_box.isVisible()
        )
    )
    box = fields_dialog.remove_box
    assert "1 client holds a value" in box.informativeText()
    remove = next(b for b in box.buttons() if b.text() == "Remove")
    remove.click()
    qtbot.waitUntil(lambda: runner.idle and fields_dialog.list.count() == 1)
    assert [f.label for f in custom_fields.list_fields(db)] == ["Size"]


def test_the_card_shows_checks_and_saves_its_own_fields(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    settings.set_values(db, {"phone_region": "US"})
    custom_fields.create_field(db, "Discount card", "text", section="Loyalty")
    custom_fields.create_field(db, "Bonus points", "number", section="Loyalty")
    custom_fields.create_field(db, "Size", "choice", choices=("S", "M", "L"))
    card_f, points, size = custom_fields.list_fields(db)
    phone = (PhoneInput("+12025550100"),)
    cid = clients.create_client(db, ClientInput(name="Ann", phones=phone, custom={card_f.key: "0004512"})).id

    dialog = ClientCardDialog(runner, db, bus, cid)
    try:
        dialog.show()
        qtbot.waitUntil(lambda: dialog.is_loaded)
        assert dialog.tabs.isTabVisible(dialog.custom_tab)
        editor = dialog.custom.fields[card_f.key].box.editor
        assert isinstance(editor, QLineEdit) and editor.text() == "0004512"
        points_edit = dialog.custom.fields[points.key].box.editor
        assert isinstance(points_edit, QLineEdit)
        qtbot.keyClicks(points_edit, "lots")
        assert points_edit.property("invalid") is True
        assert "enter a number" in points_edit.toolTip()
        points_edit.setText("120")
        assert not points_edit.property("invalid")
        combo = dialog.custom.fields[size.key].box.editor
        combo.setCurrentIndex(combo.findData("M"))  # type: ignore[attr-defined]
        assert dialog.is_dirty()
        dialog.save()
        qtbot.waitUntil(lambda: runner.idle and not dialog.is_dirty())
        assert clients.get_client(db, cid).custom == {card_f.key: "0004512", points.key: "120", size.key: "M"}
    finally:
        if shiboken6.isValid(dialog):
            dialog._closing_ok = True
            dialog.close()
        client_card._open_cards.clear()


def test_a_card_without_own_fields_hides_the_tab(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    dialog = ClientCardDialog(runner, db, bus, None)
    try:
        dialog.show()
        qtbot.waitUntil(lambda: dialog.is_loaded)
        assert not dialog.tabs.isTabVisible(dialog.custom_tab)
        assert dialog.collect().custom is None
    finally:
        dialog._closing_ok = True
        dialog.close()
        client_card._open_cards.clear()
