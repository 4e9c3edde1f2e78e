"""custom fields: the firm's own client fields and their values

``custom_fields`` holds the definitions the firm makes in Base > Fields… (a name, a kind, a card section,
whether it is required and shown as a list column, the choices of a choice field); ``client_field_values``
holds one row per client and field that has a value, as text in a canonical form (numbers and money as
plain decimals, dates ISO, yes/no as 1/0), so the storage is the same on SQLite and PostgreSQL and an
empty field costs nothing. Renaming a field changes only its definition: values are keyed by its id.

On SQLite the search index (migrations 0002, 0005) also holds the values of the text and choice fields:
the view ``client_search_source`` is made again with them at the end of ``body``, triggers on
``client_field_values`` (and on a field's kind) keep the index rows in step, and the index is rebuilt.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07 21:30:00
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FTS_TABLE = "client_search"
SOURCE_VIEW = "client_search_source"
BODY_END = " || char(10) || char(10) AS body, "

# Migrations 0002 and 0005 (frozen) made the view; the custom text values go in before the padding.
_v0002 = importlib.import_module("custdesk.migrations.versions.0002_client_search")
_v0005 = importlib.import_module("custdesk.migrations.versions.0005_search_terms")

CUSTOM_TEXT = (
    "char(10) || coalesce((SELECT group_concat(v.value, ' ') FROM client_field_values v "
    "JOIN custom_fields f ON f.id = v.field_id "
    "WHERE v.client_id = c.id AND f.kind IN ('text', 'choice')), '')"
)


def _view_sql() -> str:
    sql: str = _v0005._padded_view_sql()
    if sql.count(BODY_END) != 1:  # pragma: no cover - 0005 is frozen
        raise RuntimeError(f"migration 0008: {BODY_END!r} not found once in the view of 0005")
    return sql.replace(BODY_END, f" || {_v0002._fold(CUSTOM_TEXT)}{BODY_END}")


_refresh = _v0002._refresh
HOLDERS = "SELECT client_id FROM client_field_values WHERE field_id = NEW.id"
TRIGGERS: dict[str, str] = {
    "client_search_values_ai": f"AFTER INSERT ON client_field_values BEGIN {_refresh('NEW.client_id')} END",
    "client_search_values_au": (
        "AFTER UPDATE OF value, client_id, field_id ON client_field_values "
        f"BEGIN {_refresh('OLD.client_id', 'NEW.client_id')} END"
    ),
    "client_search_values_ad": f"AFTER DELETE ON client_field_values BEGIN {_refresh('OLD.client_id')} END",
    "client_search_fields_au": f"AFTER UPDATE OF kind ON custom_fields BEGIN {_refresh(HOLDERS)} END",
}


def _search_upgrade() -> None:
    _v0005._remake_view(_view_sql())
    for name, sql in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {sql}")


def _search_downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    _v0005._remake_view(_v0005._padded_view_sql())


def upgrade() -> None:
    op.create_table(
        "custom_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("section", sa.String(length=64), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("list_column", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_fields")),
        sa.UniqueConstraint("name", name=op.f("uq_custom_fields_name")),
    )
    op.create_table(
        "client_field_values",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_field_values_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["field_id"],
            ["custom_fields.id"],
            name=op.f("fk_client_field_values_field_id_custom_fields"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "field_id", name=op.f("pk_client_field_values")),
        # SQLite: the rows are kept in the order of their key, so a window of clients reads its values
        # from a few pages; other dialects ignore it.
        sqlite_with_rowid=False,
    )
    # Sorting and filtering the list by one field reads this index, not the table.
    op.create_index(
        "ix_client_field_values_field_value",
        "client_field_values",
        ["field_id", "value", "client_id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        _search_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _search_downgrade()
    op.drop_index("ix_client_field_values_field_value", table_name="client_field_values")
    op.drop_table("client_field_values")
    op.drop_table("custom_fields")
