"""The import wizard's options page: what happens to duplicates and to rows with problems."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QRadioButton, QVBoxLayout, QWizardPage

from custdesk.i18n import _
from custdesk.ui.widgets.import_pages import _state


class OptionsPage(QWizardPage):
    """Duplicates (skip, update, create) and bad rows (skip, or import flagged for review)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("importOptionsPage")
        self.setTitle(_("Duplicates and bad rows"))
        self.setSubTitle(_("Choose what happens to clients already in the base and to rows with problems."))
        self.duplicates_box = QGroupBox(
            _(
                "The same client as one already in the base or the file (the same external id; in a file "
                "without external ids, the same phone or e-mail and the same name)"
            )
        )
        self.duplicates = self._choices(
            self.duplicates_box,
            "importDuplicates",
            [
                ("skip", _("&Skip it: keep the card in the base as it is")),
                ("update", _("&Update the card in the base with the file's values")),
                ("create", _("&Create a new card anyway")),
            ],
        )
        self.bad_box = QGroupBox(_("A row with a problem (a wrong phone, an impossible date…)"))
        self.bad_rows = self._choices(
            self.bad_box,
            "importBadRows",
            [
                (
                    "flag",
                    _(
                        "&Import it, tagged “needs review”, with the reasons and the values that could not "
                        "be stored kept in its notes"
                    ),
                ),
                ("skip", _("S&kip the row; it is listed in the report")),
            ],
        )
        self.rule = QLabel(
            _(
                "Nothing is lost by default: a client with the same name and city, or a shared e-mail, but "
                "another external id is imported as a possible duplicate: the report lists it, and its card "
                "offers the merge."
            )
        )
        self.rule.setObjectName("importRule")
        self.rule.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.duplicates_box)
        layout.addWidget(self.bad_box)
        layout.addWidget(self.rule)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def _choices(self, box: QGroupBox, name: str, items: list[tuple[str, str]]) -> dict[str, QRadioButton]:
        layout = QVBoxLayout(box)
        group = QButtonGroup(box)
        buttons = {}
        for key, text in items:
            button = QRadioButton(text)
            button.setObjectName(f"{name}_{key}")
            group.addButton(button)
            layout.addWidget(button)
            buttons[key] = button
        return buttons

    def initializePage(self) -> None:
        state = _state(self)
        clients = state.kind == "clients"
        if not clients:
            state.duplicates, state.bad_rows = "skip", "skip"
        self.duplicates[state.duplicates].setChecked(True)
        self.bad_rows[state.bad_rows].setChecked(True)
        self.duplicates_box.setEnabled(clients)
        self.bad_box.setEnabled(clients)
        self.rule.setVisible(clients)
        self.note.setText(
            ""
            if clients
            else _(
                "Purchases and history rows are added to the client they name (by external id, phone or "
                "e-mail); a row with a problem or without a client is skipped and listed in the report."
            )
        )

    def validatePage(self) -> bool:
        state = _state(self)
        state.duplicates = next(k for k, b in self.duplicates.items() if b.isChecked())
        state.bad_rows = next(k for k, b in self.bad_rows.items() if b.isChecked())
        state.preview = None
        return True


__all__ = ["OptionsPage"]
