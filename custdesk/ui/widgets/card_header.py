"""The head of a client card: the name, the funnel marker as a colour badge with its letter and meaning,
when and why the marker last changed, a menu to set it by hand, the temperature, the next call and the
last contact (kept live while the card is open), and an archived banner.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)

from custdesk.core.dto import ClientCard, InteractionDTO
from custdesk.core.vocab import (
    FUNNEL_BY_KEY,
    FUNNEL_MARKERS,
    FUNNEL_REASONS,
    INTERACTION_KINDS,
    OUTCOMES,
    RED_OUTLINE,
    TEMPERATURES,
    funnel_label,
    label,
)
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import format_number, isolate_label, isolate_text, native_digits
from custdesk.ui.theme import is_dark, notice_colours, scheme_changed
from custdesk.ui.widgets.fields import date_text


def next_call_text(next_call_on: date | None, today: date) -> str:
    """ "Next call: 21.12.2026 (in 14 days)", "… (today)", "… (3 days overdue)" or "no call planned"."""
    if next_call_on is None:
        return _("Next call: not planned")
    days = (next_call_on - today).days
    day = date_text(next_call_on)
    if days == 0:
        return _("Next call: {date} (today)").format(date=day)
    if days == 1:
        return _("Next call: {date} (tomorrow)").format(date=day)
    if days > 0:
        return ngettext("Next call: {date} (in {n} day)", "Next call: {date} (in {n} days)", days).format(
            date=day, n=format_number(days)
        )
    return ngettext(
        "Next call: {date} ({n} day overdue)", "Next call: {date} ({n} days overdue)", -days
    ).format(date=day, n=format_number(-days))


def last_contact_text(last_contact_at: datetime | None, latest: InteractionDTO | None, today: date) -> str:
    """ "Last contact: today, call, reached" (the kind and outcome of the newest history entry)."""
    if last_contact_at is None and latest is None:
        return _("Last contact: none yet")
    when_at = latest.occurred_at if latest is not None else last_contact_at
    assert when_at is not None
    days = (today - when_at.date()).days
    if days == 0:
        when = _("today")
    elif days == 1:
        when = _("yesterday")
    else:
        when = date_text(when_at)
    if latest is None:
        return _("Last contact: {when}").format(when=when)
    kind = label(INTERACTION_KINDS, latest.kind)
    if latest.outcome:
        return _("Last contact: {when}, {kind}, {outcome}").format(
            when=when, kind=kind, outcome=label(OUTCOMES, latest.outcome)
        )
    return _("Last contact: {when}, {kind}").format(when=when, kind=kind)


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    c = QColor(background)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#000000" if luminance > 150 else "#FFFFFF"


def marker_icon(key: str, size: int = 14) -> QIcon:
    """A square of the marker's colour."""
    pixmap = QPixmap(size, size)
    marker = FUNNEL_BY_KEY.get(key)
    pixmap.fill(QColor(marker.colour if marker else "#FFFFFF"))
    return QIcon(pixmap)


class FunnelBadge(QLabel):
    """The marker's colour with its letter (the letter is for colour-blind users)."""

    def set_marker(self, key: str) -> None:
        """Show marker ``key``."""
        marker = FUNNEL_BY_KEY.get(key)
        colour = marker.colour if marker else "#F4F4F4"
        self.setText(marker.letter if marker else "?")
        border = f"3px solid {RED_OUTLINE}" if marker and marker.red else "1px solid #888"  # red: outlined
        self.setStyleSheet(
            f"QLabel {{ background: {colour}; color: {text_colour_on(colour)}; border: {border};"
            " border-radius: 4px; padding: 2px 8px; font-weight: bold; }"
        )
        self.setToolTip(funnel_label(key))


class CardHeader(QWidget):
    """The head of the card; ``marker_chosen`` asks to set the marker, ``temperature_changed`` is an edit."""

    marker_chosen = Signal(str)
    temperature_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_label = QLabel()
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setProperty("role", "hint")

        self.badge = FunnelBadge()
        self.marker_text = QLabel()
        self.marker_text.setTextFormat(Qt.TextFormat.PlainText)
        self.marker_changed = QLabel()
        self.marker_changed.setProperty("role", "hint")
        # A push button with a menu: its size counts the menu arrow, which a tool button drew over the
        # text in longer languages.
        self.set_marker_button = QPushButton(_("Set marker"))
        self.set_marker_button.setAutoDefault(False)
        menu = QMenu(self.set_marker_button)
        for marker in FUNNEL_MARKERS:
            action = menu.addAction(
                marker_icon(marker.key),
                _("{marker} ({letter}): {meaning}").format(
                    marker=funnel_label(marker.key), letter=marker.letter, meaning=_(marker.meaning)
                ),
            )
            action.setData(marker.key)
            action.triggered.connect(lambda _c=False, k=marker.key: self.marker_chosen.emit(k))
        self.set_marker_button.setMenu(menu)
        self.marker_menu = menu

        self.temperature = QComboBox()
        self.temperature.setObjectName("temperature")
        for key in TEMPERATURES:
            self.temperature.addItem(label(TEMPERATURES, key), key)
        self.temperature.currentIndexChanged.connect(lambda _i: self.temperature_changed.emit())

        self.contacts = QLabel()
        self.contacts.setObjectName("cardContacts")
        self.contacts.setWordWrap(True)
        self.contacts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contacts.setVisible(False)

        self.archived_banner = QLabel()
        self.archived_banner.setWordWrap(True)
        self._colour_banner()
        scheme_changed().connect(self._colour_banner)
        self.archived_banner.setVisible(False)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 4)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.name_label, 0, 0, 1, 2)
        grid.addWidget(self.subtitle, 1, 0, 1, 2)
        marker_row = QHBoxLayout()
        marker_row.setSpacing(8)
        marker_row.addWidget(self.badge)
        marker_row.addWidget(self.marker_text)
        marker_row.addWidget(self.set_marker_button)
        marker_row.addStretch(1)
        marker_row.addWidget(QLabel(_("Temperature:")))
        marker_row.addWidget(self.temperature)
        grid.addLayout(marker_row, 2, 0, 1, 2)
        grid.addWidget(self.marker_changed, 3, 0, 1, 2)
        grid.addWidget(self.contacts, 4, 0, 1, 2)
        grid.addWidget(self.archived_banner, 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self._grid = grid

    def add_aside(self, widget: QWidget) -> None:
        """Put ``widget`` at the end of the subtitle's line (the card's "Do not mail" flag)."""
        self._grid.removeWidget(self.subtitle)
        self._grid.addWidget(self.subtitle, 1, 0)
        self._grid.addWidget(widget, 1, 1, Qt.AlignmentFlag.AlignTrailing)

    def _colour_banner(self) -> None:
        c = notice_colours(is_dark())
        self.archived_banner.setStyleSheet(
            f"QLabel {{ background: {c.background}; color: {c.text}; border: 1px solid {c.border};"
            " padding: 4px 8px; }"
        )

    def set_contacts(
        self, card: ClientCard | None, entries: Sequence[InteractionDTO], today: date | None = None
    ) -> None:
        """ "Next call: … · Last contact: …" of a stored card (``entries``: its history, newest first)."""
        if card is None:
            self.contacts.setVisible(False)
            return
        today = today or date.today()
        latest = entries[0] if entries else None
        self.contacts.setText(
            _("{next_call} · {last_contact}").format(
                next_call=next_call_text(card.next_call_on, today),
                last_contact=last_contact_text(card.last_contact_at, latest, today),
            )
        )
        self.contacts.setVisible(True)

    def temperature_value(self) -> str:
        """The chosen temperature key."""
        return str(self.temperature.currentData())

    def set_temperature(self, key: str) -> None:
        """Show temperature ``key`` without counting it as an edit."""
        self.temperature.blockSignals(True)
        self.temperature.setCurrentIndex(max(self.temperature.findData(key), 0))
        self.temperature.blockSignals(False)

    def set_name(self, name: str) -> None:
        """Show the name as typed (a placeholder while empty)."""
        self.name_label.setText(isolate_label(name) or _("New client"))

    def set_card(self, card: ClientCard | None) -> None:
        """Show a stored card's head (None: a new client)."""
        if card is None:
            self.set_name("")
            self.subtitle.setText(_("Not saved yet"))
            self.badge.set_marker("white")
            self.marker_text.setText(
                _("{marker}: {meaning}").format(
                    marker=funnel_label("white"), meaning=_(FUNNEL_BY_KEY["white"].meaning)
                )
            )
            self.marker_changed.setText("")
            self.set_marker_button.setEnabled(False)
            self.archived_banner.setVisible(False)
            self.set_temperature("warm")
            return
        self.set_name(card.display_name)
        if card.kind == "organisation" and card.name:
            self.subtitle.setText(_("Contact person: {name}").format(name=isolate_text(card.name)))
        else:
            self.subtitle.setText(_("Client no. {id}").format(id=native_digits(str(card.id))))
        marker = FUNNEL_BY_KEY.get(card.funnel)
        self.badge.set_marker(card.funnel)
        self.marker_text.setText(
            _("{marker}: {meaning}").format(
                marker=funnel_label(card.funnel), meaning=_(marker.meaning) if marker else ""
            )
        )
        reason = label(FUNNEL_REASONS, card.funnel_reason) if card.funnel_reason else ""
        if card.funnel_changed_at is not None and reason:
            changed = _("Marker set on {date}: {reason}").format(
                date=date_text(card.funnel_changed_at), reason=reason
            )
        elif card.funnel_changed_at is not None:
            changed = _("Marker set on {date}").format(date=date_text(card.funnel_changed_at))
        else:
            changed = ""
        self.marker_changed.setText(changed)
        self.set_marker_button.setEnabled(not card.archived)
        if card.archived:
            if card.merged_into_id is not None:
                text = _("This card is archived: it was merged into client no. {id}.").format(
                    id=native_digits(str(card.merged_into_id))
                )
            else:
                text = _(
                    "This card is archived since {date}. Restore it to work with the client again."
                ).format(date=date_text(card.archived_at))
            self.archived_banner.setText(text)
        self.archived_banner.setVisible(card.archived)
        self.set_temperature(card.temperature)
