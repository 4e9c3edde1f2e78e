"""``custdesk-cli export``: the client list, purchases or history to .xlsx, .csv or .vcf.

The format comes from the file's extension. The export is written to the base's audit journal (who
exported what, how many rows), so the base is opened for writing; nothing else in it changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from custdesk.cli import EXIT_OK, _add_json, _base_path, _busy_timeout, _print_json, command
from custdesk.i18n import N_, _, ngettext

KIND_CHOICES = ("clients", "purchases", "history")
DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t"}


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help=_("the file to write: .xlsx, .csv or .vcf (clients only)"))
    p.add_argument(
        "--kind",
        choices=KIND_CHOICES,
        default="clients",
        help=_("what to export: the clients (default), their purchases or their history"),
    )
    p.add_argument("--search", metavar="TEXT", help=_("only clients matching TEXT (as the search box)"))
    p.add_argument("--archived", action="store_true", help=_("include archived clients"))
    p.add_argument(
        "--delimiter",
        choices=tuple(DELIMITER_NAMES),
        default="comma",
        help=_(
            "the .csv delimiter: comma (default) or semicolon (Excel in Russian or Finnish; decimal comma)"
        ),
    )
    _add_json(p)


@command(
    "export", N_("export the clients, their purchases or history to .xlsx, .csv or .vcf"), _export_arguments
)
def _export(args: argparse.Namespace) -> int:
    from custdesk.core.db import open_base
    from custdesk.core.services.client_list import ListQuery
    from custdesk.io.exporters import export_file, export_format

    target = Path(args.file).expanduser()
    export_format(target, args.kind)  # a wrong extension is refused before the base is touched
    query = ListQuery(search=args.search or "", archived="all" if args.archived else "active")
    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int) -> None:
        if show_progress:
            print("\r" + _("{done} of {total} rows").format(done=done, total=total), end="", file=sys.stderr)

    with open_base(
        _base_path(args), create=False, auto_backup=False, busy_timeout_ms=_busy_timeout(args)
    ) as db:
        summary = export_file(
            db, target, args.kind, query=query, delimiter=DELIMITER_NAMES[args.delimiter], progress=progress
        )
    if show_progress:
        print(file=sys.stderr)
    if args.json:
        _print_json(summary.to_json())
        return EXIT_OK
    print(
        ngettext("Exported {rows} row to {path}.", "Exported {rows} rows to {path}.", summary.rows).format(
            rows=summary.rows, path=summary.path
        )
    )
    return EXIT_OK
