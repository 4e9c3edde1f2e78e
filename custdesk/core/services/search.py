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
- Words of 3+ characters go to the FTS index as quoted phrases (FTS syntax in them is only text). A
  shorter word beside them is turned, through the index's vocabulary (migration 0005), into the trigrams
  that start with it (``пе``: ``пет``, ``пер``, ...): since every index row ends in two padding
  characters, a row holds the word exactly when it holds one of them, and the index answers the whole
  query. Where those trigrams are too many to be cheap (a common single letter), the word is instead
  checked against the index's stored ``body`` (and ``phones``) of the clients the phrases found, by
  ``LIKE`` in its letter-case spellings (``LIKE`` folds ASCII only). Every word on other dialects uses
  ``LIKE`` on the tables themselves.
- A query of only 1-2 character words (the first keystrokes) matches on SQLite the *start* of the name,
  organisation or city (or of the E.164 phone after ``+``) by index ranges: a substring scan of 100,000
  clients takes seconds, a prefix range milliseconds.

The client list places a search's clients in its own order (``ranked_search``); it reads them with
:func:`matching_ids`, which answers the same queries from the index alone, without a row of ``clients``.

Any text is accepted; no query raises.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    and_,
    bindparam,
    column,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
    union_all,
)

from custdesk.core.fields import TEXT_KINDS
from custdesk.core.models import Client, ClientFieldValue, CustomField, Email, Phone

FTS_TABLE = "client_search"
SOURCE_VIEW = "client_search_source"
TERMS_TABLE = "client_search_terms"  # migration 0005: the index's trigrams, with the rows holding each
TRIGGER_PREFIX = "client_search_"
# Every table the search index consists of (FTS5 makes the shadow tables): not part of the ORM, so
# a comparison of the ORM metadata with a migrated base leaves them out.
SEARCH_TABLES: frozenset[str] = frozenset(
    {FTS_TABLE, TERMS_TABLE, *(f"{FTS_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))}
)
# And the view that computes an index row (views are not compared by Alembic, listed for completeness).
SEARCH_VIEWS: frozenset[str] = frozenset({SOURCE_VIEW})

DERIVED_TRIGGER_PREFIX = "client_list_"  # migration 0003: clients.primary_phone and clients.birthday_md
# The primary phone of the client ``clients.id`` as the list shows it (migration 0003 has the same).
_PRIMARY_PHONE = (
    "coalesce((SELECT p.number FROM phones p WHERE p.client_id = clients.id "
    "ORDER BY p.is_primary DESC, p.position, p.id LIMIT 1), '')"
)
ANALYZE_FROM_CLIENTS = 1000  # smaller bases plan well without statistics
MIN_FTS_CHARS = 3  # the trigram tokenizer matches nothing shorter
# A short word goes to the index as the trigrams starting with it when they are at most this many and
# held by at most this many rows in all; more cost the index more than a LIKE on the clients the long
# words found (measured on the 100,000-client demo base: "пе" = 4 trigrams, 1 ms instead of 60 ms;
# "п" = 79 trigrams in 39,422 rows, 12 ms instead of 35 ms; "а" = 257 trigrams in 299,399 rows, 64 ms
# instead of 34 ms).
MAX_SHORT_TERMS = 100
MAX_SHORT_POSTINGS = 150_000
BULK_CACHE_KIB = -256 * 1024  # SQLite's page cache during a bulk load: up to 256 MiB (negative: KiB)
_PHONE_QUERY = re.compile(r"[\d\s+()\-]*\d[\d\s+()\-]*")
_PHONE_PUNCTUATION = re.compile(r"[\s+()\-]")
# Letters people type interchangeably; the index's source view folds the same way (migration 0002).
_FOLD = str.maketrans({"ё": "е", "Ё": "Е", "ي": "ی", "ك": "ک", "ى": "ی"})
# Unfolded forms of a folded letter, for LIKE on the tables themselves.
_UNFOLD = {"е": "ё", "Е": "Ё", "ی": "يى", "ک": "ك"}
_TEXT_COLUMNS = (Client.name, Client.organisation, Client.city, Client.region, Client.notes)
_MAX_VARIANTS = 16
_PREFIX_COLUMNS = (Client.name, Client.organisation, Client.city)
# FTS5 stores the indexed columns of a row in its "_content" shadow table: c0 = body, c1 = phones.
_INDEX_CONTENT = table(f"{FTS_TABLE}_content", column("id"), column("c0"), column("c1"))
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


TermLookup = Callable[[str], "list[str] | None"]
"""The index's trigrams starting with a short word; ``None``: too many to ask the index for them."""


def term_lookup(connection: Connection) -> TermLookup:
    """A :data:`TermLookup` reading the index's vocabulary through ``connection`` (SQLite bases).

    Remembers what it found, so one query's several conditions read the vocabulary once per word. On a
    base without the vocabulary (another dialect, or before migration 0005) every word gets ``None``.
    """
    found: dict[str, list[str] | None] = {}
    usable: list[bool] = []

    def lookup(word: str) -> list[str] | None:
        if not usable:
            usable.append(
                connection.dialect.name == "sqlite"
                and connection.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TERMS_TABLE,)
                ).first()
                is not None
            )
        if not usable[0]:
            return None
        if word not in found:
            found[word] = _terms_starting(connection, word)
        return found[word]

    return lookup


def _terms_starting(connection: Connection, word: str) -> list[str] | None:
    """The index's trigrams that start with ``word`` in any letter case, or ``None`` if too costly."""
    terms: set[str] = set()
    postings = 0
    for variant in _letter_cases(word, ascii_too=True):
        rows = connection.exec_driver_sql(
            f"SELECT term, doc FROM {TERMS_TABLE} WHERE term >= ? AND term < ? LIMIT ?",
            (variant, variant + _TOP, MAX_SHORT_TERMS + 1),
        )
        for term, rows_holding in rows:
            if term not in terms:
                terms.add(str(term))
                postings += int(rows_holding)
        if len(terms) > MAX_SHORT_TERMS or postings > MAX_SHORT_POSTINGS:
            return None
    return sorted(terms)


def _any_term(terms: list[str], *, phones_too: bool) -> str:
    """An FTS5 query: any of ``terms`` (in ``body`` only unless ``phones_too``)."""
    either = "(" + " OR ".join(_phrase(t) for t in terms) + ")"
    return either if phones_too else f"body : {either}"


def _phrase(word: str) -> str:
    """An FTS5 string: everything inside double quotes is text, a quote is doubled."""
    return '"' + word.replace('"', '""') + '"'


def _id_in(ids: Any, driving: bool) -> ColumnElement[bool]:
    """``clients.id IN (ids)``; not ``driving``: as ``id + 0``, so SQLite cannot start from the list."""
    return (Client.id if driving else Client.id + 0).in_(ids)


def _fts_rowids(match: str) -> Select[Any]:
    """The ids of the index's rows that ``match`` (an FTS5 query) finds, as a one-column ``id`` select."""
    condition = text(f"{FTS_TABLE} MATCH :match").bindparams(bindparam("match", match, unique=True))
    return select(literal_column("rowid").label("id")).select_from(text(FTS_TABLE)).where(condition)


def _fts_ids(match: str, driving: bool) -> ColumnElement[bool]:
    return _id_in(_fts_rowids(match), driving)


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


def _letter_cases(word: str, *, ascii_too: bool = False) -> list[str]:
    """Spellings of a folded word in every letter case; ASCII's only if ``ascii_too`` (LIKE folds it)."""
    options = []
    for ch in word:
        forms = {ch} if ch.isascii() and not ascii_too else {ch, ch.lower(), ch.upper()}
        options.append(sorted(f for f in forms if len(f) == 1) or [ch])
    return ["".join(p) for p in itertools.islice(itertools.product(*options), _MAX_VARIANTS)]


def _indexed_text_clause(word: str) -> ColumnElement[bool]:
    """``word`` anywhere in the client's row of the search index (SQLite), by LIKE on its stored text.

    The row's ``body`` holds the name, organisation, city, region, notes and e-mails, folded as
    :func:`normalise` folds the query; ``phones`` the phone digits, E.164 and national. FTS5 keeps a
    table's columns in its ``_content`` table (``c0``, ``c1``, ... by the row id), read here by the
    primary key for each client the index's phrases found: one short column instead of the five
    columns of ``clients`` and the e-mails, in a handful of letter-case spellings instead of dozens.
    """
    row = _INDEX_CONTENT.alias("s")
    return exists().where(row.c.id == Client.id, _text_holds(row, word))


def _text_holds(row: Any, word: str) -> ColumnElement[bool]:
    """``word`` in the index row ``row`` (an alias of the index's ``_content`` table), by ``LIKE``."""
    columns = [row.c.c0, row.c.c1] if word.isdigit() else [row.c.c0]
    return or_(*(col.like(_like_pattern(v), escape="\\") for col in columns for v in _letter_cases(word)))


def _like_clause(word: str) -> ColumnElement[bool]:
    """``word`` anywhere in the text columns, the e-mails or the phone digits, by LIKE (other dialects)."""
    pattern = _like_pattern(word.lower())
    conditions: list[ColumnElement[bool]] = [
        func.lower(col).like(pattern, escape="\\") for col in _TEXT_COLUMNS
    ]
    conditions.append(
        exists().where(
            Email.client_id == Client.id, Email.address_key.like(_like_pattern(word.lower()), "\\")
        )
    )
    conditions.append(_custom_text_like(pattern))
    digits = _PHONE_PUNCTUATION.sub("", word)
    if digits.isdigit():
        conditions.append(_phone_like(digits))
    return or_(*conditions)


def _custom_text_like(pattern: str) -> ColumnElement[bool]:
    """The firm's own text and choice fields hold ``pattern`` (other dialects; SQLite: in the index)."""
    return exists().where(
        ClientFieldValue.client_id == Client.id,
        ClientFieldValue.field_id == CustomField.id,
        CustomField.kind.in_(sorted(TEXT_KINDS)),
        func.lower(ClientFieldValue.value).like(pattern, escape="\\"),
    )


def _phone_like(digits: str) -> ColumnElement[bool]:
    return exists().where(Phone.client_id == Client.id, Phone.number.like(f"%{digits}%"))


def match_clause(
    query: str, *, dialect: str = "sqlite", terms: TermLookup | None = None
) -> ColumnElement[bool]:
    """A condition on ``clients`` that holds for the clients ``query`` finds.

    Args:
        query: what the person typed; any text (an empty query finds every client).
        dialect: the SQLAlchemy dialect name of the base (``db.engine.dialect.name``); FTS5 is used
            only on ``"sqlite"``.
        terms: the index's vocabulary (:func:`term_lookup` on the connection the condition runs on),
            so short words beside long ones are answered by the index; without it they are checked by
            ``LIKE``. The clients found are the same either way.

    Returns:
        A boolean SQL expression to put in the ``WHERE`` of a query over ``Client``.
    """
    indexed, checks = match_parts(query, dialect=dialect, terms=terms)
    return and_(indexed, checks)


def match_parts(
    query: str, *, dialect: str = "sqlite", driving: bool = True, terms: TermLookup | None = None
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """:func:`match_clause` in two parts: what an index answers, and what is checked per client.

    The first part (the FTS phrases, index ranges of name starts or phone numbers; ``true()`` when no
    index helps) finds a superset of the clients; the second (short words by ``LIKE``; ``true()`` when
    none) narrows it. The client list counts the first to choose how to sort; when it walks its sort
    index instead it passes ``driving=False``, so SQLite does not start from the index's ids and sort.
    With ``terms`` (see :func:`match_clause`) a short word beside long ones moves from the second part
    into the first when the index can answer it cheaply.
    """
    q = normalise(query)
    if not q:
        return true(), true()
    if dialect == "postgresql":  # pg_trgm (custdesk.core.search.trigram)
        return Client.id.in_(_trigram_ids(q)), true()
    fts = dialect == "sqlite"
    if fts:
        indexed = _index_match(q, terms)
        if indexed is not None:
            match, short = indexed
            if match == "":
                return false(), true()  # a short word no row of the index holds
            checked = [_indexed_text_clause(w) for w in short]
            return _fts_ids(match, driving), (and_(*checked) if checked else true())
    if _PHONE_QUERY.fullmatch(q):
        digits = _PHONE_PUNCTUATION.sub("", q)
        return (_phone_prefix(digits, driving), true()) if fts else (true(), _phone_like(digits))
    words = _words(q)
    if fts:
        # Only 1-2 characters typed: a substring scan of 100,000 rows takes seconds, so match the
        # starts of names, organisations and cities (and of phone numbers) by index ranges instead.
        return and_(true(), *(_prefix_clause(w, driving) for w in words)), true()
    return true(), and_(true(), *(_like_clause(w) for w in words))


def _words(q: str) -> list[str]:
    """The unique words of a normalised query, in order; a phone-like word by its digits."""
    return [
        _PHONE_PUNCTUATION.sub("", raw) if _PHONE_QUERY.fullmatch(raw) else raw
        for raw in dict.fromkeys(q.split())
        if raw
    ]


def _index_match(q: str, terms: TermLookup | None) -> tuple[str, list[str]] | None:
    """What the FTS index answers of a normalised query (SQLite): its MATCH text and the short words
    left to check per client; ``None`` when the index answers nothing (only 1-2 character words);
    ``("", [])`` when a short word is held by no row, so nothing matches."""
    if _PHONE_QUERY.fullmatch(q):
        digits = _PHONE_PUNCTUATION.sub("", q)
        return (f"phones : {_phrase(digits)}", []) if len(digits) >= MIN_FTS_CHARS else None
    words = _words(q)
    phrases = [_phrase(w) for w in words if len(w) >= MIN_FTS_CHARS]
    if not phrases:
        return None
    short: list[str] = []
    for w in (w for w in words if len(w) < MIN_FTS_CHARS):
        starting = terms(w) if terms is not None else None
        if starting is None:
            short.append(w)
        elif not starting:
            return "", []
        else:
            phrases.append(_any_term(starting, phones_too=w.isdigit()))
    return " AND ".join(phrases), short


def _prefix_clause(word: str, driving: bool) -> ColumnElement[bool]:
    """Clients whose name, organisation or city starts with ``word`` (any letter case), by index ranges."""
    return _id_in(_prefix_ids(word), driving)


def _prefix_ids(word: str) -> Select[Any] | CompoundSelect[Any]:
    """The ids of :func:`_prefix_clause` (or of :func:`_phone_prefix` for digits), possibly repeated."""
    if word.isdigit():
        return _phone_prefix_ids(word)
    # A UNION ALL of index range scans: an OR of ranges beside the list's other conditions would scan a
    # table; duplicates do no harm inside IN, and skipping their removal saves a temporary b-tree.
    ranges = [
        select(Client.id).where(col >= variant, col < variant + _TOP)
        for col in _PREFIX_COLUMNS
        for variant in _case_variants(word)
    ]
    return union_all(*ranges)


def _phone_prefix(digits: str, driving: bool) -> ColumnElement[bool]:
    """Clients with a phone whose E.164 form starts with ``+digits``, by an index range."""
    return _id_in(_phone_prefix_ids(digits), driving)


def _phone_prefix_ids(digits: str) -> Select[Any]:
    start = "+" + digits
    return select(Phone.client_id.label("id")).where(Phone.number >= start, Phone.number < start + _TOP)


def _trigram_ids(q: str) -> Select[Any]:
    from custdesk.core.search import trigram

    digits = _PHONE_PUNCTUATION.sub("", q) if _PHONE_QUERY.fullmatch(q) else None
    return trigram.matching_ids(q, _words(q), digits)


def matching_ids(
    query: str, *, terms: TermLookup | None = None, dialect: str = "sqlite"
) -> Select[Any] | CompoundSelect[Any]:
    """SQLite: the ids of the clients ``query`` finds (archived ones too), as a one-column ``id`` select.

    The same clients as :func:`match_clause`, read without touching a row of ``clients`` wherever the
    index answers (FTS phrases, name starts, phone numbers): 40,000 matches cost milliseconds instead of
    a seek each. In no particular order; a client may come more than once. For the client list's ranked
    search (``client_list``), which places them in the list's order. An empty query finds no one here.
    """
    q = normalise(query)
    if not q:
        return select(Client.id).where(false())
    if dialect == "postgresql":
        return _trigram_ids(q)
    indexed = _index_match(q, terms)
    if indexed is not None:
        match, short = indexed
        if match == "":
            return select(Client.id).where(false())
        if not short:
            return _fts_rowids(match)
        row = _INDEX_CONTENT.alias("s")
        held = [_text_holds(row, w) for w in short]
        return select(row.c.id).where(row.c.id.in_(_fts_rowids(match)), *held)
    if _PHONE_QUERY.fullmatch(q):
        return _phone_prefix_ids(_PHONE_PUNCTUATION.sub("", q))
    starts = [_prefix_ids(w) for w in _words(q)]
    if len(starts) == 1:
        return starts[0]
    return select(Client.id).where(*(Client.id.in_(ids) for ids in starts))


def _triggers(connection: Connection) -> list[tuple[str, str]]:
    """The search index's triggers and those of the derived client columns, as (name, SQL)."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND (name LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\') ORDER BY name",
        tuple(prefix.replace("_", "\\_") + "%" for prefix in (TRIGGER_PREFIX, DERIVED_TRIGGER_PREFIX)),
    )
    return [(str(name), str(sql)) for name, sql in rows]


def _client_indexes(connection: Connection) -> list[tuple[str, str]]:
    """The indexes of ``clients`` made by the migrations (not those of constraints), as (name, SQL)."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'clients' "
        "AND sql IS NOT NULL ORDER BY name"
    )
    return [(str(name), str(sql)) for name, sql in rows]


def refresh_derived(connection: Connection) -> None:
    """Recompute the derived client columns (``primary_phone``, ``birthday_md``) in the caller's transaction.

    What the triggers of migration 0003 keep in step row by row; for after bulk loads (see
    :func:`bulk_load`) or to repair. Only rows whose value is wrong are written.
    """
    sqlite = connection.dialect.name == "sqlite"
    differs = "IS NOT" if sqlite else "IS DISTINCT FROM"
    key = (
        "CAST(strftime('%m%d', birthday) AS INTEGER)"
        if sqlite
        else "CAST(EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday) AS INTEGER)"
    )
    connection.exec_driver_sql(
        f"UPDATE clients SET primary_phone = {_PRIMARY_PHONE} WHERE primary_phone {differs} {_PRIMARY_PHONE}"
    )
    connection.exec_driver_sql(f"UPDATE clients SET birthday_md = {key} WHERE birthday_md {differs} {key}")


def has_statistics(connection: Connection) -> bool:
    """Whether SQLite's planner has statistics of every index of ``clients``; True on other dialects.

    Partial statistics mislead more than none: an index made after the last ``ANALYZE`` (by a later
    migration) looks very selective to SQLite, which then prefers it to the list's sort index.
    """
    if connection.dialect.name != "sqlite":
        return True
    if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
        return False
    missing = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.tbl_name = 'clients' "
        "AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = 'clients' AND s.idx = m.name) LIMIT 1"
    ).first()
    return missing is None


def analyse(connection: Connection, *, min_clients: int = ANALYZE_FROM_CLIENTS) -> bool:
    """Gather the planner's statistics (``ANALYZE``) if the base has ``min_clients`` clients or more.

    With them SQLite knows which index narrows a filter (a city, a funnel marker) instead of walking the
    sort order. About 0.6 s at 100,000 clients, so it runs after bulk loads and once per base, not on
    every open (see :func:`ensure_statistics`). Statistics of a nearly empty base would mislead the planner
    once it grows, hence the minimum. Returns whether it ran. SQLite only.
    """
    if connection.dialect.name != "sqlite":
        return False
    clients = connection.exec_driver_sql("SELECT count(*) FROM clients").scalar() or 0
    if clients < min_clients:
        return False
    connection.exec_driver_sql("ANALYZE")
    return True


def ensure_statistics(connection: Connection) -> bool:
    """:func:`analyse` a base whose statistics are missing or incomplete (:func:`has_statistics`).

    For opening a writable base, after its migrations: an older base, one that grew by hand beyond the
    minimum, or one a migration gave a new index gets its statistics once. The check takes well under a
    millisecond; ``ANALYZE`` about 0.6 s at 100,000 clients. Returns whether ``ANALYZE`` ran.
    """
    return not has_statistics(connection) and analyse(connection)


def has_index(connection: Connection) -> bool:
    """Whether the base has a search index (SQLite bases from migration 0002 on; server bases)."""
    if connection.dialect.name == "postgresql":
        return True  # migration 0010
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
    if connection.dialect.name == "postgresql":
        from custdesk.core.search import trigram

        trigram.rebuild(connection)
        return
    if not has_index(connection):
        return
    connection.exec_driver_sql(f"DELETE FROM {FTS_TABLE}")
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, body, phones) SELECT id, body, phones FROM {SOURCE_VIEW}"
    )
    connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


@contextmanager
def bulk_load(connection: Connection, *, client_indexes: bool = False) -> Iterator[None]:
    """Suspend the search and derived-column triggers while a bulk loader writes, then rebuild once.

    With ``client_indexes`` the indexes of ``clients`` are dropped too and made again after the block
    (from their stored SQL): for a load that writes at least as many clients as the base had, building
    the twenty-odd list indexes once is about twice as fast as keeping them in step row by row.

    Everything happens in the caller's transaction: the triggers are dropped, the block runs, the index
    is rebuilt, the derived client columns are recomputed (:func:`refresh_derived`), the same triggers
    are created again (from their stored SQL, so they are exactly the migrations') and the planner's
    statistics are gathered (:func:`analyse`, on a base of some size). If the block raises, the caller's
    rollback restores the triggers too; nothing is rebuilt. Example::

        with db.engine.begin() as conn, search.bulk_load(conn):
            conn.execute(insert(Client), rows)
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    saved = _triggers(connection)
    for name, _sql in saved:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    indexes = _client_indexes(connection) if client_indexes else []
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    # The clients table has some twenty indexes: with SQLite's default 2 MB page cache a bulk insert
    # spends most of its time writing index pages out and reading them back. A bigger cache (only what
    # is used is allocated) for the load, the usual size after.
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    try:
        yield
        for _name, sql in indexes:
            connection.exec_driver_sql(sql)
        rebuild_index(connection)
        if any(name.startswith(DERIVED_TRIGGER_PREFIX) for name, _sql in saved):
            refresh_derived(connection)
        for _name, sql in saved:
            connection.exec_driver_sql(sql)
        analyse(connection)
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")


__all__ = [
    "ANALYZE_FROM_CLIENTS",
    "DERIVED_TRIGGER_PREFIX",
    "FTS_TABLE",
    "MIN_FTS_CHARS",
    "SEARCH_TABLES",
    "SEARCH_VIEWS",
    "analyse",
    "bulk_load",
    "ensure_statistics",
    "has_index",
    "has_statistics",
    "is_phone_query",
    "match_clause",
    "match_parts",
    "matching_ids",
    "normalise",
    "rebuild_index",
    "refresh_derived",
]
