"""search by short words through the index: padded index rows and a vocabulary of the index's terms

A search such as ``Петрова пе`` has a word of three or more characters, which the trigram index answers,
and a shorter one, which it cannot: until now the short word was checked by ``LIKE`` on the stored row of
every client the long word found (16,555 clients for ``ова`` on a 100,000-client base: 50-120 ms a
keystroke). But a word ``w`` of one or two characters occurs in a text exactly when one of the text's
trigrams *starts* with ``w``, provided every character of the text is followed by at least two more. So:

- the index rows get two padding characters at their ends (``body`` two line feeds, ``phones`` two
  spaces), after which that condition holds for every row; the view ``client_search_source`` is made
  again with them (the triggers read it by name and need no change) and the index rebuilt from it;
- ``client_search_terms``, an ``fts5vocab`` table (no storage of its own: it reads the index), lists the
  index's trigrams with the number of rows holding each, so the search can turn a short word into the
  trigrams that start with it (``пе`` into ``пет``, ``пер``, ...) and ask the index for any of them, when
  they are few enough to be cheaper than the ``LIKE`` (custdesk.core.services.search).

SQLite only; other dialects keep ``LIKE`` and have nothing to change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 14:40:00
"""

from __future__ import annotations

import importlib

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FTS_TABLE = "client_search"
SOURCE_VIEW = "client_search_source"
TERMS_TABLE = "client_search_terms"
BODY_END = "char(10) || char(10)"
PHONES_END = "'  '"

# Migration 0002 (frozen) made the view; its statement with the padding added is the new view.
_v0002 = importlib.import_module("custdesk.migrations.versions.0002_client_search")


def _padded_view_sql() -> str:
    sql: str = _v0002._view_sql()
    for old, new in (
        (" AS body, ", f" || {BODY_END} AS body, "),
        (" AS phones FROM ", f" || {PHONES_END} AS phones FROM "),
    ):
        if sql.count(old) != 1:  # pragma: no cover - 0002 is frozen
            raise RuntimeError(f"migration 0005: {old!r} not found once in the view of 0002")
        sql = sql.replace(old, new)
    return sql


def _remake_view(sql: str) -> None:
    op.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")
    op.execute(sql)
    op.execute(f"DELETE FROM {FTS_TABLE}")
    op.execute(f"INSERT INTO {FTS_TABLE}(rowid, body, phones) SELECT id, body, phones FROM {SOURCE_VIEW}")
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _remake_view(_padded_view_sql())
    op.execute(f"CREATE VIRTUAL TABLE {TERMS_TABLE} USING fts5vocab({FTS_TABLE}, row)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"DROP TABLE IF EXISTS {TERMS_TABLE}")
    _remake_view(_v0002._view_sql())
