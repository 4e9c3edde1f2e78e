"""Opening a CustDesk base: checks, lock, migrations, engine and transactions.

``open_base`` never changes a file it refuses: the header is read with plain file I/O, the schema
version through an ``immutable`` read-only SQLite connection, and only then is the base locked, copied
(when an upgrade is due) and migrated. Every session is one transaction (``Database.session()``).

Read-only opens (the CLI's ``clients``, ``check``, ``backup``) take no lock and leave no file behind: a
WAL base nobody has open is read through an ``immutable`` connection (a ``mode=ro`` connection on a WAL
base would create ``-wal``/``-shm`` files and leave them there); a base another program has open is read
through ``mode=ro`` so its write-ahead log is seen. A base in rollback-journal mode (a backup copied into
place by hand) is always read through ``mode=ro``, which honours the locks of a program writing to it
and creates nothing.

Commits are durable: ``synchronous = FULL`` syncs the write-ahead log at every commit, so a power cut
cannot take back a change the user saw saved (``NORMAL`` may lose the last commits).
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from custdesk import paths
from custdesk.core.errors import (
    BaseLockedError,
    BaseOpenError,
    CorruptBaseError,
    DiskFullError,
    NewerSchemaError,
    NotABaseError,
    ReadOnlyBaseError,
)
from custdesk.core.lock import BaseLock
from custdesk.i18n import _
from custdesk.paths import MIGRATIONS_DIR

if TYPE_CHECKING:
    from alembic.config import Config

    from custdesk.core.storage.target import ServerTarget

log = logging.getLogger("custdesk.db")

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x43555354  # "CUST": marks a file as a CustDesk base
BUSY_TIMEOUT_MS = 5000


def alembic_config() -> Config:
    """The Alembic configuration of the shipped migrations."""
    # Alembic is imported when needed: refusing a bad file or reading a base does not pay for it.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))  # ConfigParser reads "%"
    return cfg


def head_revision() -> str:
    """The schema revision this CustDesk writes."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this CustDesk knows (older ones can be upgraded)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


@dataclass(frozen=True)
class BaseState:
    """What a look at an existing file, without changing it, found."""

    application_id: int
    revision: str | None
    has_tables: bool


def _sqlite_uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path))}?{query}"


def readonly_uri(path: Path) -> str:
    """A URI for a read-only connection to ``path`` that creates no file beside it.

    A WAL base whose ``-wal`` and ``-shm`` are present is open somewhere (or was not closed cleanly): read it
    with ``mode=ro`` so the log is applied. Otherwise nobody has it open in WAL mode and ``immutable=1``
    reads the file without locks or side files (backups are single files in rollback mode).
    """
    path = Path(path)
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if wal.exists() and (shm.exists() or wal.stat().st_size > 0):
        return _sqlite_uri(path, mode="ro")
    # The header is read only when this process holds no connection to the file: a close() drops every
    # POSIX lock this process's SQLite connections hold on it.
    if is_open_here(path) or in_rollback_mode(path):
        return _sqlite_uri(path, mode="ro")
    return _sqlite_uri(path, immutable="1")


def in_rollback_mode(path: Path) -> bool:
    """Whether the SQLite file ``path`` is in rollback-journal mode (header byte 18 is 1; WAL: 2)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return header.startswith(SQLITE_HEADER) and header[18] == 1


def _is_corruption(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "file is encrypted" in text


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _is_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return "disk is full" in str(exc).lower()


def disk_full_error(path: Path) -> DiskFullError:
    """The message for a full disk under the base: nothing was saved, free some space."""
    return DiskFullError(
        _(
            "The disk holding {folder} is full; nothing was saved and the base was left as it was. "
            "Free some space on it and try again."
        ).format(folder=Path(path).parent)
    )


_open_here: set[Path] = set()


def _key(path: Path) -> Path:
    return Path(os.path.realpath(path))


def is_open_here(path: Path) -> bool:
    """Whether this process has the base open (then its file must not be opened and closed by hand)."""
    return _key(path) in _open_here


def refuse_if_open_here(path: Path) -> None:
    """Refuse to touch a base this process holds (a close() of another handle would drop SQLite's locks)."""
    if is_open_here(path):
        raise BaseLockedError(
            _("The base {path} is already open in this CustDesk. Close it first.").format(path=path)
        )


def check_header(path: Path) -> None:
    """Refuse a file that is not SQLite (an empty file is a new base)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise ReadOnlyBaseError(_("CustDesk may not read {path}.").format(path=path)) from exc
    except OSError as exc:
        raise BaseOpenError(
            _("CustDesk cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if header and header != SQLITE_HEADER:
        raise NotABaseError(
            _("{path} is not a CustDesk base: it is not a SQLite database file.").format(path=path)
        )


def inspect_base(path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> BaseState:
    """Read the application id and the schema revision of an existing file without changing it.

    Raises:
        CorruptBaseError: SQLite cannot read the schema.
        BaseLockedError: another program keeps the file busy.
        BaseOpenError: any other reason SQLite gives.
    """
    try:
        con = sqlite3.connect(readonly_uri(path), uri=True, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise BaseOpenError(_("CustDesk cannot open {path}: {reason}").format(path=path, reason=exc)) from exc
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in names:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return BaseState(int(app_id), revision, bool(names))
    except UnicodeDecodeError as exc:  # a damaged page of the schema: its names are not text any more
        raise CorruptBaseError(
            _(
                "The base {path} is damaged ({reason}). Restore it from a backup: "
                "custdesk-cli restore --db BASE --from BACKUP."
            ).format(path=path, reason=exc.reason)
        ) from exc
    except sqlite3.DatabaseError as exc:
        if _is_corruption(exc):
            raise CorruptBaseError(
                _(
                    "The base {path} is damaged ({reason}). Restore it from a backup: "
                    "custdesk-cli restore --db BASE --from BACKUP."
                ).format(path=path, reason=exc)
            ) from exc
        if _is_busy(exc):
            raise BaseLockedError(
                _("The base {path} is locked by another program. Try again when it is closed.").format(
                    path=path
                )
            ) from exc
        raise BaseOpenError(_("CustDesk cannot open {path}: {reason}").format(path=path, reason=exc)) from exc
    finally:
        con.close()


def _check_writable(path: Path, exists: bool) -> None:
    folder = path.parent
    if exists and not os.access(path, os.W_OK):
        raise ReadOnlyBaseError(
            _(
                "The base {path} is read-only. Allow writing to it, or copy it to a folder you can write to."
            ).format(path=path)
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyBaseError(
            _(
                "The folder {folder} of the base is read-only; CustDesk needs to write its journal there. "
                "Move the base to a folder you can write to."
            ).format(folder=folder)
        )


def _pragmas(busy_timeout_ms: int) -> Any:
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN, so DDL and DML are both transactional.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys = ON")
        mode = cur.execute("PRAGMA query_only").fetchone()[0]
        if not mode:
            cur.execute("PRAGMA journal_mode = WAL")
            # The shop's data must survive a power cut: sync the log at every commit.
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    return _on_connect


def make_engine(path: Path, *, readonly: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on the SQLite file ``path`` with CustDesk's pragmas.

    Args:
        path: the SQLite file.
        readonly: connect read-only (see :func:`readonly_uri`), with ``PRAGMA query_only``.
        busy_timeout_ms: how long a statement waits for a base another program keeps busy.
    """

    # A rollback-mode base stays one; decided before any connection of ours holds a lock on the file.
    honour_locks = readonly and in_rollback_mode(path)

    def creator() -> sqlite3.Connection:
        # Decided per connection: a read-only reader switches to mode=ro once someone opens the base.
        if readonly:
            uri = _sqlite_uri(path, mode="ro") if honour_locks else readonly_uri(path)
        else:
            uri = _sqlite_uri(path, mode="rwc")
        con = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=busy_timeout_ms / 1000)
        if readonly:
            con.execute("PRAGMA query_only = 1")
        return con

    engine = create_engine("sqlite+pysqlite://", creator=creator, poolclass=QueuePool, pool_size=2)
    event.listen(engine, "connect", _pragmas(busy_timeout_ms))

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


class Closeable(Protocol):
    """Something a service keeps with an open base (a cache holding a connection); closed with it."""

    def close(self) -> None: ...


_Kept = TypeVar("_Kept", bound=Closeable)


@dataclass
class Database:
    """An open base: its path, engine and lock. Use :meth:`session` for every read and write."""

    path: Path
    engine: Engine
    readonly: bool = False
    created: bool = False
    upgraded_from: str | None = None
    lock: BaseLock | None = None
    warnings: list[str] = field(default_factory=list)  # what the owner should know, found on open
    # A base on a PostgreSQL server (custdesk.core.storage.server): its address; None for a SQLite file,
    # whose ``path`` is the file (for a server ``path`` only names it in messages: user@host:port/base).
    server: ServerTarget | None = None
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _kept: dict[str, Closeable] = field(init=False, repr=False, compare=False, default_factory=dict)
    _kept_lock: threading.Lock = field(init=False, repr=False, compare=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        # Before the sessionmaker: its session class must inherit the journal chain's commit listener.
        from custdesk.core.services import journal_chain  # noqa: F401

        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if not self.readonly and self.server is None:
            _open_here.add(_key(self.path))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        s = self._sessions()
        try:
            yield s
            s.commit()
        except DBAPIError as exc:
            s.rollback()
            if self.server is not None:
                from custdesk.core.storage.server import translate_server_error

                raise translate_server_error(exc, self.server) from exc
            raise translate_db_error(exc, self.path) from exc
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @property
    def is_server(self) -> bool:
        """Whether the base lives on a PostgreSQL server (several seats) rather than in a SQLite file."""
        return self.server is not None

    def kept(self, name: str, make: Callable[[], _Kept]) -> _Kept:
        """What a service keeps for this base under ``name`` (made by ``make`` on first use).

        For per-base caches (see ``client_list``): they live as long as the base is open and are closed,
        with any connection they hold, before the engine is (a file with an open connection cannot be
        replaced or deleted on Windows).
        """
        with self._kept_lock:
            if name not in self._kept:
                self._kept[name] = make()
            return self._kept[name]  # type: ignore[return-value]

    def close(self) -> None:
        """Close every connection (checkpointing the WAL) and release the lock."""
        with self._kept_lock:
            kept, self._kept = list(self._kept.values()), {}
        for thing in kept:
            thing.close()
        if self.lock is not None:
            self.lock.note(session=False)  # closed on purpose: the log is checkpointed and goes away
        self.engine.dispose()
        if not self.readonly and self.server is None:
            _open_here.discard(_key(self.path))
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def translate_db_error(exc: DBAPIError, path: Path) -> Exception:
    """Turn a driver error met while working into a message a person can act on."""
    orig = exc.orig if exc.orig is not None else exc
    if _is_corruption(orig):
        return CorruptBaseError(
            _("The base {path} is damaged ({reason}). Restore it from a backup.").format(
                path=path, reason=orig
            )
        )
    if _is_busy(orig):
        return BaseLockedError(
            _("The base {path} is busy in another program; the change was not saved. Try again.").format(
                path=path
            )
        )
    if _is_full(orig):
        return disk_full_error(path)
    if "readonly" in str(orig).lower() or "read-only" in str(orig).lower():
        return ReadOnlyBaseError(
            _("The base {path} is read-only; the change was not saved.").format(path=path)
        )
    return exc


def _upgrade(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def probe_write(path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """Make sure no other program holds a write lock on the base (begin and roll back a write).

    Raises:
        BaseLockedError: another program keeps a write transaction open longer than the busy timeout.
        ReadOnlyBaseError: SQLite may not write the file.
        CorruptBaseError: SQLite says the file is damaged.
    """
    try:
        con = sqlite3.connect(
            _sqlite_uri(path, mode="rw"), uri=True, timeout=busy_timeout_ms / 1000, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise BaseOpenError(_("CustDesk cannot open {path}: {reason}").format(path=path, reason=exc)) from exc
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise BaseLockedError(
                _(
                    "The base {path} is locked by another program that is writing to it. "
                    "Close that program (or wait until it finishes) and try again."
                ).format(path=path)
            ) from exc
        if _is_corruption(exc):
            raise CorruptBaseError(
                _("The base {path} is damaged ({reason}). Restore it from a backup.").format(
                    path=path, reason=exc
                )
            ) from exc
        if "readonly" in str(exc).lower():
            raise ReadOnlyBaseError(
                _("The base {path} is read-only; CustDesk needs to write to it.").format(path=path)
            ) from exc
        raise BaseOpenError(_("CustDesk cannot open {path}: {reason}").format(path=path, reason=exc)) from exc
    finally:
        con.close()


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError as exc:
        raise ReadOnlyBaseError(
            _("CustDesk may not look into the folder {folder}: {reason}").format(
                folder=path.parent, reason=exc.strerror or exc
            )
        ) from exc


def open_base(
    path: str | os.PathLike[str],
    *,
    create: bool = True,
    readonly: bool = False,
    auto_backup: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    now: datetime | None = None,
) -> Database:
    """Open (or create) the base at ``path``, upgraded to this CustDesk's schema.

    Args:
        path: the SQLite file, or a server address ``postgresql://user@host:port/base``
            (:func:`custdesk.core.storage.server.open_server_base`).
        create: make a new base when the file does not exist.
        readonly: open for reading only, without the lock and without creating any file; refuses a base
            that needs an upgrade.
        auto_backup: make the daily rotating backup when the last one is older than a day.
        busy_timeout_ms: how long to wait for a base another program keeps busy.
        now: the time the automatic backup compares with (tests pass it; None: the clock).

    Raises:
        BaseOpenError: (a subclass naming the problem) the file was left exactly as it was; a base on a
            network share is refused before anything touches it (:mod:`custdesk.core.netpath`).
    """
    from custdesk.core.netpath import refuse_network_base
    from custdesk.core.storage.target import is_server_url

    if is_server_url(path):  # a server address, never a file name (see custdesk.core.storage)
        from custdesk.core.storage.server import open_server_base

        return open_server_base(str(path), create=create, readonly=readonly)
    refuse_network_base(path)
    p = Path(path).expanduser().absolute()
    exists = _exists(p)
    if exists and p.is_dir():
        raise NotABaseError(_("{path} is a folder, not a CustDesk base.").format(path=p))
    if not exists:
        if readonly or not create:
            raise BaseOpenError(_("There is no base at {path}.").format(path=p))
        try:
            paths.private_dir(p.parent)  # a folder made for the base is private (POSIX 0700)
        except OSError as exc:
            raise ReadOnlyBaseError(
                _("CustDesk cannot create the folder {folder}: {reason}").format(
                    folder=p.parent, reason=exc.strerror or exc
                )
            ) from exc
    elif is_open_here(p):
        if not readonly:
            refuse_if_open_here(p)
    else:
        check_header(p)
    if not readonly:
        _check_writable(p, exists)

    empty = not exists or p.stat().st_size == 0
    state = BaseState(0, None, False) if empty else inspect_base(p, busy_timeout_ms=busy_timeout_ms)
    if state.revision is not None and state.revision not in known_revisions():
        raise NewerSchemaError(
            _(
                "The base {path} was made by a newer CustDesk (schema {revision}). "
                "Install the newer CustDesk to open it; this base was not changed."
            ).format(path=p, revision=state.revision)
        )
    if state.has_tables and state.revision is None:
        raise NotABaseError(
            _("{path} is a SQLite database of another program, not a CustDesk base.").format(path=p)
        )
    if state.application_id not in (0, APPLICATION_ID):
        raise NotABaseError(_("{path} belongs to another program, not to CustDesk.").format(path=p))

    head = head_revision()
    needs_upgrade = state.revision != head
    if readonly:
        if empty:
            raise NotABaseError(_("{path} is an empty file, not a CustDesk base yet.").format(path=p))
        if needs_upgrade:
            raise BaseOpenError(
                _("The base {path} needs an upgrade first: open it once in CustDesk.").format(path=p)
            )
        return Database(p, make_engine(p, readonly=True, busy_timeout_ms=busy_timeout_ms), readonly=True)

    lock = BaseLock(p)
    lock.acquire()
    warnings = _journal_warnings(p, lock) if exists else []
    try:
        if not exists:
            paths.create_private_file(p)  # POSIX 0600; SQLite gives its -wal and -shm the same mode
        if exists:
            probe_write(p, busy_timeout_ms=busy_timeout_ms)
        if needs_upgrade and state.revision is not None:
            from custdesk.core import backup

            copy = backup.copy_before_upgrade(p, state.revision)
            log.info("copied %s to %s before upgrading from %s", p, copy, state.revision)
        engine = make_engine(p, busy_timeout_ms=busy_timeout_ms)
        created = state.revision is None
        try:
            if needs_upgrade:
                _upgrade(engine)
                if not created:
                    # A migration that adds an index leaves the query planner's statistics incomplete,
                    # which is worse than none: gather them once (about 0.6 s at 100,000 clients).
                    from custdesk.core.services import search

                    with engine.begin() as conn:
                        search.ensure_statistics(conn)
        except DBAPIError as exc:
            engine.dispose()
            raise translate_db_error(exc, p) from exc
        db = Database(
            p,
            engine,
            created=created,
            upgraded_from=state.revision if needs_upgrade else None,
            lock=lock,
            warnings=warnings,
        )
        _note_session(db, lock)
        try:
            if created:
                from custdesk.core.services import settings

                settings.initialise(db)
            if auto_backup:
                from custdesk.core import backup

                backup.auto_backup(db, now=now)
        except BaseException:
            db.close()
            raise
        return db
    except BaseException:
        lock.release()
        if not exists:  # a base that could not be made is not left half made
            for side in ("", "-wal", "-shm", "-journal"):
                p.with_name(p.name + side).unlink(missing_ok=True)
        raise


def _note_session(db: Database, lock: BaseLock) -> None:
    """Record in the lock file that a working session is open, once its write-ahead log exists.

    A pooled connection keeps the log open until :meth:`Database.close`; a lock file still saying
    "session" with no log beside the base therefore means the log went missing after a crash.
    """
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DBAPIError as exc:
        raise translate_db_error(exc, db.path) from exc
    if db.path.with_name(db.path.name + "-wal").exists():
        lock.note(session=True)


def _journal_warnings(path: Path, lock: BaseLock) -> list[str]:
    """What the lock file of a CustDesk that ended without closing the base tells (see ``lock``)."""
    if not lock.crashed_before:
        return []
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        log.info("%s was not closed cleanly; SQLite recovers it from %s", path, wal)
        return []
    text = missing_wal_message(path, lock.previous)
    log.warning("%s", text)
    return [text]


def missing_wal_message(path: Path, holder: dict[str, object]) -> str:
    """The warning for a base whose write-ahead log is gone after CustDesk ended without closing it."""
    return _(
        "CustDesk ended without closing the base {path} (process {pid}, since {since}), and the base's "
        "write-ahead log {wal} is missing: changes made in that session may be lost. If you have the "
        "file {wal}, put it back beside the base before changing anything; otherwise compare the base "
        "with its latest backup."
    ).format(
        path=path,
        pid=holder.get("pid", "?"),
        since=holder.get("since", "?"),
        wal=path.with_name(path.name + "-wal").name,
    )
