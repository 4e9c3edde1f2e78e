"""What every importer gives: a :class:`SourceTable`, read from a file whatever its format.

:func:`read_source` looks at the file's first bytes (and only then at its extension, which people get
wrong), hands it to the reader of its format, picks the sheet or table that holds the wanted list when
none is named, finds the header row (not always row 1: old workbooks have a title above it) and gives
every column a unique, non-empty header. The rows keep their cells as the reader found them (text,
numbers, dates); :mod:`custdesk.io.parsing` turns them into values.

Every failure to read is an :class:`ImportFileError` whose message says what is wrong with the file in
words a shop owner understands, naming the file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from custdesk.core.errors import CustDeskError
from custdesk.i18n import _, current_language

# How many leading rows are searched for the header row.
HEADER_SEARCH_ROWS = 30
# Sheet and table names that hold each kind of list, folded to lower case (English, Russian, Finnish,
# Persian, and what Outlook/Access templates call them).
LIST_NAMES: dict[str, tuple[str, ...]] = {
    "clients": (
        "customers",
        "customer",
        "clients",
        "client",
        "contacts",
        "contact list",
        "buyers",
        "клиенты",
        "клиент",
        "покупатели",
        "заказчики",
        "контакты",
        "контрагенты",
        "база клиентов",
        "asiakkaat",
        "asiakas",
        "asiakasrekisteri",
        "yhteystiedot",
        "مشتریان",
        "مشتری",
        "مخاطبین",
    ),
    "purchases": (
        "purchases",
        "sales",
        "orders",
        "deals",
        "покупки",
        "продажи",
        "заказы",
        "сделки",
        "ostot",
        "myynnit",
        "tilaukset",
        "خریدها",
        "فروش",
        "سفارشات",
    ),
    "history": (
        "history",
        "calls",
        "contacts log",
        "interactions",
        "история",
        "звонки",
        "контакты с клиентами",
        "historia",
        "puhelut",
        "tapahtumat",
        "تاریخچه",
        "تماس‌ها",
    ),
}


class ImportFileError(CustDeskError):
    """The file cannot be read as a client list; the message (translated) says why and names the file."""


@dataclass
class SourceTable:
    """One table of a source file, as read: headers and rows of cells.

    Attributes:
        name: the sheet or table read (the file name for a CSV or vCard file).
        headers: one unique, non-empty header per column (an empty header becomes "Column C").
        rows: the data rows below the header row, each as long as ``headers``; cells are ``str``,
            ``int``, ``float``, ``bool``, ``date``, ``datetime`` or ``None`` as the reader found them.
        header_row: the header row's number in the file, counted from 1 as a spreadsheet shows it
            (0 when the format has no header row, as vCard).
        sheets: every sheet or table of the file the list could come from, in file order.
        picked_reason: why this sheet or table was read, translated (shown in the wizard and the report).
        row_numbers: the file's row number of each row in ``rows`` (for the per-row report); the card
            number for vCard.
        format: the format read: ``xlsx``, ``xls``, ``ods``, ``csv``, ``vcard`` or ``access``.
        encoding: the text encoding found (CSV and vCard), else ``""``.
        delimiter: the delimiter found (CSV), else ``""``.
        total_rows: how many data rows the table has (more than ``len(rows)`` when ``max_rows`` cut it).
        path: the file read.
    """

    name: str
    headers: list[str]
    rows: list[list[object]]
    header_row: int
    sheets: list[str]
    picked_reason: str
    row_numbers: list[int] = field(default_factory=list)
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    total_rows: int = 0
    path: str = ""

    def __post_init__(self) -> None:
        if not self.row_numbers:
            self.row_numbers = [self.header_row + 1 + i for i in range(len(self.rows))]
        if not self.total_rows:
            self.total_rows = len(self.rows)

    def column(self, header: str) -> list[object]:
        """The cells of the column ``header``, top to bottom."""
        index = self.headers.index(header)
        return [row[index] for row in self.rows]


@dataclass
class RawTable:
    """What a format reader returns before the header row is found (internal to the importers).

    ``grid`` holds every row of the picked sheet or table from the top; ``header_row`` is the index of the
    header row in ``grid`` when the format knows it (Access, vCard), else None (it is searched for);
    ``row_numbers`` the file row number of each grid row (default: index + 1).
    """

    name: str
    grid: list[list[object]]
    sheets: list[str]
    picked_reason: str
    format: str
    header_row: int | None = None
    has_header_row: bool = True
    encoding: str = ""
    delimiter: str = ""
    row_numbers: list[int] = field(default_factory=list)
    total_rows: int | None = None


Reader = Callable[[Path, str | None, str, int | None], RawTable]


def file_kind(path: Path) -> str:
    """The format of ``path`` by its first bytes, else by its extension.

    Returns:
        ``zip`` (xlsx/xlsm/ods), ``ole`` (xls), ``access``, ``vcard``, ``text`` (CSV/TXT) or ``binary``.

    Raises:
        ImportFileError: the file is missing, a folder, unreadable or empty.
    """
    try:
        info = path.stat()  # follows links: a loop of links raises ELOOP, not "missing"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ImportFileError(
                _(
                    "{path} is a link that leads round in a circle to itself: there is no file to read."
                ).format(path=path)
            ) from exc
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise ImportFileError(_("The file {path} does not exist.").format(path=path)) from exc
        raise ImportFileError(
            _("The file {path} cannot be read: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        raise ImportFileError(_("{path} is a folder, not a file.").format(path=path))
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise ImportFileError(
            _("{path} is not an ordinary file (it is a pipe or a device): save the list to a file.").format(
                path=path
            )
        )
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ImportFileError(
            _("The file {path} cannot be read: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if size == 0:
        raise ImportFileError(_("The file {path} is empty.").format(path=path))
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head[4:19] in (b"Standard Jet DB", b"Standard ACE DB"):
        return "access"
    from custdesk.io.importers.delimited import decode_head

    text = decode_head(head)
    if text is None:
        return "binary"
    if text.lstrip("\ufeff \r\n\t").upper().startswith("BEGIN:VCARD"):
        return "vcard"
    return "text"


def _reader(path: Path) -> Reader:
    kind = file_kind(path)
    if kind in ("zip", "ole"):
        from custdesk.io.importers import spreadsheet

        return spreadsheet.read
    if kind == "access":
        from custdesk.io.importers import access

        return access.read
    if kind == "vcard":
        from custdesk.io.importers import vcard

        return vcard.read
    if kind == "text":
        from custdesk.io.importers import delimited

        return delimited.read
    suffix = path.suffix.lower()
    raise ImportFileError(
        _(
            "{path} is not a file CustDesk can import: it is neither a spreadsheet (.xlsx, .xls, .ods), "
            "a text table (.csv, .txt), contacts (.vcf) nor an Access base (.mdb, .accdb)."
        ).format(path=path)
        if suffix not in (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".vcf", ".mdb", ".accdb")
        else _("{path} is damaged or is not really a {suffix} file: its content is not readable.").format(
            path=path, suffix=suffix
        )
    )


def list_tables(path: str | os.PathLike[str]) -> list[str]:
    """The sheets (spreadsheets) or tables (Access) of a file; a CSV or vCard file has one.

    Raises:
        ImportFileError: the file cannot be read.
    """
    p = Path(path)
    kind = file_kind(p)
    if kind in ("zip", "ole"):
        from custdesk.io.importers import spreadsheet

        return spreadsheet.list_sheets(p)
    if kind == "access":
        from custdesk.io.importers import access

        return access.list_tables(p)
    _reader(p)  # raises for binary garbage
    return [p.name]


def pick_table(names: list[str], kind: str, sizes: Callable[[str], int]) -> tuple[str, str]:
    """The sheet or table that holds the ``kind`` list, and why it was chosen (translated).

    A name from :data:`LIST_NAMES` wins; else the biggest (``sizes`` gives the number of rows).
    """
    wanted = LIST_NAMES.get(kind, LIST_NAMES["clients"])
    folded = {n: " ".join(n.casefold().replace("_", " ").split()) for n in names}
    for name in names:
        if folded[name] in wanted:
            return name, _("“{name}” was read: its name says it holds the list.").format(name=name)
    for name in names:
        if any(w in folded[name] for w in wanted if len(w) > 3):
            return name, _("“{name}” was read: its name says it holds the list.").format(name=name)
    if len(names) == 1:
        return names[0], _("“{name}” was read: the file has no other.").format(name=names[0])
    counted = {n: sizes(n) for n in names}
    best = max(names, key=lambda n: counted[n])  # max keeps the first of equals: file order
    return best, _("“{name}” was read: it has the most rows ({rows}).").format(name=best, rows=counted[best])


# Terminal control characters (all but tab and line breaks) and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069) a cell can carry to disguise its text: never stored.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PERSIAN_ONLY = re.compile("[پچژگ]")  # letters Persian has and Arabic has not
_ARABIC_YEH_KAF = str.maketrans({"ي": "ی", "ك": "ک"})
PERSIAN_SAMPLE_ROWS = 2000


def clean_cells(rows: list[list[object]]) -> None:
    """Make the text cells of ``rows`` safe to store, in place.

    Control characters and bidi overrides are dropped; in a Persian table (one with a letter only
    Persian has) the Arabic yeh and kaf Windows programs write become the Persian ``ی`` and ``ک``.
    """
    sample = "\n".join(c for row in rows[:PERSIAN_SAMPLE_ROWS] for c in row if isinstance(c, str))
    arabic_letters = "ي" in sample or "ك" in sample
    persian = arabic_letters and (bool(_PERSIAN_ONLY.search(sample)) or current_language() == "fa")
    for row in rows:
        texts = [c for c in row if isinstance(c, str)]
        if not texts:
            continue
        joined = "\n".join(texts)
        if not (_UNSAFE.search(joined) or (persian and ("ي" in joined or "ك" in joined))):
            continue  # the usual row: nothing to change
        for i, cell in enumerate(row):
            if isinstance(cell, str):
                cell = _UNSAFE.sub("", cell)
                row[i] = cell.translate(_ARABIC_YEH_KAF) if persian else cell


def _is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def find_header_row(grid: list[list[object]]) -> int:
    """The index in ``grid`` of the header row: the early row that looks most like column titles.

    A row scores by the cells it shares with known header names (:func:`custdesk.io.mapping.header_score`)
    and by how many of its cells are short text that does not look like data; title rows above the
    table (one long cell) and data rows lose.
    """
    from custdesk.io.mapping import header_score

    best, best_score = 0, -1.0
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        filled = [c for c in row if not _is_empty(c)]
        if len(filled) < 2 and len(grid) > 1:
            continue
        score = header_score(filled)
        if score > best_score:
            best, best_score = index, score
    return best


def _unique_headers(cells: list[object], width: int) -> list[str]:
    from custdesk.io.parsing import column_letter

    headers: list[str] = []
    seen: set[str] = set()
    for i in range(width):
        cell = cells[i] if i < len(cells) else None
        text = " ".join(str(cell).split()) if not _is_empty(cell) else ""
        if not text:
            text = _("Column {letter}").format(letter=column_letter(i))
        base, n = text, 2
        while text.casefold() in seen:
            text = f"{base} ({n})"
            n += 1
        seen.add(text.casefold())
        headers.append(text)
    return headers


def shape(raw: RawTable, path: Path) -> SourceTable:
    """Turn a reader's grid into a :class:`SourceTable`: header row found, empty rows and columns dropped.

    Raises:
        ImportFileError: the sheet is empty, or has a header but no data rows.
    """
    numbers = raw.row_numbers or list(range(1, len(raw.grid) + 1))
    pairs = [(n, row) for n, row in zip(numbers, raw.grid, strict=False) if not all(map(_is_empty, row))]
    if not pairs:
        raise ImportFileError(
            _("“{sheet}” in {path} is empty: there is nothing to import.").format(
                sheet=raw.name, path=path.name
            )
        )
    grid = [row for _n, row in pairs]
    if raw.has_header_row:
        at = raw.header_row if raw.header_row is not None else find_header_row(grid)
        header_cells, header_number = grid[at], pairs[at][0]
        body = pairs[at + 1 :]
    else:
        header_cells, header_number, body = [], 0, pairs
    width = max(len(r) for _n, r in [(0, header_cells), *body])
    used = [
        i
        for i in range(width)
        if (i < len(header_cells) and not _is_empty(header_cells[i]))
        or any(i < len(r) and not _is_empty(r[i]) for _n, r in body)
    ]
    header_row = [header_cells[i] if i < len(header_cells) else None for i in used]
    clean_cells([header_row])
    headers = _unique_headers(header_row, len(used))
    rows = [[r[i] if i < len(r) else None for i in used] for _n, r in body]
    clean_cells(rows)
    if not rows:
        raise ImportFileError(
            _("“{sheet}” in {path} has a header row but no rows of data below it.").format(
                sheet=raw.name, path=path.name
            )
        )
    return SourceTable(
        name=raw.name,
        headers=headers,
        rows=rows,
        header_row=header_number,
        sheets=raw.sheets,
        picked_reason=raw.picked_reason,
        row_numbers=[n for n, _r in body],
        format=raw.format,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        total_rows=raw.total_rows if raw.total_rows is not None else len(rows),
        path=str(path),
    )


def read_source(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    table: str | None = None,
    max_rows: int | None = None,
    kind: str = "clients",
) -> SourceTable:
    """Read the list of clients (or purchases, or history) from a file of any supported format.

    Args:
        path: the file: .xlsx/.xlsm/.xls/.ods, .csv/.txt, .vcf or .mdb/.accdb (found by content).
        sheet: the sheet to read (spreadsheets); ``table`` is the same for Access (either may be given).
        table: the table to read (Access).
        max_rows: read at most this many rows below the header (the wizard's preview); None: all.
        kind: which list is wanted when no sheet is named: ``clients``, ``purchases`` or ``history``.

    Returns:
        The table, with the reason it was picked.

    Raises:
        ImportFileError: the file is missing, damaged, of an unknown format, protected, empty, has no
            data below its header, or has no sheet/table of that name (the message lists those it has).
    """
    p = Path(path)
    reader = _reader(p)
    raw = reader(p, sheet or table, kind, None if max_rows is None else max_rows + HEADER_SEARCH_ROWS)
    source = shape(raw, p)
    if max_rows is not None and len(source.rows) > max_rows:
        source.rows = source.rows[:max_rows]
        source.row_numbers = source.row_numbers[:max_rows]
    return source


def missing_table_error(path: Path, name: str, names: list[str], *, what: str = "sheet") -> ImportFileError:
    """The error for a sheet or table that is not in the file, listing those it has."""
    listed = ", ".join(f"“{n}”" for n in names)
    if what == "table":
        message = _("{path} has no table “{name}”. Its tables: {names}.")
    else:
        message = _("{path} has no sheet “{name}”. Its sheets: {names}.")
    return ImportFileError(message.format(path=path.name, name=name, names=listed))


__all__ = [
    "LIST_NAMES",
    "ImportFileError",
    "RawTable",
    "SourceTable",
    "clean_cells",
    "file_kind",
    "find_header_row",
    "list_tables",
    "missing_table_error",
    "pick_table",
    "read_source",
    "shape",
]
