"""Exports of the client list, purchases and history to .xlsx, .csv and .vcf (no Qt).

:func:`export_file` is the one entry point the GUI and the CLI call: it picks the writer by the file's
extension, reads the clients of the list (a :class:`ListQuery`) or of a selection (ids), writes the file
next to its destination and moves it into place only when it is complete (a cancelled or failed export
leaves no file and no half file), then writes the export to the audit journal: who exported what, how,
and how many rows. An export the journal cannot record is removed again.

The column headers are the English field names the importer maps to themselves (see
:mod:`custdesk.io.exporters.columns`), so export and import make a round trip.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from custdesk.core.db import Database
from custdesk.core.errors import CustDeskError
from custdesk.core.services import access
from custdesk.core.services.audit import record
from custdesk.core.services.client_list import ListQuery
from custdesk.i18n import _
from custdesk.io.exporters import source

KINDS: tuple[str, ...] = ("clients", "purchases", "history")
FORMATS: dict[str, str] = {".xlsx": "xlsx", ".csv": "csv", ".vcf": "vcf"}
KIND_FORMATS: dict[str, tuple[str, ...]] = {
    "clients": ("xlsx", "csv", "vcf"),
    "purchases": ("xlsx", "csv"),
    "history": ("xlsx", "csv"),
}
# What the journal names as the exported entity.
JOURNAL_ENTITY = {"clients": "client", "purchases": "purchase", "history": "interaction"}

Progress = Callable[[int, int], None]


class ExportError(CustDeskError):
    """An export that cannot be made (wrong file type, a folder that cannot be written); no file left."""


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote.

    Attributes:
        path: the file written.
        kind: ``clients``, ``purchases`` or ``history``.
        format: ``xlsx``, ``csv`` or ``vcf``.
        rows: the rows (cards, for vCard) written, header not counted.
        clients: how many clients the export covered.
        scope: ``list`` (the clients a list query shows) or ``selection`` (chosen clients).
    """

    path: Path
    kind: str
    format: str
    rows: int
    clients: int
    scope: str

    def to_json(self) -> dict[str, object]:
        """English keys for ``custdesk-cli export --json``."""
        return {
            "file": str(self.path),
            "kind": self.kind,
            "format": self.format,
            "rows": self.rows,
            "clients": self.clients,
            "scope": self.scope,
        }


def export_format(path: str | os.PathLike[str], kind: str = "clients") -> str:
    """The format an export to ``path`` is written in, from its extension.

    Raises:
        ExportError: an unknown kind, an extension CustDesk cannot write, or one that does not suit the
            kind (purchases and history have no vCard form).
    """
    if kind not in KINDS:
        raise ExportError(_("“{kind}” is not something CustDesk exports.").format(kind=kind))
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ExportError(
            _(
                "CustDesk cannot write {name}: give the file the extension .xlsx (Excel), .csv (text) "
                "or .vcf (contacts)."
            ).format(name=p.name)
        )
    if fmt not in KIND_FORMATS[kind]:
        raise ExportError(
            _("Purchases and history are exported to .xlsx or .csv; {name} is a vCard file.").format(
                name=p.name
            )
        )
    return fmt


def _write(
    db: Database,
    target: Path,
    kind: str,
    fmt: str,
    ids: Sequence[int],
    delimiter: str,
    progress: Progress | None,
) -> int:
    if fmt == "vcf":
        from custdesk.io.exporters.vcard import write_vcf

        return write_vcf(target, source.client_records(db, ids), len(ids), progress)
    table = {
        "clients": source.clients_table,
        "purchases": source.purchases_table,
        "history": source.history_table,
    }[kind](db, ids)
    if fmt == "xlsx":
        from custdesk.io.exporters.xlsx import write_xlsx

        return write_xlsx(target, table, progress)
    from custdesk.io.exporters.delimited import write_csv

    return write_csv(target, table, delimiter=delimiter, progress=progress)


def _journal(db: Database, summary: ExportSummary, query: ListQuery | None, who: str | None) -> None:
    detail: dict[str, object] = summary.to_json()
    if query is not None and summary.scope == "list":
        detail["search"] = query.search
        detail["archived"] = query.archived
        detail["filter"] = list_filter(query)
    with db.session() as s:
        record(
            s,
            "export",
            JOURNAL_ENTITY[summary.kind],
            None,
            field=summary.format,
            new=json.dumps(detail, ensure_ascii=False),
            who=who,
        )


def list_filter(query: ListQuery) -> dict[str, object]:
    """The filters of a list that differ from "every active client", for the journal: which clients
    were taken (the order and the day they were counted on are left out)."""
    import dataclasses

    plain = ListQuery()
    out: dict[str, object] = {}
    for f in dataclasses.fields(query):
        value = getattr(query, f.name)
        if f.name in ("sort", "descending", "today") or value == getattr(plain, f.name):
            continue
        if f.name == "only_ids":
            out["only_ids"] = len(value or ())
        elif isinstance(value, frozenset | set | tuple | list):
            out[f.name] = sorted(str(v) for v in value)
        else:
            out[f.name] = value if isinstance(value, str | int | bool | None) else str(value)
    return out


def _check_folder(path: Path) -> None:
    if path.is_dir():
        raise ExportError(_("{path} is a folder; give a file name to export to.").format(path=path))
    if not path.parent.is_dir():
        raise ExportError(_("The folder {folder} does not exist.").format(folder=path.parent))


def export_file(
    db: Database,
    path: str | os.PathLike[str],
    kind: str = "clients",
    *,
    query: ListQuery | None = None,
    ids: Sequence[int] | None = None,
    delimiter: str = ",",
    progress: Progress | None = None,
    who: str | None = None,
) -> ExportSummary:
    """Export the clients of a list or a selection (or their purchases, or history) to ``path``.

    Args:
        db: the open base (written to: the export goes to the audit journal).
        path: the file to write; its extension (.xlsx, .csv, .vcf) chooses the format. An existing
            file is replaced only once the new one is complete.
        kind: ``clients``, ``purchases`` or ``history``.
        query: the list whose clients are exported (default: every active client).
        ids: the chosen clients instead of a list (a selection), exported in this order.
        delimiter: for .csv: ``,`` or ``;`` (Excel in ru/fi locales; money then has a decimal comma).
        progress: called with (rows written, rows in all); when it raises (Cancel) the export stops,
            leaves no file and journals nothing.
        who: who is exporting, for the journal (None: the current user).

    Raises:
        ExportError: a wrong extension or a folder that cannot be written (no file is made).
    """
    access.require(db, access.Permission.EXPORT)  # before any file is made
    target = Path(path).expanduser().absolute()
    fmt = export_format(target, kind)
    _check_folder(target)
    chosen = source.client_ids(db, query=query, ids=ids)
    if progress is not None:
        progress(0, len(chosen))
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise ExportError(
            _("CustDesk cannot write into the folder {folder}: {reason}").format(
                folder=target.parent, reason=exc.strerror or exc
            )
        ) from exc
    os.close(fd)
    temp = Path(temp_name)
    with suppress(OSError):
        temp.chmod(0o644)  # mkstemp makes it private; an export is an ordinary file
    try:
        rows = _write(db, temp, kind, fmt, chosen, delimiter, progress)
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise ExportError(
                _("CustDesk cannot replace {path} (is it open in another program?): {reason}").format(
                    path=target, reason=exc.strerror or exc
                )
            ) from exc
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    summary = ExportSummary(target, kind, fmt, rows, len(chosen), "selection" if ids is not None else "list")
    try:
        _journal(db, summary, query or ListQuery(), who)
    except BaseException:
        # Who exported what must be known: an export the journal did not take is not left behind.
        with suppress(OSError):
            target.unlink()
        raise
    return summary


__all__ = [
    "FORMATS",
    "KINDS",
    "KIND_FORMATS",
    "ExportError",
    "ExportSummary",
    "export_file",
    "export_format",
]
