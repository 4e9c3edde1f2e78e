"""Backups with SQLite's online backup API: automatic and rotating, and on demand.

A backup is a complete, consistent base file made while the base is open (the backup API copies pages
under one read transaction, so it is safe beside a running CustDesk and sees one moment of the base).
Before a backup replaces anything, it is checked with ``PRAGMA integrity_check``; a damaged base is never
rotated over good backups. Restoring one is :mod:`custdesk.core.restore`.

Every backup carries a sequence number in its header (``PRAGMA user_version``, which the schema does not
use): one more than the highest in the folder. Backups are ordered by it, so a file named with a wrong
clock's date (``auto-20991231-…``) neither stays "the newest" for ever nor stops new backups. A file in the
folder that does not check out (not SQLite, truncated) is listed with its problem and never counts as a
backup.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from custdesk import paths
from custdesk.core.errors import CorruptBaseError, CustDeskError
from custdesk.i18n import _, ngettext
from custdesk.paths import backups_dir

log = logging.getLogger("custdesk.backup")

AUTO_PREFIX = "auto-"
UPGRADE_PREFIX = "before-upgrade-"
RESTORE_PREFIX = "before-restore-"
SUFFIX = ".sqlite"
STAMP = "%Y%m%d-%H%M%S"
AUTO_INTERVAL = timedelta(days=1)
# A backup stamped later than this ahead of the clock was named by a wrong clock (or the clock is wrong
# now): it does not count as the latest backup.
CLOCK_SLACK = timedelta(hours=1)
_STAMP_RE = re.compile(r"(\d{8}-\d{6})")
_SIDE_FILES = ("-journal", "-wal", "-shm")
STEP_PAGES = 1024  # pages copied between progress reports (4 MB with 4 KB pages)

Progress = Callable[[int, int], None]


class BackupError(CustDeskError):
    """A backup or a restore could not be made; nothing was replaced."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a base."""

    path: Path
    kind: str  # auto | before-upgrade | before-restore | manual
    made_at: datetime
    size: int
    seq: int = 0  # the order the backups were made in (0: a backup made before sequence numbers)
    problem: str | None = None  # what does not check out (then it is not a usable backup), in words

    @property
    def sound(self) -> bool:
        """Whether the file looks like a whole base (its header and size agree)."""
        return self.problem is None


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


def _remove_partial(partial: Path) -> None:
    """Remove a half-made copy and its side files (a killed run leaves ``X.partial-journal``: a stale
    journal beside a new ``X.partial`` would be rolled back into it)."""
    for side in _SIDE_FILES:
        partial.with_name(partial.name + side).unlink(missing_ok=True)
    partial.unlink(missing_ok=True)


def _copy_once(uri: str, partial: Path, seq: int | None, progress: Progress | None) -> None:
    src = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
    try:
        # One read transaction for the whole copy: every step reads the same moment of the base, and
        # commits by others meanwhile (to the write-ahead log) neither wait for it nor restart it.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        paths.create_private_file(partial)  # a backup is as private as the base (POSIX 0600)
        dst = sqlite3.connect(partial, isolation_level=None)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=STEP_PAGES, progress=step)
            # A backup is a single file: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
            if seq is not None:
                dst.execute(f"PRAGMA user_version = {int(seq)}")
            problems = [r[0] for r in dst.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise _Damaged(problems)
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()


class _Damaged(sqlite3.DatabaseError):
    """The copy of the base does not pass SQLite's quick check: the base itself is damaged."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems[0] if problems else "")


def _copy(source: Path, target: Path, *, seq: int | None = None, progress: Progress | None = None) -> None:
    """Copy the base ``source`` to ``target`` with the online backup API, atomically.

    Nothing is created beside ``source`` (see :func:`custdesk.core.db.readonly_uri`). When nobody had
    the base open and someone opened and changed it during the copy, the copy is made again through a
    normal read-only connection, which sees the other's write-ahead log.
    """
    from custdesk.core.db import _sqlite_uri, readonly_uri

    paths.private_dir(target.parent)
    partial = target.with_name(target.name + ".partial")
    try:
        _remove_partial(partial)
        before = _fingerprint(source)
        uri = readonly_uri(source)
        _copy_once(uri, partial, seq, progress)
        if "immutable=1" in uri and _fingerprint(source) != before:
            _remove_partial(partial)
            _copy_once(_sqlite_uri(source, mode="ro"), partial, seq, progress)
        os.replace(partial, target)
    except BaseException:
        _remove_partial(partial)
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
    progress: Progress | None = None,
) -> Path:
    """Back up the base to ``target`` and return the file made.

    Args:
        base_path: the base; it may be open in a CustDesk meanwhile (the backup takes no lock).
        target: the backup file; None: a new file in the base's backup folder; a folder: a new file in it.
        kind: ``auto``, ``manual`` or ``before-upgrade``: the prefix of a file name made here.
        now: the time written into a made file name (None: the clock).
        overwrite: replace an existing ``target`` (otherwise refused).
        progress: called with (pages copied, pages in all) while the copy runs.

    Raises:
        BackupError: nothing was made (and nothing replaced).
        CorruptBaseError: the base is damaged; nothing was made.
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
    seq = next_seq(base_path) if target.parent == backups_dir(base_path) else None
    try:
        _copy(base_path, target, seq=seq, progress=progress)
    except _Damaged as exc:
        raise damaged_base_error(base_path, exc.problems) from exc
    except sqlite3.DatabaseError as exc:
        from custdesk.core.db import _is_busy, _is_corruption

        if _is_corruption(exc):
            raise damaged_base_error(base_path, [str(exc)]) from exc
        if _is_busy(exc):
            raise BackupError(
                _(
                    "The base {path} is busy in another program; the backup was not made. Try again later."
                ).format(path=base_path)
            ) from exc
        raise _failed(target, exc) from exc
    except (sqlite3.Error, OSError) as exc:
        raise _failed(target, exc) from exc
    log.info("backed up %s to %s", base_path, target)
    return target


def _failed(target: Path, exc: BaseException) -> BackupError:
    from custdesk.core.db import _is_full

    if _is_full(exc):
        return BackupError(
            _(
                "The disk holding {folder} is full; the backup was not made. "
                "Free some space there, or back up to another disk."
            ).format(folder=target.parent)
        )
    return BackupError(
        _("The backup to {target} failed: {reason}").format(target=target, reason=_reason(exc))
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def damaged_base_error(base_path: Path, problems: list[str]) -> CorruptBaseError:
    """The message for a base SQLite finds damaged: what, in one line, and what to do (not SQLite's list)."""
    first = problems[0] if problems else ""
    return CorruptBaseError(
        ngettext(
            "The base {path} is damaged (SQLite finds {count} problem, the first: {first}). "
            "No backup was made, and the existing backups were kept. See what is wrong with "
            "custdesk-cli check, and restore the last good backup (custdesk-cli restore --list).",
            "The base {path} is damaged (SQLite finds {count} problems, the first: {first}). "
            "No backup was made, and the existing backups were kept. See what is wrong with "
            "custdesk-cli check, and restore the last good backup (custdesk-cli restore --list).",
            len(problems),
        ).format(path=base_path, count=len(problems), first=first)
    )


def copy_before_upgrade(base_path: Path, revision: str, now: datetime | None = None) -> Path:
    """The copy made before migrating a base to a newer schema (kept apart from the rotation)."""
    target = _unique(backups_dir(base_path) / f"{UPGRADE_PREFIX}{revision}-{_stamp(now)}{SUFFIX}")
    return make_backup(base_path, target, kind="before-upgrade")


def _made_at(p: Path) -> datetime:
    """When a backup was made by its name (the clock of that moment), else the file's time."""
    match = _STAMP_RE.search(p.name)
    if match:
        try:
            return datetime.strptime(match.group(1), STAMP)
        except ValueError:
            pass
    return datetime.fromtimestamp(p.stat().st_mtime)


def _header_facts(p: Path) -> tuple[int, str | None]:
    """The sequence number and what is wrong with a backup file, from its header and size alone."""
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return 0, _("cannot be read: {reason}").format(reason=exc.strerror or exc)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return 0, _("not a base file (not SQLite)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return 0, _("damaged header")
    seq = int.from_bytes(header[60:64], "big", signed=True)
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if size % page_size or (counter_valid and pages and size < pages * page_size):
        return max(seq, 0), _("truncated (the file is shorter than its header says)")
    return max(seq, 0), None


def list_backups(base_path: Path) -> list[BackupInfo]:
    """The backups of a base in its backup folder, newest first (in the order they were made).

    A file that does not check out (see :attr:`BackupInfo.problem`) is listed too, after the sound ones.
    """
    folder = backups_dir(Path(base_path))
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"*{SUFFIX}"):
        kind = "manual"
        for prefix in (AUTO_PREFIX, UPGRADE_PREFIX, RESTORE_PREFIX):
            if p.name.startswith(prefix):
                kind = prefix.rstrip("-")
        try:
            size = p.stat().st_size
        except OSError:
            continue
        seq, problem = _header_facts(p)
        found.append(BackupInfo(p, kind, _made_at(p), size, seq, problem))
    return sorted(found, key=lambda b: (b.sound, b.seq, b.made_at, b.path.name), reverse=True)


def next_seq(base_path: Path) -> int:
    """The sequence number of the next backup in the base's folder."""
    return 1 + max((b.seq for b in list_backups(base_path)), default=0)


def _sound_autos(base_path: Path) -> list[BackupInfo]:
    return [b for b in list_backups(base_path) if b.kind == "auto" and b.sound]


def rotate(base_path: Path, keep: int) -> list[Path]:
    """Keep the automatic backups of the ``keep`` latest days (the last of each day); returns the
    deleted files. Files that do not check out are not counted and not deleted."""
    kept_days: set[object] = set()
    removed = []
    for b in _sound_autos(base_path):
        day = b.made_at.date()
        if day not in kept_days and len(kept_days) < max(keep, 1):
            kept_days.add(day)
            continue
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:  # pragma: no cover - a locked file on Windows
            log.warning("could not remove old backup %s: %s", b.path, exc)
    return removed


def last_auto_backup(base_path: Path) -> BackupInfo | None:
    """The automatic backup made last (by sequence, not by the date in its name), if any sound one."""
    autos = _sound_autos(base_path)
    return autos[0] if autos else None


def auto_backup_due(base_path: Path, now: datetime | None = None) -> bool:
    """Whether a day has passed since the last automatic backup (or there is none).

    A last backup dated ahead of the clock was named by a wrong clock: a new one is due.
    """
    now = now or datetime.now()
    last = last_auto_backup(base_path)
    if last is None or last.made_at > now + CLOCK_SLACK:
        return True
    return now - last.made_at >= AUTO_INTERVAL


def auto_backup(
    db: object, now: datetime | None = None, *, force: bool = False, progress: Progress | None = None
) -> Path | None:
    """The daily backup: checked first, then copied, then rotated.

    Args:
        db: the open :class:`~custdesk.core.db.Database`.
        now: the time compared with the last automatic backup (None: the clock).
        force: back up even when the last one is younger than a day (when a window closes after work).
        progress: called with (pages copied, pages in all) while the copy runs.

    Returns:
        The backup made, or None when none was due.

    Raises:
        CorruptBaseError: the base is damaged; good backups are not pushed out of the rotation by it.
        BackupError: the copy could not be made (a full disk, say); nothing was rotated.
    """
    from custdesk.core.db import Database
    from custdesk.core.services import settings

    assert isinstance(db, Database)
    if not force and not auto_backup_due(db.path, now):
        return None
    problems = integrity_problems(db.path, quick=True)
    if problems:
        raise damaged_base_error(db.path, problems)
    target = make_backup(db.path, kind="auto", now=now, progress=progress)
    rotate(db.path, int(settings.get(db, "backup_keep")))
    return target
