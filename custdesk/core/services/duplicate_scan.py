"""The duplicate finder: likely duplicates over the whole base, in groups, best first, with why.

Two live cards (not merged into another; archived ones count) are likely duplicates when they share
(:mod:`custdesk.core.services.duplicates` has the same rule for one card at a time):

- a phone (numbers are stored in E.164, so any spelling typed matches);
- an e-mail address in any letter case;
- the same organisation with or without quotes and legal form (``ООО «Ромашка»`` = ``Ромашка ООО``),
  for organisations;
- a name alike despite case, ``ё``/``е``, word order and a small typo (rapidfuzz's similarity, at least
  :data:`NAME_SIMILARITY` of 100) together with the same city or the same organisation.

A phone or e-mail shared by more than :data:`COMMON_KEY` cards (a shop's own number put on every card) is
no evidence and is left out. Pairs a person marked "not duplicates" are not offered again; cards an import
made as possible duplicates come first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import CustDeskError
from custdesk.core.models import Client, DuplicateMark, Email, Phone
from custdesk.core.services._shared import fold
from custdesk.i18n import N_, _

NAME_SIMILARITY = 88
COMMON_KEY = 25
_BLOCK = 4000  # rows of names compared at once (memory: _BLOCK x block size bytes)

REASONS = {
    "phone": N_("the same phone"),
    "email": N_("the same e-mail"),
    "organisation": N_("the same organisation"),
    "name-city": N_("a similar name in the same city"),
    "name-organisation": N_("a similar name in the same organisation"),
}
_SCORES = {"phone": 100, "email": 95, "organisation": 90, "name-city": 80, "name-organisation": 80}

_QUOTES = re.compile(r"[\"'«»„“”‘’`.,;:()\[\]]")
_LEGAL_PHRASES = (
    "общество с ограниченной ответственностью",
    "открытое акционерное общество",
    "закрытое акционерное общество",
    "публичное акционерное общество",
    "акционерное общество",
    "индивидуальный предприниматель",
    "sherkat-e sahami khas",
    "شرکت سهامی خاص",
    "شرکت سهامی عام",
    "شرکت با مسئولیت محدود",
)
_LEGAL_FORMS = frozenset(
    [
        "ооо",
        "оао",
        "зао",
        "пао",
        "ао",
        "ип",
        "нко",
        "тоо",
        "чп",
        "llc",
        "ltd",
        "inc",
        "corp",
        "co",
        "gmbh",
        "ag",
        "sa",
        "oy",
        "oyj",
        "ab",
        "ky",
        "tmi",
        "plc",
        "bv",
        "srl",
        "spa",
        "شرکت",
        "سهامی",
        "خاص",
        "عام",
    ]
)

Progress = Callable[[int, int], None]


def organisation_key(text: str) -> str:
    """An organisation's name folded, without quotes, punctuation or legal form (``ООО «Ромашка»``)."""
    value = fold(_QUOTES.sub(" ", text))
    for phrase in _LEGAL_PHRASES:
        value = value.replace(phrase, " ")
    return " ".join(w for w in value.split() if w not in _LEGAL_FORMS)


def _name_key(text: str) -> str:
    return " ".join(sorted(fold(_QUOTES.sub(" ", text)).split()))


@dataclass(frozen=True)
class DuplicateGroup:
    """Cards that look like one client.

    Attributes:
        ids: the cards, by number.
        names: their names as the list shows them, in the order of ``ids``.
        score: how sure, 0-100 (a shared phone 100; a similar name in the same city 80; more reasons more).
        reasons: why (keys of :data:`REASONS`).
        marked: an import made one of them as a possible duplicate.
    """

    ids: tuple[int, ...]
    names: tuple[str, ...]
    score: int
    reasons: tuple[str, ...]
    marked: bool = False

    def reason_text(self) -> str:
        """The reasons as one translated line."""
        return "; ".join(_(REASONS[r]) for r in self.reasons)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data (``custdesk-cli duplicates --json``)."""
        return {
            "ids": list(self.ids),
            "names": list(self.names),
            "score": self.score,
            "reasons": list(self.reasons),
            "marked_by_import": self.marked,
        }


class _Pairs:
    def __init__(self, excluded: set[tuple[int, int]]) -> None:
        self.reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
        self.excluded = excluded

    def add(self, a: int, b: int, why: str) -> None:
        pair = (a, b) if a < b else (b, a)
        if a != b and pair not in self.excluded:
            self.reasons[pair].add(why)

    def add_groups(self, groups: Iterable[Sequence[int]], why: str) -> None:
        for ids in groups:
            if 1 < len(ids) <= COMMON_KEY:
                first = ids[0]
                for other in ids[1:]:
                    self.add(first, other, why)


def _similar_names(keys: list[str], ids: list[int], pairs: _Pairs, why: str) -> None:
    """Pairs of ``ids`` whose name keys are alike (rapidfuzz ``ratio`` of at least :data:`NAME_SIMILARITY`).

    Names are compared only with names that share all words but one (a typo changes one word of a name;
    the others still match): two words of a name of three or more, one word of a name of two, and for a
    one-word name its first two letters. Far fewer comparisons than every pair of a city, and the same
    pairs for names of two or more words.
    """
    exact: dict[str, list[int]] = defaultdict(list)
    for key, cid in zip(keys, ids, strict=True):
        exact[key].append(cid)
    pairs.add_groups(exact.values(), why)
    distinct = list(exact)
    if len(distinct) < 2:
        return
    blocks: dict[str, list[int]] = defaultdict(list)
    for n, key in enumerate(distinct):
        words = sorted(set(key.split()))
        if len(words) > 2:
            block_keys = [" ".join(pair) for pair in combinations(words, 2)]
        else:
            block_keys = words if len(words) == 2 else [words[0][:2]]
        for block in block_keys:
            blocks[block].append(n)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        names = [distinct[n] for n in members]
        for start in range(0, len(names), _BLOCK):
            rows = names[start : start + _BLOCK]
            if len(names) == 2:  # the usual block: one comparison, no matrix
                hit = fuzz.ratio(names[0], names[1], score_cutoff=NAME_SIMILARITY)
                found = [(0, 1)] if hit else []
            else:
                workers = -1 if len(rows) * len(names) > 1_000_000 else 1
                scores = process.cdist(
                    rows,
                    names,
                    scorer=fuzz.ratio,
                    score_cutoff=NAME_SIMILARITY,
                    dtype=np.uint8,
                    workers=workers,
                )
                found = list(zip(*np.nonzero(scores), strict=True))
            for r, c in found:
                a, b = members[start + r], members[c]
                if a < b and (a, b) not in seen:
                    seen.add((a, b))
                    pairs.add(exact[distinct[a]][0], exact[distinct[b]][0], why)


def scan(db: Database, progress: Progress | None = None) -> list[DuplicateGroup]:
    """Every group of likely duplicates in the base, best first (marked by an import, then by score).

    Args:
        db: the open base.
        progress: called with (done, total) steps as the scan goes (from the calling thread).
    """
    tick = progress or (lambda done, total: None)
    steps = 6
    tick(0, steps)
    with db.session() as s:
        rows = s.execute(
            select(Client.id, Client.kind, Client.name, Client.organisation, Client.city).where(
                Client.merged_into_id.is_(None)
            )
        ).all()
        live = {r[0] for r in rows}
        tick(1, steps)
        excluded: set[tuple[int, int]] = set()
        marked: set[int] = set()
        for cid, other, state in s.execute(
            select(DuplicateMark.client_id, DuplicateMark.other_id, DuplicateMark.state)
        ):
            if state == "not" and other is not None:
                excluded.add((min(cid, other), max(cid, other)))
            elif state == "possible":
                marked.add(cid)
        pairs = _Pairs(excluded)
        by_phone: dict[str, list[int]] = defaultdict(list)
        for cid, number in s.execute(select(Phone.client_id, Phone.number)):
            if cid in live:
                by_phone[number].append(cid)
        pairs.add_groups((sorted(set(v)) for v in by_phone.values()), "phone")
        tick(2, steps)
        by_email: dict[str, list[int]] = defaultdict(list)
        for cid, key in s.execute(select(Email.client_id, Email.address_key)):
            if cid in live:
                by_email[key].append(cid)
        pairs.add_groups((sorted(set(v)) for v in by_email.values()), "email")
        tick(3, steps)
    display: dict[int, str] = {}
    by_org: dict[str, list[int]] = defaultdict(list)
    people_by_city: dict[str, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
    people_by_org: dict[str, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
    for cid, kind, name, organisation, city in rows:
        display[cid] = organisation if kind == "organisation" and organisation else name or organisation
        org = organisation_key(organisation) if organisation else ""
        if kind == "organisation" and org:
            by_org[org].append(cid)
        person = _name_key(name) if name else ""
        if person:
            place = fold(city) if city else ""
            if place:
                people_by_city[place][0].append(person)
                people_by_city[place][1].append(cid)
            if org:
                people_by_org[org][0].append(person)
                people_by_org[org][1].append(cid)
    pairs.add_groups(by_org.values(), "organisation")
    tick(4, steps)
    for keys, ids in people_by_city.values():
        _similar_names(keys, ids, pairs, "name-city")
    for keys, ids in people_by_org.values():
        if len(ids) > 1:
            _similar_names(keys, ids, pairs, "name-organisation")
    tick(5, steps)
    groups = _groups(pairs, display, marked)
    tick(steps, steps)
    return groups


def _groups(pairs: _Pairs, display: dict[int, str], marked: set[int]) -> list[DuplicateGroup]:
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs.reasons:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        members[root(x)].append(x)
    best: dict[int, int] = defaultdict(int)
    why: dict[int, set[str]] = defaultdict(set)
    for (a, _b), reasons in pairs.reasons.items():
        r = root(a)
        score = max(_SCORES[w] for w in reasons) + 5 * (len(reasons) - 1)
        best[r] = max(best[r], min(score, 100))
        why[r] |= reasons
    out = []
    for r, ids in members.items():
        ids.sort()
        order = tuple(w for w in _SCORES if w in why[r])
        out.append(
            DuplicateGroup(
                tuple(ids),
                tuple(display.get(i, "") for i in ids),
                best[r],
                order,
                any(i in marked for i in ids),
            )
        )
    out.sort(key=lambda g: (not g.marked, -g.score, -len(g.ids), g.ids))
    return out


def mark_not_duplicates(db: Database, ids: Sequence[int]) -> Change:
    """Remember that the cards ``ids`` are different clients: none of their pairs is offered again.

    Raises:
        CustDeskError: fewer than two cards.
    """
    unique = sorted(set(ids))
    if len(unique) < 2:
        raise CustDeskError(_("Choose at least two cards."))
    with db.session() as s:
        now = datetime.now()
        known = {
            (a, b)
            for a, b in s.execute(
                select(DuplicateMark.client_id, DuplicateMark.other_id).where(
                    DuplicateMark.state == "not", DuplicateMark.client_id.in_(unique)
                )
            )
        }
        for i, a in enumerate(unique):
            for b in unique[i + 1 :]:
                if (a, b) not in known:
                    s.add(DuplicateMark(client_id=a, other_id=b, state="not", marked_at=now))
    return Change("client", tuple(unique), extra={"not_duplicates": True})


def mark_possible(session: Session, client_ids: Iterable[int]) -> None:
    """Mark cards (made by an import) as possible duplicates, which the finder offers first."""
    now = datetime.now()
    session.add_all(
        DuplicateMark(client_id=c, other_id=None, state="possible", marked_at=now) for c in client_ids
    )


__all__ = [
    "COMMON_KEY",
    "NAME_SIMILARITY",
    "REASONS",
    "DuplicateGroup",
    "mark_not_duplicates",
    "mark_possible",
    "organisation_key",
    "scan",
]
