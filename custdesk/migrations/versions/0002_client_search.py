"""client search index and list indexes

The search index (SQLite only) is an FTS5 table with the ``trigram`` tokenizer, so any substring of three
or more characters matches: a part of a Cyrillic or Persian name, a part of an e-mail, a run of phone
digits. It has two columns:

- ``body``: name, organisation, city, region, notes and e-mail addresses, one per line;
- ``phones``: for every phone its E.164 digits and its national digits (``79123456789 89123456789``), so
  typing ``8912`` or ``9123`` finds ``+7 (912) 345-67-89``.

The row of a client is computed by the view ``client_search_source`` and kept in step by triggers on
``clients``, ``phones`` and ``emails`` (each trigger deletes the client's row and inserts it again from
the view). ``custdesk.core.services.search`` is the only code that reads these objects; a bulk loader
suspends the triggers with ``search.bulk_load()`` and the index is rebuilt from the view afterwards.

The trigram tokenizer folds letter case by Unicode (Cyrillic, Latin with diacritics too) but has no
``remove_diacritics`` before SQLite 3.45, so the view folds the letters people type interchangeably
itself: ё to е, Arabic yeh and kaf to their Persian forms. The query side does the same.

Both dialects get the indexes the client list sorts and filters by: ``(archived, column)``, so a window
of the list in any sort order is an index range scan.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Names of the objects; custdesk.core.services.search.SEARCH_TABLES repeats the table names (the
# migration is frozen, the service may grow).
FTS_TABLE = "client_search"
SOURCE_VIEW = "client_search_source"

# Country calling code -> national (trunk) prefix, from libphonenumber 9.0 metadata, frozen here so a
# base's index never depends on the installed library. Countries without a trunk prefix need nothing:
# their national digits are already a substring of the E.164 digits (NANP's "1" is the country code).
_TRUNK_0 = (
    "20 27 31 32 33 40 41 43 44 46 49 51 53 54 55 57 58 60 61 62 63 64 66 81 82 84 86 90 91 92 93 94 "
    "95 98 211 212 213 218 231 232 233 234 243 249 250 251 252 254 255 256 260 261 262 263 264 265 "
    "291 353 355 358 359 370 373 374 377 380 381 382 383 385 386 387 389 421 423 508 590 591 593 594 "
    "595 596 598 686 850 855 856 880 886 961 962 963 964 966 967 970 971 972 976 977 994 995 996"
)
NATIONAL_PREFIXES: dict[str, tuple[str, ...]] = {
    "8": ("7", "375", "993"),
    "0": tuple(_TRUNK_0.split()),
    "06": ("36",),
    "1": ("692",),
}

LIST_INDEXES: tuple[tuple[str, str], ...] = (
    ("ix_clients_archived_name", "name"),
    ("ix_clients_archived_organisation", "organisation"),
    ("ix_clients_archived_city", "city"),
    ("ix_clients_archived_funnel", "funnel"),
    ("ix_clients_archived_temperature", "temperature"),
    ("ix_clients_archived_next_call_on", "next_call_on"),
    ("ix_clients_archived_last_purchase_on", "last_purchase_on"),
    ("ix_clients_archived_revenue_total", "revenue_total"),
)


def _fold(sql: str) -> str:
    """Fold letters that people type interchangeably (the query side folds the same way)."""
    for old, new in (("ё", "е"), ("Ё", "Е"), ("ي", "ی"), ("ك", "ک"), ("ى", "ی")):
        sql = f"replace({sql}, '{old}', '{new}')"
    return sql


def _national(digits: str) -> str:
    """SQL for the national digits of E.164 ``digits`` ('' when the country has no trunk prefix)."""
    whens = []
    for prefix, codes in NATIONAL_PREFIXES.items():
        for length in sorted({len(c) for c in codes}):
            same = ", ".join(f"'{c}'" for c in codes if len(c) == length)
            whens.append(
                f"WHEN substr({digits}, 1, {length}) IN ({same}) "
                f"THEN '{prefix}' || substr({digits}, {length + 1})"
            )
    return "CASE " + " ".join(whens) + " ELSE '' END"


def _view_sql() -> str:
    digits = "p.number"
    for char in "+ -()":
        digits = f"replace({digits}, '{char}', '')"
    body = (
        "c.name || char(10) || c.organisation || char(10) || c.city || char(10) || c.region || char(10) "
        "|| c.notes || char(10) || coalesce((SELECT group_concat(e.address, ' ') FROM emails e "
        "WHERE e.client_id = c.id), '')"
    )
    phones = (
        f"coalesce((SELECT group_concat({digits} || ' ' || {_national(digits)}, ' ') FROM phones p "
        "WHERE p.client_id = c.id), '')"
    )
    return (
        f"CREATE VIEW {SOURCE_VIEW} AS "
        f"SELECT c.id AS id, {_fold(body)} AS body, {phones} AS phones FROM clients c"
    )


def _refresh(*ids: str) -> str:
    """Trigger statements that recompute the index rows of the clients ``ids`` (SQL expressions)."""
    where = ", ".join(ids)
    return (
        f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({where}); "
        f"INSERT INTO {FTS_TABLE}(rowid, body, phones) SELECT id, body, phones FROM {SOURCE_VIEW} "
        f"WHERE id IN ({where});"
    )


TRIGGERS: dict[str, str] = {
    "client_search_clients_ai": f"AFTER INSERT ON clients BEGIN {_refresh('NEW.id')} END",
    "client_search_clients_au": (
        "AFTER UPDATE OF id, name, organisation, city, region, notes ON clients "
        f"BEGIN {_refresh('OLD.id', 'NEW.id')} END"
    ),
    "client_search_clients_ad": (
        f"AFTER DELETE ON clients BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id; END"
    ),
    "client_search_phones_ai": f"AFTER INSERT ON phones BEGIN {_refresh('NEW.client_id')} END",
    "client_search_phones_au": (
        f"AFTER UPDATE OF number, client_id ON phones BEGIN {_refresh('OLD.client_id', 'NEW.client_id')} END"
    ),
    "client_search_phones_ad": f"AFTER DELETE ON phones BEGIN {_refresh('OLD.client_id')} END",
    "client_search_emails_ai": f"AFTER INSERT ON emails BEGIN {_refresh('NEW.client_id')} END",
    "client_search_emails_au": (
        f"AFTER UPDATE OF address, client_id ON emails BEGIN {_refresh('OLD.client_id', 'NEW.client_id')} END"
    ),
    "client_search_emails_ad": f"AFTER DELETE ON emails BEGIN {_refresh('OLD.client_id')} END",
}


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        for name, column in LIST_INDEXES:
            batch_op.create_index(name, ["archived", column], unique=False)

    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(body, phones, tokenize = 'trigram')")
    op.execute(_view_sql())
    for name, sql in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {sql}")
    op.execute(f"INSERT INTO {FTS_TABLE}(rowid, body, phones) SELECT id, body, phones FROM {SOURCE_VIEW}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        for name, _column in reversed(LIST_INDEXES):
            batch_op.drop_index(name)
