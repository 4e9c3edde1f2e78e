"""``custdesk-cli import``: move an old base in from a spreadsheet, a text table, vCards or Access.

The file is read (and its sheet, header row and columns found) before the base is opened, so a file that
cannot be read leaves the base untouched, and a new base is not even made. The import is all or
nothing; ``--json`` prints the import report. By default nothing entered is lost: rows with problems land
flagged "needs review", possible duplicates land and are listed for the duplicate finder, and only rows
without a name or organisation, or the same client as one already taken, are left out. Phones are read for the
firm's country unless ``--region`` names another, or the file's numbers fit another country far better
(the output says so). Exit code 0 when every client row landed (flagged or not), 1 when some rows were
left out or found no client (the report says which and why), 2 for a file or base that cannot be used.
"""

from __future__ import annotations

import argparse
import sys

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

ISSUES_SHOWN = 30


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file", metavar="FILE", help=_("the file: .xlsx .xlsm .xls .ods .csv .txt .vcf .mdb .accdb")
    )
    p.add_argument(
        "--kind",
        choices=("clients", "purchases", "history"),
        default="clients",
        help=_("what the rows are (default: clients)"),
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--sheet", metavar="NAME", help=_("the sheet to read (default: the one with the list)")
    )
    which.add_argument(
        "--table", metavar="NAME", help=_("the Access table to read (default: the one with the list)")
    )
    p.add_argument("--mapping", metavar="MAP.json", help=_("use a saved column mapping"))
    p.add_argument("--save-mapping", metavar="MAP.json", help=_("save the column mapping used, to reuse it"))
    p.add_argument(
        "--duplicates",
        choices=("skip", "update", "create"),
        default="skip",
        help=_(
            "a client already in the base or earlier in the file: "
            "skip it, update the card, or create it anyway"
        ),
    )
    p.add_argument(
        "--bad-rows",
        choices=("skip", "flag"),
        default="flag",
        help=_(
            "a row with problems: import it tagged “needs review” with the reasons and the values "
            "in its notes (the default), or skip it"
        ),
    )
    p.add_argument(
        "--region",
        metavar="CC",
        type=_region,
        help=_(
            "the country the file's phones belong to, as a two-letter code (default: the firm's, or the one "
            "the file's numbers fit far better)"
        ),
    )
    p.add_argument("--dry-run", action="store_true", help=_("check everything, write nothing"))
    _add_json(p)


def _region(value: str) -> str:
    import phonenumbers

    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha() or code not in phonenumbers.SUPPORTED_REGIONS:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a country code such as RU, FI or IR.").format(value=value)
        )
    return code


@command("import", N_("import clients, purchases or history from Excel, CSV, vCard or Access"), _arguments)
def _import(args: argparse.Namespace) -> int:
    from custdesk.core.db import open_base
    from custdesk.core.services.custom_fields import list_fields
    from custdesk.io.import_engine import ImportOptions, run_import
    from custdesk.io.importers.base import read_source
    from custdesk.io.mapping import ColumnMapping, mapping_line, suggest_mapping

    table = read_source(args.file, sheet=args.sheet, table=args.table, kind=args.kind)
    options = ImportOptions(
        kind=args.kind,
        duplicates=args.duplicates,
        bad_rows=args.bad_rows,
        dry_run=args.dry_run,
        region=args.region,
    )
    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int) -> None:
        if show_progress and total:
            print("\r" + _("{percent}% done").format(percent=done * 100 // total), end="", file=sys.stderr)

    with open_base(_base_path(args), busy_timeout_ms=_busy_timeout(args)) as db:
        if args.mapping:
            mapping = ColumnMapping.load(args.mapping).for_table(table)
        else:
            own = {spec.label: spec.kind for spec in list_fields(db)}
            mapping = suggest_mapping(args.kind, table, own)
        if args.save_mapping:
            mapping.save(args.save_mapping)
        report = run_import(db, table, mapping, options, progress)
    if show_progress:
        print(file=sys.stderr)
    code = EXIT_PROBLEMS if report.skipped or report.unmatched else EXIT_OK
    if args.json:
        data = report.to_json()
        data["columns"] = [
            {
                "column": header,
                "field": mapping.columns.get(header),
                "kind": mapping.kinds.get(header),
                "how": mapping.reasons.get(header) or mapping.left_out.get(header) or "",
                "text": mapping_line(mapping, header),
            }
            for header in table.headers
        ]
        _print_json(data)
        return code
    print(table.picked_reason)
    print(_("Header row: {row}").format(row=table.header_row))
    if report.region_reason:
        print(report.region_reason)
    for header in table.headers:
        print("  " + mapping_line(mapping, header))
    print(report.summary())
    if report.issues:
        rows = [[str(i.row), i.column, i.reason] for i in report.issues[:ISSUES_SHOWN]]
        _print_table([_("Row"), _("Column"), _("Reason")], rows)
        if len(report.issues) > ISSUES_SHOWN:
            print(_("… and {count} more in the report.").format(count=len(report.issues) - ISSUES_SHOWN))
    if report.path:
        print(_("The report is kept in {path}").format(path=report.path))
    if report.journal_entry_id:
        print(
            _("Journal entry {id}: custdesk-cli undo {id} takes this import back.").format(
                id=report.journal_entry_id
            )
        )
    return code
