"""Access bases (.mdb, .accdb) through ``access-parser``: pure Python, no Access or ODBC driver needed.

The reader lists the user tables (system tables ``MSys*`` and the hidden attachment tables
``f_<hex>_Data`` left out) and reads one as columns. access-parser cannot read every variant of the
format (encrypted bases, some ACE tables with complex columns): such a table or file gets a message that
names the variant and tells how to get the data out (export the table from Access to Excel).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from custdesk.i18n import _
from custdesk.io.importers.base import ImportFileError, RawTable, missing_table_error, pick_table

# access-parser logs every odd MSysObjects record at ERROR; they are not the user's concern.
logging.getLogger("access_parser").setLevel(logging.CRITICAL + 1)

_ATTACHMENT_TABLE = re.compile(r"^f_[0-9A-Fa-f]{32}_Data$")
# The byte at offset 0x14 of the header: the engine version that wrote the file.
VERSIONS = {
    0: "Jet 3 (Access 97)",
    1: "Jet 4 (Access 2000-2003)",
    2: "ACE 12 (Access 2007)",
    3: "ACE 14 (Access 2010)",
    4: "ACE 15 (Access 2013)",
    5: "ACE 16 (Access 2016+)",
}


def variant(path: Path) -> str:
    """The name of the Access file format variant of ``path`` (e.g. "Jet 3 (Access 97)")."""
    with path.open("rb") as fh:
        head = fh.read(0x15)
    engine = "Jet" if head[4:19] == b"Standard Jet DB" else "ACE"
    code = head[0x14] if len(head) > 0x14 else -1
    return VERSIONS.get(code, _("{engine} version {code}").format(engine=engine, code=code))


def _unreadable(path: Path, exc: BaseException | None = None) -> ImportFileError:
    return ImportFileError(
        _(
            "{path} is an Access base in the format {variant}, which the built-in reader cannot read "
            "({reason}). Open it in Access and export the table to Excel (.xlsx), then import that file."
        ).format(path=path.name, variant=variant(path), reason=type(exc).__name__ if exc else "?")
    )


def _open(path: Path) -> Any:
    from access_parser import AccessParser

    try:
        return AccessParser(str(path))
    except Exception as exc:  # construct and struct errors of every kind for a variant it does not know
        raise _unreadable(path, exc) from exc


def _user_tables(parser: Any) -> list[str]:
    return [
        str(name)
        for name in parser.catalog
        if not str(name).startswith(("MSys", "~")) and not _ATTACHMENT_TABLE.match(str(name))
    ]


def list_tables(path: Path) -> list[str]:
    """The user tables of an Access base, in catalog order.

    Raises:
        ImportFileError: the base cannot be read.
    """
    return _user_tables(_open(path))


def _columns(parser: Any, name: str, path: Path) -> tuple[list[str], dict[str, list[Any]]]:
    """The defined column names and the parsed data of a table (data columns may be missing)."""
    try:
        table = parser.get_table(name)
        defined = [str(c.col_name_str) for _i, c in sorted(table.columns.items())]
        data = {str(k): list(v) for k, v in table.parse().items()}
    except Exception as exc:
        raise ImportFileError(
            _(
                "The table “{table}” of {path} ({variant}) cannot be read by the built-in reader. Open it in "
                "Access and export the table to Excel (.xlsx), then import that file."
            ).format(table=name, path=path.name, variant=variant(path))
        ) from exc
    return defined, data


def read(path: Path, name: str | None, kind: str, nrows: int | None) -> RawTable:
    """Read one table of an Access base (``name``; None: the one holding the ``kind`` list).

    Raises:
        ImportFileError: the base or the table cannot be read, only part of the table's columns could
            be read, or there is no table ``name``.
    """
    parser = _open(path)
    names = _user_tables(parser)
    if not names:
        raise ImportFileError(_("{path} has no tables with data.").format(path=path.name))
    if name is not None:
        if name not in names:
            raise missing_table_error(path, name, names, what="table")
        picked, reason = name, _("“{name}” was read, as chosen.").format(name=name)
    else:

        def size(table: str) -> int:
            try:
                data = _columns(parser, table, path)[1]
            except ImportFileError:
                return -1
            return max((len(v) for v in data.values()), default=0)

        picked, reason = pick_table(names, kind, size)
    defined, data = _columns(parser, picked, path)
    missing = [c for c in defined if c not in data]
    if missing:
        raise ImportFileError(
            _(
                "The table “{table}” of {path} ({variant}) is stored in a way the built-in reader cannot "
                "fully read: the columns {columns} are missing. Open it in Access and export the table to "
                "Excel (.xlsx), then import that file."
            ).format(table=picked, path=path.name, variant=variant(path), columns=", ".join(missing))
        )
    height = max((len(v) for v in data.values()), default=0)
    grid: list[list[object]] = [list(defined)]
    for i in range(height if nrows is None else min(height, nrows)):
        grid.append([_cell(data[c][i]) if i < len(data[c]) else None for c in defined])
    return RawTable(
        name=picked,
        grid=grid,
        sheets=names,
        picked_reason=reason,
        format="access",
        header_row=0,
        row_numbers=list(range(len(grid))),
    )


def _cell(value: Any) -> object:
    if isinstance(value, bytes | bytearray):
        return None  # OLE objects and attachments are not client data
    return value
