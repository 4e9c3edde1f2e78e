"""journal and undo: entries grouped by the user action that made them, and what undoing one needs

``audit.operation_id`` groups the journal entries of one user action (an edit of a card, a merge, an
import, a bulk edit): the id of the action's first entry, NULL for entries written before. ``audit.undoes``
names the first entry of the action an undo took back. ``undo_data`` keeps what undoing an action needs
beyond its entries (rows a merge changed, before and after; the ids an import created), as JSON, keyed by
the action's first entry. ``duplicate_marks`` remembers pairs of cards a person said are "not duplicates"
(``state`` ``not``, the smaller id first) and cards an import made as possible duplicates (``possible``,
no ``other_id``), which the duplicate finder offers first.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 21:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no copy of the table).
    op.add_column("audit", sa.Column("operation_id", sa.Integer(), nullable=True))
    op.add_column("audit", sa.Column("undoes", sa.Integer(), nullable=True))
    op.create_index("ix_audit_operation", "audit", ["operation_id"])
    op.create_index("ix_audit_undoes", "audit", ["undoes"])
    op.create_table(
        "undo_data",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
    )
    op.create_index("ix_undo_data_entry", "undo_data", ["entry_id"], unique=True)
    op.create_table(
        "duplicate_marks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_duplicate_marks_pair", "duplicate_marks", ["client_id", "other_id"])


def downgrade() -> None:
    op.drop_index("ix_duplicate_marks_pair", table_name="duplicate_marks")
    op.drop_table("duplicate_marks")
    op.drop_index("ix_undo_data_entry", table_name="undo_data")
    op.drop_table("undo_data")
    op.drop_index("ix_audit_undoes", table_name="audit")
    op.drop_index("ix_audit_operation", table_name="audit")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("undoes")
        batch.drop_column("operation_id")
