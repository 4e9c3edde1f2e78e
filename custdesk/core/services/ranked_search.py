"""Searching a big client list by rank: the list's order read once, each search's clients placed in it.

A search as you type must count its clients and show the first of them in the list's order, on every
keystroke. Done in SQL alone, either every client found is read for its sort key (a seek each: 16,000
clients found by ``ова`` cost some 15 ms) or the sort index is walked until a window of them has passed
(which reads a third of the list when they sort late, as Cyrillic names after Latin ones do). Both grow
with the clients found, and both are paid twice, for the count and for the window.

Here the list's order (the ids of the unsearched list, as ``client_list`` sorts it in SQL) is read once
and kept with its *rank* of each id. A search then reads only the ids it finds from the search index
(``search.matching_ids``: no row of ``clients`` is read) and looks their ranks up: the ranks of the
clients the list shows, sorted, are the search's list; their number is its count, any window of it a
slice. 40,000 clients found cost a few milliseconds, and a window far down costs the same as the first.

The kept order stays right through a change token (``storage.changes``: SQLite's ``PRAGMA
data_version``, a server's transaction snapshot) read on a connection of its own, which never writes:
it changes whenever any other connection (this program's or another seat's) commits a change to the
base. The order, the version and the ids found are read in one read transaction, so they
agree. Memory: about 16 bytes per client of the list (the ids in order and a rank per id).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Select, func, select
from sqlalchemy.sql.selectable import CompoundSelect

from custdesk.core.db import Database

IdArray = np.ndarray[Any, np.dtype[np.int64]]
Statement = Select[Any] | CompoundSelect[Any]

KEPT_NAME = "client_list.ranked_search"  # the name under which a base keeps its RankedSearch
_SEARCHES_KEPT = 4  # the last searches' clients, for the count and the windows that follow it
# Ranks are looked up in an array indexed by client id while the ids are this dense (client ids count
# up from 1, so always in practice); a sparser list is looked up by binary search instead.
_DENSE_FACTOR = 8
_DENSE_SLACK = 1 << 16


def _ids_of(connection: Connection, statement: Statement) -> IdArray:
    """The ids ``statement`` (one integer column) selects, in its order, through one concatenated string.

    Reading 100,000 ids as rows costs some 40 ms in the driver, as one ``group_concat`` string parsed by
    numpy about 15 ms. SQLite keeps the order of an ordered subquery in ``group_concat`` (its ticket
    #2942); the tests compare the result with the rows.
    """
    if connection.dialect.name != "sqlite":  # no group_concat; the rows of the ordered statement itself
        return np.fromiter(connection.execute(statement).scalars(), dtype=np.int64)
    inner = statement.subquery()
    joined = connection.scalar(select(func.group_concat(inner.c[0], ",")).select_from(inner))
    if not joined:
        return np.zeros(0, np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")


@dataclass(frozen=True)
class _Order:
    """The list's ids in order and a way from an id to its position (rank)."""

    ids: IdArray
    by_id: IdArray  # dense: rank by id (-1: not in the list); sparse: the ids sorted
    positions: IdArray | None  # sparse only: the rank of each of ``by_id``

    @classmethod
    def of(cls, ids: IdArray) -> _Order:
        top = int(ids.max()) if ids.size else 0
        if top <= _DENSE_FACTOR * ids.size + _DENSE_SLACK:
            rank = np.full(top + 1, -1, np.int64)
            rank[ids] = np.arange(ids.size, dtype=np.int64)
            return cls(ids, rank, None)
        positions = np.argsort(ids, kind="stable")
        return cls(ids, ids[positions], positions)

    def ranks(self, found: IdArray) -> IdArray:
        """The ranks of the clients of ``found`` that the list holds, ascending, each once."""
        if self.positions is None:
            found = found[(found >= 0) & (found < self.by_id.size)]
            ranks = self.by_id[found]
            ranks = ranks[ranks >= 0]
        else:
            at = np.searchsorted(self.by_id, found)
            inside = at < self.by_id.size
            at, found = at[inside], found[inside]
            ranks = self.positions[at[self.by_id[at] == found]]
        ranks = np.sort(ranks)  # a sort and a comparison: np.unique hashes, several times slower here
        if ranks.size > 1:
            ranks = ranks[np.concatenate(([True], ranks[1:] != ranks[:-1]))]
        return ranks


@dataclass(frozen=True)
class Found:
    """The clients a search finds, in the list's order."""

    order: IdArray
    ranks: IdArray  # positions in ``order``, ascending

    @property
    def count(self) -> int:
        """How many clients the search shows."""
        return int(self.ranks.size)

    def window(self, offset: int, limit: int | None) -> list[int]:
        """The ids of rows ``offset`` to ``offset + limit - 1`` (``None``: to the end)."""
        offset = max(0, offset)
        end = None if limit is None else offset + max(0, limit)
        return [int(i) for i in self.order[self.ranks[offset:end]]]


class RankedSearch:
    """A base's kept list order and last searches (see the module's docstring); one per open base.

    Args:
        connect: opens the connection this keeps for itself (``db.engine.connect``).
    """

    def __init__(self, connect: Callable[[], Connection]) -> None:
        self._connect = connect
        self._connection: Connection | None = None
        self._lock = threading.Lock()
        self._version: int | None = None
        self._order_key: Hashable = None
        self._order: _Order | None = None
        self._searches: OrderedDict[Hashable, Found] = OrderedDict()
        self._narrowings: OrderedDict[Hashable, IdArray] = OrderedDict()  # the filters' clients, as ranks
        self.orders_read = 0  # how many times an order was read (for tests and benchmarks)

    def find(
        self,
        order_key: Hashable,
        order: Callable[[], Sequence[Statement]],
        search_key: Hashable,
        matching: Callable[[Connection], Statement | None] | None,
        narrowing: tuple[Hashable, Callable[[], Statement]] | None = None,
        *,
        read_order: bool = True,
    ) -> Found | None:
        """The clients a search finds, in the order of its list.

        Args:
            order_key: what the list's order depends on (which clients, sorted how; no filters).
            order: the statements whose ids, one after the other, are that list in order.
            search_key: what the search's clients depend on (the search text).
            matching: the statement of the ids the search finds (in any order, repeats allowed), made
                on the connection it runs on, which gives ``None`` if the base cannot answer it so (no
                search index); ``None``: no search, only filters.
            narrowing: the list's filters, if any: their key and the statement of the ids of the clients
                they keep (in any order), read once and kept while the user types.
            read_order: read the order if it is not kept; otherwise give ``None`` then.

        Returns:
            The clients found; ``None`` when ``matching`` gave no statement, or the order was wanted
            kept and is not.
        """
        assert matching is not None or narrowing is not None, "a search or filters"
        filter_key = None if narrowing is None else narrowing[0]
        with self._lock:
            connection = self._open()
            try:
                version = _data_version(connection)
                key = (order_key, filter_key, search_key)
                found = self._searches.get(key) if self._holds(version, order_key) else None
                if found is not None:
                    self._searches.move_to_end(key)
                    return found
                if not read_order and not self._holds(version, order_key):
                    return None
                statement = None if matching is None else matching(connection)
                if matching is not None and statement is None:
                    return None
                kept = self._current(connection, version, order_key, order)
                ranks = None if statement is None else kept.ranks(_ids_of(connection, statement))
                if narrowing is not None:
                    kept_by_filters = self._narrowed(connection, kept, *narrowing)
                    ranks = kept_by_filters if ranks is None else np.intersect1d(ranks, kept_by_filters, True)
                assert ranks is not None
                found = Found(kept.ids, ranks)
                _keep(self._searches, key, found)
                return found
            finally:
                connection.rollback()

    def _narrowed(
        self, connection: Connection, kept: _Order, filter_key: Hashable, statement: Callable[[], Statement]
    ) -> IdArray:
        """The ranks of the clients the filters keep (read once per order and base version)."""
        ranks = self._narrowings.get(filter_key)
        if ranks is None:
            ranks = kept.ranks(_ids_of(connection, statement()))
            _keep(self._narrowings, filter_key, ranks)
        else:
            self._narrowings.move_to_end(filter_key)
        return ranks

    def size(self, order_key: Hashable) -> int | None:
        """The number of clients of the kept order ``order_key`` if it is kept and current, else ``None``."""
        with self._lock:
            if self._order is None or order_key != self._order_key:
                return None
            connection = self._open()
            try:
                return self._order.ids.size if self._holds(_data_version(connection), order_key) else None
            finally:
                connection.rollback()

    def prepare(self, order_key: Hashable, order: Callable[[], Sequence[Statement]]) -> None:
        """Read the list's order now if it is not kept (so the first keystroke need not)."""
        with self._lock:
            connection = self._open()
            try:
                self._current(connection, _data_version(connection), order_key, order)
            finally:
                connection.rollback()

    @property
    def kept_bytes(self) -> int:
        """The memory the kept order takes (its ids and their ranks), in bytes."""
        kept = self._order
        if kept is None:
            return 0
        return sum(a.nbytes for a in (kept.ids, kept.by_id, kept.positions) if a is not None)

    def forget(self, *, filters: bool = False, order: bool = False) -> None:
        """Forget the kept searches; with ``filters`` the filters' clients too; with ``order`` also the
        order, as a change to the base would.

        For benchmarks, which time a search the first time it is typed, and for tests.
        """
        with self._lock:
            self._searches.clear()
            if filters or order:
                self._narrowings.clear()
            if order:
                self._order = None

    def close(self) -> None:
        """Give the connection back and forget what is kept."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            self._order = None
            self._searches.clear()
            self._narrowings.clear()

    def _open(self) -> Connection:
        if self._connection is None:
            self._connection = self._connect()
        return self._connection

    def _holds(self, version: int, order_key: Hashable) -> bool:
        return self._order is not None and version == self._version and order_key == self._order_key

    def _current(
        self,
        connection: Connection,
        version: int,
        order_key: Hashable,
        order: Callable[[], Sequence[Statement]],
    ) -> _Order:
        if self._order is None or not self._holds(version, order_key):
            self._searches.clear()
            self._narrowings.clear()
            self._order = None
            parts = [_ids_of(connection, statement) for statement in order()]
            ids = np.concatenate(parts) if parts else np.zeros(0, np.int64)
            self._order, self._version, self._order_key = _Order.of(ids), version, order_key
            self.orders_read += 1
        return self._order


def of(db: Database) -> RankedSearch:
    """The base's :class:`RankedSearch`: one per open base, made at first use, closed with the base."""
    return db.kept(KEPT_NAME, lambda: RankedSearch(db.engine.connect))


def _keep(kept: OrderedDict[Hashable, Any], key: Hashable, value: Any) -> None:
    """Remember ``value`` as the newest of ``kept``, forgetting the oldest beyond a few."""
    kept[key] = value
    while len(kept) > _SEARCHES_KEPT:
        kept.popitem(last=False)


def _data_version(connection: Connection) -> int:
    """SQLite's count of the changes other connections committed, as seen by ``connection``'s snapshot.

    Read first in a transaction: if a change lands before the reads that follow, what they read is
    newer than the version kept with it, and the next call reads again; never the other way round.
    """
    from custdesk.core.storage.changes import change_token

    return change_token(connection)


__all__ = ["KEPT_NAME", "Found", "RankedSearch", "of"]
