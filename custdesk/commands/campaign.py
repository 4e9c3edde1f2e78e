"""``custdesk-cli campaign``: a named call campaign over the next working days, or its progress.

Schedules a call for each client (``--ids`` or ``--segment``), spread over ``--days`` working days with at
most ``--per-day`` calls a day (``custdesk.core.services.campaigns``). ``--progress`` prints how far the
campaign named ``--name`` has come instead. ``--json`` prints::

    {"campaign_id": 1, "name": "Spring", "days": {"2025-03-07": 2, ...},
     "calls": [{"id": 4, "name": "...", "date": "2025-03-07"}],
     "left_out": [{"id": 7, "name": "...", "reason": "no-phone", "message": "no phone number"}]}
    {"campaign_id": 1, "name": "Spring", "clients": 6, "called": 2, "reached": 1, "bought": 1,
     "revenue": "80.00", "first_day": "2025-03-07", "last_day": "2025-03-11"}
"""

from __future__ import annotations

import argparse
import sys

from custdesk import i18n
from custdesk.cli import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    _add_json,
    _base_path,
    _busy_timeout,
    _positive_int,
    _print_json,
    _print_table,
    command,
)
from custdesk.commands.due import _day
from custdesk.commands.mailing import _ids
from custdesk.i18n import N_, _


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True, help=_("the campaign's name, to follow its progress later"))
    p.add_argument("--days", type=_positive_int, metavar="D", help=_("spread the calls over D working days"))
    p.add_argument("--per-day", type=_positive_int, metavar="M", help=_("at most M calls a day"))
    p.add_argument(
        "--note", default="", help=_('what to say on each call, e.g. "offer the spring collection"')
    )
    p.add_argument(
        "--start", type=_day, metavar="YYYY-MM-DD", help=_("the first day (default: the next working day)")
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument("--ids", type=_ids, metavar="1,2,…", help=_("the clients with these numbers"))
    who.add_argument(
        "--segment", metavar="RFM_SEGMENT", help=_('the clients of an RFM segment, e.g. "at risk"')
    )
    p.add_argument("--progress", action="store_true", help=_("show how far the campaign has come instead"))
    p.add_argument("--dry-run", action="store_true", help=_("show the days; schedule nothing"))
    _add_json(p)


@command(
    "campaign",
    N_("schedule a named call campaign over the next working days, or show its progress"),
    _arguments,
)
def _campaign(args: argparse.Namespace) -> int:
    from custdesk.cli import _open_readonly
    from custdesk.core.db import open_base
    from custdesk.core.services.campaigns import campaign_progress, create_campaign, plan_campaign
    from custdesk.core.services.mailings import Audience

    if args.progress:
        with _open_readonly(args) as db:
            p = campaign_progress(db, name=args.name)
        data = {
            "campaign_id": p.campaign_id,
            "name": p.name,
            "note": p.note,
            "clients": p.clients,
            "called": p.called,
            "reached": p.reached,
            "bought": p.bought,
            "revenue": p.revenue,
            "first_day": p.first_day,
            "last_day": p.last_day,
        }
        if args.json:
            _print_json(data)
        else:
            n = i18n.format_number
            print(
                _(
                    "{name}: clients {clients}, called {called}, reached {reached}, "
                    "bought afterwards {bought}"
                ).format(
                    name=p.name,
                    clients=n(p.clients),
                    called=n(p.called),
                    reached=n(p.reached),
                    bought=n(p.bought),
                )
            )
        return EXIT_OK
    if args.days is None or args.per_day is None or not (args.ids or args.segment):
        print(
            _("Give --days, --per-day and the clients (--ids or --segment) to schedule a campaign."),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    audience = Audience(ids=args.ids or (), segment=args.segment)
    with open_base(_base_path(args), busy_timeout_ms=_busy_timeout(args)) as db:
        plan = plan_campaign(
            db, args.name, audience, days=args.days, per_day=args.per_day, first_day=args.start
        )
        if not args.dry_run:
            plan = create_campaign(db, plan, note=args.note, per_day=args.per_day)
    if args.json:
        _print_json(
            {
                "campaign_id": plan.campaign_id,
                "name": plan.name,
                "dry_run": args.dry_run,
                "days": {d.isoformat(): c for d, c in plan.per_day().items()},
                "calls": [{"id": c.client_id, "name": c.name, "date": c.due_on} for c in plan.calls],
                "left_out": [
                    {"id": e.client_id, "name": e.name, "reason": e.reason, "message": e.message}
                    for e in plan.left_out
                ],
            }
        )
        return EXIT_OK
    print(
        _("Campaign {name}, calls: {count}").format(name=plan.name, count=i18n.format_number(len(plan.calls)))
    )
    _print_table(
        [_("Day"), _("Calls")],
        [[i18n.format_date(d), i18n.format_number(c)] for d, c in plan.per_day().items()],
    )
    if plan.left_out:
        print()
        print(_("Left out: {count}").format(count=i18n.format_number(len(plan.left_out))))
        _print_table(
            [_("ID"), _("Client"), _("Reason")],
            [[str(e.client_id), e.name, e.message] for e in plan.left_out],
        )
    return EXIT_OK
