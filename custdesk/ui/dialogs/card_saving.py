"""Saving a client card: the whole-card check, the duplicate question, storing, marking refused fields.

A mixin of :class:`custdesk.ui.dialogs.client_card.ClientCardDialog`, kept apart so that each module
stays short; it uses the dialog's panels, runner and state.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from custdesk.core import fields, validation
from custdesk.core.dto import CARD_FIELDS, ClientCard, ClientInput, DuplicateMatch
from custdesk.core.errors import FieldError, StaleCardError, ValidationFailed
from custdesk.core.services import clients
from custdesk.core.validation import field_label
from custdesk.i18n import N_, _, ngettext
from custdesk.ui.formatting import format_number, isolate_text, native_digits
from custdesk.ui.tasks import show_error
from custdesk.ui.widgets.fields import guarded

# Fields whose change may make the card look like another client's: re-check duplicates on save.
IDENTITY_FIELDS = ("name", "organisation", "city", "phones", "emails")
DUPLICATE_REASONS = {
    "phone": N_("same phone"),
    "email": N_("same e-mail"),
    "name-city": N_("same name and city"),
}


def _reason_text(reason: str) -> str:
    return _(DUPLICATE_REASONS[reason]) if reason in DUPLICATE_REASONS else reason


class CardSaving:
    """Save (Ctrl+S) and everything it shows; mixed into the card dialog."""

    def _local_check(self) -> tuple[ClientInput, list[FieldError]]:
        data = self.collect()
        problems: list[FieldError] = []
        if isinstance(data.discount_percent, str):
            message = validation.field_error("discount_percent", data.discount_percent, self.region())
            problems.append(FieldError("discount_percent", message or _("Not a number.")))
            data = ClientInput(**{**data.__dict__, "discount_percent": None})
        try:
            validation.validate_client(
                data, region=self.region(), require_contact=bool(self.settings.get("require_contact", True))
            )
        except ValidationFailed as exc:
            problems = problems + exc.errors
        if data.custom is not None:
            problems += [
                FieldError(key, message)
                for key, spec in self.custom.specs.items()
                if (message := fields.canonical(spec, data.custom.get(key))[1])
            ]
        return data, problems

    def save(self, *, then_close: bool = False) -> None:
        """Check the whole card, name a possible duplicate, store it (Ctrl+S)."""
        if not self.is_loaded or self._busy or (self.card is not None and self.card.archived):
            return
        data, problems = self._local_check()
        if problems:
            self.show_errors(problems)
            return
        self.show_errors([])
        if self._needs_duplicate_check(data):
            self._busy = True
            self.runner.run(
                clients.find_duplicates,
                self.db,
                data,
                exclude_id=self.client_id,
                on_done=guarded(self, lambda matches: self._duplicates_found(matches, data, then_close)),
                on_error=guarded(self, self._store_failed),
            )
        else:
            self._store(data, then_close)

    def _needs_duplicate_check(self, data: ClientInput) -> bool:
        if self.card is None or self._clean is None:
            return True
        return any(getattr(data, f) != getattr(self._clean, f) for f in IDENTITY_FIELDS)

    def _duplicates_found(self, matches: list[DuplicateMatch], data: ClientInput, then_close: bool) -> None:
        self._busy = False
        if not matches:
            self._store(data, then_close)
            return
        lines = [
            _("{name} (no. {id}): {reasons}").format(
                name=isolate_text(m.display_name),
                id=native_digits(str(m.client_id)),
                reasons=", ".join(_reason_text(r) for r in m.reasons),
            )
            for m in matches[:5]
        ]
        box = QMessageBox(QMessageBox.Icon.Warning, _("Possible duplicate"), "", parent=self)
        box.setObjectName("duplicate_box")
        box.setText(
            ngettext(
                "This client may already be in the base:",
                "This client may already be in the base, {n} times:",
                len(matches),
            ).format(n=format_number(len(matches)))
        )
        box.setInformativeText("\n".join(lines))
        open_button = box.addButton(_("Open the existing card"), QMessageBox.ButtonRole.ActionRole)
        save_button = box.addButton(_("Save anyway"), QMessageBox.ButtonRole.AcceptRole)
        back_button = box.addButton(_("Back to editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back_button)
        box.setEscapeButton(back_button)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save_button:
            self._store(data, then_close)
        elif clicked is open_button:
            self.open_other(matches[0].client_id)

    def _store(self, data: ClientInput, then_close: bool) -> None:
        self._busy = True
        self.save_button.setEnabled(False)
        before = self._clean
        if self.client_id is None:
            fn: Any = clients.create_client
            args: tuple[Any, ...] = (self.db, data)
        else:
            fn, args = clients.update_client, (self.db, self.client_id, data)
        self.runner.run(
            fn,
            *args,
            on_done=guarded(self, lambda card: self._stored(card, before, data, then_close)),
            on_error=guarded(self, self._store_failed),
        )

    def _stored(
        self, card: ClientCard, before: ClientInput | None, data: ClientInput, then_close: bool
    ) -> None:
        self._busy = False
        created = self.client_id is None
        self.client_id = card.id
        self.register()
        if then_close:
            self._clean = data
        else:
            self._show_card(card)
        if created:
            self.history.set_client(card.id)
            self.purchases.set_client(card.id)
            self.reminders.set_client(card.id)
            self.do_not_mail.set_client(card.id)
            self._apply_state(card)
            fields: tuple[str, ...] = ()
        else:
            fields = tuple(
                name
                for name in (*CARD_FIELDS, "phones", "emails", "tags")
                if before is None or getattr(before, name) != getattr(data, name)
            )
        self._announce(fields, created=created)
        self.saved.emit(card.id)
        if then_close:
            self._closing_ok = True
            self.close()

    def _store_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.show_errors(exc.errors)
            return
        if isinstance(exc, StaleCardError):
            self._changed_meanwhile(exc)
            return
        show_error(self, exc)

    def _changed_meanwhile(self, exc: StaleCardError) -> None:
        """Another seat saved this card since it was opened: show what differs, let the person choose."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Card changed"), "", parent=self)
        box.setObjectName("stale_card_box")
        box.setText(_("This card was changed since you opened it."))
        lines = [
            _("{field}: {theirs} → {yours}").format(
                field=field_label(c.field),
                theirs=isolate_text(c.theirs or "—"),
                yours=isolate_text(c.yours or "—"),
            )
            for c in exc.changes
        ]
        changes = "\n".join(lines)
        box.setInformativeText(
            _("Saved meanwhile → yours:\n{changes}").format(changes=changes)
            if lines
            else _("Nothing you typed differs from what is saved now.")
        )
        theirs_button = box.addButton(_("Show their card"), QMessageBox.ButtonRole.ResetRole)
        mine_button = box.addButton(_("Save mine over theirs"), QMessageBox.ButtonRole.AcceptRole)
        back_button = box.addButton(_("Back to editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back_button)
        box.setEscapeButton(back_button)
        box.exec()
        clicked = box.clickedButton()
        current: ClientCard | None = exc.current
        if current is None:
            return
        if clicked is theirs_button:
            self._show_card(current)
        elif clicked is mine_button:
            data, problems = self._local_check()
            if not problems:
                self.card = current  # its version: this save is made knowingly over it
                self._store(replace(data, version=current.version), then_close=False)

    def show_errors(self, errors: list[FieldError]) -> None:
        """Mark every refused field with its reason and move to the first (empty: clear all marks)."""
        by_field = {e.field: e.message for e in reversed(errors)}
        self.general.mark_errors({k: v for k, v in by_field.items() if k in self.general.fields})
        self.special.mark_errors({k: v for k, v in by_field.items() if k in self.special.fields})
        self.custom.mark_errors({k: v for k, v in by_field.items() if k in self.custom.fields})
        for editor in (self.general.phones, self.general.emails):
            for index in range(len(editor.rows)):
                editor.mark_item(index, by_field.get(editor.item_field(index)))
        self.general.show_contact_error(by_field.get("contact"))
        if not errors:
            self.status.setVisible(False)
            return
        self._show_problem_count(len(errors))
        self._focus_error(errors[0].field)

    def _show_problem_count(self, count: int) -> None:
        if not count:
            self.status.setVisible(False)
            return
        self.status.setText(
            ngettext(
                "The card has {n} problem: it is marked in red.",
                "The card has {n} problems: they are marked in red.",
                count,
            ).format(n=format_number(count))
        )
        self.status.setVisible(True)

    def refresh_problem_count(self) -> None:
        """After an edit: the problems line counts the fields still marked (and goes when none is)."""
        if not self.status.isVisible():
            return
        marked = [
            w
            for panel in (self.general, self.special, self.custom)
            for w in panel.findChildren(QWidget)
            if w.property("invalid") is True
        ]
        self._show_problem_count(len(marked) + self.general.contact_error.isVisibleTo(self.general))

    def _focus_error(self, field: str) -> None:
        widget: QWidget | None
        if field in self.special.fields:
            self.tabs.setCurrentWidget(self.special)
            widget = self.special.fields[field].box.editor
        elif field in self.custom.fields:
            self.tabs.setCurrentWidget(self.custom)
            widget = self.custom.fields[field].box.editor
        else:
            self.tabs.setCurrentWidget(self.general)
            if field in self.general.fields:
                widget = self.general.fields[field].box.editor
            elif field == "contact":
                rows = self.general.phones.rows or self.general.emails.rows
                widget = rows[0].value if rows else self.general.phones.add_button
            else:
                widget = self.general.phones.first_invalid() or self.general.emails.first_invalid()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
