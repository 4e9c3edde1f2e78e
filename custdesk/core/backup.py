"""Backups with SQLite's online backup API: automatic and rotating, on demand, and restore.

A backup is a complete, consistent base file made while the base is open (the backup API copies pages
under a read transaction, so it is safe beside a running CustDesk). Before a backup replaces anything,
it is checked with ``PRAGMA integrity_check``; a damaged base is never rotated over good backups.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from custdesk.core.errors import BaseOpenError, CorruptBaseError, CustDeskError, NotABaseError
from custdesk.i18n import _
from custdesk.paths import backups_dir

log = logging.getLogger("custdesk.backup")

AUTO_PREFIX = "auto-"
UPGRADE_PREFIX = "before-upgrade-"
RESTORE_PREFIX = "before-restore-"
SUFFIX = ".sqlite"
STAMP = "%Y%m%d-%H%M%S"
AUTO_INTERVAL = timedelta(days=1)


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


def _copy(source: Path, target: Path) -> None:
    """Copy the base ``source`` to ``target`` with the online backup API, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        partial.unlink()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=4096)
            # A backup is a single file: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """What SQLite's integrity and foreign-key checks say is wrong with a base file (empty: healthy)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:  # pragma: no cover
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


def make_backup(base_path: Path, target: Path | None = None, *, kind: str = "manual") -> Path:
    """Back up the base to ``target`` (default: its backup folder) and return the file made."""
    base_path = Path(base_path)
    if target is None:
        prefix = {"auto": AUTO_PREFIX, "manual": "manual-"}.get(kind, kind + "-")
        target = backups_dir(base_path) / f"{prefix}{_stamp()}{SUFFIX}"
    target = Path(target)
    if target.resolve() == base_path.resolve():
        raise BackupError(_("A backup cannot overwrite the base itself."))
    try:
        _copy(base_path, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(
            _("The backup to {target} failed: {reason}").format(target=target, reason=exc)
        ) from exc
    log.info("backed up %s to %s", base_path, target)
    return target


def copy_before_upgrade(base_path: Path, revision: str) -> Path:
    """The copy made before migrating a base to a newer schema."""
    target = backups_dir(base_path) / f"{UPGRADE_PREFIX}{revision}-{_stamp()}{SUFFIX}"
    return make_backup(base_path, target, kind="before-upgrade")


def list_backups(base_path: Path) -> list[BackupInfo]:
    """The backups of a base, newest first."""
    folder = backups_dir(Path(base_path))
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"*{SUFFIX}"):
        kind = "manual"
        for prefix in (AUTO_PREFIX, UPGRADE_PREFIX, RESTORE_PREFIX):
            if p.name.startswith(prefix):
                kind = prefix.rstrip("-")
        st = p.stat()
        found.append(BackupInfo(p, kind, datetime.fromtimestamp(st.st_mtime), st.st_size))
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

    A damaged base raises :class:`CorruptBaseError` instead of pushing good backups out of the rotation.
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
    target = make_backup(db.path, kind="auto")
    rotate(db.path, int(settings.get(db, "backup_keep")))
    return target


def verify_backup(path: Path) -> None:
    """Refuse a file that is not a healthy CustDesk base (before it replaces anything)."""
    from custdesk.core.db import check_header, inspect_base, known_revisions

    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no backup file at {path}.").format(path=path))
    check_header(path)
    state = inspect_base(path)
    if state.revision is None:
        raise NotABaseError(_("{path} is not a CustDesk base.").format(path=path))
    if state.revision not in known_revisions():
        raise BaseOpenError(
            _("The backup {path} was made by a newer CustDesk (schema {revision}).").format(
                path=path, revision=state.revision
            )
        )
    problems = integrity_problems(path)
    if problems:
        raise CorruptBaseError(
            _("The backup {path} is damaged: {reason}").format(path=path, reason="; ".join(problems[:3]))
        )


def restore(base_path: Path, backup_path: Path) -> Path | None:
    """Replace the base with a backup; the current base is first kept as a ``before-restore`` backup.

    The base must not be open in another CustDesk (the lock is taken for the time of the restore).
    Returns the safety copy of the replaced base (None when there was no base).
    """
    from custdesk.core.lock import BaseLock

    base_path = Path(base_path).expanduser().absolute()
    backup_path = Path(backup_path).expanduser().absolute()
    verify_backup(backup_path)
    lock = BaseLock(base_path)
    lock.acquire()
    try:
        safety = None
        if base_path.exists() and base_path.stat().st_size > 0:
            safety = backups_dir(base_path) / f"{RESTORE_PREFIX}{_stamp()}{SUFFIX}"
            try:
                _copy(base_path, safety)
            except (sqlite3.Error, OSError) as exc:
                raise BackupError(
                    _(
                        "The current base could not be kept before the restore ({reason}); nothing was "
                        "replaced."
                    ).format(reason=exc)
                ) from exc
        # Copy pages into the live file through SQLite, so its WAL and readers stay consistent.
        src = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(base_path, timeout=5)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = WAL")
            finally:
                dst.close()
        except sqlite3.Error as exc:
            raise BackupError(_("The restore failed: {reason}").format(reason=exc)) from exc
        finally:
            src.close()
        log.info("restored %s from %s (previous base kept as %s)", base_path, backup_path, safety)
        return safety
    finally:
        lock.release()
