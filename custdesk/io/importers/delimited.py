"""Text tables: .csv and .txt with their encoding detected and their delimiter sniffed.

Encodings: UTF-8 with or without a BOM, UTF-16 (with a BOM, or without one when every other byte is
zero), else the one charset-normalizer finds among the single-byte encodings old files come in:
Windows-1251 (Russian Excel's "CSV"), KOI8-R, DOS 866, Windows-1252 (Western Europe, Finnish Excel),
Windows-1256 (Persian and Arabic Windows programs). Persian text written by Windows programs has the
Arabic yeh and kaf (``ي ك``); it is stored with the Persian ``ی ک``, so that search finds both
(:func:`custdesk.io.importers.base.clean_cells`). Delimiters: comma, semicolon, tab or ``|``,
whichever splits the first lines into the same number of columns most consistently. The apostrophe a
CSV export puts before formula-like text is dropped (:func:`unquote_formula`), so ``'+7…`` reads back
as ``+7…``.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections import Counter
from pathlib import Path

from custdesk.i18n import _
from custdesk.io.exporters.columns import QUOTE, is_formula_like
from custdesk.io.importers.base import ImportFileError, RawTable

DELIMITERS = (";", ",", "\t", "|")
SNIFF_LINES = 50
# csv refuses fields longer than its limit (128 KiB by default); a cell of a few megabytes is still a cell.
FIELD_LIMIT = 64 * 1024 * 1024
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def unquote_formula(cell: str) -> str:
    """A cell without the apostrophe a CSV export put before text a spreadsheet would run as a formula.

    CustDesk's CSV writer (and Excel users by hand) write ``'+7 912…`` or ``'=SUM…`` so that no spreadsheet
    runs them; the apostrophe goes when what follows it is text a spreadsheet would run as a formula
    (:func:`~custdesk.io.exporters.columns.is_formula_like`: ``= + - @``, a tab or a carriage return,
    their full-width forms, also behind invisible characters). Any other leading apostrophe is the text's
    own (``'t Hooft``).
    """
    if len(cell) > 1 and cell[0] == QUOTE and is_formula_like(cell[1:]):
        return cell[1:]
    return cell


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _single_byte(data: bytes) -> str:
    """Windows-1251 or Windows-1252: the one whose words mix alphabets less."""
    as_1251 = data.decode("cp1251", errors="replace")
    mixed = 0
    cyrillic_words = 0
    for word in re.findall(r"\w+", as_1251):
        has_cyr, has_lat = bool(_CYRILLIC.search(word)), bool(_LATIN.search(word))
        if has_cyr and has_lat:
            mixed += 1
        elif has_cyr:
            cyrillic_words += 1
    return "cp1251" if cyrillic_words >= mixed else "cp1252"


# The single-byte encodings charset-normalizer chooses from (old Russian, Finnish and Persian files).
SINGLE_BYTE = ("cp1251", "koi8_r", "cp866", "cp1252", "cp1256", "iso8859_5", "iso8859_6")


def _normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    logging.getLogger("charset_normalizer").setLevel(logging.ERROR)
    best = from_bytes(data, cp_isolation=list(SINGLE_BYTE)).best()
    return None if best is None else str(best.encoding)


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file's bytes (a Python codec name; ``utf-8-sig`` for UTF-8 with a BOM)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    guess = _utf16_without_bom(data)
    if guess:
        return guess
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a sample cut inside a character
            return "utf-8"
    return _normalizer_guess(data) or _single_byte(data)


def decode_head(head: bytes) -> str | None:
    """The first bytes of a file as text, or None when they look binary (control bytes, NULs)."""
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    if not text:
        return None
    if "\x00" in text:
        return None  # text never holds NULs (UTF-16 was decoded above)
    # A few control characters (terminal escapes) are dropped from the cells; many mean binary data.
    bad = len(_CONTROL.findall(text)) + text.count("\ufffd") * (0 if encoding.startswith("cp") else 1)
    return None if bad > max(8, len(text) // 50) else text


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits ``lines`` into the same number of columns most consistently."""
    best, best_score = ",", (-1.0, 0)
    sample = [line for line in lines if line.strip()][:SNIFF_LINES]
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (count / len(widths), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _swallowed(row: list[str], delimiter: str, width: int) -> bool:
    """Whether a row read over several lines holds whole rows in a cell (a quote never closed)."""
    wanted = max(1, width - 1)
    return any(
        line.count(delimiter) >= wanted for cell in row if "\n" in cell for line in cell.splitlines()[1:]
    )


def _first_lines(last_lines: list[int]) -> list[int]:
    """The line each row starts on, from the line each ends on (a cell may hold line breaks)."""
    return [1] + [n + 1 for n in last_lines[:-1]] if last_lines else []


def read(path: Path, name: str | None, kind: str, nrows: int | None) -> RawTable:
    """Read a CSV or TXT table (``name`` is ignored: a text file has one table).

    Raises:
        ImportFileError: the file cannot be read or decoded.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            _("The file {path} cannot be read: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("{path} is not a text table: its characters cannot be read in any known encoding.").format(
                path=path.name
            )
        ) from exc
    if decode_head(data[:4096]) is None or "\x00" in text:
        raise ImportFileError(_("{path} is not a text table: it holds binary data.").format(path=path.name))
    lines = text.splitlines()
    delimiter = sniff_delimiter(lines[:SNIFF_LINES])
    csv.field_size_limit(FIELD_LIMIT)
    grid: list[list[object]] = []
    row_numbers: list[int] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        width = 0
        for row in reader:
            first = row_numbers[-1] + 1 if row_numbers else 1
            if row_numbers and reader.line_num > first and _swallowed(row, delimiter, width):
                raise ImportFileError(
                    _(
                        'Row {row} of {path} opens a quote (") that is never closed: the lines after it '
                        "would become one cell. Close the quote in that row and import again."
                    ).format(row=first, path=path.name)
                )
            width = width or len(row)
            grid.append([unquote_formula(cell) if cell.strip() else None for cell in row])
            row_numbers.append(reader.line_num)
            if nrows is not None and len(grid) >= nrows:
                break
    except csv.Error as exc:
        raise ImportFileError(
            _("{path} is not a well-formed text table: {reason}").format(path=path.name, reason=exc)
        ) from exc
    reason = _("{name} was read (encoding {encoding}).").format(name=path.name, encoding=encoding)
    return RawTable(
        name=path.name,
        grid=grid,
        sheets=[path.name],
        picked_reason=reason,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        row_numbers=_first_lines(row_numbers),
    )
