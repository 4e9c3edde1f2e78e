"""Write clients as vCard 3.0 contacts (.vcf), one card per client, for phones and mail programs.

RFC 2426: CRLF line ends, UTF-8, text escaped (``\\``, ``,``, ``;`` and line breaks), lines folded at 75
octets (never inside a UTF-8 character) with a space starting each continuation. Each card carries the
client's external id as ``UID`` (so a re-import finds the same client), ``FN``/``N``, ``ORG``, every
phone and e-mail with its kind (the primary one marked ``PREF``), the postal address, the birthday,
the notes and the tags as ``CATEGORIES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

LINE_OCTETS = 75
PROGRESS_EVERY = 500
PHONE_TYPES = {"mobile": "CELL", "work": "WORK", "home": "HOME", "fax": "FAX", "other": "VOICE"}
EMAIL_TYPES = {"work": "WORK", "personal": "HOME", "other": "OTHER"}

Progress = Callable[[int, int], None]


def escape(text: str) -> str:
    """A text value escaped for vCard 3.0: backslash, comma, semicolon and line breaks."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded to at most 75 octets per physical line, CRLF-separated (no trailing CRLF).

    A UTF-8 character is never split; each continuation starts with one space (which counts).
    """
    parts: list[str] = []
    current: list[str] = []
    used = 0
    limit = LINE_OCTETS
    for ch in line:
        size = len(ch.encode("utf-8"))
        if used + size > limit:
            parts.append("".join(current))
            current, used, limit = [], 0, LINE_OCTETS - 1
        current.append(ch)
        used += size
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _structured(*components: str) -> str:
    return ";".join(escape(c) for c in components)


def card_lines(record: dict[str, Any]) -> list[str]:
    """The content lines (unfolded) of one client's card.

    Args:
        record: a client as :func:`custdesk.io.exporters.source.client_records` gives it.
    """
    name = str(record.get("name") or "")
    organisation = str(record.get("organisation") or "")
    shown = name or organisation  # a company card shows its company by X-ABSHOWAS, FN names the person
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    lines.append(f"UID:{escape(str(record['external_id']))}")
    lines.append(f"FN:{escape(shown)}")
    # The full name is kept whole as the family-name component: splitting it would guess the order
    # (Russian names put the family name first), and FN carries it for display anyway.
    lines.append(f"N:{_structured(name if name else shown, '', '', '', '')}")
    if organisation:
        lines.append(f"ORG:{escape(organisation)}")
    if record.get("kind") == "organisation":
        lines.append("X-ABSHOWAS:COMPANY")
    for phone in record.get("phones", []):
        types = [PHONE_TYPES.get(phone.kind, "VOICE")]
        if types[0] != "VOICE":
            types.append("VOICE")
        if phone.is_primary:
            types.append("PREF")
        number = f"{phone.number} x{phone.extension}" if phone.extension else phone.number
        lines.append(f"TEL;TYPE={','.join(types)}:{escape(number)}")
    for email in record.get("emails", []):
        types = ["INTERNET", EMAIL_TYPES.get(email.kind, "OTHER")]
        if email.is_primary:
            types.append("PREF")
        lines.append(f"EMAIL;TYPE={','.join(types)}:{escape(email.address)}")
    street = " ".join(p for p in (str(record.get("street") or ""), str(record.get("building") or "")) if p)
    address = [
        street,
        str(record.get("city") or ""),
        str(record.get("region") or ""),
        str(record.get("postcode") or ""),
        str(record.get("country") or ""),
    ]
    if any(address):
        kind = "WORK" if record.get("kind") == "organisation" else "HOME"
        lines.append(f"ADR;TYPE={kind}:{_structured('', '', *address)}")
    birthday = record.get("birthday")
    if birthday is not None:
        lines.append(f"BDAY:{birthday.isoformat()}")
    notes = str(record.get("notes") or "")
    if notes:
        lines.append(f"NOTE:{escape(notes)}")
    tags: Sequence[str] = record.get("tags", ())
    if tags:
        lines.append(f"CATEGORIES:{','.join(escape(t) for t in tags)}")
    lines.append("END:VCARD")
    return lines


def card_text(record: dict[str, Any]) -> str:
    """One client's card, folded, each line ending in CRLF."""
    return "".join(fold(line) + "\r\n" for line in card_lines(record))


def write_vcf(
    path: Path, records: Iterable[dict[str, Any]], total: int, progress: Progress | None = None
) -> int:
    """Write the clients ``records`` as vCard 3.0 to ``path``; returns the number of cards written.

    Args:
        path: the file to write (replaced if it exists).
        records: clients as :func:`custdesk.io.exporters.source.client_records` gives them.
        total: how many there are (for progress).
        progress: called with (cards written, cards in all); it may raise to stop the export.
    """
    written = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        for record in records:
            f.write(card_text(record))
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written, max(total, written))
    return written


__all__ = ["LINE_OCTETS", "card_lines", "card_text", "escape", "fold", "write_vcf"]
