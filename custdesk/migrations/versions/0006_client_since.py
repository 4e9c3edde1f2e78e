"""client since: the date a client came to the firm, as the old base says it

An import of an old base creates every card today, but the clients came over years: a registration or
first-purchase date of the old file ("created", "since", «Дата регистрации», "Asiakas alkaen") is kept in
``clients.client_since`` (a date, NULL when unknown: the card's ``created_at`` says it then), so that the
growth of the base can be counted from when clients really came.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no copy of the table: its triggers stay).
    op.add_column("clients", sa.Column("client_since", sa.Date(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # DROP COLUMN (SQLite 3.35+) keeps the table's triggers
        op.execute("ALTER TABLE clients DROP COLUMN client_since")
    else:
        op.drop_column("clients", "client_since")
