"""stored client analysis: ABC, XYZ, RFM scores and segment per client, and the runs they came from

Where they live: as columns of ``clients`` rather than a table of their own, because the client list
sorts and filters by them the way it does by every other column, with a range scan of an
``(archived, column)`` index (custdesk.core.services.client_list: one segment per class); a separate
table would make each window of the list a join. Writing them touches no trigger: the search and list
triggers on ``clients`` fire on other columns only.

- ``clients.abc_class`` (A/B/C/D), ``xyz_class`` (X/Y/Z or NULL), ``rfm_r``/``rfm_f``/``rfm_m`` (1..5 or
  NULL), ``rfm_segment`` (the English segment name or NULL), ``analysis_run_id``: the run they were
  computed in; all NULL for a client created after the last stored run. ``analysis_run_id`` has no
  foreign-key constraint: SQLite cannot add a constrained column without copying ``clients`` (which
  would drop its triggers); runs are never deleted.
- ``analysis_runs``: the window, criterion, bucket size and thresholds of each stored analysis, the
  number of clients it classified, when and by whom.
- Indexes ``(archived, abc_class)``, ``(archived, xyz_class)``, ``(archived, rfm_segment)``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 12:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS: tuple[tuple[str, sa.types.TypeEngine[object]], ...] = (
    ("abc_class", sa.String(length=1)),
    ("xyz_class", sa.String(length=1)),
    ("rfm_r", sa.Integer()),
    ("rfm_f", sa.Integer()),
    ("rfm_m", sa.Integer()),
    ("rfm_segment", sa.String(length=32)),
    ("analysis_run_id", sa.Integer()),
)
INDEXES: tuple[tuple[str, str], ...] = (
    ("ix_clients_archived_abc_class", "abc_class"),
    ("ix_clients_archived_xyz_class", "xyz_class"),
    ("ix_clients_archived_rfm_segment", "rfm_segment"),
    # Contract prolongations due soon (the Today view): a range on contract_end, not a table scan.
    ("ix_clients_archived_contract_end", "contract_end"),
)


def upgrade() -> None:
    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("criterion", sa.String(length=8), nullable=False),
        sa.Column("bucket", sa.String(length=8), nullable=False),
        sa.Column("abc_thresholds", sa.String(length=64), nullable=False),
        sa.Column("xyz_thresholds", sa.String(length=64), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("stored_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_runs")),
    )
    # Plain ALTER TABLE ADD COLUMN (no copy of the table: its triggers stay).
    for name, type_ in COLUMNS:
        op.add_column("clients", sa.Column(name, type_, nullable=True))
    for name, column in INDEXES:
        op.create_index(name, "clients", ["archived", column], unique=False)


def downgrade() -> None:
    for name, _column in reversed(INDEXES):
        op.drop_index(name, table_name="clients")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, _type in reversed(COLUMNS):
        if sqlite:  # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) keeps the table and its triggers
            op.execute(f"ALTER TABLE clients DROP COLUMN {name}")
        else:
            op.drop_column("clients", name)
    op.drop_table("analysis_runs")
