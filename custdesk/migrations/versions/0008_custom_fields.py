"""custom fields: the firm's own client fields and their values

``custom_fields`` holds the definitions the firm makes in Base > Fields… (a name, a kind, a card section,
whether it is required and shown as a list column, the choices of a choice field); ``client_field_values``
holds one row per client and field that has a value, as text in a canonical form (numbers and money as
plain decimals, dates ISO, yes/no as 1/0), so the storage is the same on SQLite and PostgreSQL and an
empty field costs nothing. Renaming a field changes only its definition: values are keyed by its id.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


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
    )
    # Sorting and filtering the list by one field reads this index, not the table.
    op.create_index(
        "ix_client_field_values_field_value",
        "client_field_values",
        ["field_id", "value", "client_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_client_field_values_field_value", table_name="client_field_values")
    op.drop_table("client_field_values")
    op.drop_table("custom_fields")
