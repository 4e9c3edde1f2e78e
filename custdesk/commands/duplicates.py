"""``custdesk-cli duplicates``, ``custdesk-cli merge`` and ``custdesk-cli not-duplicates``.

``duplicates`` scans the whole base for likely duplicates (groups best first, with a score and the
reasons); ``merge KEEP OTHER...`` merges the other cards into KEEP (each field from KEEP where it has a
value; each merge is its own journal entry, which ``custdesk-cli undo`` takes back); ``not-duplicates``
remembers that cards are different clients, so they are not offered again.
"""

from __future__ import annotations

import argparse
import sys

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
from custdesk.i18n import N_, _, ngettext


def _duplicates_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=_positive_int, metavar="N", help=_("at most N groups"))
    _add_json(p)


@command(
    "duplicates", N_("find likely duplicate clients in the whole base, best first"), _duplicates_arguments
)
def _duplicates(args: argparse.Namespace) -> int:
    from custdesk.core.services.duplicate_scan import scan

    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int) -> None:
        if show_progress and total:
            print("\r" + _("{percent}% done").format(percent=done * 100 // total), end="", file=sys.stderr)

    with _open_readonly(args) as db:
        groups = scan(db, progress)
    if show_progress:
        print(file=sys.stderr)
    if args.limit:
        groups = groups[: args.limit]
    if args.json:
        _print_json([g.to_json() for g in groups])
        return EXIT_OK
    if not groups:
        print(_("No likely duplicates found."))
        return EXIT_OK
    rows = [
        [str(g.score), ", ".join(str(i) for i in g.ids), " / ".join(g.names), g.reason_text()] for g in groups
    ]
    _print_table([_("Score"), _("Clients"), _("Names"), _("Why")], rows)
    print(ngettext("{count} group.", "{count} groups.", len(groups)).format(count=len(groups)))
    return EXIT_OK


def _merge_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("keep", type=_positive_int, metavar="KEEP_ID", help=_("the card that stays"))
    p.add_argument(
        "others", type=_positive_int, nargs="+", metavar="OTHER_ID", help=_("the cards merged into it")
    )
    _add_json(p)


@command(
    "merge",
    N_("merge cards into one (each field from KEEP_ID where it has a value); undo it from the journal"),
    _merge_arguments,
)
def _merge(args: argparse.Namespace) -> int:
    from custdesk.core.db import open_base
    from custdesk.core.errors import CustDeskError
    from custdesk.core.services.merge import merge_clients

    if args.keep in args.others:
        raise CustDeskError(_("A card cannot be merged with itself."))
    from custdesk.core.services.clients import get_client

    with open_base(_base_path(args), busy_timeout_ms=_busy_timeout(args)) as db:
        for cid in (args.keep, *args.others):  # every card checked before the first merge is written
            found = get_client(db, cid)
            if found.merged_into_id is not None:
                raise CustDeskError(
                    _("The card of {name} was already merged into the card number {id}.").format(
                        name=found.name or found.organisation, id=found.merged_into_id
                    )
                )
        card = None
        for other in dict.fromkeys(args.others):  # all in one go: each merge is its own undoable entry
            card = merge_clients(db, args.keep, other)
    assert card is not None
    if args.json:
        _print_json({"kept": card.id, "merged": list(dict.fromkeys(args.others))})
        return EXIT_OK
    print(
        ngettext(
            "Merged {count} card into the card number {id}.",
            "Merged {count} cards into the card number {id}.",
            len(set(args.others)),
        ).format(count=len(set(args.others)), id=card.id)
    )
    return EXIT_OK


def _not_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", type=_positive_int, nargs="+", metavar="CLIENT_ID", help=_("two or more cards"))


@command(
    "not-duplicates",
    N_("remember that cards are different clients (not offered as duplicates again)"),
    _not_arguments,
)
def _not_duplicates(args: argparse.Namespace) -> int:
    from custdesk.core.db import open_base
    from custdesk.core.services.clients import get_client
    from custdesk.core.services.duplicate_scan import mark_not_duplicates

    with open_base(_base_path(args), busy_timeout_ms=_busy_timeout(args)) as db:
        for cid in args.ids:
            get_client(db, cid)  # an unknown number is refused
        mark_not_duplicates(db, args.ids)
    print(_("Remembered: these cards are not offered as duplicates again."))
    return EXIT_OK
