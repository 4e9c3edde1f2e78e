"""vCard files (.vcf) of versions 2.1, 3.0 and 4.0, many cards a file, as address books write them.

Outlook writes 2.1 with ``ENCODING=QUOTED-PRINTABLE;CHARSET=...`` values broken over lines with soft
line breaks; Google Contacts writes 3.0 with ``TYPE=`` parameters and folded lines; Thunderbird writes
4.0 with ``VALUE=uri`` phones (``tel:+358...``) and quoted type lists. Each card becomes a row whose
columns are named by the client fields they fill (so the mapping is found by itself); phones go to
columns by their kind (mobile, work, home, fax, other), several of one kind joined by ``;``.
"""

from __future__ import annotations

import quopri
import re
from pathlib import Path

from custdesk.i18n import _
from custdesk.io.importers.base import ImportFileError, RawTable
from custdesk.io.importers.delimited import detect_encoding
from custdesk.io.parsing import day_without_year

COLUMNS = (
    "external_id", "name", "organisation", "mobile", "work phone", "home phone", "fax", "phone",
    "email", "country", "region", "city", "street", "postcode", "birthday", "notes", "tags",
)  # fmt: skip
_PHONE_COLUMN = {
    "cell": "mobile",
    "mobile": "mobile",
    "work": "work phone",
    "home": "home phone",
    "fax": "fax",
}
_PROPERTY = re.compile(rb"^(?:[A-Za-z0-9\-]+\.)?([A-Za-z0-9\-]+)((?:;[^:]*)?):(.*)$", re.DOTALL)


def _unfold(data: bytes) -> list[bytes]:
    """Logical lines: folded lines joined (a leading space or tab), and quoted-printable soft breaks."""
    raw = re.split(rb"\r\n|\n|\r", data)
    lines: list[bytes] = []
    soft = False
    for line in raw:
        if soft and lines:
            lines[-1] = lines[-1][:-1] + line.lstrip(b" \t")  # "=" at the end: the value goes on
        elif line[:1] in (b" ", b"\t") and lines:
            lines[-1] += line[1:]
        else:
            lines.append(line)
        last = lines[-1] if lines else b""
        soft = bool(re.search(rb"QUOTED-PRINTABLE", last.split(b":", 1)[0], re.IGNORECASE)) and (
            last.endswith(b"=")
        )
    return lines


def _params(text: str) -> tuple[dict[str, str], set[str]]:
    """``;TYPE=WORK;CHARSET=...`` -> named parameters (upper-case keys) and the set of types."""
    named: dict[str, str] = {}
    types: set[str] = set()
    for part in re.findall(r';((?:[^;"]|"[^"]*")*)', text):
        key, eq, value = part.partition("=")
        value = value.strip('"')
        if not eq:  # vCard 2.1: bare types (TEL;CELL;VOICE)
            if key.upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT"):
                named["ENCODING"] = key.upper()
            else:
                types.add(key.lower())
            continue
        if key.upper() == "TYPE":
            types.update(t.strip().lower() for t in value.split(","))
        else:
            named[key.upper()] = value
    return named, types


def _unescape(value: str) -> str:
    return re.sub(r"\\([nN,;:\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split(value: str) -> list[str]:
    """Structured value parts (``N``, ``ADR``) split on unescaped ``;``."""
    return [_unescape(p) for p in re.split(r"(?<!\\);", value)]


def _decode(value: bytes, named: dict[str, str], file_encoding: str) -> str:
    if named.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "QP"):
        value = quopri.decodestring(value)
    charset = named.get("CHARSET")
    if charset is None:  # Outlook leaves CHARSET out and writes the PC's code page
        try:
            return value.decode(file_encoding.replace("utf-8-sig", "utf-8"))
        except UnicodeDecodeError:
            charset = detect_encoding(value)
    try:
        return value.decode(charset.replace("utf-8-sig", "utf-8"), errors="replace")
    except LookupError:
        return value.decode(file_encoding, errors="replace")


def _tel(value: str) -> str:
    """A TEL value as a phone: a ``tel:`` URI (RFC 3966) loses its scheme and parameters, keeping an
    ``;ext=`` as an extension (``tel:+358401234567;ext=12`` -> ``+358401234567 ext. 12``)."""
    number = value.strip()
    if not number.lower().startswith("tel:"):
        return number
    number, *params = number[4:].split(";")
    extension = next((p.partition("=")[2] for p in params if p.lower().startswith("ext=")), "")
    return f"{number} ext. {extension}" if extension.strip() else number


def _card_row(props: list[tuple[str, dict[str, str], set[str], str]]) -> list[object]:
    row: dict[str, list[str]] = {c: [] for c in COLUMNS}
    n_parts: list[str] = []
    for name, _named, types, value in props:
        if name == "FN":
            row["name"].append(_unescape(value).strip())
        elif name == "N":
            n_parts = _split(value)
        elif name == "ORG":
            row["organisation"].append(_split(value)[0].strip())
        elif name == "TEL":
            number = _tel(value)
            column = next(
                (_PHONE_COLUMN[t] for t in ("fax", "cell", "mobile", "work", "home") if t in types), "phone"
            )
            row[column].append(number)
        elif name == "EMAIL":
            row["email"].append(value.strip())
        elif name == "ADR":
            parts = [*_split(value), "", "", "", "", "", "", ""]
            street = ", ".join(p.strip() for p in (parts[1], parts[2]) if p.strip())
            for column, part in (("street", street), ("city", parts[3]), ("region", parts[4])):
                if part.strip() and not row[column]:
                    row[column].append(part.strip())
            if parts[5].strip() and not row["postcode"]:
                row["postcode"].append(parts[5].strip())
            if parts[6].strip() and not row["country"]:
                row["country"].append(parts[6].strip())
        elif name == "BDAY" and value.strip().startswith("--"):
            # A birthday without its year (phones save them so): the card's date needs a year, so the
            # day goes into the notes rather than nowhere.
            day = day_without_year(value.strip())
            if day:
                row["notes"].append(_("Birthday: {day} (the year is not known).").format(day=day))
        elif name == "BDAY":
            digits = value.strip()
            if re.fullmatch(r"\d{8}", digits):
                digits = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
            row["birthday"].append(digits[:10])
        elif name == "NOTE":
            row["notes"].append(_unescape(value).strip())
        elif name == "UID":
            row["external_id"].append(value.strip()[:64])
        elif name == "CATEGORIES":
            row["tags"].extend(t.strip() for t in re.split(r"(?<!\\),", value) if t.strip())
    if not row["name"] and n_parts:
        last, first, middle = ([*n_parts, "", ""])[:3]
        row["name"].append(" ".join(p.strip() for p in (first, middle, last) if p.strip()))
    return [
        ("; " if c not in ("notes",) else "\n").join(row[c][:1] if c == "name" else row[c]) or None
        for c in COLUMNS
    ]


def read(path: Path, name: str | None, kind: str, nrows: int | None) -> RawTable:
    """Read every card of a .vcf file as one row.

    Raises:
        ImportFileError: the file holds no card, or a card is not closed.
    """
    data = path.read_bytes()
    encoding = detect_encoding(data)
    if encoding.startswith("utf-16"):
        data = data.decode(encoding).encode("utf-8")
        encoding = "utf-8"
    grid: list[list[object]] = [list(COLUMNS)]
    props: list[tuple[str, dict[str, str], set[str], str]] | None = None
    for line in _unfold(data):
        match = _PROPERTY.match(line.strip(b"\xef\xbb\xbf"))
        if match is None:
            continue
        prop = match.group(1).decode("ascii", errors="replace").upper()
        named, types = _params(match.group(2).decode("ascii", errors="replace"))
        value = _decode(match.group(3), named, encoding)
        if prop == "BEGIN" and value.strip().upper() == "VCARD":
            props = []
        elif prop == "END" and value.strip().upper() == "VCARD" and props is not None:
            grid.append(_card_row(props))
            props = None
            if nrows is not None and len(grid) > nrows:
                break
        elif props is not None:
            props.append((prop, named, types, value))
    if len(grid) == 1:
        raise ImportFileError(_("{path} holds no contact cards.").format(path=path.name))
    reason = _("{name} was read: {count} contact cards.").format(name=path.name, count=len(grid) - 1)
    return RawTable(
        name=path.name,
        grid=grid,
        sheets=[path.name],
        picked_reason=reason,
        format="vcard",
        header_row=0,
        encoding=encoding,
        row_numbers=list(range(len(grid))),
    )
