"""The client card: one client's general and special data, history, purchases and reminders.

**A non-modal dialog, not a docked panel.** Each card is its own top-level window, and several can be
open at once. That fits how the owner works: the card stays open during a call while the seller looks
up another client in the list, two cards can be compared side by side before a merge, and a half-typed
card never blocks the list. A card holds five tabs with some forty fields, a timeline and a purchases
table; squeezed into a dock beside a 100,000-row list it would be either too cramped to read or steal
the list's room. A dock also shows *one* client that changes with the selection, which makes the
unsaved-changes guard awkward ("you moved to another row: save the card of the previous one?"),
whereas a window has a plain life cycle: open, edit, save or discard, close. :func:`open_client_card`
brings an already open card to the front instead of opening the same client twice.

Everything touching the base goes through the task runner; the results come back on the GUI thread.
Fields are checked while typing (``custdesk.core.validation``), the whole card again on save; a
possible duplicate is named before saving; every change is announced on the change bus.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import CARD_FIELDS, Change, ClientCard, ClientInput
from custdesk.core.fields import FieldSpec
from custdesk.core.services import clients, custom_fields, settings
from custdesk.i18n import _
from custdesk.ui.dialogs.card_saving import CardSaving
from custdesk.ui.tasks import ChangeBus, TaskRunner, show_error
from custdesk.ui.theme import fit_to_screen
from custdesk.ui.widgets.card_custom import CustomPanel
from custdesk.ui.widgets.card_general import GeneralPanel
from custdesk.ui.widgets.card_header import CardHeader
from custdesk.ui.widgets.card_special import SpecialPanel
from custdesk.ui.widgets.do_not_mail import DoNotMailBox
from custdesk.ui.widgets.fields import FORM_STYLE, error_label, guarded
from custdesk.ui.widgets.history_panel import HistoryPanel
from custdesk.ui.widgets.purchases_panel import PurchasesPanel
from custdesk.ui.widgets.reminders_panel import RemindersPanel

_open_cards: dict[int, ClientCardDialog] = {}


def open_client_card(
    runner: TaskRunner, db: Database, bus: ChangeBus, client_id: int | None, parent: QWidget | None = None
) -> ClientCardDialog:
    """Show the card of ``client_id`` (None: a new client); an already open card is raised instead."""
    if client_id is not None and client_id in _open_cards:
        card = _open_cards[client_id]
        card.showNormal()
        card.raise_()
        card.activateWindow()
        return card
    card = ClientCardDialog(runner, db, bus, client_id, parent)
    card.show()
    return card


class ClientCardDialog(CardSaving, QDialog):
    """One client's card in its own window; ``saved(client_id)`` after every save."""

    saved = Signal(int)
    loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        client_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus = runner, db, bus
        self.client_id = client_id
        self.card: ClientCard | None = None
        self.settings: dict[str, Any] = dict(settings.DEFAULTS)
        self.is_loaded = False
        self._clean: ClientInput | None = None
        self._closing_ok = False
        self._emitting = False
        self._busy = False

        self.setWindowFlags(
            Qt.WindowType.Window | Qt.WindowType.WindowMinMaxButtonsHint | Qt.WindowType.WindowCloseButtonHint
        )
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self.setStyleSheet(FORM_STYLE)
        fit_to_screen(self, 980, 720)

        self.header = CardHeader()
        self.general = GeneralPanel(self.region)
        self.special = SpecialPanel(self.region, self.general.kind)
        self.custom = CustomPanel(self.region, self.general.kind)
        self.history = HistoryPanel(runner, db, self.display_name)
        self.purchases = PurchasesPanel(runner, db)
        self.reminders = RemindersPanel(runner, db)
        self.do_not_mail = DoNotMailBox(runner, db, self.display_name)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.general, _("&General"))
        self.tabs.addTab(self.special, _("&Details"))
        self.custom_tab = self.tabs.addTab(self.custom, _("&Own fields"))
        self.tabs.setTabVisible(self.custom_tab, False)
        self.tabs.addTab(self.history, _("&History"))
        self.tabs.addTab(self.purchases, _("P&urchases"))
        self.tabs.addTab(self.reminders, _("&Reminders"))

        self.archive_button = QPushButton(_("Archive…"))
        self.restore_button = QPushButton(_("Restore"))
        self.call_button = QPushButton(_("Call"))
        self.call_button.setObjectName("cardCall")
        self.call_button.setToolTip(_("Call the primary phone through the computer's phone program"))
        self.call_button.setAutoDefault(False)
        self.print_button = QPushButton(_("&Print…"))
        self.print_button.setObjectName("cardPrint")
        self.print_button.setToolTip(_("Preview and print this card as saved (Ctrl+P)"))
        self.save_button = QPushButton(_("Save"))
        self.save_button.setToolTip(_("Save the card (Ctrl+S)"))
        self.close_button = QPushButton(_("Close"))
        self.close_button.setToolTip(_("Close the card (Esc)"))
        for b in (self.archive_button, self.restore_button, self.print_button, self.close_button):
            b.setAutoDefault(False)
        self.save_button.setAutoDefault(False)
        self.status = error_label()
        self.status.setObjectName("card_status")

        buttons = QHBoxLayout()
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.status, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.call_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        required = QLabel(_("Fields marked * are required."))
        required.setProperty("role", "hint")
        layout.addWidget(required)
        self.header.add_aside(self.do_not_mail)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(lambda: self.save())
        self.close_button.clicked.connect(self.close)
        self.archive_button.clicked.connect(self.archive)
        self.restore_button.clicked.connect(self.restore)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=lambda: self.save())
        self.print_button.clicked.connect(self.print_card)
        self.call_button.clicked.connect(self.call_primary)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, activated=self.print_card)
        self.print_button.setVisible(self._printing() is not None)
        self.general.changed.connect(self._edited)
        self.special.changed.connect(self._edited)
        self.custom.changed.connect(self._edited)
        self.header.temperature_changed.connect(self._edited)
        self.header.marker_chosen.connect(self.set_marker)
        self.history.history_changed.connect(
            lambda: self._related_changed(("last_contact_at", "next_call_on"))
        )
        self.purchases.purchases_changed.connect(
            lambda: self._related_changed(("purchase_count", "revenue_total", "last_purchase_on"))
        )
        self.reminders.reminders_changed.connect(lambda: self._announce(("reminders",)))
        self.do_not_mail.changed.connect(lambda change: self._announce(change.fields))
        self.history.entries_shown.connect(lambda: self.header.set_contacts(self.card, self.history.entries))
        bus.changed.connect(self._bus_changed)

        if client_id is not None:
            _open_cards[client_id] = self
        self.tabs.setEnabled(False)
        self.save_button.setEnabled(False)
        self._update_title()
        self.runner.run(self._load, client_id, on_done=guarded(self, self._loaded))

    # --- loading ----------------------------------------------------------------------------------

    def _load(self, client_id: int | None) -> tuple[dict[str, Any], ClientCard | None, list[FieldSpec]]:
        conf = settings.get_all(self.db)
        card = clients.get_client(self.db, client_id) if client_id is not None else None
        return conf, card, custom_fields.list_fields(self.db)

    def _loaded(self, result: tuple[dict[str, Any], ClientCard | None, list[FieldSpec]]) -> None:
        conf, card, specs = result
        self.settings = conf
        if specs:
            self.custom.build(specs)
            self.tabs.setTabVisible(self.custom_tab, True)
        self.history.timer.set_budget(int(conf.get("call_budget_minutes", 10)))
        self.purchases.set_currency(str(conf.get("currency", "USD")))
        self._show_card(card)
        self.history.set_client(self.client_id)
        self.purchases.set_client(self.client_id)
        self.reminders.set_client(self.client_id)
        self.do_not_mail.set_client(self.client_id)
        self.tabs.setEnabled(True)
        self.is_loaded = True
        if card is None:
            self.general.fields["name"].box.editor.setFocus()
        self.loaded.emit()

    def _show_card(self, card: ClientCard | None) -> None:
        """Fill every field from ``card`` and take it as the unchanged state."""
        self.card = card
        self.general.set_card(card, self.region())
        self.special.set_card(card)
        self.custom.set_texts(dict(card.custom) if card else {})
        self._apply_state(card)
        self.header.set_temperature(card.temperature if card else "warm")
        self._clean = self.collect()
        self.status.setVisible(False)
        self._update_title()

    def _apply_state(self, card: ClientCard | None) -> None:
        """Show what the card's state decides (header, archived, buttons), keeping unsaved edits."""
        temperature = self.header.temperature_value()
        self.card = card
        self.header.set_card(card)
        self.header.set_contacts(card, self.history.entries)
        if self._clean is not None:
            self.header.set_temperature(temperature)
        else:
            self.header.set_temperature(card.temperature if card else "warm")
        if card is None:
            self.header.set_name(self._typed_name())
        archived = bool(card and card.archived)
        self.archive_button.setVisible(card is not None and not archived)
        self.call_button.setEnabled(card is not None and card.primary_phone is not None)
        self.restore_button.setVisible(archived and card is not None and card.merged_into_id is None)
        self.general.setEnabled(not archived)
        self.special.setEnabled(not archived)
        self.custom.setEnabled(not archived)
        self.header.temperature.setEnabled(not archived)
        self.history.add_button.setEnabled(card is not None and not archived)
        self.purchases.add_button.setEnabled(card is not None and not archived)
        self.reminders.setEnabled(card is not None and not archived)
        self.save_button.setEnabled(not archived)
        self.print_button.setEnabled(card is not None)

    # --- state ------------------------------------------------------------------------------------

    def region(self) -> str:
        """The firm's phone region."""
        return str(self.settings.get("phone_region") or "US")

    def _typed_name(self) -> str:
        values = self.general.values()
        if values["kind"] == "organisation" and str(values.get("organisation") or "").strip():
            return str(values["organisation"]).strip()
        return str(values.get("name") or "").strip() or str(values.get("organisation") or "").strip()

    def display_name(self) -> str:
        """The client's name as shown (what is typed now)."""
        return self._typed_name() or (self.card.display_name if self.card else "")

    def collect(self) -> ClientInput:
        """The card as typed (the discount may still be text the validation refuses)."""
        values: dict[str, Any] = {**self.general.values(), **self.special.values()}
        values["temperature"] = self.header.temperature_value()
        data = {name: values[name] for name in CARD_FIELDS}
        return ClientInput(
            **data,
            phones=values["phones"],
            emails=values["emails"],
            tags=values["tags"],
            external_id=self.card.external_id if self.card else None,
            custom=self.custom.texts() if self.custom.specs else None,
            version=self.card.version if self.card else None,
        )

    def is_dirty(self) -> bool:
        """Whether the card holds changes not saved."""
        return self.is_loaded and self._clean is not None and self.collect() != self._clean

    def _edited(self) -> None:
        if not self.is_loaded:
            return
        self.header.set_name(self._typed_name() or (self.card.display_name if self.card else ""))
        self.refresh_problem_count()
        self._update_title()

    def _update_title(self) -> None:
        name = self.display_name() or _("New client")
        self.setWindowTitle(_("{name} — client card[*]").format(name=name))
        self.setWindowModified(self.is_dirty())

    def open_other(self, client_id: int) -> None:
        """Open (or raise) another client's card, beside this one."""
        open_client_card(self.runner, self.db, self.bus, client_id, self.parentWidget())

    def register(self) -> None:
        """Count this card among the open ones (after a new client got its number)."""
        if self.client_id is not None:
            _open_cards.setdefault(self.client_id, self)

    # --- printing ---------------------------------------------------------------------------------

    def _printing(self) -> Any:
        """The print actions of the main window this card belongs to (None: opened on its own)."""
        return getattr(self.parentWidget(), "printing", None)

    def print_card(self) -> None:
        """Ctrl+P or Print: the print preview of this card as saved (a new card prints once saved)."""
        printing = self._printing()
        if printing is None or self.client_id is None:
            return
        printing.print_cards([self.client_id])

    def call_primary(self) -> None:
        """Dial the primary phone and start the call timer in the History tab (the contact log)."""
        phone = self.card.primary_phone if self.card is not None else None
        if phone is None:
            return
        from custdesk.ui.calling import dial

        dial(phone.number, self)
        self.tabs.setCurrentWidget(self.history)
        if not self.history.timer.running:
            self.history.timer.button.setChecked(True)

    # --- archive, restore, marker -----------------------------------------------------------------

    def archive(self) -> None:
        """Archive the card after a confirmation (nothing is deleted)."""
        if self.client_id is None:
            return
        answer = QMessageBox.question(
            self,
            _("Archive the card"),
            _(
                "Archive the card of {name}? It leaves the working list; nothing is deleted, "
                "and it can be restored at any time."
            ).format(name=self.display_name()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._state_action(clients.archive_client, ("archived",))

    def restore(self) -> None:
        """Bring an archived card back to the working list."""
        if self.client_id is not None:
            self._state_action(clients.restore_client, ("archived",))

    def set_marker(self, marker: str) -> None:
        """Set the funnel marker by hand."""
        if self.client_id is not None:
            self._state_action(lambda db, cid: clients.set_funnel(db, cid, marker), ("funnel",))

    def _state_action(self, fn: Any, fields: tuple[str, ...]) -> None:
        def done(card: ClientCard) -> None:
            self._apply_state(card)
            self._announce(fields)

        self.runner.run(
            fn, self.db, self.client_id, on_done=guarded(self, done), on_error=guarded(self, self._err)
        )

    def _err(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _related_changed(self, fields: tuple[str, ...]) -> None:
        """History or purchases changed: the marker and figures may have moved."""
        if self.client_id is None:
            return

        def done(card: ClientCard) -> None:
            self._apply_state(card)
            self._announce((*fields, "funnel"))

        self.runner.run(clients.get_client, self.db, self.client_id, on_done=guarded(self, done))

    def _announce(self, fields: tuple[str, ...], *, created: bool = False) -> None:
        if self.client_id is None:
            return
        self._emitting = True
        try:
            self.bus.changed.emit(
                Change("client", (self.client_id,), fields, {"created": True} if created else {})
            )
        finally:
            self._emitting = False

    def _bus_changed(self, change: Change) -> None:
        """Another window changed this client: show it (keeping unsaved edits)."""
        if self._emitting or self.client_id is None or not self.is_loaded:
            return
        if change.entity != "client" or (change.ids and self.client_id not in change.ids):
            return

        def done(card: ClientCard) -> None:
            if self.is_dirty():
                self._apply_state(card)
            else:
                self._show_card(card)
            self.history.reload()
            self.purchases.reload()
            self.reminders.reload()
            self.do_not_mail.reload()

        self.runner.run(
            clients.get_client, self.db, self.client_id, on_done=guarded(self, done), on_error=lambda e: None
        )

    # --- closing ----------------------------------------------------------------------------------

    def _confirm_leave(self) -> bool:
        """Ask what to do with unsaved changes; True when the card may close now."""
        if not self.is_dirty():
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Unsaved changes"),
            _("The card of {name} has changes that are not saved.").format(
                name=self.display_name() or _("a new client")
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("unsaved_box")
        box.setInformativeText(_("Save them before closing?"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer == QMessageBox.StandardButton.Save:
            self.save(then_close=True)
        return False

    def reject(self) -> None:
        """Esc: close, with the guard against losing changes."""
        if self._closing_ok or self._confirm_leave():
            self._closing_ok = True
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window: the same guard."""
        if not self._closing_ok and not self._confirm_leave():
            event.ignore()
            return
        self._closing_ok = True
        self.history.timer.reset()
        if self.client_id is not None and _open_cards.get(self.client_id) is self:
            del _open_cards[self.client_id]
        super().closeEvent(event)
