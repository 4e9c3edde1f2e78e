"""users and a tamper-evident journal: who may sign in, and a hash chain over the audit entries

``users``: who may sign in to a protected base, with a role and an Argon2 password hash. A base without
rows here is unprotected (one owner, no password), as before. The owner's recovery key (its Argon2 hash)
and the base's id for sign-ins live in ``settings`` (keys ``access.*``).

``audit.chain_seq``/``audit.chain_hash`` and the one-row ``audit_chain`` (the chain's end): each commit
seals its new journal entries onto the chain (:mod:`custdesk.core.services.journal_chain`). Entries of an
older base are sealed, in id order, by the first commit after the upgrade.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-07 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_tries", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name"),
    )


    # Plain ALTER TABLE ADD COLUMN (no copy of a long journal).
    op.add_column("audit", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("audit", sa.Column("chain_hash", sa.String(64), nullable=True))
    op.create_index("ux_audit_chain_seq", "audit", ["chain_seq"], unique=True)
    head = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0, "last_hash": "0" * 64}])


def downgrade() -> None:
    op.drop_table("audit_chain")
    op.drop_index("ux_audit_chain_seq", table_name="audit")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("chain_hash")
        batch.drop_column("chain_seq")
    op.drop_table("users")
