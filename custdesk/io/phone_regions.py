"""Which country a file's phones belong to, when the firm's country does not fit them.

A Russian file on a machine set to the United States holds ``8 915 764 64 61``: invalid for the US,
valid for Russia. Judged against the firm's country alone, every such number would fail. Before an
import, :func:`infer_region` reads a sample of the file's phone cells (rows with a country column of
their own are left out: their column wins), counts how many are valid for the firm's country and, when
most are not, for which other country most are. That country is proposed in the wizard's preview and
used by the console's import unless ``--region`` says otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from custdesk.io import parsing

if TYPE_CHECKING:
    from custdesk.io.importers.base import SourceTable
    from custdesk.io.mapping import ColumnMapping

# The countries tried for a number the firm's country does not read: those of CustDesk's languages and
# their neighbours first, then the countries most old client files come from.
CANDIDATES = (
    "RU", "FI", "IR", "US", "GB", "DE", "SE", "EE", "UA", "BY", "KZ", "LV", "LT", "PL", "FR", "IT",
    "ES", "NL", "TR", "AE", "AF", "TJ", "UZ", "AM", "AZ", "GE", "CA", "AU", "IN", "CN",
)  # fmt: skip
SAMPLE = 400  # phone cells read: enough to tell a country, quick for any file
# A country is proposed when most sampled numbers are invalid for the firm's country, and valid for it.
MOST = 0.5
PHONE_FIELDS = ("phone", "client_phone")


@dataclass(frozen=True)
class RegionGuess:
    """A country the file's phones fit far better than the firm's.

    Attributes:
        region: the country proposed (ISO 3166 alpha-2).
        share: the share of sampled numbers valid for it (0..1).
        firm_share: the share valid for the firm's country.
        sampled: how many numbers were read.
    """

    region: str
    share: float
    firm_share: float
    sampled: int


def _valid(piece: str, region: str) -> bool:
    try:
        parsing.normalise_import_phone(piece, region)
    except ValueError:
        return False
    return True


def phone_pieces(table: SourceTable, mapping: ColumnMapping, limit: int = SAMPLE) -> list[str]:
    """Up to ``limit`` phones of the file's phone columns, from rows without a country of their own."""
    index = {h: i for i, h in enumerate(table.headers)}
    columns = [index[h] for h, f in mapping.columns.items() if f in PHONE_FIELDS and h in index]
    countries = [index[h] for h, f in mapping.columns.items() if f == "country" and h in index]
    pieces: list[str] = []
    for row in table.rows:
        if any(row[i] not in (None, "") for i in countries):
            continue  # the row's own country reads its phones
        for i in columns:
            for piece in parsing.split_phones(row[i]) if row[i] not in (None, "") else ():
                pieces.append(piece)
        if len(pieces) >= limit:
            break
    return pieces[:limit]


def infer_region(table: SourceTable, mapping: ColumnMapping, firm_region: str) -> RegionGuess | None:
    """The country the file's phones fit far better than ``firm_region``, or None when the firm's fits.

    A country is proposed when fewer than half of the sampled numbers are valid for the firm's country,
    at least half are valid for the other one, and it reads at least twice as many.
    """
    pieces = phone_pieces(table, mapping)
    if not pieces:
        return None
    firm = firm_region.upper()
    failing = [p for p in pieces if not _valid(p, firm)]
    firm_share = (len(pieces) - len(failing)) / len(pieces)
    if firm_share >= MOST:
        return None
    counts: Counter[str] = Counter()
    for region in CANDIDATES:
        if region == firm:
            continue
        counts[region] = sum(1 for p in failing if _valid(p, region))
    if not counts:
        return None
    region, valid = max(counts.items(), key=lambda kv: (kv[1], -CANDIDATES.index(kv[0])))
    share = (valid + (len(pieces) - len(failing))) / len(pieces)  # numbers in +CC form are valid for both
    if valid / len(pieces) < MOST or valid < 2 * (len(pieces) - len(failing)):
        return None
    return RegionGuess(region, share, firm_share, len(pieces))


def calling_code(region: str) -> int:
    """The international calling code of a country (``RU`` -> 7)."""
    import phonenumbers

    return int(phonenumbers.country_code_for_region(region.upper()))


__all__ = ["CANDIDATES", "RegionGuess", "calling_code", "infer_region", "phone_pieces"]
