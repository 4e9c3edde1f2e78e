"""Finding clients by what a person types: the one place that knows about SQLite FTS5.

On SQLite, migration 0002 made ``client_search``, an FTS5 table with the ``trigram`` tokenizer (any
substring of 3+ characters matches, letter case folded by Unicode), its source view and the triggers that
keep it in step with ``clients``, ``phones`` and ``emails``. Everything else builds dialect-neutral SQL
and asks :func:`match_clause` for a condition on ``clients.id``.

How a query is read:

- Only digits, spaces, ``+ ( ) -``: a phone. Its digits are looked for in the phone digits (E.164 and
  national forms), so ``9123`` and ``8 912 3`` find ``+7 (912) 345-67-89``.
- Anything else: words separated by spaces, all of which must be found (AND), each anywhere in the name,
  organisation, city, region, notes, e-mails or phone digits.
- Words of 3+ characters go to the FTS index as quoted phrases (FTS syntax in them is only text); shorter
  words beside them, and every word on other dialects, use ``LIKE`` on the tables themselves.
- A query of only 1-2 character words (the first keystrokes) matches on SQLite the *start* of the name,
  organisation or city (or of the E.164 phone after ``+``) by index ranges: a substring scan of 100,000
  clients takes seconds, a prefix range milliseconds.

Any text is accepted; no query raises.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
    union,
)

from custdesk.core.models import Client, Email, Phone

FTS_TABLE = "client_search"
SOURCE_VIEW = "client_search_source"
TRIGGER_PREFIX = "client_search_"
# Every table the search index consists of (FTS5 makes the shadow tables): not part of the ORM, so
# a comparison of the ORM metadata with a migrated base leaves them out.
SEARCH_TABLES: frozenset[str] = frozenset(
    {FTS_TABLE, *(f"{FTS_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))}
)
# And the view that computes an index row (views are not compared by Alembic, listed for completeness).
SEARCH_VIEWS: frozenset[str] = frozenset({SOURCE_VIEW})

MIN_FTS_CHARS = 3  # the trigram tokenizer matches nothing shorter
_PHONE_QUERY = re.compile(r"[\d\s+()\-]*\d[\d\s+()\-]*")
_PHONE_PUNCTUATION = re.compile(r"[\s+()\-]")
# Letters people type interchangeably; the index's source view folds the same way (migration 0002).
_FOLD = str.maketrans({"ё": "е", "Ё": "Е", "ي": "ی", "ك": "ک", "ى": "ی"})
# Unfolded forms of a folded letter, for LIKE on the tables themselves.
_UNFOLD = {"е": "ё", "Е": "Ё", "ی": "يى", "ک": "ك"}
_TEXT_COLUMNS = (Client.name, Client.organisation, Client.city, Client.region, Client.notes)
_MAX_VARIANTS = 16
_PREFIX_COLUMNS = (Client.name, Client.organisation, Client.city)
_TOP = "\U0010ffff"  # sorts after every character: [word, word + _TOP) holds the strings starting with word


def normalise(query: str) -> str:
    """The query as the index sees text: NFC, ASCII digits, folded letters, single spaces."""
    q = unicodedata.normalize("NFC", query)
    q = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in q)  # ۱۲۳ -> 123
    q = q.translate(_FOLD)
    # Control characters (NUL included) can only be typos; they would end a C string in SQLite.
    q = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in q)
    return " ".join(q.split())


def is_phone_query(query: str) -> bool:
    """Whether ``query`` is a phone: only digits, spaces, ``+``, ``(``, ``)`` and ``-``, with a digit."""
    return _PHONE_QUERY.fullmatch(normalise(query)) is not None


def _phrase(word: str) -> str:
    """An FTS5 string: everything inside double quotes is text, a quote is doubled."""
    return '"' + word.replace('"', '""') + '"'


def _fts_ids(match: str) -> ColumnElement[bool]:
    condition = text(f"{FTS_TABLE} MATCH :match").bindparams(bindparam("match", match, unique=True))
    return Client.id.in_(select(literal_column("rowid")).select_from(text(FTS_TABLE)).where(condition))


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _case_variants(word: str) -> list[str]:
    """Spellings of a short word in every letter case and unfolded letter (SQLite's LIKE folds ASCII only)."""
    options = []
    for ch in word:
        forms = {ch, ch.lower(), ch.upper()}
        for f in list(forms):
            forms.update(_UNFOLD.get(f, ""))
        options.append(sorted(f for f in forms if len(f) == 1) or [ch])
    variants = ["".join(p) for p in itertools.islice(itertools.product(*options), _MAX_VARIANTS)]
    return variants


def _like_clause(word: str, dialect: str) -> ColumnElement[bool]:
    """``word`` anywhere in the text columns, the e-mails or the phone digits, by LIKE (any dialect)."""
    conditions: list[ColumnElement[bool]] = []
    if dialect == "sqlite":
        for variant in _case_variants(word):
            pattern = _like_pattern(variant)
            conditions.extend(col.like(pattern, escape="\\") for col in _TEXT_COLUMNS)
    else:
        pattern = _like_pattern(word.lower())
        conditions.extend(func.lower(col).like(pattern, escape="\\") for col in _TEXT_COLUMNS)
    conditions.append(
        exists().where(
            Email.client_id == Client.id, Email.address_key.like(_like_pattern(word.lower()), "\\")
        )
    )
    digits = _PHONE_PUNCTUATION.sub("", word)
    if digits.isdigit():
        conditions.append(_phone_like(digits))
    return or_(*conditions)


def _phone_like(digits: str) -> ColumnElement[bool]:
    return exists().where(Phone.client_id == Client.id, Phone.number.like(f"%{digits}%"))


def match_clause(query: str, *, dialect: str = "sqlite") -> ColumnElement[bool]:
    """A condition on ``clients`` that holds for the clients ``query`` finds.

    Args:
        query: what the person typed; any text (an empty query finds every client).
        dialect: the SQLAlchemy dialect name of the base (``db.engine.dialect.name``); FTS5 is used
            only on ``"sqlite"``.

    Returns:
        A boolean SQL expression to put in the ``WHERE`` of a query over ``Client``.
    """
    q = normalise(query)
    if not q:
        return true()
    fts = dialect == "sqlite"
    if _PHONE_QUERY.fullmatch(q):
        digits = _PHONE_PUNCTUATION.sub("", q)
        if fts and len(digits) >= MIN_FTS_CHARS:
            return _fts_ids(f"phones : {_phrase(digits)}")
        return _phone_prefix(digits) if fts else _phone_like(digits)
    words = [
        _PHONE_PUNCTUATION.sub("", raw) if _PHONE_QUERY.fullmatch(raw) else raw
        for raw in dict.fromkeys(q.split())  # unique words, in order
    ]
    phrases = [_phrase(w) for w in words if fts and len(w) >= MIN_FTS_CHARS]
    short = [w for w in words if w and not (fts and len(w) >= MIN_FTS_CHARS)]
    if fts and not phrases:
        # Only 1-2 characters typed: a substring scan of 100,000 rows takes seconds, so match the
        # starts of names, organisations and cities (and of phone numbers) by index ranges instead.
        return and_(*(_prefix_clause(w) for w in short))
    conditions = [_like_clause(w, dialect) for w in short]  # few rows: the FTS phrases narrow them
    if phrases:
        conditions.insert(0, _fts_ids(" AND ".join(phrases)))
    return and_(*conditions) if conditions else true()


def _prefix_clause(word: str) -> ColumnElement[bool]:
    """Clients whose name, organisation or city starts with ``word`` (any letter case), by index ranges."""
    if word.isdigit():
        return _phone_prefix(word)
    # A UNION of index range scans: an OR of ranges beside the list's other conditions would scan a table.
    ranges = [
        select(Client.id).where(col >= variant, col < variant + _TOP)
        for col in _PREFIX_COLUMNS
        for variant in _case_variants(word)
    ]
    return Client.id.in_(union(*ranges))


def _phone_prefix(digits: str) -> ColumnElement[bool]:
    """Clients with a phone whose E.164 form starts with ``+digits``, by an index range."""
    start = "+" + digits
    return Client.id.in_(select(Phone.client_id).where(Phone.number >= start, Phone.number < start + _TOP))


def _triggers(connection: Connection) -> list[tuple[str, str]]:
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'",
        (TRIGGER_PREFIX.replace("_", "\\_") + "%",),
    )
    return [(str(name), str(sql)) for name, sql in rows]


def has_index(connection: Connection) -> bool:
    """Whether the base has the FTS search index (SQLite bases from migration 0002 on)."""
    if connection.dialect.name != "sqlite":
        return False
    row = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).first()
    return row is not None


def rebuild_index(connection: Connection) -> None:
    """Recompute the whole search index from the tables, in the caller's transaction.

    For after bulk loads (see :func:`bulk_load`) or to repair an index; a no-op without an index.
    """
    if not has_index(connection):
        return
    connection.exec_driver_sql(f"DELETE FROM {FTS_TABLE}")
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, body, phones) SELECT id, body, phones FROM {SOURCE_VIEW}"
    )
    connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


@contextmanager
def bulk_load(connection: Connection) -> Iterator[None]:
    """Suspend the search triggers while a bulk loader writes, then rebuild the index once.

    Everything happens in the caller's transaction: the triggers are dropped, the block runs, the index
    is rebuilt and the same triggers are created again (from their stored SQL, so they are exactly the
    migration's). If the block raises, the caller's rollback restores the triggers too; nothing is
    rebuilt. Example::

        with db.engine.begin() as conn, search.bulk_load(conn):
            conn.execute(insert(Client), rows)
    """
    if not has_index(connection):
        yield
        return
    saved = _triggers(connection)
    for name, _sql in saved:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    rebuild_index(connection)
    for _name, sql in saved:
        connection.exec_driver_sql(sql)


__all__ = [
    "FTS_TABLE",
    "MIN_FTS_CHARS",
    "SEARCH_TABLES",
    "SEARCH_VIEWS",
    "bulk_load",
    "has_index",
    "is_phone_query",
    "match_clause",
    "normalise",
    "rebuild_index",
]
