"""The Today call list and the client list as HTML for printing (no Qt).

:func:`today_document` prints the Today view's work (overdue calls, calls due, birthdays to greet,
contracts to prolong) as a call sheet: one row per client with its phones, why to call, and a blank
column for the seller's notes. :func:`client_list_document` prints the client list as the main window
shows it: the rows of its :class:`ListQuery`, in its order, with the columns shown, in the order shown.
Both run on the base worker and accept a ``progress(done, total)`` callback that may raise to cancel.
The markup helpers (escaping, right-to-left rows, badges) are those of :mod:`custdesk.io.cards`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import select

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.models import Phone
from custdesk.core.services import client_list, settings, today
from custdesk.core.services.client_list import ClientRow, ListQuery
from custdesk.core.validation import format_phone
from custdesk.core.vocab import PHONE_KINDS, TEMPERATURES, funnel_label, label
from custdesk.i18n import N_, _, ngettext
from custdesk.io.cards import contact_line
from custdesk.io.print_html import (
    PrintDocument,
    badge_attrs,
    block,
    document,
    esc,
    funnel_colour,
    ltr,
    money,
    row_html,
    table,
)

Progress = Callable[[int, int], None]

# The client list's columns, keyed as the main window's table keys them (custdesk.ui.models.client_table).
LIST_COLUMNS: dict[str, str] = {
    "name": N_("Name"),
    "organisation": N_("Organisation"),
    "phone": N_("Phone"),
    "city": N_("City"),
    "funnel": N_("Funnel"),
    "temperature": N_("Temperature"),
    "next_call": N_("Next call"),
    "last_purchase": N_("Last purchase"),
    "revenue": N_("Revenue"),
    "abc": N_("ABC"),
    "xyz": N_("XYZ"),
    "segment": N_("RFM segment"),
}
# Relative widths of the list's columns on paper; the columns shown share the page in these proportions.
COLUMN_WEIGHTS = {
    "name": 16,
    "organisation": 14,
    "phone": 14,
    "city": 11,
    "funnel": 7,
    "temperature": 10,
    "next_call": 9,
    "last_purchase": 9,
    "revenue": 10,
    "abc": 4,
    "xyz": 4,
    "segment": 10,
}
NUMBER_WEIGHT = 5
# Columns whose values are never wrapped (a broken date or phone number is misread).
NO_WRAP = frozenset({"phone", "next_call", "last_purchase", "revenue"})
TODAY_LIMIT = 500  # rows per Today list; the sheet says how many more there are
_CHUNK = 500  # clients read per step of the client list


def _phones_of(db: Database, client_ids: Sequence[int], region: str) -> dict[int, list[str]]:
    """Every phone of the clients, primary first, formatted for people (``+1 202 555 0100 (work)``)."""
    found: dict[int, list[str]] = {cid: [] for cid in client_ids}
    with db.session() as s:
        for start in range(0, len(client_ids), _CHUNK):
            chunk = list(client_ids[start : start + _CHUNK])
            stmt = (
                select(Phone)
                .where(Phone.client_id.in_(chunk))
                .order_by(Phone.client_id, Phone.is_primary.desc(), Phone.position, Phone.id)
            )
            for p in s.scalars(stmt):
                number = format_phone(p.number, region)
                found[p.client_id].append(contact_line(number, label(PHONE_KINDS, p.kind), p.extension))
    return found


def _reason(entry: today.DueEntry) -> str:
    day = i18n.format_date(entry.due_on)
    if entry.reason == "overdue":
        return ngettext(
            "Overdue call: due on {date}, {days} day ago",
            "Overdue call: due on {date}, {days} days ago",
            -entry.days,
        ).format(date=day, days=i18n.format_number(-entry.days))
    if entry.reason == "today":
        return _("Call due today")
    if entry.reason == "birthday":
        if entry.age is not None:
            return _("Birthday on {date}: {age} years, greet the client").format(
                date=day, age=i18n.format_number(entry.age)
            )
        return _("Birthday on {date}: greet the client").format(date=day)
    if entry.contract_no:
        return _("Contract {number} ends on {date}: offer to renew it").format(
            number=entry.contract_no, date=day
        )
    return _("Contract ends on {date}: offer to renew it").format(date=day)


def today_document(
    db: Database, on: date | None = None, *, limit: int = TODAY_LIMIT, progress: Progress | None = None
) -> PrintDocument:
    """The call sheet of the day ``on`` (default today): name, phones, reasons and room for notes."""
    rtl = i18n.is_rtl()
    if progress is not None:
        progress(0, 3)
    work = today.due(db, on, limit=limit)
    region = str(settings.get(db, "phone_region"))
    order: list[int] = []
    names: dict[int, str] = {}
    reasons: dict[int, list[str]] = {}
    for reason in today.REASONS:
        for entry in work.section(reason):
            if entry.client_id not in reasons:
                order.append(entry.client_id)
                names[entry.client_id] = entry.display_name or _("(no name)")
                reasons[entry.client_id] = []
            reasons[entry.client_id].append(_reason(entry))
    if progress is not None:
        progress(1, 3)
    phones = _phones_of(db, order, region)
    if progress is not None:
        progress(2, 3)
    title = _("Calls for {date}").format(date=i18n.format_date(work.on))
    heads = [_("No."), _("Client"), _("Phones"), _("Why"), _("Notes")]
    attrs = ['width="5%"', 'width="22%"', 'width="23%"', 'width="24%"', 'width="26%"']
    rows = [f"<thead>{row_html([esc(h) for h in heads], rtl=rtl, tag='th', attrs=attrs)}</thead>"]
    for number, cid in enumerate(order, start=1):
        cells = [
            esc(i18n.format_number(number)),
            f"<b>{esc(names[cid])}</b>",
            "<br/>".join(phones[cid]) or esc(_("no phone")),
            "<br/>".join(esc(r) for r in reasons[cid]),
            "<br/><br/>",  # room to write by hand
        ]
        rows.append(row_html(cells, rtl=rtl, attrs=attrs))
    lines = [block("h1", esc(title), rtl=rtl)]
    summary = [
        (work.overdue_count, len(work.overdue), N_("overdue calls")),
        (work.today_count, len(work.today), N_("calls due today")),
        (work.birthday_count, len(work.birthdays), N_("birthdays this week")),
        (work.prolongation_count, len(work.prolongations), N_("contracts to renew")),
    ]
    parts = [
        _("{count} {what}").format(count=i18n.format_number(count), what=_(what))
        for count, _shown, what in summary
    ]
    lines.append(block("p", esc(_("; ").join(parts)), rtl=rtl, css_class="sub"))
    for count, shown, what in summary:
        if count > shown:
            note = _("Only the first {shown} of {count} {what} are printed.").format(
                shown=i18n.format_number(shown), count=i18n.format_number(count), what=_(what)
            )
            lines.append(block("p", esc(note), rtl=rtl, css_class="small"))
    if order:
        lines.append(table(rows, border=1, padding=4))
    else:
        lines.append(block("p", esc(_("Nothing is due: no calls, birthdays or renewals.")), rtl=rtl))
    if progress is not None:
        progress(3, 3)
    return PrintDocument(title, document("".join(lines), rtl=rtl), rtl)


def _cell(key: str, row: ClientRow, phone: str, currency: str, on: date) -> str:
    if key == "phone":
        return ltr(phone) if phone else ""
    if key == "funnel":
        return f"<b>{esc(funnel_colour(row.funnel)[0])}</b>"
    if key == "temperature":
        return esc(label(TEMPERATURES, row.temperature))
    if key == "next_call":
        text = esc(i18n.format_date(row.next_call_on))
        overdue = row.next_call_on is not None and row.next_call_on < on and not row.archived
        return f'<b><font color="#C62828">{text}</font></b>' if overdue else text
    if key == "last_purchase":
        return esc(i18n.format_date(row.last_purchase_on))
    if key == "revenue":
        return esc(money(row.revenue_total, currency)) if row.purchase_count else ""
    if key in ("abc", "xyz"):
        return esc((row.abc_class if key == "abc" else row.xyz_class) or "")
    if key == "segment":
        return esc(_(row.rfm_segment)) if row.rfm_segment else ""  # the names are marked in analysis.rfm
    if key == "name" and row.vip:
        return f"<b>{esc(row.name)}</b>"
    return esc(getattr(row, key) or "")


def describe_query(q: ListQuery) -> str:
    """What the list shows, for the printed page: the search and the filters in force (may be empty)."""
    parts: list[str] = []
    if q.search.strip():
        parts.append(_("search “{text}”").format(text=q.search.strip()))
    if q.funnels:
        parts.append(
            _("funnel: {markers}").format(markers=", ".join(funnel_label(f) for f in sorted(q.funnels)))
        )
    if q.temperatures:
        parts.append(
            _("temperature: {values}").format(
                values=", ".join(label(TEMPERATURES, t) for t in sorted(q.temperatures))
            )
        )
    if q.vip_only:
        parts.append(_("VIP only"))
    if q.region is not None:
        parts.append(_("region: {region}").format(region=q.region))
    if q.city is not None:
        parts.append(_("city: {city}").format(city=q.city))
    if q.overdue_call:
        parts.append(_("overdue calls"))
    if q.call_due:
        parts.append(_("calls due"))
    if q.birthday_this_month:
        parts.append(_("birthdays this month"))
    if q.archived == "archived":
        parts.append(_("archived clients only"))
    elif q.archived == "all":
        parts.append(_("archived clients included"))
    return _("; ").join(parts)


def client_list_document(
    db: Database,
    query: ListQuery,
    columns: Sequence[str],
    *,
    progress: Progress | None = None,
) -> PrintDocument:
    """The client list of ``query`` with ``columns`` (keys of :data:`LIST_COLUMNS`, in the order shown).

    Raises:
        ValueError: an unknown column key.
    """
    unknown = [c for c in columns if c not in LIST_COLUMNS]
    if unknown:
        raise ValueError(f"unknown columns: {unknown}")
    rtl = i18n.is_rtl()
    conf = settings.get_all(db)
    currency, region = str(conf["currency"]), str(conf["phone_region"])
    total = client_list.count(db, query)
    total_weight = NUMBER_WEIGHT + sum(COLUMN_WEIGHTS[c] for c in columns)
    widths = [f'width="{round(100 * COLUMN_WEIGHTS[c] / total_weight)}%"' for c in columns]
    heads = [esc(_("No."))] + [esc(_(LIST_COLUMNS[c])) for c in columns]
    attrs = [f'width="{round(100 * NUMBER_WEIGHT / total_weight)}%"', *widths]
    head = row_html(heads, rtl=rtl, tag="th", attrs=attrs)
    keep = 'style="white-space: nowrap;"'
    cell_attrs = [keep] + [keep if c in NO_WRAP else "" for c in columns]
    rows = [f"<thead>{head}</thead>"]
    for offset in range(0, total, _CHUNK):
        if progress is not None:
            progress(offset, total)
        ids = client_list.page_ids(db, query, offset, _CHUNK)
        found = client_list.rows(db, ids)
        for cid in ids:
            r = found.get(cid)
            if r is None:  # deleted meanwhile
                continue
            phone = format_phone(r.phone, region) if r.phone else ""
            cells = [esc(str(r.id))] + [_cell(c, r, phone, currency, query.today) for c in columns]
            attrs = cell_attrs
            if "funnel" in columns:  # the marker's cell in its colour
                attrs = list(cell_attrs)
                attrs[1 + columns.index("funnel")] = badge_attrs(funnel_colour(r.funnel)[1])
            rows.append(row_html(cells, rtl=rtl, attrs=attrs))
    if progress is not None:
        progress(total, total)
    title = _("Client list")
    count = ngettext("{count} client", "{count} clients", total).format(count=i18n.format_number(total))
    shown = describe_query(query)
    sub = _("{count}; {filters}").format(count=count, filters=shown) if shown else count
    body = block("h1", esc(title), rtl=rtl) + block("p", esc(sub), rtl=rtl, css_class="sub")
    body += f'<div class="list">{table(rows, border=1, padding=2)}</div>'
    return PrintDocument(title, document(body, rtl=rtl), rtl)


__all__ = ["LIST_COLUMNS", "client_list_document", "describe_query", "today_document"]
