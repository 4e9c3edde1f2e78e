"""``custdesk-cli due``: what is due on a day: overdue calls, calls, birthdays, contract prolongations.

The same lists as the Today view (``custdesk.core.services.today.due``), complete (no limit) unless
``--limit`` is given. ``--json`` prints one object with English keys::

    {"on": "2025-03-01", "prolongation_days_ahead": 30,
     "counts": {"overdue": 2, "today": 1, "birthdays": 0, "prolongations": 1},
     "overdue": [{"id": 7, "external_id": "C-7", "name": ..., "organisation": ..., "phone": "+1...",
                  "reason": "overdue", "date": "2025-02-20", "days": -9, ...}], ...}
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from custdesk import i18n
from custdesk.cli import EXIT_OK, _add_json, _open_readonly, _positive_int, _print_json, _print_table, command
from custdesk.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from custdesk.core.services.today import DueEntry, DueList


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-03-01").format(value=text)
        ) from None


def _due_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--on", type=_day, metavar="YYYY-MM-DD", help=_("the day to look at (default: today)"))
    p.add_argument("--limit", type=_positive_int, metavar="N", help=_("at most N entries per list"))
    _add_json(p)


def entry_json(e: DueEntry) -> dict[str, Any]:
    """One entry with English keys."""
    return {
        "id": e.client_id,
        "external_id": e.external_id,
        "name": e.name,
        "organisation": e.organisation,
        "display_name": e.display_name,
        "phone": e.phone,
        "reason": e.reason,
        "date": e.due_on,
        "days": e.days,
        "temperature": e.temperature,
        "funnel": e.funnel,
        "next_call": e.next_call_on,
        "last_contact": e.last_contact_at,
        "birthday": e.birthday,
        "contract_no": e.contract_no,
        "contract_end": e.contract_end,
    }


def due_json(lists: DueList) -> dict[str, Any]:
    """The four lists as one JSON object (English keys)."""
    return {
        "on": lists.on,
        "prolongation_days_ahead": lists.prolongation_days_ahead,
        "counts": {
            "overdue": lists.overdue_count,
            "today": lists.today_count,
            "birthdays": lists.birthday_count,
            "prolongations": lists.prolongation_count,
        },
        "overdue": [entry_json(e) for e in lists.overdue],
        "today": [entry_json(e) for e in lists.today],
        "birthdays": [entry_json(e) for e in lists.birthdays],
        "prolongations": [entry_json(e) for e in lists.prolongations],
    }


def _when(e: DueEntry) -> str:
    day = i18n.format_date(e.due_on)
    if e.reason == "overdue":
        return ngettext("{date}, {n} day overdue", "{date}, {n} days overdue", -e.days).format(
            date=day, n=-e.days
        )
    if e.reason == "birthday":
        if e.age is not None and e.age > 0:
            return _("{date}, turns {age}").format(date=day, age=e.age)
        return day
    if e.reason == "prolongation" and e.contract_no:
        return _("{date}, contract {number}").format(date=day, number=e.contract_no)
    return day


SECTIONS = (
    ("overdue", N_("Overdue calls")),
    ("today", N_("Calls today")),
    ("birthday", N_("Birthdays this week")),
    ("prolongation", N_("Contracts to renew")),
)


@command(
    "due",
    N_("list what is due: overdue calls, calls today, birthdays, contract renewals"),
    _due_arguments,
)
def _due(args: argparse.Namespace) -> int:
    from custdesk.core.services.today import due

    with _open_readonly(args) as db:
        lists = due(db, args.on, limit=args.limit)
    if args.json:
        _print_json(due_json(lists))
        return EXIT_OK
    print(_("Due on {date}").format(date=i18n.format_date(lists.on)))
    headers = [_("ID"), _("External ID"), _("Client"), _("Phone"), _("When")]
    for reason, title in SECTIONS:
        entries = lists.section(reason)
        count = lists.count(reason)
        print()
        print(_("{section}: {count}").format(section=_(title), count=i18n.format_number(count)))
        if entries:
            _print_table(
                headers,
                [[str(e.client_id), e.external_id, e.display_name, e.phone or "", _when(e)] for e in entries],
            )
        if count > len(entries):
            print(_("… and {count} more").format(count=i18n.format_number(count - len(entries))))
    return EXIT_OK
