"""``custdesk-cli journal`` and ``custdesk-cli undo``: read the journal, and take an action back.

``journal`` lists entries newest first (each with the ``id`` that ``undo`` takes); ``undo ENTRY_ID`` undoes
the whole action the entry belongs to, as a new journal entry (undo that one to redo). A refusal (already
undone, later work blocks it, a field changed since) is a message and exit code 2; ``--force`` and
``--partial`` go ahead where the message offers it.
"""

from __future__ import annotations

import argparse
from datetime import date

from custdesk.cli import (
    EXIT_OK,
    _add_json,
    _base_path,
    _busy_timeout,
    _open_readonly,
    _positive_int,
    _print_json,
    _print_table,
    command,
)
from custdesk.i18n import N_, _


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-03-01").format(value=text)
        ) from None


def _journal_arguments(p: argparse.ArgumentParser) -> None:
    from custdesk.core.services.journal import KINDS

    p.add_argument("--client", type=_positive_int, metavar="ID", help=_("only the entries of this client"))
    p.add_argument("--who", metavar="NAME", help=_("only the entries of this person"))
    p.add_argument(
        "--kind",
        choices=KINDS,
        action="append",
        help=_("only entries of this kind (may be given several times)"),
    )
    p.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help=_("only entries from this day on"))
    p.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help=_("only entries up to this day"))
    p.add_argument(
        "--limit", type=_positive_int, default=200, metavar="N", help=_("at most N entries (default 200)")
    )
    _add_json(p)


@command(
    "journal",
    N_("list the journal: who changed, merged, imported, exported or printed what"),
    _journal_arguments,
)
def _journal(args: argparse.Namespace) -> int:
    from custdesk.core.services.journal import list_entries

    with _open_readonly(args) as db:
        entries = list_entries(
            db,
            client_id=args.client,
            who=args.who,
            kinds=tuple(args.kind or ()),
            since=args.since,
            until=args.until,
            limit=args.limit,
        )
    if args.json:
        _print_json([e.to_json() for e in entries])
        return EXIT_OK
    if not entries:
        print(_("No journal entries match."))
        return EXIT_OK
    rows = []
    for e in entries:
        change = _("{old} → {new}").format(old=_short(e.old), new=_short(e.new)) if e.old or e.new else ""
        rows.append(
            [
                str(e.id),
                e.at.isoformat(sep=" ", timespec="minutes"),
                e.who,
                e.kind,
                e.client_name or e.entity,
                e.field,
                change,
            ]
        )
    _print_table([_("Entry"), _("When"), _("Who"), _("Kind"), _("Client"), _("Field"), _("Change")], rows)
    return EXIT_OK


def _short(text: str | None, width: int = 40) -> str:
    value = (text or "").replace("\n", " ")
    return value if len(value) <= width else value[: width - 1] + "…"


def _undo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("entry", type=_positive_int, metavar="ENTRY_ID", help=_("the journal entry to undo"))
    p.add_argument("--force", action="store_true", help=_("undo even where the fields have changed since"))
    p.add_argument(
        "--partial", action="store_true", help=_("undo what later work does not block, and leave the rest")
    )
    _add_json(p)


@command(
    "undo",
    N_("undo the action of a journal entry (a field edit, merge, import, archive...)"),
    _undo_arguments,
)
def _undo(args: argparse.Namespace) -> int:
    from custdesk.core.db import open_base
    from custdesk.core.errors import CustDeskError
    from custdesk.core.services.journal import UndoBlocked, UndoNeedsConfirmation, undo

    with open_base(_base_path(args), busy_timeout_ms=_busy_timeout(args)) as db:
        try:
            result = undo(db, args.entry, force=args.force, partial=args.partial)
        except UndoNeedsConfirmation as exc:
            raise CustDeskError(str(exc) + "\n" + _("Run it again with --force to undo anyway.")) from None
        except UndoBlocked as exc:
            raise CustDeskError(
                str(exc) + "\n" + _("Run it again with --partial to undo the rest.")
            ) from None
    if args.json:
        _print_json(
            {
                "entry_id": result.entry_id,
                "undone": result.undone,
                "clients": list(result.clients),
                "message": result.message,
            }
        )
        return EXIT_OK
    print(result.message)
    return EXIT_OK
