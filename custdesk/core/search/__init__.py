"""The search-index seam: finding clients by what a person types, one implementation per dialect.

- SQLite: an FTS5 table with the trigram tokenizer (``custdesk.core.services.search``, migrations 0002
  and 0005);
- PostgreSQL: a table with pg_trgm GIN indexes (:mod:`.trigram`, migration 0010).

Both find the same clients for the same query (one set of tests runs on both). Callers go through
``custdesk.core.services.search`` (``match_clause``, ``match_parts``, ``matching_ids``), which hands a
server's queries to :mod:`.trigram`.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Select


class SearchIndex(Protocol):
    """What a dialect's search index answers: the ids of the clients a normalised query finds."""

    def matching_ids(self, q: str, words: list[str], phone_digits: str | None) -> Select[Any]: ...


__all__ = ["SearchIndex"]
