"""The search index on a PostgreSQL server: ``client_search`` with pg_trgm GIN indexes (migration 0010).

The table holds the same rows as SQLite's FTS5 index (the same view, folded the same way: ё as е, Arabic
yeh and kaf as Persian, two padding characters at the ends), and a query is read the same way
(``custdesk.core.services.search``): words of three or more characters anywhere in the text or the phone
digits, shorter words beside them anywhere in the text (in the digits too when they are digits), only
short words: the start of the name, organisation or city; a phone: its digits in the E.164 or national
digits (or, under three digits, the start of an E.164 number). ``ILIKE`` folds letter case by Unicode
(the base's UTF-8 character type), as the trigram tokenizer does; the GIN trigram indexes answer it for
any pattern with three or more characters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, column, false, or_, select, table

from custdesk.core.models import Client, Phone

INDEX = table("client_search", column("id"), column("body"), column("phones"))
MIN_CHARS = 3
_PREFIX_COLUMNS = (Client.name, Client.organisation, Client.city)


def _pattern(word: str, *, anywhere: bool = True) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%" if anywhere else f"{escaped}%"


def _holds(col: Any, word: str) -> ColumnElement[bool]:
    return col.ilike(_pattern(word), escape="\\")  # type: ignore[no-any-return]


def matching_ids(q: str, words: list[str], phone_digits: str | None) -> Select[Any]:
    """The ids of the clients the normalised query ``q`` finds (see the module docstring).

    ``words``: its words (a phone-like word by its digits); ``phone_digits``: the digits when the whole
    query is a phone, else None.
    """
    if not q:
        return select(Client.id).where(false())
    if phone_digits is not None:
        if len(phone_digits) >= MIN_CHARS:
            return select(INDEX.c.id).where(_holds(INDEX.c.phones, phone_digits))
        return _phone_prefix_ids(phone_digits)
    long = [w for w in words if len(w) >= MIN_CHARS]
    if not long:
        starts = [_prefix_ids(w) for w in words]
        if len(starts) == 1:
            return starts[0]
        return select(Client.id).where(*(Client.id.in_(ids) for ids in starts))
    conditions = [or_(_holds(INDEX.c.body, w), _holds(INDEX.c.phones, w)) for w in long]
    for w in words:
        if len(w) < MIN_CHARS:
            conditions.append(
                or_(_holds(INDEX.c.body, w), _holds(INDEX.c.phones, w))
                if w.isdigit()
                else _holds(INDEX.c.body, w)
            )
    return select(INDEX.c.id).where(and_(*conditions))


def _prefix_ids(word: str) -> Select[Any]:
    """Clients whose name, organisation or city starts with ``word`` (any letter case)."""
    if word.isdigit():
        return _phone_prefix_ids(word)
    pattern = _pattern(word, anywhere=False)
    return select(Client.id).where(or_(*(col.ilike(pattern, escape="\\") for col in _PREFIX_COLUMNS)))


def _phone_prefix_ids(digits: str) -> Select[Any]:
    return select(Phone.client_id.label("id")).where(
        Phone.number.like(_pattern("+" + digits, anywhere=False), "\\")
    )


def rebuild(connection: Any) -> None:
    """Recompute the whole index from its view (to repair it), in the caller's transaction."""
    connection.exec_driver_sql("DELETE FROM client_search")
    connection.exec_driver_sql(
        "INSERT INTO client_search(id, body, phones) SELECT id, body, phones FROM client_search_source"
    )


def analyse(connection: Any) -> None:
    """Refresh the server's planner statistics of the client tables (after a bulk load)."""
    for name in ("clients", "phones", "emails", "client_search"):
        connection.exec_driver_sql(f"ANALYZE {name}")


__all__ = ["INDEX", "analyse", "matching_ids", "rebuild"]
