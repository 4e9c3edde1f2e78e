"""mailings: the "do not mail" flag, templates kept in the base, and every mailing with its recipients

- ``clients.do_not_mail`` (false by default), ``do_not_mail_on`` (the day the client asked; NULL when
  not asked) and ``do_not_mail_reason``: a client who asked not to be mailed is left out of every mailing.
- ``mail_templates``: the templates the window edits (a name, the language it is written in, whether the
  body is HTML, the subject and the body, Jinja2).
- ``mailings``: one row per mailing (its name, subject, a key of its text so that running the same
  mailing again finds it, who started it, whether the owner overrode the minimum gap).
- ``mailing_recipients``: per client of a mailing, the address, ``sent`` or ``failed`` with the server's
  answer; a re-run sends only to clients whose row is not ``sent``.
- ``reminders.due_time``: a time of day a reminder is due at (NULL: the whole day).
- ``campaigns`` (a named call campaign: its note, when and by whom it was made, its days and calls a day)
  and ``campaign_calls`` (each client's day in it), so that its progress can be followed.

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CLIENT_COLUMNS = ("do_not_mail", "do_not_mail_on", "do_not_mail_reason")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no copy of the table: its triggers stay).
    op.add_column("clients", sa.Column("do_not_mail", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("clients", sa.Column("do_not_mail_on", sa.Date(), nullable=True))
    op.add_column(
        "clients", sa.Column("do_not_mail_reason", sa.String(length=200), nullable=False, server_default="")
    )
    op.create_table(
        "mail_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("is_html", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_mail_templates_name")),
    )
    op.create_table(
        "mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("gap_overridden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailings")),
    )
    op.create_index("ix_mailings_text_key", "mailings", ["text_key"], unique=False)
    op.create_table(
        "mailing_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailing_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mailing_id"], ["mailings.id"], name=op.f("fk_mailing_recipients_mailing_id_mailings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_mailing_recipients_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailing_recipients")),
        sa.UniqueConstraint("mailing_id", "client_id", name="uq_mailing_recipients_mailing_client"),
    )
    op.create_index("ix_mailing_recipients_client_id", "mailing_recipients", ["client_id"], unique=False)
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("per_day", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("name", name=op.f("uq_campaigns_name")),
    )
    op.create_table(
        "campaign_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_calls_campaign_id_campaigns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_campaign_calls_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_calls")),
        sa.UniqueConstraint("campaign_id", "client_id", name="uq_campaign_calls_campaign_client"),
    )
    op.create_index("ix_campaign_calls_client_id", "campaign_calls", ["client_id"], unique=False)
    op.add_column("reminders", sa.Column("due_time", sa.Time(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE reminders DROP COLUMN due_time")
    else:
        op.drop_column("reminders", "due_time")
    op.drop_index("ix_campaign_calls_client_id", table_name="campaign_calls")
    op.drop_table("campaign_calls")
    op.drop_table("campaigns")
    op.drop_index("ix_mailing_recipients_client_id", table_name="mailing_recipients")
    op.drop_table("mailing_recipients")
    op.drop_index("ix_mailings_text_key", table_name="mailings")
    op.drop_table("mailings")
    op.drop_table("mail_templates")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name in reversed(CLIENT_COLUMNS):
        if sqlite:  # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) keeps the table and its triggers
            op.execute(f"ALTER TABLE clients DROP COLUMN {name}")
        else:
            op.drop_column("clients", name)
