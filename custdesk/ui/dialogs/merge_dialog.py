"""Merging two cards of the same client: both side by side, a choice per differing field, then merge.

Identical fields are shown once; fields empty on both cards are left out. Phones, e-mails and tags are
united, history, purchases and reminders joined, and the summary says what happens to the second card
(archived, pointing to the first; both originals stay in the journal). "Swap" keeps the other card.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from custdesk.core import validation
from custdesk.core.db import Database
from custdesk.core.dto import CARD_FIELDS, Change, ClientCard
from custdesk.core.services import clients, history, purchases, settings
from custdesk.core.vocab import CLIENT_KINDS, TEMPERATURES, label
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import isolate_text, native_digits
from custdesk.ui.tasks import ChangeBus, TaskRunner, show_error
from custdesk.ui.theme import fit_to_screen, info_colours, is_dark
from custdesk.ui.widgets.fields import date_text, guarded, money_text, number_text

MAX_SHOWN = 70  # characters of a long text shown on a choice (the whole text is its tooltip)


def value_text(name: str, value: Any) -> str:
    """A card field's value as a person reads it (empty string for no value)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, Decimal):
        return number_text(value)
    if name == "kind":
        return label(CLIENT_KINDS, str(value))
    if name == "temperature":
        return label(TEMPERATURES, str(value))
    if name == "country":
        return _("{country} ({code})").format(country=validation.country_name(str(value)), code=value)
    if name == "call_cycle_days":
        return ngettext("{n} day", "{n} days", int(value)).format(n=number_text(int(value)))
    return " ".join(str(value).split())


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


class MergeDialog(QDialog):
    """Choose, field by field, what the merged card keeps; ``merged(keep_id)`` after the merge."""

    merged = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        keep_id: int,
        other_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus = runner, db, bus
        self.keep_id, self.other_id = keep_id, other_id
        self.keep: ClientCard | None = None
        self.other: ClientCard | None = None
        self.counts: dict[int, tuple[int, int]] = {}
        self.currency = "USD"
        self.groups: dict[str, QButtonGroup] = {}
        self.is_loaded = False
        self.setWindowTitle(_("Merge two cards"))
        fit_to_screen(self, 900, 680)

        self.intro = QLabel(_("Loading the two cards…"))
        self.intro.setWordWrap(True)
        self.grid_host = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.joined = QLabel()
        self.joined.setObjectName("joined")
        self.joined.setWordWrap(True)
        self.joined.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        c = info_colours(is_dark())
        self.summary.setStyleSheet(
            f"QLabel {{ background: {c.background}; color: {c.text}; border: 1px solid {c.border};"
            " padding: 6px; }"
        )
        joined_box = QGroupBox(_("Merged, nothing lost"))
        jl = QVBoxLayout(joined_box)
        jl.addWidget(self.joined)

        self.buttons = QDialogButtonBox()
        self.merge_button = self.buttons.addButton(_("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.swap_button = QPushButton(_("Keep the other card instead"))
        self.buttons.addButton(self.swap_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge)
        self.swap_button.clicked.connect(self.swap)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(joined_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._load()

    # --- loading ----------------------------------------------------------------------------------

    def _load(self) -> None:
        self.is_loaded = False
        keep_id, other_id = self.keep_id, self.other_id

        def fetch() -> tuple[str, ClientCard, ClientCard, dict[int, tuple[int, int]]]:
            counts = {
                cid: (
                    len(history.list_interactions(self.db, cid)),
                    purchases.purchase_totals(self.db, cid).count,
                )
                for cid in (keep_id, other_id)
            }
            currency = str(settings.get(self.db, "currency"))
            return (
                currency,
                clients.get_client(self.db, keep_id),
                clients.get_client(self.db, other_id),
                counts,
            )

        self.runner.run(fetch, on_done=guarded(self, self._loaded), on_error=guarded(self, self._load_failed))

    def _load_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.reject()

    def _loaded(self, result: tuple[str, ClientCard, ClientCard, dict[int, tuple[int, int]]]) -> None:
        self.currency, self.keep, self.other, self.counts = result
        self._build()
        self.merge_button.setEnabled(True)
        self.is_loaded = True

    def swap(self) -> None:
        """Keep the other card (the first becomes the one merged in)."""
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self.merge_button.setEnabled(False)
        self._load()

    # --- the grid ---------------------------------------------------------------------------------

    def _card_head(self, card: ClientCard, role: str) -> QLabel:
        interactions, bought = self.counts.get(card.id, (0, 0))
        text = _(
            "<b>{role}</b><br>{name} (no. {id})<br><small>{history} · {purchases} · {revenue}</small>"
        ).format(
            role=role,
            name=isolate_text(card.display_name),
            id=native_digits(str(card.id)),
            history=ngettext("{n} contact", "{n} contacts", interactions).format(n=number_text(interactions)),
            purchases=ngettext("{n} purchase", "{n} purchases", bought).format(n=number_text(bought)),
            revenue=money_text(card.revenue_total, self.currency),
        )
        head = QLabel(text)
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setWordWrap(True)
        return head

    def _build(self) -> None:
        keep, other = self.keep, self.other
        assert keep is not None and other is not None
        old = self.grid_host.layout()
        if old is not None:
            QWidget().setLayout(old)  # re-parent the old layout and its widgets away, to be deleted
        for child in self.grid_host.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            child.deleteLater()
        self.groups.clear()
        grid = QGridLayout(self.grid_host)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.addWidget(self._card_head(keep, _("Stays (first card)")), 0, 1)
        grid.addWidget(self._card_head(other, _("Merged in (second card)")), 0, 2)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        grid.addWidget(line, 1, 0, 1, 3)
        row = 2
        differing = 0
        for name in CARD_FIELDS:
            mine, theirs = getattr(keep, name), getattr(other, name)
            if _empty(mine) and _empty(theirs):
                continue
            field = QLabel(_("{field}:").format(field=validation.field_label(name)))
            field.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(field, row, 0)
            if mine == theirs:
                same = QLabel(_("{value} (the same on both)").format(value=value_text(name, mine)))
                same.setProperty("role", "hint")
                same.setStyleSheet("color: palette(mid);")
                same.setWordWrap(True)
                grid.addWidget(same, row, 1, 1, 2)
            else:
                differing += 1
                group = QButtonGroup(self.grid_host)
                for col, (choice, value) in enumerate((("keep", mine), ("other", theirs)), start=1):
                    text = value_text(name, value) or _("(empty)")
                    shown = text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
                    radio = QRadioButton(shown)
                    radio.setObjectName(f"{name}:{choice}")
                    radio.setToolTip(text)
                    group.addButton(radio, col)
                    grid.addWidget(radio, row, col)
                # Default: the kept card's value, unless it is empty and the other's is not.
                group.button(2 if _empty(mine) else 1).setChecked(True)
                self.groups[name] = group
            row += 1
        grid.setRowStretch(row, 1)
        self.intro.setText(
            ngettext(
                "The two cards differ in {n} field: choose the value the merged card keeps.",
                "The two cards differ in {n} fields: choose, field by field, what the merged card keeps.",
                differing,
            ).format(n=number_text(differing))
            if differing
            else _("The two cards hold the same values: nothing to choose.")
        )
        self._show_joined()

    def _show_joined(self) -> None:
        keep, other = self.keep, self.other
        assert keep is not None and other is not None
        phones = list(dict.fromkeys(p.display for p in (*keep.phones, *other.phones)))
        emails = list(dict.fromkeys(e.address.lower() for e in (*keep.emails, *other.emails)))
        tags = list(dict.fromkeys((*keep.tags, *other.tags)))
        (h1, p1), (h2, p2) = self.counts.get(keep.id, (0, 0)), self.counts.get(other.id, (0, 0))
        none = _("none")
        lines = [
            _("<b>Phones:</b> {phones}").format(phones=", ".join(phones) or none),
            _("<b>E-mails:</b> {emails}").format(emails=", ".join(emails) or none),
            _("<b>Tags:</b> {tags}").format(tags=", ".join(tags) or none),
            _("<b>History:</b> {a} + {b} entries, joined into one timeline").format(
                a=number_text(h1), b=number_text(h2)
            ),
            _("<b>Purchases:</b> {a} + {b}, joined; the marker and totals are recomputed").format(
                a=number_text(p1), b=number_text(p2)
            ),
            _("<b>Reminders:</b> moved to the card that stays"),
        ]
        self.joined.setText("<br>".join(lines))
        self.summary.setText(
            _(
                "The second card ({other}, no. {other_id}) will be archived and point to the first "
                "({keep}, no. {keep_id}); both originals are kept in the journal."
            ).format(
                other=isolate_text(other.display_name),
                other_id=native_digits(str(other.id)),
                keep=isolate_text(keep.display_name),
                keep_id=native_digits(str(keep.id)),
            )
        )

    # --- merging ----------------------------------------------------------------------------------

    def choices(self) -> dict[str, str]:
        """Per differing field, ``keep`` or ``other``."""
        return {name: ("other" if g.checkedId() == 2 else "keep") for name, g in self.groups.items()}

    def choose(self, field: str, choice: str) -> None:
        """Pick ``keep`` or ``other`` for ``field`` (as a click on its radio button does)."""
        self.groups[field].button(2 if choice == "other" else 1).setChecked(True)

    def merge(self) -> None:
        """Merge the second card into the first with the chosen values."""
        if not self.is_loaded:
            return
        self.merge_button.setEnabled(False)
        self.runner.run(
            clients.merge_clients,
            self.db,
            self.keep_id,
            self.other_id,
            self.choices(),
            on_done=guarded(self, self._merged),
            on_error=guarded(self, self._failed),
        )

    def _merged(self, card: ClientCard) -> None:
        self.bus.changed.emit(
            Change("client", (self.keep_id, self.other_id), ("merged",), {"merged_into": self.keep_id})
        )
        self.merged.emit(card.id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.merge_button.setEnabled(True)
        show_error(self, exc)
