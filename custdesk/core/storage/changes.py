"""The change-detection seam: a cheap token that differs once anyone committed a change to the base.

- SQLite: ``PRAGMA data_version`` (the count of changes other connections committed, per connection).
- PostgreSQL: the transaction snapshot (``pg_current_snapshot()``: its xmin, xmax and the transactions in
  progress), which moves whenever a writing transaction starts or ends, on any seat. A token may change
  without a change to this base (a write elsewhere on the server): that only costs a re-read.

Read it first in a transaction: a change landing before the reads that follow makes what they read newer
than the token kept with it, and the next read sees another token; never the other way round.
"""

from __future__ import annotations

import zlib
from typing import Protocol

from sqlalchemy import Connection


class ChangeDetector(Protocol):
    """A token of the base's committed state as ``connection`` sees it."""

    def __call__(self, connection: Connection) -> int: ...


def change_token(connection: Connection) -> int:
    """The token for the base ``connection`` is on (see the module docstring)."""
    if connection.dialect.name == "postgresql":
        snapshot = str(connection.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar() or "")
        return zlib.crc32(snapshot.encode())
    return int(connection.exec_driver_sql("PRAGMA data_version").scalar() or 0)


__all__ = ["ChangeDetector", "change_token"]
