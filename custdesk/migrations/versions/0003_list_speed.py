"""derived client columns for the list: primary phone and birthday month-day

Two columns of ``clients`` that other tables or columns determine, so the client list sorts and filters
by an index range instead of computing per row:

- ``primary_phone``: the E.164 number of the client's primary phone (the first by position when none is
  marked, as the list shows it), ``''`` when the client has no phone. Index ``(archived, primary_phone)``:
  the phone sort order.
- ``birthday_md``: month * 100 + day of ``birthday`` (``NULL`` without one), e.g. 1231 for 31 December.
  Index ``(archived, birthday_md)``: "birthday this month" and date ranges across the year (the Today
  view) are ranges of it.

On SQLite they are kept in step by triggers (``client_list_*``), so every writer (services, merge, demo,
an importer, a hand-written UPDATE) stays right without code: phones inserted, renumbered, re-marked,
deleted or moved to another client (a merge) recompute the primary phone of the clients concerned; a
changed birthday recomputes its key, and a write to a derived column itself is put right again. A bulk
loader suspends these triggers with the search index's (``search.bulk_load()``), which recomputes both
columns once. Other dialects get the columns and indexes only (the list computes the values there).

Index ``(archived, vip)`` lets the VIP filter read its few clients instead of the whole table.

The upgrade fills both columns for the existing rows. It runs no ``ANALYZE``: a later migration's index
would have no statistics, and partial statistics mislead SQLite more than none
(``search.ensure_statistics()`` gathers them after all migrations).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES: tuple[tuple[str, str], ...] = (
    ("ix_clients_archived_primary_phone", "primary_phone"),
    ("ix_clients_archived_birthday_md", "birthday_md"),
    ("ix_clients_archived_vip", "vip"),  # the VIP filter: a few per cent of the clients, found by index
)

# The primary phone of the client ``clients.id`` (frozen here; custdesk.core.services.search repeats it).
PRIMARY_PHONE = (
    "coalesce((SELECT p.number FROM phones p WHERE p.client_id = clients.id "
    "ORDER BY p.is_primary DESC, p.position, p.id LIMIT 1), '')"
)


def _birthday_md(column: str) -> str:
    """SQLite: month * 100 + day of the ISO date in ``column`` (NULL for NULL or a value that is no date)."""
    return f"CAST(strftime('%m%d', {column}) AS INTEGER)"


def _refresh_phone(*ids: str) -> str:
    where = ", ".join(ids)
    return (
        f"UPDATE clients SET primary_phone = {PRIMARY_PHONE} "
        f"WHERE id IN ({where}) AND primary_phone IS NOT {PRIMARY_PHONE};"
    )


TRIGGERS: dict[str, str] = {
    "client_list_phones_ai": f"AFTER INSERT ON phones BEGIN {_refresh_phone('NEW.client_id')} END",
    "client_list_phones_au": (
        "AFTER UPDATE OF client_id, number, is_primary, position ON phones "
        f"BEGIN {_refresh_phone('OLD.client_id', 'NEW.client_id')} END"
    ),
    "client_list_phones_ad": f"AFTER DELETE ON phones BEGIN {_refresh_phone('OLD.client_id')} END",
    # A written derived value is put right again (a writer copying a whole row, an importer).
    "client_list_clients_phone_au": (
        f"AFTER UPDATE OF primary_phone ON clients BEGIN {_refresh_phone('NEW.id')} END"
    ),
    "client_list_clients_ai": (
        f"AFTER INSERT ON clients WHEN NEW.birthday_md IS NOT {_birthday_md('NEW.birthday')} "
        f"OR NEW.primary_phone <> '' "
        f"BEGIN UPDATE clients SET birthday_md = {_birthday_md('NEW.birthday')} WHERE id = NEW.id; "
        f"{_refresh_phone('NEW.id')} END"
    ),
    "client_list_clients_birthday_au": (
        "AFTER UPDATE OF birthday, birthday_md ON clients "
        f"WHEN NEW.birthday_md IS NOT {_birthday_md('NEW.birthday')} "
        f"BEGIN UPDATE clients SET birthday_md = {_birthday_md('NEW.birthday')} WHERE id = NEW.id; END"
    ),
}


def upgrade() -> None:
    op.add_column(
        "clients", sa.Column("primary_phone", sa.String(length=32), server_default="", nullable=False)
    )
    op.add_column("clients", sa.Column("birthday_md", sa.Integer(), nullable=True))
    for name, column in INDEXES:
        op.create_index(name, "clients", ["archived", column], unique=False)

    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.execute(f"UPDATE clients SET primary_phone = {PRIMARY_PHONE}")
        op.execute(
            "UPDATE clients SET birthday_md = "
            "EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday) WHERE birthday IS NOT NULL"
        )
        return
    op.execute(
        f"UPDATE clients SET primary_phone = {PRIMARY_PHONE} WHERE id IN (SELECT client_id FROM phones)"
    )
    op.execute(f"UPDATE clients SET birthday_md = {_birthday_md('birthday')} WHERE birthday IS NOT NULL")
    for name, sql in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {sql}")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name, _column in reversed(INDEXES):
        op.drop_index(name, table_name="clients")
    if sqlite:
        # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) keeps the table and so the search triggers on it; a
        # batch copy of the table would drop them.
        op.execute("ALTER TABLE clients DROP COLUMN birthday_md")
        op.execute("ALTER TABLE clients DROP COLUMN primary_phone")
        return
    op.drop_column("clients", "birthday_md")
    op.drop_column("clients", "primary_phone")
