"""Checking a base: SQLite's own checks, then the application's rules, each problem said in words.

``check_base`` reads the file without changing it and without creating anything beside it (it may be
open in a CustDesk meanwhile). SQLite's ``integrity_check`` and ``foreign_key_check`` run first; the
application checks (schema at head, a name on every client, phones in E.164, the purchase figures kept on
the client row) run only on a base whose schema this CustDesk knows.

A base another program keeps busy is not damaged: ``check`` then raises :class:`BaseLockedError` ("try
again") instead of reporting damage. A base whose write-ahead log went missing after a CustDesk ended
without closing it is a problem (``journal-missing``): its last changes may be lost although SQLite
finds nothing wrong.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from custdesk.core.db import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    _is_busy,
    check_header,
    head_revision,
    inspect_base,
    is_open_here,
    known_revisions,
    missing_wal_message,
    readonly_uri,
)
from custdesk.core.errors import (
    BaseLockedError,
    BaseOpenError,
    CorruptBaseError,
    NewerSchemaError,
    NotABaseError,
)
from custdesk.core.lock import crashed_session
from custdesk.i18n import _, ngettext

E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
MAX_PER_KIND = 50  # a base with thousands of bad rows gets a readable report, not a flood


@dataclass(frozen=True)
class CheckProblem:
    """One thing wrong with a base.

    ``kind`` is a stable English key (``integrity``, ``journal-missing``, ``foreign-key``, ``schema``,
    ``client-name``, ``phone-format``, ``client-figures``, ``more``); ``message`` says what and where,
    translated.
    """

    kind: str
    message: str
    table: str | None = None
    row_id: int | None = None


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check_base` found; ``ok`` when nothing."""

    path: Path
    revision: str | None
    problems: tuple[CheckProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """Whether the base passed every check."""
        return not self.problems


def check_base(path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> CheckReport:
    """Check the base at ``path`` and report every problem found.

    Args:
        path: the base file (it is not changed, and no file is created beside it).
        busy_timeout_ms: how long to wait for a base another program keeps busy.

    Returns:
        The report: damage that SQLite finds is a problem in it, not an exception.

    Raises:
        BaseOpenError: the path is missing, a folder, not SQLite, not a CustDesk base or of a newer
            CustDesk: there is nothing this CustDesk can check.
        BaseLockedError: another program kept the base busy longer than ``busy_timeout_ms``: not damage.
    """
    p = Path(path).expanduser().absolute()
    if not p.exists():
        raise BaseOpenError(_("There is no base at {path}.").format(path=p))
    if p.is_dir():
        raise NotABaseError(_("{path} is a folder, not a CustDesk base.").format(path=p))
    if not is_open_here(p):  # a close() of a handle of ours would drop this process's SQLite locks
        check_header(p)
    if p.stat().st_size == 0:
        raise NotABaseError(_("{path} is an empty file, not a CustDesk base yet.").format(path=p))
    try:
        state = inspect_base(p, busy_timeout_ms=busy_timeout_ms)
    except CorruptBaseError as exc:
        reason = exc.__cause__ if exc.__cause__ is not None else exc
        return CheckReport(
            p,
            None,
            (CheckProblem("integrity", _("SQLite cannot read the file: {reason}").format(reason=reason)),),
        )
    if state.revision is None:
        raise NotABaseError(_("{path} is not a CustDesk base.").format(path=p))
    if state.application_id not in (0, APPLICATION_ID):
        raise NotABaseError(_("{path} belongs to another program, not to CustDesk.").format(path=p))
    if state.revision not in known_revisions():
        raise NewerSchemaError(
            _(
                "The base {path} was made by a newer CustDesk (schema {revision}); "
                "this CustDesk cannot check it."
            ).format(path=p, revision=state.revision)
        )
    problems: list[CheckProblem] = []
    crashed = None if is_open_here(p) else crashed_session(p)
    if crashed is not None and not p.with_name(p.name + "-wal").exists():
        problems.append(CheckProblem("journal-missing", missing_wal_message(p, crashed)))
    con = sqlite3.connect(readonly_uri(p), uri=True, timeout=busy_timeout_ms / 1000)
    try:
        damaged = _sqlite_checks(con, problems, p)
        head = head_revision()
        if state.revision != head:
            problems.append(
                CheckProblem(
                    "schema",
                    _(
                        "The schema of the base is at revision {revision}, this CustDesk writes {head}: "
                        "open the base once in CustDesk to upgrade it."
                    ).format(revision=state.revision, head=head),
                )
            )
        elif not damaged:
            try:
                _application_checks(con, problems)
            except sqlite3.DatabaseError as exc:
                if _is_busy(exc):
                    raise _busy(p) from exc
                problems.append(
                    CheckProblem("integrity", _("SQLite cannot read the base: {reason}").format(reason=exc))
                )
    finally:
        con.close()
    return CheckReport(p, state.revision, tuple(problems))


def _busy(path: Path) -> BaseLockedError:
    return BaseLockedError(
        _(
            "The base {path} is busy: another program is writing to it, so it cannot be checked now. "
            "This is not damage. Try again when that program has finished (or give a longer --busy-timeout)."
        ).format(path=path)
    )


def _sqlite_checks(con: sqlite3.Connection, problems: list[CheckProblem], path: Path) -> bool:
    """SQLite's integrity and foreign-key checks; returns whether the file itself is damaged."""
    try:
        rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise _busy(path) from exc
        problems.append(
            CheckProblem("integrity", _("SQLite cannot read the base: {reason}").format(reason=exc))
        )
        return True
    damage = [r for r in rows if r != "ok"]
    for row in damage:
        problems.append(CheckProblem("integrity", _("SQLite reports damage: {detail}").format(detail=row)))
    try:
        fk_rows = con.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise _busy(path) from exc
        problems.append(
            CheckProblem(
                "integrity", _("SQLite cannot check the links between tables: {reason}").format(reason=exc)
            )
        )
        return True
    for table, rowid, parent, fkid in fk_rows[:MAX_PER_KIND]:
        column = _fk_column(con, table, fkid)
        problems.append(
            CheckProblem(
                "foreign-key",
                _(
                    "Row {rowid} of table {table} points to a missing row of table {parent} "
                    "(column {column})."
                ).format(rowid=rowid, table=table, parent=parent, column=column),
                table,
                rowid,
            )
        )
    _more(problems, len(fk_rows))
    return bool(damage)


def _fk_column(con: sqlite3.Connection, table: str, fkid: int) -> str:
    for row in con.execute(f'PRAGMA foreign_key_list("{table}")'):
        if row[0] == fkid:
            return str(row[3])
    return "?"


def _more(problems: list[CheckProblem], total: int) -> None:
    if total > MAX_PER_KIND:
        rest = total - MAX_PER_KIND
        problems.append(
            CheckProblem(
                "more",
                ngettext(
                    "... and {count} more problem of the same kind.",
                    "... and {count} more problems of the same kind.",
                    rest,
                ).format(count=rest),
            )
        )


def _money(minor_units: int | None) -> Decimal:
    return (Decimal(int(minor_units or 0)) / 100).quantize(Decimal("0.01"))


def _journal_chain(con: sqlite3.Connection, problems: list[CheckProblem]) -> None:
    """The journal's hash chain, walked to its first broken link (a deleted, edited or moved entry)."""
    from custdesk.core.services.journal_chain import verify_rows

    head_row = con.execute("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1").fetchone()
    head = (int(head_row[0]), str(head_row[1])) if head_row is not None else None
    cursor = con.execute("SELECT * FROM audit ORDER BY chain_seq IS NULL, chain_seq, id")
    names = [d[0] for d in cursor.description]
    broken = verify_rows((dict(zip(names, row, strict=True)) for row in cursor), head)
    if broken is not None:
        problems.append(CheckProblem("journal-chain", broken.message))


def _application_checks(con: sqlite3.Connection, problems: list[CheckProblem]) -> None:
    """The rules of the application that SQLite cannot know."""
    _journal_chain(con, problems)
    nameless = con.execute(
        "SELECT id, external_id FROM clients WHERE trim(name) = '' AND trim(organisation) = '' ORDER BY id"
    ).fetchall()
    for client_id, external_id in nameless[:MAX_PER_KIND]:
        problems.append(
            CheckProblem(
                "client-name",
                _("Client {id} ({external_id}) has neither a name nor an organisation.").format(
                    id=client_id, external_id=external_id
                ),
                "clients",
                client_id,
            )
        )
    _more(problems, len(nameless))

    bad_phones = [
        row
        for row in con.execute("SELECT id, client_id, number FROM phones ORDER BY id")
        if not E164.match(str(row[2] or ""))
    ]
    for phone_id, client_id, number in bad_phones[:MAX_PER_KIND]:
        problems.append(
            CheckProblem(
                "phone-format",
                _(
                    "Phone {phone_id} of client {client_id} is {number!r}, not in E.164 form "
                    "(a + and up to 15 digits)."
                ).format(phone_id=phone_id, client_id=client_id, number=number),
                "phones",
                phone_id,
            )
        )
    _more(problems, len(bad_phones))

    # As the services keep them (services/_shared.refresh_purchase_figures): a purchase counts when its
    # amount is positive, the revenue sums every amount (returns included), the last purchase is the
    # latest positive one. Money is integer minor units and dates ISO text: plain comparison is exact.
    disagreeing = con.execute(
        """
        SELECT c.id, c.purchase_count, c.revenue_total, c.last_purchase_on,
               coalesce(p.n, 0), coalesce(p.total, 0), p.last
        FROM clients AS c
        LEFT JOIN (
            SELECT client_id, sum(amount > 0) AS n, sum(amount) AS total,
                   max(CASE WHEN amount > 0 THEN purchased_on END) AS last
            FROM purchases GROUP BY client_id
        ) AS p ON p.client_id = c.id
        WHERE c.purchase_count IS NOT coalesce(p.n, 0)
           OR c.revenue_total IS NOT coalesce(p.total, 0)
           OR c.last_purchase_on IS NOT p.last
        ORDER BY c.id
        """
    ).fetchall()
    none = _("none")
    for cid, count, revenue, last, real_count, real_revenue, real_last in disagreeing[:MAX_PER_KIND]:
        problems.append(
            CheckProblem(
                "client-figures",
                _(
                    "Client {id}: the figures kept on the client (purchases {count}, revenue {revenue}, "
                    "last purchase {last}) disagree with its purchases (purchases {real_count}, "
                    "revenue {real_revenue}, last purchase {real_last})."
                ).format(
                    id=cid,
                    count=count,
                    revenue=_money(revenue),
                    last=last or none,
                    real_count=real_count,
                    real_revenue=_money(real_revenue),
                    real_last=real_last or none,
                ),
                "clients",
                cid,
            )
        )
    _more(problems, len(disagreeing))
