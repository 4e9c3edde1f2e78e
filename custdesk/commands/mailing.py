"""``custdesk-cli mailing``: an e-mail mailing from a template file to a set of clients, by the firm's rules.

The same service as the window (``custdesk.core.services.mailings``): clients mailed sooner than
``mailing_min_gap_days`` ago, flagged "do not mail", or without a usable e-mail are left out and listed;
each letter that went is written into the client's history; a refused address fails only that client;
running it again sends only to the clients it did not reach. ``--json`` prints::

    {"dry_run": false, "mailing_id": 3, "gap_days": 7,
     "sent": [{"id": 1, "name": "...", "email": "...", "subject": "..."}],
     "left_out": [{"id": 2, "name": "...", "email": "", "reason": "too-soon", "last_mailed": "2025-03-01",
                   "message": "last mailed on 01.03.2025"}],
     "failed": [{"id": 5, "name": "...", "email": "...", "error": "550 ..."}]}

Exit code 1 when a letter failed, 0 otherwise (clients left out by the rules are no failure).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from custdesk import i18n
from custdesk.cli import (
    EXIT_OK,
    EXIT_PROBLEMS,
    _add_json,
    _base_path,
    _busy_timeout,
    _print_json,
    _print_table,
    command,
)
from custdesk.i18n import N_, _


def _ids(text: str) -> tuple[int, ...]:
    try:
        ids = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        ids = ()
    if not ids or any(i <= 0 for i in ids):
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a list of client numbers; write them as 1,2,3").format(value=text)
        )
    return ids


def _server(text: str) -> tuple[str, int]:
    host, _sep, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a mail server; write it as HOST:PORT, e.g. localhost:25").format(value=text)
        )
    return host.strip("[]"), int(port)


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--template",
        required=True,
        type=Path,
        metavar="FILE",
        help=_(
            'the template: a line "Subject: …", a blank line, then the text with fields such as {{ name }}'
        ),
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--ids", type=_ids, metavar="1,2,…", help=_("the clients with these numbers"))
    who.add_argument(
        "--segment", metavar="RFM_SEGMENT", help=_('the clients of an RFM segment, e.g. "at risk"')
    )
    who.add_argument("--birthdays-today", action="store_true", help=_("the clients whose birthday is today"))
    p.add_argument(
        "--smtp",
        type=_server,
        metavar="HOST:PORT",
        help=_(
            "send through this server, without login or encryption (a local relay), instead of the firm's"
        ),
    )
    p.add_argument(
        "--sender", metavar="ADDRESS", help=_("the From address (default: the firm's, from Firm settings)")
    )
    p.add_argument("--name", default="", help=_("the mailing's name, as the base keeps it"))
    p.add_argument(
        "--ignore-gap",
        action="store_true",
        help=_("also mail clients mailed sooner than the minimum gap (the owner's decision; journalled)"),
    )
    p.add_argument("--dry-run", action="store_true", help=_("show who would get what; send nothing"))
    _add_json(p)


def _left_out_json(e: Any) -> dict[str, Any]:
    return {
        "id": e.client_id,
        "name": e.name,
        "email": e.address,
        "reason": e.reason,
        "last_mailed": e.last_mailed,
        "message": e.message,
    }


@command("mailing", N_("send an e-mail mailing from a template to clients, by the firm's rules"), _arguments)
def _mailing(args: argparse.Namespace) -> int:
    from custdesk.core.db import open_base
    from custdesk.core.services import settings as firm
    from custdesk.core.services.mail_templates import read_template_file
    from custdesk.core.services.mail_transport import SmtpSettings, SmtpTransport, smtp_password
    from custdesk.core.services.mailings import Audience, plan_mailing, send_mailing

    template = read_template_file(args.template)
    audience = Audience(
        ids=args.ids or (),
        segment=args.segment,
        birthdays_on=date.today() if args.birthdays_today else None,
    )
    with open_base(_base_path(args), busy_timeout_ms=_busy_timeout(args)) as db:
        plan = plan_mailing(db, template, audience, override_gap=args.ignore_gap)
        report = None
        if not args.dry_run:
            smtp = SmtpSettings.from_firm(firm.get_all(db))
            if args.smtp is not None:
                host, port = args.smtp
                smtp = SmtpSettings(host, port, "none", "", smtp.sender, smtp.sender_name)
            if args.sender:
                smtp = SmtpSettings(
                    smtp.host, smtp.port, smtp.security, smtp.user, args.sender, smtp.sender_name
                )
            transport = SmtpTransport(smtp, smtp_password(smtp))
            report = send_mailing(
                db, plan, transport, sender=smtp.sender, sender_name=smtp.sender_name, name=args.name
            )
    sent = plan.recipients if report is None else report.sent
    failed = () if report is None else report.failed
    if args.json:
        _print_json(
            {
                "dry_run": args.dry_run,
                "mailing_id": None if report is None else report.mailing_id,
                "gap_days": plan.gap_days,
                "overridden": list(plan.overridden),
                "sent": [
                    {"id": r.client_id, "name": r.name, "email": r.address, "subject": r.subject}
                    for r in sent
                ],
                "left_out": [_left_out_json(e) for e in plan.left_out],
                "failed": [
                    {
                        "id": f.recipient.client_id,
                        "name": f.recipient.name,
                        "email": f.recipient.address,
                        "error": f.reason,
                    }
                    for f in failed
                ],
            }
        )
        return EXIT_PROBLEMS if failed else EXIT_OK
    n = i18n.format_number
    if args.dry_run:
        print(_("Would send: {count}").format(count=n(len(sent))))
    else:
        print(_("Sent: {count}").format(count=n(len(sent))))
    headers = [_("ID"), _("Client"), _("E-mail")]
    if sent:
        _print_table(
            [*headers, _("Subject")], [[str(r.client_id), r.name, r.address, r.subject] for r in sent]
        )
    print()
    print(_("Left out: {count}").format(count=n(len(plan.left_out))))
    if plan.left_out:
        _print_table(
            [*headers, _("Reason")], [[str(e.client_id), e.name, e.address, e.message] for e in plan.left_out]
        )
    if failed:
        print()
        print(_("Failed: {count}").format(count=n(len(failed))))
        _print_table(
            [*headers, _("Reason")],
            [[str(f.recipient.client_id), f.recipient.name, f.recipient.address, f.reason] for f in failed],
        )
    return EXIT_PROBLEMS if failed else EXIT_OK
