"""Restoring a base from a backup: the backup checked first, the replaced base kept, nothing else touched.

The backup gets the same checks as ``custdesk-cli check`` (SQLite's, then the application's rules) and is
refused, naming the problems, when it fails them. The base is replaced only when it is a CustDesk base
(healthy or damaged) or missing: another program's database, or a base of a newer CustDesk, is refused.
The replaced base is first kept as a ``before-restore`` backup; nothing is created beside the backup read.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from custdesk.core.backup import (
    RESTORE_PREFIX,
    SUFFIX,
    BackupError,
    _copy,
    _header_facts,
    _reason,
    _stamp,
    _unique,
    next_seq,
)
from custdesk.core.errors import CorruptBaseError, NewerSchemaError, NotABaseError
from custdesk.i18n import _, ngettext
from custdesk.paths import backups_dir

log = logging.getLogger("custdesk.backup")


def verify_backup(path: Path) -> None:
    """Refuse a file that is not a healthy CustDesk base (before it replaces anything).

    The file gets the same checks as ``custdesk-cli check``: SQLite's integrity and links, then the
    application's own rules (a backup whose kept figures disagree with its purchases is refused too).

    Raises:
        BackupError, BaseOpenError: what is wrong with the file, in words that call it the backup.
    """
    from custdesk.core.check import check_base
    from custdesk.core.db import check_header

    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no backup file at {path}.").format(path=path))
    check_header(path)
    if path.stat().st_size == 0:
        raise NotABaseError(_("{path} is an empty file, not a CustDesk backup.").format(path=path))
    _seq, problem = _header_facts(path)
    if problem is not None:
        raise CorruptBaseError(
            _("The backup {path} is damaged: {reason}. Choose another backup; nothing was replaced.").format(
                path=path, reason=problem
            )
        )
    try:
        report = check_base(path)
    except NewerSchemaError as exc:
        raise NewerSchemaError(
            _(
                "The backup {path} was made by a newer CustDesk. Install the newer CustDesk to restore it."
            ).format(path=path)
        ) from exc
    except NotABaseError as exc:
        raise NotABaseError(_("{path} is not a CustDesk backup.").format(path=path)) from exc
    # An older schema is fine: the restored base is upgraded when it is opened.
    problems = [p for p in report.problems if p.kind != "schema"]
    if not problems:
        return
    shown = "\n".join(_("- {problem}").format(problem=p.message) for p in problems[:5])
    error = CorruptBaseError if any(p.kind == "integrity" for p in problems) else BackupError
    raise error(
        ngettext(
            "The backup {path} does not pass the checks ({count} problem); nothing was replaced. "
            "Choose another backup.\n{problems}",
            "The backup {path} does not pass the checks ({count} problems); nothing was replaced. "
            "Choose another backup.\n{problems}",
            len(problems),
        ).format(path=path, count=len(problems), problems=shown)
    )


def _refuse_foreign(base_path: Path, timeout_ms: int) -> None:
    """Refuse to replace another program's database, or a base of a newer CustDesk (a damaged base of
    ours may be replaced: that is what restore is for)."""
    from custdesk.core.db import APPLICATION_ID, inspect_base, known_revisions

    if base_path.stat().st_size == 0:
        return
    try:
        state = inspect_base(base_path, busy_timeout_ms=timeout_ms)
    except CorruptBaseError:
        return
    if (state.has_tables and state.revision is None) or state.application_id not in (0, APPLICATION_ID):
        raise NotABaseError(
            _(
                "{path} is a database of another program, not a CustDesk base; a restore would replace it. "
                "Give the path of the CustDesk base to restore."
            ).format(path=base_path)
        )
    if state.revision is not None and state.revision not in known_revisions():
        raise NewerSchemaError(
            _(
                "The base {path} was made by a newer CustDesk (schema {revision}); restore it with that "
                "CustDesk. Nothing was replaced."
            ).format(path=base_path, revision=state.revision)
        )


def _keep_current(base_path: Path, now: datetime | None) -> Path | None:
    """Copy the base about to be replaced into its backup folder (a damaged base: byte for byte)."""
    if not base_path.exists() or base_path.stat().st_size == 0:
        return None
    safety = _unique(backups_dir(base_path) / f"{RESTORE_PREFIX}{_stamp(now)}{SUFFIX}")
    try:
        _copy(base_path, safety, seq=next_seq(base_path))
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        # The base is too damaged for SQLite to read (a damaged schema can make even SQLite's message not
        # UTF-8): keep its bytes (and its log) as they are.
        safety.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base_path, safety)
        wal = base_path.with_name(base_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, safety.with_name(safety.name + "-wal"))
    return safety


def _replace_file(base_path: Path, backup_path: Path) -> None:
    """Put a copy of the backup in place of a base SQLite cannot write into (a damaged one)."""
    incoming = base_path.with_name(base_path.name + ".restoring")
    try:
        shutil.copyfile(backup_path, incoming)
        for side in ("-wal", "-shm"):
            base_path.with_name(base_path.name + side).unlink(missing_ok=True)
        os.replace(incoming, base_path)
    finally:
        incoming.unlink(missing_ok=True)


def restore(
    base_path: Path, backup_path: Path, *, now: datetime | None = None, busy_timeout_ms: int | None = None
) -> Path | None:
    """Replace the base with a backup; the current base is first kept as a ``before-restore`` backup.

    The backup is verified first; the base must not be open in another CustDesk (the lock is held for the
    time of the restore). A damaged base can be restored over; a file that is not SQLite at all cannot.

    Args:
        base_path: the base to replace (it may be missing: the backup is then copied there).
        backup_path: a healthy CustDesk base file.
        now: the time written into the name of the safety copy (None: the clock).
        busy_timeout_ms: how long to wait for a base another program keeps busy (None: the default).

    Returns:
        The safety copy of the replaced base (None when there was no base).

    Raises:
        CustDeskError: (a subclass naming the problem) the base was not replaced.
    """
    from custdesk.core.db import (
        BUSY_TIMEOUT_MS,
        _check_writable,
        _exists,
        check_header,
        probe_write,
        readonly_uri,
        refuse_if_open_here,
    )

    timeout_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
    from custdesk.core.lock import BaseLock
    from custdesk.core.netpath import refuse_network_base

    refuse_network_base(base_path)  # a base restored onto a share would be one CustDesk then refuses
    base_path = Path(base_path).expanduser().absolute()
    backup_path = Path(backup_path).expanduser().absolute()
    verify_backup(backup_path)
    exists = _exists(base_path)
    if exists and base_path.is_dir():
        raise NotABaseError(_("{path} is a folder, not a CustDesk base.").format(path=base_path))
    if backup_path == base_path:
        raise BackupError(_("A base cannot be restored from itself."))
    refuse_if_open_here(base_path)
    if exists:
        check_header(base_path)
        _refuse_foreign(base_path, timeout_ms)
    _check_writable(base_path, exists)
    lock = BaseLock(base_path)
    lock.acquire()
    try:
        damaged = False
        if exists and base_path.stat().st_size > 0:
            try:
                probe_write(base_path, busy_timeout_ms=timeout_ms)
            except CorruptBaseError:
                damaged = True
        try:
            safety = _keep_current(base_path, now)
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(
                _(
                    "The current base could not be kept before the restore ({reason}); nothing was replaced."
                ).format(reason=exc)
            ) from exc
        try:
            if damaged:
                _replace_file(base_path, backup_path)
            else:
                # Copy pages into the live file through SQLite, so its WAL stays consistent.
                # The backup is read without creating anything beside it (no -shm left behind).
                src = sqlite3.connect(readonly_uri(backup_path), uri=True)
                try:
                    dst = sqlite3.connect(base_path, timeout=timeout_ms / 1000)
                    try:
                        src.backup(dst)
                        dst.execute("PRAGMA journal_mode = WAL")
                        dst.execute("PRAGMA user_version = 0")  # the backup's sequence number
                    finally:
                        dst.close()
                finally:
                    src.close()
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(
                _("The restore failed: {reason}. The previous base is kept as {safety}.").format(
                    reason=_reason(exc), safety=safety
                )
            ) from exc
        log.info("restored %s from %s (previous base kept as %s)", base_path, backup_path, safety)
        return safety
    finally:
        lock.release()
