"""A client card as HTML for printing (no Qt): what a seller takes to a meeting or files away.

:func:`load_card` reads what a printed card shows (the card, its last history entries, the purchase
figures, the analysis segments where they were computed) into a :class:`CardPrint`, on the base worker;
:func:`card_html` turns it into HTML for ``QTextDocument``; :func:`card_documents` does both for a batch
of cards, with progress. The markup rules (every value escaped, right-to-left rows) are those of
:mod:`custdesk.io.print_html`.

What the card shows, top to bottom: the name (or the organisation) with the funnel marker as a badge in
its colour with its letter, the temperature, VIP and the ABC/XYZ/RFM classes; the work with the client
(next call, marker, temperature, cycle, last contact); the general data; the special data; the purchase
summary (count, total, profit, last, average); the last N history entries (firm setting
``card_history_entries``). Empty fields leave no holes: their rows are left out.

The firm chooses what its printed cards leave out (firm setting ``card_print_hidden``, the keys of
:data:`PRINT_PARTS`): the profit, the external code, the requisites, the birthday, the analysis classes,
the special data, the history. By default a card shows everything.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.dto import ClientCard, InteractionDTO, PurchaseTotals
from custdesk.core.fields import FieldSpec
from custdesk.core.models import Interaction
from custdesk.core.services import clients, custom_fields, history, purchases, settings
from custdesk.core.services.access import Permission, allows, require_print
from custdesk.core.validation import country_name, field_label
from custdesk.core.vocab import (
    CLIENT_KINDS,
    EMAIL_KINDS,
    FUNNEL_BY_KEY,
    FUNNEL_REASONS,
    INTERACTION_KINDS,
    OUTCOMES,
    PHONE_KINDS,
    TEMPERATURES,
    funnel_label,
    label,
)
from custdesk.i18n import N_, _, ngettext
from custdesk.io.print_html import (
    GREY,
    PrintDocument,
    badge_cell,
    badges,
    block,
    document,
    esc,
    funnel_badge,
    isolate,
    ltr,
    money,
    row_html,
    table,
    when,
)

Progress = Callable[[int, int], None]

TEMPERATURE_COLOURS = {"hot": "#D84315", "warm": "#F9A825", "cold": "#1E88E5"}
VIP_COLOUR = "#6A1B9A"
SEGMENT_COLOUR = "#ECEFF1"
OVERDUE_COLOUR = "#C62828"
# The special data printed as plain text, in card order (the discount and the contract's end apart).
_SPECIAL_TEXT = (
    "buying_particulars",
    "preferred_products",
    "usual_volume",
    "deal_terms",
    "discount_percent",
    "payment_terms",
    "delivery_terms",
    "contract_no",
    "contract_end",
    "competitor",
    "competitor_advantage",
    "notes",
)
_HISTORY_WIDTHS = ('width="19%"', 'width="11%"', 'width="15%"', "")
# The parts of a printed card the firm may leave out, in card order, with what a person calls them.
PRINT_PARTS: dict[str, str] = {
    "classes": N_("Analysis classes (ABC, XYZ, RFM)"),
    "external_id": N_("External code"),
    "requisites": N_("Company details (tax ID, registration number, bank details)"),
    "birthday": N_("Birthday"),
    "special": N_("Buying and terms"),
    "profit": N_("Profit"),
    "history": N_("History"),
}


def hidden_parts(conf: dict[str, Any]) -> frozenset[str]:
    """The parts of :data:`PRINT_PARTS` the firm's printed cards leave out (unknown keys ignored)."""
    value = conf.get("card_print_hidden", settings.DEFAULTS["card_print_hidden"])
    return frozenset(str(k) for k in (value or ()) if str(k) in PRINT_PARTS)


@dataclass(frozen=True)
class Segments:
    """The client's analysis classes where they were computed (``None``: not computed)."""

    abc: str | None = None
    xyz: str | None = None
    rfm: str | None = None


@dataclass(frozen=True)
class CardPrint:
    """Everything a printed card shows, read in one go on the base worker."""

    card: ClientCard
    history: tuple[InteractionDTO, ...]
    history_total: int
    totals: PurchaseTotals
    segments: Segments
    currency: str
    today: date
    hidden: frozenset[str] = frozenset()  # parts of PRINT_PARTS left out
    # The firm's own fields that hold a value: (section, field name, value as printed), in catalogue order.
    custom: tuple[tuple[str, str, str], ...] = ()


# --- reading ---------------------------------------------------------------------------------------------


def read_segments(db: Database, client_ids: Sequence[int]) -> dict[int, Segments]:
    """The stored ABC, XYZ and RFM classes of these clients (those never analysed are absent)."""
    try:
        store = importlib.import_module("custdesk.analysis.store")
        rfm = importlib.import_module("custdesk.analysis.rfm")
    except ImportError:  # no analysis store in this build: nothing was computed
        return {}
    found: dict[int, Any] = store.stored_classes_of(db, client_ids)
    out: dict[int, Segments] = {}
    for cid, c in found.items():
        segment = ""
        if c.segment:
            name = _(rfm.SEGMENT_LABELS[c.segment]) if c.segment in rfm.SEGMENT_LABELS else c.segment
            segment = name
            if c.r is not None and c.f is not None and c.m is not None:
                r, f, m = (i18n.native_digits(str(score)) for score in (c.r, c.f, c.m))
                segment = _("{segment} ({r}-{f}-{m})").format(segment=name, r=r, f=f, m=m)
        out[cid] = Segments(abc=c.abc or None, xyz=c.xyz or None, rfm=segment or None)
    return out


def _history_total(db: Database, client_id: int) -> int:
    with db.session() as s:
        stmt = select(func.count()).select_from(Interaction).where(Interaction.client_id == client_id)
        return int(s.scalar(stmt) or 0)


def load_card(
    db: Database,
    client_id: int,
    *,
    history_entries: int | None = None,
    segments: Segments | None = None,
    conf: dict[str, Any] | None = None,
) -> CardPrint:
    """Read what the printed card of ``client_id`` shows.

    Args:
        db: the open base.
        client_id: the client.
        history_entries: how many of the latest history entries to show (``None``: the firm setting
            ``card_history_entries``).
        segments: the analysis classes when already read (``None``: read them).
        conf: the firm settings when already read (``None``: read them).

    Raises:
        NotFoundError: there is no such client.
    """
    conf = conf if conf is not None else settings.get_all(db)
    limit = int(conf["card_history_entries"]) if history_entries is None else history_entries
    card = clients.get_client(db, client_id)
    entries = history.list_interactions(db, client_id, limit=limit) if limit > 0 else []
    return CardPrint(
        card=card,
        history=tuple(entries),
        history_total=_history_total(db, client_id),
        totals=purchases.purchase_totals(db, client_id),
        segments=segments
        if segments is not None
        else read_segments(db, [client_id]).get(client_id, Segments()),
        currency=str(conf["currency"]),
        today=date.today(),
        hidden=hidden_parts(conf) | (frozenset() if allows(db, Permission.SEE_PROFIT) else {"profit"}),
        custom=custom_printed(custom_fields.list_fields(db), card.custom, str(conf["currency"])),
    )


def custom_printed(
    specs: Sequence[FieldSpec], texts: dict[str, str] | Any, currency: str
) -> tuple[tuple[str, str, str], ...]:
    """The rows a printed card shows of the firm's own fields: those with a value, by print placement."""
    return tuple(
        (spec.section_title(), spec.title(), custom_fields.value_text(spec, texts.get(spec.key), currency))
        for spec in specs
        if spec.print_place and texts.get(spec.key) is not None
    )


# --- the card --------------------------------------------------------------------------------------------


def contact_line(contact: str, kind: str, extension: str = "") -> str:
    """A phone or e-mail as markup: ``(202) 555-0123 ext. 12 (work)``, the contact kept left to right."""
    shown = ltr(contact)
    if extension:
        shown = esc(_("{number} ext. {extension}")).format(number=shown, extension=ltr(extension))
    return esc(_("{contact} ({kind})")).format(contact=shown, kind=esc(kind))


def _rows(pairs: Iterable[tuple[str, str]], *, rtl: bool) -> list[str]:
    """Label/value rows for the pairs whose value (markup) is not empty."""
    attrs = ('width="28%" class="label"', "")
    return [row_html([esc(name), value], rtl=rtl, attrs=attrs) for name, value in pairs if value]


def _section(title: str, rows: list[str], rtl: bool) -> str:
    return block("h2", esc(title), rtl=rtl) + table(rows) if rows else ""


def _address(card: ClientCard) -> str:
    street = " ".join(part for part in (card.street, card.building) if part)
    country = country_name(card.country) if card.country else ""
    parts = [street, card.district, card.city, card.region, card.postcode, country]
    return esc(", ".join(part for part in parts if part))


def _general(card: ClientCard, rtl: bool, hidden: frozenset[str] = frozenset()) -> str:
    if card.kind == "organisation":
        other_label, other = _("Contact person"), card.name
    else:
        other_label, other = field_label("organisation"), card.organisation
    pairs = [
        (field_label("kind"), esc(label(CLIENT_KINDS, card.kind))),
        (other_label, esc(other) if other != card.display_name else ""),
        (
            field_label("phones"),
            "<br/>".join(
                contact_line(p.display, label(PHONE_KINDS, p.kind), p.extension) for p in card.phones
            ),
        ),
        (
            field_label("emails"),
            "<br/>".join(contact_line(e.address, label(EMAIL_KINDS, e.kind)) for e in card.emails),
        ),
        (_("Address"), _address(card)),
        (field_label("tax_id"), ltr(card.tax_id) if card.tax_id else ""),
        (field_label("registration_no"), ltr(card.registration_no) if card.registration_no else ""),
        (field_label("bank_details"), esc(card.bank_details)),
        (field_label("birthday"), esc(i18n.format_date(card.birthday))),
        (field_label("source"), esc(card.source)),
        (field_label("tags"), esc(", ".join(card.tags))),
        (field_label("external_id"), ltr(card.external_id) if card.external_id else ""),
    ]
    left_out = set()
    if "requisites" in hidden:
        left_out |= {field_label("tax_id"), field_label("registration_no"), field_label("bank_details")}
    if "birthday" in hidden:
        left_out.add(field_label("birthday"))
    if "external_id" in hidden:
        left_out.add(field_label("external_id"))
    pairs = [(name, value) for name, value in pairs if name not in left_out]
    return _section(_("Client details"), _rows(pairs, rtl=rtl), rtl)


def _special_value(card: ClientCard, name: str) -> str:
    value = getattr(card, name)
    if value is None:
        return ""
    if name == "discount_percent":
        return esc(_("{percent}%").format(percent=i18n.format_number(value.normalize())))
    if name == "contract_end":
        return esc(i18n.format_date(value))
    if name == "contract_no":
        return ltr(value) if value else ""
    return esc(value)


def _special(card: ClientCard, rtl: bool) -> str:
    pairs = [(field_label(name), _special_value(card, name)) for name in _SPECIAL_TEXT]
    return _section(_("Buying and terms"), _rows(pairs, rtl=rtl), rtl)


def _next_call(data: CardPrint) -> str:
    day = data.card.next_call_on
    if day is None:
        return ""
    if day < data.today:
        overdue = esc(_("{date} (overdue)").format(date=i18n.format_date(day)))
        return f'<b><font color="{OVERDUE_COLOUR}">{overdue}</font></b>'
    return f"<b>{esc(i18n.format_date(day))}</b>"


def _work(data: CardPrint, rtl: bool) -> str:
    card = data.card
    marker = FUNNEL_BY_KEY.get(card.funnel)
    funnel = funnel_label(card.funnel)
    if marker is not None:
        funnel = _("{marker}: {meaning}").format(marker=funnel, meaning=_(marker.meaning))
    changed = ""
    if card.funnel_changed_at is not None:
        day = i18n.format_date(card.funnel_changed_at.date())
        changed = _("since {date}").format(date=day)
        if card.funnel_reason:
            reason = label(FUNNEL_REASONS, card.funnel_reason)
            changed = _("since {date} ({reason})").format(date=day, reason=reason)
    cycle = ""
    if card.call_cycle_days is not None:
        days = card.call_cycle_days
        cycle = ngettext("every {days} day", "every {days} days", days).format(days=i18n.format_number(days))
    pairs = [
        (_("Next call"), _next_call(data)),
        (_("Funnel"), esc(funnel)),
        (_("Marker changed"), esc(changed)),
        (field_label("temperature"), esc(label(TEMPERATURES, card.temperature))),
        (field_label("call_cycle_days"), esc(cycle)),
        (_("Last contact"), esc(when(card.last_contact_at)) if card.last_contact_at else ""),
    ]
    return _section(_("Follow-up"), _rows(pairs, rtl=rtl), rtl)


def _purchases(data: CardPrint, rtl: bool) -> str:
    t = data.totals
    if t.count == 0 and t.total == 0:
        return block("h2", esc(_("Purchases")), rtl=rtl) + block("p", esc(_("No purchases yet.")), rtl=rtl)
    pairs = [
        (_("Number of purchases"), esc(i18n.format_number(t.count))),
        (_("Total"), esc(money(t.total, data.currency))),
        (_("Profit"), "" if "profit" in data.hidden else esc(money(t.profit, data.currency))),
        (_("Last purchase"), esc(i18n.format_date(t.last))),
        (_("Average purchase"), esc(money(t.average, data.currency))),
    ]
    return _section(_("Purchases"), _rows(pairs, rtl=rtl), rtl)


def _history(data: CardPrint, rtl: bool) -> str:
    heading = _("Contact history")
    if not data.history:
        return block("h2", esc(heading), rtl=rtl) + block("p", esc(_("No history yet.")), rtl=rtl)
    shown, total = len(data.history), data.history_total
    if total > shown:
        heading = ngettext(
            "Contact history: the latest {shown} of {total} entry",
            "Contact history: the latest {shown} of {total} entries",
            total,
        ).format(shown=i18n.format_number(shown), total=i18n.format_number(total))
    heads = [esc(_("When")), esc(_("Kind")), esc(_("Outcome")), esc(_("What happened"))]
    rows = [f"<thead>{row_html(heads, rtl=rtl, tag='th', attrs=_HISTORY_WIDTHS)}</thead>"]
    cell = 'class="line"'
    attrs = [f"{w} {cell}" if w else cell for w in _HISTORY_WIDTHS]
    for entry in data.history:
        what = esc(entry.text)
        if entry.next_step:
            step = esc(_("Next step: {step}")).format(step=isolate(esc(entry.next_step), rtl=rtl))
            step = step if rtl else f"<i>{step}</i>"  # Persian has no italics (and fonts lack them)
            what = f"{what}<br/>{step}" if what else step
        outcome = label(OUTCOMES, entry.outcome) if entry.outcome else ""
        kind = label(INTERACTION_KINDS, entry.kind)
        rows.append(
            row_html([esc(when(entry.occurred_at)), esc(kind), esc(outcome), what], rtl=rtl, attrs=attrs)
        )
    return block("h2", esc(heading), rtl=rtl) + table(rows, padding=3)


def _heading(data: CardPrint, rtl: bool) -> str:
    card = data.card
    sub = _("Client No. {number}").format(number=i18n.native_digits(str(card.id)))
    if card.archived:
        sub = _("{line} (archived)").format(line=sub)
    temperature = TEMPERATURE_COLOURS.get(card.temperature, GREY)
    cells = [funnel_badge(card.funnel), badge_cell(label(TEMPERATURES, card.temperature), temperature)]
    if card.vip:
        cells.append(badge_cell(_("VIP"), VIP_COLOUR))
    seg = data.segments if "classes" not in data.hidden else Segments()
    for analysis, value in ((_("ABC"), seg.abc), (_("XYZ"), seg.xyz), (_("RFM"), seg.rfm)):
        if value:
            text = _("{analysis}: {segment}").format(analysis=analysis, segment=value)
            cells.append(badge_cell(text, SEGMENT_COLOUR))
    return (
        block("h1", esc(card.display_name or _("(no name)")), rtl=rtl)
        + block("p", esc(sub), rtl=rtl, css_class="sub")
        + badges(cells, rtl=rtl)
    )


def _custom(data: CardPrint, rtl: bool) -> str:
    sections: dict[str, list[tuple[str, str]]] = {}
    for section, name, value in data.custom:
        sections.setdefault(section, []).append((name, esc(value)))
    return "".join(_section(title, _rows(pairs, rtl=rtl), rtl) for title, pairs in sections.items())


def card_html(data: CardPrint, *, rtl: bool | None = None) -> str:
    """The printed card of ``data`` as HTML for ``QTextDocument``.

    Args:
        data: what :func:`load_card` read.
        rtl: lay out right to left (``None``: as the interface language is written).
    """
    rtl = i18n.is_rtl() if rtl is None else rtl
    hidden = data.hidden
    parts = [
        _heading(data, rtl),
        _work(data, rtl),
        _general(data.card, rtl, hidden),
        "" if "special" in hidden else _special(data.card, rtl),
        "" if "special" in hidden else _custom(data, rtl),
        _purchases(data, rtl),
        "" if "history" in hidden else _history(data, rtl),
    ]
    return document("".join(parts), rtl=rtl)


def card_documents(
    db: Database,
    client_ids: Sequence[int],
    *,
    history_entries: int | None = None,
    progress: Progress | None = None,
) -> list[PrintDocument]:
    """The printed cards of ``client_ids`` in that order, one document each (runs on the base worker).

    Args:
        db: the open base.
        client_ids: the clients.
        history_entries: history entries per card (``None``: the firm setting).
        progress: called with (done, total) before each card; it may raise to stop.

    Raises:
        NotFoundError: one of the clients does not exist.
        AccessDenied: the user's role may not print that many cards (:mod:`~custdesk.core.services.access`).
    """
    require_print(db, len(client_ids))
    rtl = i18n.is_rtl()
    out: list[PrintDocument] = []
    total = len(client_ids)
    classes = read_segments(db, client_ids)
    conf = settings.get_all(db)
    for done, client_id in enumerate(client_ids):
        if progress is not None:
            progress(done, total)
        seg = classes.get(client_id, Segments())
        data = load_card(db, client_id, history_entries=history_entries, segments=seg, conf=conf)
        title = data.card.display_name or _("(no name)")
        out.append(PrintDocument(title, card_html(data, rtl=rtl), rtl))
    if progress is not None:
        progress(total, total)
    return out


__all__ = [
    "PRINT_PARTS",
    "CardPrint",
    "PrintDocument",
    "Segments",
    "card_documents",
    "card_html",
    "contact_line",
    "hidden_parts",
    "load_card",
    "read_segments",
]
