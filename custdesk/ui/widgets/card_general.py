"""The General tab of the client card: who the client is, how to reach it, where it is.

Two columns: on the left the client (person or organisation, name, birthday, source, VIP, tags) and,
for an organisation, its requisites; on the right the phones and e-mails and the postal address. The
person/organisation switch decides which name is required and shows or hides the requisites.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core import validation
from custdesk.core.dto import ClientCard
from custdesk.i18n import _, babel_locale
from custdesk.ui.formatting import format_date
from custdesk.ui.widgets.card_form import CardForm
from custdesk.ui.widgets.contacts_editor import emails_editor, phones_editor
from custdesk.ui.widgets.fields import error_label, hint_label, mark, required_label, two_column_page


def _countries() -> dict[str, str]:
    """ISO country codes and their names in the interface language, sorted by name."""
    try:
        from babel import Locale

        names = {
            code: str(name)
            for code, name in Locale.parse(babel_locale()).territories.items()
            if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
        }
    except Exception:  # Babel without locale data: codes only
        names = {}
    return dict(sorted(names.items(), key=lambda kv: kv[1]))


class GeneralPanel(CardForm):
    """General data of a client card."""

    def __init__(self, region: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(region, self.kind, parent)
        self._kind_group = QButtonGroup(self)
        self.person_radio = QRadioButton(_("Person"))
        self.organisation_radio = QRadioButton(_("Organisation"))
        self.person_radio.setChecked(True)
        self._kind_group.addButton(self.person_radio)
        self._kind_group.addButton(self.organisation_radio)

        # Fields.
        self.organisation_box = self.line_field("organisation", _("Firm name, e.g. Nordic Tools Ltd"))
        self.name_box = self.line_field("name", _("First and last name"))
        birthday = self.date_field("birthday", _("known:"))
        source = self.line_field("source", _("e.g. website, fair, recommendation"))
        vip = self.check_field("vip", _("VIP client"))
        tags = self.line_field("tags", _("Comma-separated, e.g. wholesale, north"))
        tax_id = self.line_field("tax_id")
        registration_no = self.line_field("registration_no")
        bank_details = self.text_field("bank_details", _("Bank, account, BIC"), lines=2)
        country = self._country_field()
        address = {name: self.line_field(name) for name in ("region", "city", "district", "street")}
        building = self.line_field("building")
        postcode = self.line_field("postcode")
        self.fields["building"].box.editor.setMinimumWidth(150)
        self.fields["postcode"].box.editor.setMaximumWidth(110)

        self.phones = phones_editor(region)
        self.emails = emails_editor(region)
        self.phones.changed.connect(self._contacts_edited)
        self.emails.changed.connect(self._contacts_edited)
        self.contact_error = error_label()

        # Left: the client.
        client_group = QGroupBox(_("Client"))
        form = QFormLayout(client_group)
        kinds = QHBoxLayout()
        kinds.addWidget(self.person_radio)
        kinds.addWidget(self.organisation_radio)
        kinds.addStretch(1)
        form.addRow(_("Kind:"), kinds)
        self.organisation_label = QLabel(required_label(_("Organisation:")))
        form.addRow(self.organisation_label, self.organisation_box)
        self.name_label = QLabel()
        form.addRow(self.name_label, self.name_box)
        form.addRow(_("Birthday:"), birthday)
        form.addRow(_("Source:"), source)
        form.addRow("", vip)
        form.addRow(_("Tags:"), tags)
        # When the client came to the firm: an imported base's own date, else the card's first day. Read
        # only (the growth of the base counts from it); a new card has none yet.
        self.since_label = QLabel()
        self.since_label.setObjectName("clientSince")
        self.since_label.setToolTip(
            _("The date the old base gave when it was imported, else the day the card was made.")
        )
        form.addRow(_("Client since:"), self.since_label)
        form.setRowVisible(self.since_label, False)
        self._client_form = form

        self.requisites_group = QGroupBox(_("Company details"))
        req = QFormLayout(self.requisites_group)
        req.addRow(_("Tax ID:"), tax_id)
        req.addRow(_("Registration no.:"), registration_no)
        req.addRow(_("Bank details:"), bank_details)

        left = QVBoxLayout()
        left.addWidget(client_group)
        left.addWidget(self.requisites_group)
        left.addStretch(1)

        # Right: contacts and address.
        contacts_group = QGroupBox(_("Phones and e-mails"))
        contacts = QVBoxLayout(contacts_group)
        contacts.addWidget(QLabel(required_label(_("Phones:"))))
        contacts.addWidget(self.phones)
        contacts.addWidget(QLabel(required_label(_("E-mails:"))))
        contacts.addWidget(self.emails)
        contacts.addWidget(self.contact_error)
        contacts.addWidget(hint_label(_("At least one phone or e-mail is required.")))

        address_group = QGroupBox(_("Address"))
        addr = QFormLayout(address_group)
        addr.addRow(_("Country:"), country)
        addr.addRow(_("Region:"), address["region"])
        addr.addRow(_("City:"), address["city"])
        addr.addRow(_("District:"), address["district"])
        addr.addRow(_("Street:"), address["street"])
        numbers = QHBoxLayout()
        numbers.addWidget(building, 1)
        numbers.addWidget(QLabel(_("Postcode:")))
        numbers.addWidget(postcode)
        addr.addRow(_("Building:"), numbers)

        right = QVBoxLayout()
        right.addWidget(contacts_group)
        right.addWidget(address_group)
        right.addStretch(1)

        two_column_page(self, left, right)

        self.organisation_radio.toggled.connect(self._kind_changed)
        self._apply_kind()

    def _country_field(self) -> Any:
        box = self.combo_field("country", {"": _("not given"), **_countries()})
        combo = box.editor
        assert isinstance(combo, QComboBox)
        combo.setMaxVisibleItems(20)

        def set_(code: str) -> None:
            code = (code or "").upper()
            if code and combo.findData(code) < 0:
                combo.addItem(validation.country_name(code), code)
            combo.setCurrentIndex(max(combo.findData(code), 0))

        self.fields["country"].set = set_
        return box

    # --- kind -------------------------------------------------------------------------------------

    def kind(self) -> str:
        """``person`` or ``organisation``."""
        return "organisation" if self.organisation_radio.isChecked() else "person"

    def _kind_changed(self, _on: bool) -> None:
        self._apply_kind()
        if not self._loading:
            self.check("name")
            self.check("organisation")
            self.changed.emit()

    def _apply_kind(self) -> None:
        organisation = self.kind() == "organisation"
        self._client_form.setRowVisible(self.organisation_box, organisation)
        self.requisites_group.setVisible(organisation)
        self.name_label.setText(_("Contact person:") if organisation else required_label(_("Name:")))
        self.name_label.setTextFormat(Qt.TextFormat.RichText)

    # --- contacts ---------------------------------------------------------------------------------

    def _contacts_edited(self) -> None:
        if self._loading:
            return
        if any(r.value.text().strip() for r in self.phones.rows + self.emails.rows):
            mark(self.contact_error, None, self.contact_error)
        self.changed.emit()

    def show_contact_error(self, message: str | None) -> None:
        """Show (or clear) the "at least one phone or e-mail" message."""
        self.contact_error.setText(message or "")
        self.contact_error.setVisible(bool(message))

    # --- values -----------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """General fields, plus ``kind``, ``phones``, ``emails`` and ``tags`` as the input wants them."""
        values = super().values()
        values["kind"] = self.kind()
        values["tags"] = tuple(t.strip() for t in str(values.get("tags") or "").split(",") if t.strip())
        values["phones"] = self.phones.phones()
        values["emails"] = self.emails.emails()
        return values

    def set_card(self, card: ClientCard | None, region: str) -> None:
        """Show a stored card (None: an empty new card)."""
        self._loading = True
        try:
            is_org = card is not None and card.kind == "organisation"
            self.organisation_radio.setChecked(is_org)
            self.person_radio.setChecked(not is_org)
            self._apply_kind()
            if card is None:
                self.set_values({name: None for name in self.fields})
                self.phones.set_phones(())
                self.emails.set_emails(())
            self.since_label.setText(format_date(card.since) if card is not None else "")
            self._client_form.setRowVisible(self.since_label, card is not None)
            if card is not None:
                values = {name: getattr(card, name) for name in self.fields if name != "tags"}
                values["tags"] = ", ".join(card.tags)
                self.set_values(values)
                self.phones.set_phones(
                    tuple(
                        (validation.format_phone(p.number, region), p.kind, p.is_primary, p.extension)
                        for p in card.phones
                    )
                )
                self.emails.set_emails(tuple((e.address, e.kind, e.is_primary) for e in card.emails))
            self.show_contact_error(None)
        finally:
            self._loading = False
