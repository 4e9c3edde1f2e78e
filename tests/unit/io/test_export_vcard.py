"""Exports to .vcf (vCard 3.0) parsed back: typed phones, e-mails, ORG, ADR, BDAY, NOTE, escaping, folding."""

from __future__ import annotations

import re
from pathlib import Path

from custdesk.core.db import Database
from custdesk.io.exporters import export_file
from custdesk.io.exporters.vcard import escape, fold
from tests.unit.io._export_data import make_base


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _cards(path: Path) -> list[list[tuple[str, str, str]]]:
    """Each card as (name, parameters, value) lines, after unfolding; structured values left escaped."""
    raw = path.read_bytes()
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8").replace("\r\n ", "")
    cards: list[list[tuple[str, str, str]]] = []
    for line in text.split("\r\n"):
        if not line:
            continue
        head, _, value = line.partition(":")
        name, _, params = head.partition(";")
        if name == "BEGIN":
            cards.append([])
        cards[-1].append((name, params, value))
    return cards


def test_cards_parse_back_with_every_contact_field(db: Database, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "c.vcf", "clients")
    cards = {next(v for n, _p, v in card if n == "UID"): card for card in _cards(tmp_path / "c.vcf")}
    assert set(cards) == {"C-001", "C-002", "C-003", "C-004"}
    ivan = cards["C-001"]
    assert ("VERSION", "", "3.0") in ivan
    assert ("FN", "", "Иван Петров") in ivan
    assert ("TEL", "TYPE=CELL,VOICE,PREF", "+79123456789") in ivan
    assert ("TEL", "TYPE=WORK,VOICE", "+74951234567") in ivan
    assert ("EMAIL", "TYPE=INTERNET,WORK,PREF", "ivan@example.ru") in ivan
    assert ("EMAIL", "TYPE=INTERNET,HOME", "ivan.p@mail.example") in ivan
    assert ("BDAY", "", "1980-02-29") in ivan
    adr = next(v for n, _p, v in ivan if n == "ADR")
    assert [_unescape(p) for p in re.split(r"(?<!\\);", adr)] == [
        "", "", "ул. Ленина, 5", "Москва", "Московская область", "", "RU",
    ]  # fmt: skip
    note = next(v for n, _p, v in ivan if n == "NOTE")
    assert _unescape(note) == "Любит кофе; звонить после 18:00,\nне раньше"
    org = cards["C-003"]
    assert ("ORG", "", "Kahvila Oy") in org and ("FN", "", "Anna Virtanen") in org
    assert ("N", "", "Anna Virtanen;;;;") in org
    john = cards["C-004"]
    assert _unescape(next(v for n, _p, v in john if n == "NOTE")) == "@home, +1 call back; a\\b"
    assert ("CATEGORIES", "", "wholesale") in john
    assert ("FN", "", "مریم احمدی") in cards["C-002"]


def test_escaping() -> None:
    assert escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_folding_keeps_lines_within_75_octets_and_never_splits_a_character() -> None:
    line = "NOTE:" + "Любит кофе и чай; " * 12
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 2
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line
    assert fold("FN:short") == "FN:short"
