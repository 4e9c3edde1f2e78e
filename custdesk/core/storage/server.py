"""A base on a PostgreSQL server: several seats work on it at once.

The server does what the SQLite side does by hand: it takes the writers' locks, keeps every transaction
atomic and hands out ids from sequences. What CustDesk adds on open:

- the schema is made and upgraded by the same Alembic migrations as a file's, in one transaction, under
  an advisory lock so two seats starting together do not both migrate;
- a base that is not CustDesk's (tables but no ``alembic_version``) or one made by a newer CustDesk is
  refused unchanged;
- a read-only open runs every transaction ``READ ONLY`` (the CLI's ``clients``, ``check``, ``export``).

There is no lock file, no automatic file backup and no write-ahead log here: the server owner's backups
(``pg_dump``) and ``custdesk-cli copy-base`` cover a server base (see the README).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from custdesk.core.errors import BaseLockedError, BaseOpenError, NewerSchemaError, NotABaseError
from custdesk.core.storage.target import ServerTarget, parse_server_url
from custdesk.i18n import _

if TYPE_CHECKING:
    from custdesk.core.db import Database

log = logging.getLogger("custdesk.server")

MIGRATION_LOCK = 0x43555354  # pg_advisory_xact_lock key: "CUST"
CONNECT_TIMEOUT_S = 10
# psycopg's SQLSTATE classes that mean "try again": serialization failure, deadlock, lock not available.
_RETRY_STATES = {"40001", "40P01", "55P03"}


def make_server_engine(target: ServerTarget, *, readonly: bool = False) -> Engine:
    """An engine on the server base ``target`` (psycopg 3), every transaction read-only if ``readonly``."""
    options = "-c default_transaction_read_only=on" if readonly else ""
    connect_args: dict[str, object] = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "CustDesk"}
    if options:
        connect_args["options"] = options
    return create_engine(
        target.url, pool_pre_ping=True, pool_size=3, max_overflow=5, connect_args=connect_args
    )


def translate_server_error(exc: DBAPIError, target: ServerTarget) -> Exception:
    """Turn a server error met while working into a message a person can act on."""
    orig = exc.orig if exc.orig is not None else exc
    state = getattr(orig, "sqlstate", None) or ""
    if state in _RETRY_STATES:
        return BaseLockedError(
            _(
                "Another seat was changing the same data on {server}; the change was not saved. Try again."
            ).format(server=target.display)
        )
    if state == "25006":  # read_only_sql_transaction
        return BaseOpenError(
            _("The base {server} was opened for reading only; the change was not saved.").format(
                server=target.display
            )
        )
    if exc.connection_invalidated or state.startswith("08") or state.startswith("57P"):
        return BaseOpenError(
            _(
                "The connection to the server {server} was lost ({reason}); the change was not saved. "
                "Check the network and try again."
            ).format(server=target.display, reason=_first_line(orig))
        )
    return exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _unreachable(target: ServerTarget, exc: BaseException) -> BaseOpenError:
    return BaseOpenError(
        _("CustDesk cannot open the base {server} on the server: {reason}").format(
            server=target.display, reason=_first_line(exc)
        )
    )


def server_revision(engine: Engine, target: ServerTarget) -> tuple[str | None, bool]:
    """The schema revision of the server base and whether it has any table at all."""
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            revision = None
            if "alembic_version" in names:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return revision, bool(names)
    except DBAPIError as exc:
        raise _unreachable(target, exc.orig or exc) from exc


def upgrade_server(engine: Engine) -> None:
    """Run the migrations to head in one transaction, one seat at a time (an advisory lock)."""
    from alembic import command

    from custdesk.core.db import alembic_config

    cfg = alembic_config()
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_server_base(url: str, *, create: bool = True, readonly: bool = False) -> Database:
    """Open the base at the server address ``url``, made or upgraded to this CustDesk's schema.

    The base (the PostgreSQL database) must exist; its tables are made by the migrations when it is empty.

    Raises:
        BaseOpenError: (a subclass naming the problem) the server's base was left exactly as it was.
    """
    from custdesk.core.db import Database, head_revision, known_revisions

    target = parse_server_url(url)
    engine = make_server_engine(target, readonly=readonly)
    try:
        revision, has_tables = server_revision(engine, target)
        if revision is not None and revision not in known_revisions():
            raise NewerSchemaError(
                _(
                    "The base {path} was made by a newer CustDesk (schema {revision}). "
                    "Install the newer CustDesk to open it; this base was not changed."
                ).format(path=target.display, revision=revision)
            )
        if has_tables and revision is None:
            raise NotABaseError(
                _("The server base {server} belongs to another program, not to CustDesk.").format(
                    server=target.display
                )
            )
        needs_upgrade = revision != head_revision()
        if revision is None and not create:
            raise BaseOpenError(_("There is no CustDesk base at {server} yet.").format(server=target.display))
        if readonly and needs_upgrade:
            raise BaseOpenError(
                _("The base {server} needs an upgrade first: open it once in CustDesk.").format(
                    server=target.display
                )
            )
        if needs_upgrade:
            try:
                upgrade_server(engine)
            except DBAPIError as exc:
                raise translate_server_error(exc, target) from exc
            # Another seat may have made it in the same moment: the first one initialises the settings.
        from pathlib import Path

        db = Database(
            Path(target.display),
            engine,
            readonly=readonly,
            created=revision is None,
            upgraded_from=revision if needs_upgrade else None,
            server=target,
        )
        if revision is None:
            from custdesk.core.services import settings

            if not settings.has_any(db):
                settings.initialise(db)
        return db
    except BaseException:
        engine.dispose()
        raise


__all__ = [
    "make_server_engine",
    "open_server_base",
    "server_revision",
    "translate_server_error",
    "upgrade_server",
]
