"""Backups with SQLite's online backup API: automatic and rotating, on demand, and restore.

A backup is a complete, consistent base file made while the base is open (the backup API copies pages
under a read transaction, so it is safe beside a running CustDesk). Before a backup replaces anything,
it is checked with ``PRAGMA integrity_check``; a damaged base is never rotated over good backups.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from custdesk.core.errors import CorruptBaseError, CustDeskError, NewerSchemaError, NotABaseError
from custdesk.i18n import _
from custdesk.paths import backups_dir

log = logging.getLogger("custdesk.backup")

AUTO_PREFIX = "auto-"
UPGRADE_PREFIX = "before-upgrade-"
RESTORE_PREFIX = "before-restore-"
SUFFIX = ".sqlite"
STAMP = "%Y%m%d-%H%M%S"
AUTO_INTERVAL = timedelta(days=1)
_STAMP_RE = re.compile(r"(\d{8}-\d{6})")


class BackupError(CustDeskError):
    """A backup or a restore could not be made; nothing was replaced."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a base."""

    path: Path
    kind: str  # auto | before-upgrade | before-restore | manual
    made_at: datetime
    size: int


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime(STAMP)


def _unique(target: Path) -> Path:
    """``target``, or ``name-2.sqlite``, ``name-3.sqlite`` ... when it is taken."""
    n = 2
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
        n += 1
    return candidate


def _fingerprint(base: Path) -> tuple[int, int, bool]:
    st = base.stat()
    return st.st_mtime_ns, st.st_size, base.with_name(base.name + "-wal").exists()


def _copy_once(source: Path, partial: Path, uri: str) -> None:
    src = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=4096)
            # A backup is a single file: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
            problems = [r[0] for r in dst.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("; ".join(problems[:3]))
        finally:
            dst.close()
    finally:
        src.close()


def _copy(source: Path, target: Path) -> None:
    """Copy the base ``source`` to ``target`` with the online backup API, atomically.

    Nothing is created beside ``source`` (see :func:`custdesk.core.db.readonly_uri`). When nobody had
    the base open and someone opened and changed it during the copy, the copy is made again through a
    normal read-only connection, which sees the other's write-ahead log.
    """
    from custdesk.core.db import _sqlite_uri, readonly_uri

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        before = _fingerprint(source)
        uri = readonly_uri(source)
        _copy_once(source, partial, uri)
        if "immutable=1" in uri and _fingerprint(source) != before:
            partial.unlink(missing_ok=True)
            _copy_once(source, partial, _sqlite_uri(source, mode="ro"))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """What SQLite's integrity and foreign-key checks say is wrong with a base file (empty: healthy).

    Args:
        path: the base file; it is read without creating anything beside it.
        quick: ``PRAGMA quick_check`` instead of the full ``integrity_check``.
    """
    from custdesk.core.db import readonly_uri

    try:
        con = sqlite3.connect(readonly_uri(Path(path)), uri=True, timeout=5)
    except sqlite3.Error as exc:  # pragma: no cover - connect is lazy in SQLite
        return [str(exc)]
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
        problems = [r for r in rows if r != "ok"]
        for table, rowid, parent, _fk in con.execute("PRAGMA foreign_key_check"):
            problems.append(
                _("{table} row {rowid} points to a missing row of {parent}").format(
                    table=table, rowid=rowid, parent=parent
                )
            )
        return problems
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        con.close()


def make_backup(
    base_path: Path,
    target: Path | None = None,
    *,
    kind: str = "manual",
    now: datetime | None = None,
    overwrite: bool = False,
) -> Path:
    """Back up the base to ``target`` and return the file made.

    Args:
        base_path: the base; it may be open in a CustDesk meanwhile (the backup takes no lock).
        target: the backup file; None: a new file in the base's backup folder; a folder: a new file in it.
        kind: ``auto``, ``manual`` or ``before-upgrade``: the prefix of a file name made here.
        now: the time written into a made file name (None: the clock).
        overwrite: replace an existing ``target`` (otherwise refused).

    Raises:
        BackupError: nothing was made (and nothing replaced).
    """
    base_path = Path(base_path)
    prefix = {"auto": AUTO_PREFIX, "manual": "manual-"}.get(kind, kind + "-")
    name = f"{prefix}{_stamp(now)}{SUFFIX}"
    if target is None:
        target = _unique(backups_dir(base_path) / name)
    elif Path(target).is_dir():
        target = _unique(Path(target) / f"{base_path.stem}-{name}")
    target = Path(target).expanduser().absolute()
    if target.resolve() == base_path.resolve():
        raise BackupError(_("A backup cannot overwrite the base itself."))
    if target.exists() and not overwrite:
        raise BackupError(
            _("{target} already exists; choose another file name for the backup.").format(target=target)
        )
    try:
        _copy(base_path, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(
            _("The backup to {target} failed: {reason}").format(target=target, reason=exc)
        ) from exc
    log.info("backed up %s to %s", base_path, target)
    return target


def copy_before_upgrade(base_path: Path, revision: str, now: datetime | None = None) -> Path:
    """The copy made before migrating a base to a newer schema (kept apart from the rotation)."""
    target = _unique(backups_dir(base_path) / f"{UPGRADE_PREFIX}{revision}-{_stamp(now)}{SUFFIX}")
    return make_backup(base_path, target, kind="before-upgrade")


def _made_at(p: Path) -> datetime:
    """When a backup was made: the stamp in its name, else the file's time."""
    match = _STAMP_RE.search(p.name)
    if match:
        try:
            return datetime.strptime(match.group(1), STAMP)
        except ValueError:
            pass
    return datetime.fromtimestamp(p.stat().st_mtime)


def list_backups(base_path: Path) -> list[BackupInfo]:
    """The backups of a base in its backup folder, newest first."""
    folder = backups_dir(Path(base_path))
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"*{SUFFIX}"):
        kind = "manual"
        for prefix in (AUTO_PREFIX, UPGRADE_PREFIX, RESTORE_PREFIX):
            if p.name.startswith(prefix):
                kind = prefix.rstrip("-")
        found.append(BackupInfo(p, kind, _made_at(p), p.stat().st_size))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def rotate(base_path: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond ``keep``; returns the deleted files."""
    autos = [b for b in list_backups(base_path) if b.kind == "auto"]
    removed = []
    for b in autos[max(keep, 1) :]:
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:  # pragma: no cover - a locked file on Windows
            log.warning("could not remove old backup %s: %s", b.path, exc)
    return removed


def auto_backup_due(base_path: Path, now: datetime | None = None) -> bool:
    """Whether the last automatic backup is older than a day (or there is none)."""
    autos = [b for b in list_backups(base_path) if b.kind == "auto"]
    return not autos or (now or datetime.now()) - autos[0].made_at >= AUTO_INTERVAL


def auto_backup(db: object, now: datetime | None = None) -> Path | None:
    """The daily backup made on open: checked first, then copied, then rotated.

    Args:
        db: the open :class:`~custdesk.core.db.Database`.
        now: the time compared with the last automatic backup (None: the clock).

    Returns:
        The backup made, or None when the last one is younger than a day.

    Raises:
        CorruptBaseError: the base is damaged; good backups are not pushed out of the rotation by it.
    """
    from custdesk.core.db import Database
    from custdesk.core.services import settings

    assert isinstance(db, Database)
    if not auto_backup_due(db.path, now):
        return None
    problems = integrity_problems(db.path, quick=True)
    if problems:
        raise CorruptBaseError(
            _("The base {path} is damaged ({reason}). Restore it from a backup.").format(
                path=db.path, reason="; ".join(problems[:3])
            )
        )
    target = make_backup(db.path, kind="auto", now=now)
    rotate(db.path, int(settings.get(db, "backup_keep")))
    return target


def verify_backup(path: Path) -> None:
    """Refuse a file that is not a healthy CustDesk base (before it replaces anything).

    Raises:
        BackupError, BaseOpenError: what is wrong with the file, in words.
    """
    from custdesk.core.db import check_header, inspect_base, known_revisions

    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no backup file at {path}.").format(path=path))
    check_header(path)
    if path.stat().st_size == 0:
        raise NotABaseError(_("{path} is an empty file, not a CustDesk backup.").format(path=path))
    state = inspect_base(path)
    if state.revision is None:
        raise NotABaseError(_("{path} is not a CustDesk base.").format(path=path))
    if state.revision not in known_revisions():
        raise NewerSchemaError(
            _("The backup {path} was made by a newer CustDesk (schema {revision}).").format(
                path=path, revision=state.revision
            )
        )
    problems = integrity_problems(path)
    if problems:
        raise CorruptBaseError(
            _("The backup {path} is damaged: {reason}").format(path=path, reason="; ".join(problems[:3]))
        )


def _keep_current(base_path: Path, now: datetime | None) -> Path | None:
    """Copy the base about to be replaced into its backup folder (a damaged base: byte for byte)."""
    if not base_path.exists() or base_path.stat().st_size == 0:
        return None
    safety = _unique(backups_dir(base_path) / f"{RESTORE_PREFIX}{_stamp(now)}{SUFFIX}")
    try:
        _copy(base_path, safety)
    except sqlite3.DatabaseError:
        # The base is too damaged for SQLite to read: keep its bytes (and its log) as they are.
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
        refuse_if_open_here,
    )

    timeout_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
    from custdesk.core.lock import BaseLock

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
                src = sqlite3.connect(f"file:{quote(str(backup_path))}?mode=ro", uri=True)
                try:
                    dst = sqlite3.connect(base_path, timeout=timeout_ms / 1000)
                    try:
                        src.backup(dst)
                        dst.execute("PRAGMA journal_mode = WAL")
                    finally:
                        dst.close()
                finally:
                    src.close()
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(
                _("The restore failed: {reason}. The previous base is kept as {safety}.").format(
                    reason=exc, safety=safety
                )
            ) from exc
        log.info("restored %s from %s (previous base kept as %s)", base_path, backup_path, safety)
        return safety
    finally:
        lock.release()
