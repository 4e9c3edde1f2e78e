"""several seats: a version per client card, and on PostgreSQL the search index and derived columns

- ``clients.version`` (integer, 1 for every existing card): raised by every save of a card, so a save
  made from a card opened before another seat's save is refused instead of overwriting it (optimistic
  locking, custdesk.core.services.clients).

PostgreSQL only (dialect-guarded; SQLite has all this from migrations 0002, 0003 and 0005):

- the ``pg_trgm`` extension (trusted: the base's owner may create it, no superuser needed);
- ``client_search`` (id, body, phones): the same rows as SQLite's FTS index, from the view
  ``client_search_source`` (the view of 0002 and 0005 in PostgreSQL's words), kept in step by triggers on
  ``clients``, ``phones`` and ``emails``; GIN trigram indexes on ``body`` and ``phones`` answer ``ILIKE``
  of any substring of three or more characters (custdesk.core.search.trigram);
- triggers that keep ``clients.primary_phone`` and ``clients.birthday_md`` right, as 0003's do on SQLite.

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-07 21:30:00
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FTS_TABLE = "client_search"
SOURCE_VIEW = "client_search_source"
PRIMARY_PHONE = (
    "coalesce((SELECT p.number FROM phones p WHERE p.client_id = {id} "
    "ORDER BY p.is_primary DESC, p.position, p.id LIMIT 1), '')"
)
BIRTHDAY_MD = "CAST(EXTRACT(MONTH FROM {d}) * 100 + EXTRACT(DAY FROM {d}) AS INTEGER)"

_v0005 = importlib.import_module("custdesk.migrations.versions.0005_search_terms")


def _pg_view_sql() -> str:
    """The padded view of 0005 (SQLite's words) in PostgreSQL's words."""
    sql: str = _v0005._padded_view_sql()
    for old, new in (("group_concat(", "string_agg("), ("char(10)", "chr(10)")):
        sql = sql.replace(old, new)
    return sql


FUNCTIONS: dict[str, str] = {
    "client_search_refresh": f"""
CREATE FUNCTION client_search_refresh(ids integer[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM {FTS_TABLE} WHERE id = ANY(ids);
    INSERT INTO {FTS_TABLE}(id, body, phones) SELECT id, body, phones FROM {SOURCE_VIEW} WHERE id = ANY(ids);
$$""",
    "client_search_clients_tg": f"""
CREATE FUNCTION client_search_clients_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM {FTS_TABLE} WHERE id = OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM client_search_refresh(ARRAY[NEW.id]);
    ELSE
        PERFORM client_search_refresh(ARRAY[OLD.id, NEW.id]);
    END IF;
    RETURN NULL;
END $$""",
    "client_search_child_tg": """
CREATE FUNCTION client_search_child_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM client_search_refresh(ARRAY[OLD.client_id]);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM client_search_refresh(ARRAY[NEW.client_id]);
    ELSE
        PERFORM client_search_refresh(ARRAY[OLD.client_id, NEW.client_id]);
    END IF;
    RETURN NULL;
END $$""",
    "client_list_phones_tg": f"""
CREATE FUNCTION client_list_phones_tg() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids integer[];
BEGIN
    IF TG_OP = 'DELETE' THEN ids := ARRAY[OLD.client_id];
    ELSIF TG_OP = 'INSERT' THEN ids := ARRAY[NEW.client_id];
    ELSE ids := ARRAY[OLD.client_id, NEW.client_id];
    END IF;
    UPDATE clients SET primary_phone = {PRIMARY_PHONE.format(id="clients.id")}
        WHERE id = ANY(ids) AND primary_phone IS DISTINCT FROM {PRIMARY_PHONE.format(id="clients.id")};
    RETURN NULL;
END $$""",
    "client_list_clients_tg": f"""
CREATE FUNCTION client_list_clients_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.birthday_md := {BIRTHDAY_MD.format(d="NEW.birthday")};
    NEW.primary_phone := {PRIMARY_PHONE.format(id="NEW.id")};
    RETURN NEW;
END $$""",
}

TRIGGERS: dict[str, str] = {
    "client_search_clients": (
        "AFTER INSERT OR DELETE OR UPDATE OF id, name, organisation, city, region, notes ON clients "
        "FOR EACH ROW EXECUTE FUNCTION client_search_clients_tg()"
    ),
    "client_search_phones": (
        "AFTER INSERT OR DELETE OR UPDATE OF number, client_id ON phones "
        "FOR EACH ROW EXECUTE FUNCTION client_search_child_tg()"
    ),
    "client_search_emails": (
        "AFTER INSERT OR DELETE OR UPDATE OF address, client_id ON emails "
        "FOR EACH ROW EXECUTE FUNCTION client_search_child_tg()"
    ),
    "client_list_phones": (
        "AFTER INSERT OR DELETE OR UPDATE OF client_id, number, is_primary, position ON phones "
        "FOR EACH ROW EXECUTE FUNCTION client_list_phones_tg()"
    ),
    "client_list_clients": (
        "BEFORE INSERT OR UPDATE OF birthday, birthday_md, primary_phone ON clients "
        "FOR EACH ROW EXECUTE FUNCTION client_list_clients_tg()"
    ),
}


def upgrade() -> None:
    op.add_column("clients", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE TABLE {FTS_TABLE} (id integer PRIMARY KEY, body text NOT NULL, phones text NOT NULL)")
    op.execute(_pg_view_sql())
    for sql in FUNCTIONS.values():
        op.execute(sql)
    for name, sql in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {sql}")
    op.execute(f"INSERT INTO {FTS_TABLE}(id, body, phones) SELECT id, body, phones FROM {SOURCE_VIEW}")
    op.execute(f"CREATE INDEX ix_client_search_body ON {FTS_TABLE} USING gin (body gin_trgm_ops)")
    op.execute(f"CREATE INDEX ix_client_search_phones ON {FTS_TABLE} USING gin (phones gin_trgm_ops)")
    op.execute("UPDATE clients SET birthday_md = birthday_md")  # the BEFORE trigger computes both columns


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, sql in TRIGGERS.items():
            table = sql.split(" ON ")[1].split()[0]
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
        op.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        op.drop_column("clients", "version")
    else:  # DROP COLUMN (SQLite 3.35+) keeps the table's triggers
        op.execute("ALTER TABLE clients DROP COLUMN version")
