"""The journal cannot be quietly rewritten: every audit entry is sealed onto a hash chain.

At every commit of a session (a SQLAlchemy ``before_commit`` listener, registered when this module is
imported: :mod:`custdesk.core.services.audit` imports it), the transaction's new journal entries, the
ones with no ``chain_seq`` yet, are sealed in id order: each gets the next sequence number and
``chain_hash = sha256(previous hash, every other column of the row)``. The end of the chain (last
sequence number and hash) is the one row of ``audit_chain``.

**Every column** of an ``audit`` row except ``chain_hash`` is hashed, generically: the columns are read
as the database driver returns them (``SELECT *``), sorted by name, NULLs left out (so a nullable column
another issue adds later does not change the hashes of older entries; a column added with a non-NULL
default must re-seal, see :func:`reseal`). Entries written by bulk inserts (an import) are sealed by the
same commit, since the listener looks for unsealed rows, not at what the session added.

**Several writers (PostgreSQL, issue 20).** The seal first locks the chain's end row
(``SELECT … FOR UPDATE``): a second writer's commit waits on that lock until the first one committed,
then reads the new end and continues the chain from it. Each writer seals only its own entries (others'
uncommitted rows are invisible to it), so the chain never forks, and the sequence numbers, not the ids,
give the chain's order. On SQLite the write transaction already serialises writers.

:func:`verify` walks the chain and names the first broken link: an entry deleted (a gap in the
sequence, or a chain that ends before its recorded end), edited or reordered (a hash that does not
match), or inserted outside CustDesk (an unsealed entry). The chain is tamper-evident against someone
with a SQLite tool, not against someone who also recomputes the hashes with this code: there is no
secret on a shop's own PC to key it with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, event, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from custdesk.core.models import AuditChainHead, AuditEntry
from custdesk.i18n import _

GENESIS = "0" * 64
HEAD_ID = 1
_AUDIT = cast(Table, AuditEntry.__table__)
_HEAD = cast(Table, AuditChainHead.__table__)
_SKIPPED = frozenset({"chain_hash"})


def _text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def entry_hash(previous: str, row: Mapping[str, Any]) -> str:
    """The hash of one journal entry: the previous hash and every non-NULL column but ``chain_hash``."""
    fields = {name: _text(value) for name, value in row.items() if name not in _SKIPPED and value is not None}
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{payload}".encode()).hexdigest()


def _rows(conn: Connection, where: str) -> list[dict[str, Any]]:
    result = conn.exec_driver_sql(f"SELECT * FROM audit WHERE {where}")
    return [dict(r) for r in result.mappings()]


def _readonly(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    return bool(conn.exec_driver_sql("PRAGMA query_only").scalar())


def seal(conn: Connection) -> int:
    """Seal the unsealed journal entries onto the chain, in id order; returns how many were sealed.

    Runs inside the caller's transaction (a commit calls it); the chain's end row is locked first.
    """
    try:
        if conn.exec_driver_sql("SELECT 1 FROM audit WHERE chain_seq IS NULL LIMIT 1").first() is None:
            return 0
    except DBAPIError:
        if conn.dialect.name != "sqlite":
            raise
        return 0  # a base not yet at this schema (no chain columns): nothing to seal
    if _readonly(conn):
        return 0
    head = conn.execute(
        select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == HEAD_ID).with_for_update()
    ).one_or_none()
    if head is None:
        conn.execute(_HEAD.insert().values(id=HEAD_ID, last_seq=0, last_hash=GENESIS))
        seq, previous = 0, GENESIS
    else:
        seq, previous = int(head.last_seq), str(head.last_hash)
    pending = _rows(conn, "chain_seq IS NULL ORDER BY id")
    sealed: list[dict[str, Any]] = []
    for row in pending:
        seq += 1
        row["chain_seq"] = seq
        previous = entry_hash(previous, row)
        sealed.append({"row_id": row["id"], "seq": seq, "hash": previous})
    conn.execute(
        update(_AUDIT)
        .where(_AUDIT.c.id == bindparam("row_id"))
        .values(chain_seq=bindparam("seq"), chain_hash=bindparam("hash")),
        sealed,
    )
    conn.execute(update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(last_seq=seq, last_hash=previous))
    return len(sealed)


@event.listens_for(Session, "before_commit")
def _seal_on_commit(session: Session) -> None:
    if session.in_transaction():
        session.flush()  # the commit's own final flush comes after this event: the entries must be in
        seal(session.connection())


def reseal(conn: Connection) -> None:
    """Rebuild the whole chain from the entries as they are (after a migration that changed columns).

    Only for a migration: it makes the present journal the trusted one.
    """
    conn.execute(update(_AUDIT).values(chain_seq=None, chain_hash=None))
    conn.execute(update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(last_seq=0, last_hash=GENESIS))
    seal(conn)


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link of the journal's chain, in words."""

    seq: int | None  # the chain position where it breaks (None: an entry outside the chain)
    entry_id: int | None  # the journal entry concerned, when there is one
    kind: str  # deleted | edited | unsealed | truncated
    message: str


def verify_rows(rows: Iterable[Mapping[str, Any]], head: tuple[int, str] | None) -> ChainBreak | None:
    """Walk sealed entries (in ``chain_seq`` order, unsealed ones last) against the chain's end."""
    previous, expected = GENESIS, 1
    for row in rows:
        seq = row.get("chain_seq")
        if seq is None:
            return ChainBreak(
                None,
                int(row["id"]),
                "unsealed",
                _(
                    "Journal entry {id} was not written by CustDesk (it is not on the chain): the journal "
                    "was changed outside CustDesk."
                ).format(id=row["id"]),
            )
        if int(seq) != expected:
            return ChainBreak(
                expected,
                int(row["id"]),
                "deleted",
                _(
                    "The journal is broken at link {seq}: the entry there is missing (deleted); the next "
                    "one is entry {id}."
                ).format(seq=expected, id=row["id"]),
            )
        digest = entry_hash(previous, row)
        if digest != row.get("chain_hash"):
            return ChainBreak(
                expected,
                int(row["id"]),
                "edited",
                _(
                    "The journal is broken at link {seq} (entry {id}): the entry was edited or moved "
                    "after it was written."
                ).format(seq=expected, id=row["id"]),
            )
        previous, expected = digest, expected + 1
    if head is not None and (expected - 1, previous) != (head[0], head[1]):
        return ChainBreak(
            expected,
            None,
            "truncated",
            _(
                "The journal is broken at link {seq}: it ends before its recorded end ({last} entries); "
                "the latest entries were deleted."
            ).format(seq=expected, last=head[0]),
        )
    return None


def verify(conn: Connection) -> ChainBreak | None:
    """The first broken link of the journal of the base on ``conn`` (None: the chain is whole)."""
    head_row = conn.execute(select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == HEAD_ID)).first()
    head = (int(head_row.last_seq), str(head_row.last_hash)) if head_row is not None else None
    rows = _rows(conn, "chain_seq IS NOT NULL ORDER BY chain_seq") + _rows(
        conn, "chain_seq IS NULL ORDER BY id"
    )
    return verify_rows(rows, head)


__all__ = ["GENESIS", "ChainBreak", "entry_hash", "reseal", "seal", "verify", "verify_rows"]
