"""One CustDesk per base: an OS-level lock on a file beside the base.

The operating system releases the lock when the holding process ends, even by a crash, so a stale lock
file never keeps the owner out. The file records who holds it, for the message shown to the second one,
and whether a working session (with SQLite's write-ahead log) is open: a lock file still saying so when
nobody holds it means that CustDesk ended without closing the base (see :func:`crashed_session`).
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import IO

from custdesk.core.errors import BaseLockedError, DiskFullError, ReadOnlyBaseError
from custdesk.i18n import _
from custdesk.paths import lock_path

if sys.platform == "win32":  # pragma: no cover - exercised on the Windows CI runner
    import msvcrt

    # Windows' LockFile (msvcrt.locking) is mandatory: nobody can read a locked region, not even another
    # handle of the same process. The holder's details are written at the start of the file for the
    # second CustDesk to show, so the lock is taken on one byte far past them (as SQLite locks bytes at
    # 1 GiB); a region past the end of a file can be locked without the file growing.
    LOCK_OFFSET = 1 << 30

    def _lock_byte(fh: IO[str], mode: int) -> None:
        fh.flush()
        os.lseek(fh.fileno(), LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fh.fileno(), mode, 1)
        finally:
            fh.seek(0)

    def _try_lock(fh: IO[str]) -> bool:
        try:
            _lock_byte(fh, msvcrt.LK_NBLCK)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[str]) -> None:
        _lock_byte(fh, msvcrt.LK_UNLCK)

    def _held_elsewhere(fh: IO[str]) -> bool:
        if not _try_lock(fh):
            return True
        _unlock(fh)
        return False

else:
    import fcntl

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _held_elsewhere(fh: IO[str]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


class BaseLock:
    """The lock of one base, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, base_path: Path) -> None:
        self.base_path = Path(base_path)
        self.path = lock_path(self.base_path)
        self._fh: IO[str] | None = None
        self._info: dict[str, object] = {}
        self.previous: dict[str, object] = {}  # what a holder that never released it had written

    def acquire(self) -> None:
        """Take the lock or raise :class:`BaseLockedError` naming the holder."""
        try:
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open while locked
        except OSError as exc:
            raise ReadOnlyBaseError(
                _("CustDesk cannot write beside the base {path}: {reason}").format(
                    path=self.base_path, reason=exc.strerror or exc
                )
            ) from exc
        locked = _try_lock(fh)
        if locked and not self._same_file(fh):
            # The holder released and removed the file between our open and our lock: start over.
            _unlock(fh)
            fh.close()
            self.acquire()
            return
        if not locked:
            holder = self._read_holder()
            fh.close()
            raise BaseLockedError(
                _(
                    "The base {path} is already open in another CustDesk ({holder}). "
                    "Close it there first, or open a different base."
                ).format(path=self.base_path, holder=holder)
            )
        self.previous = _parse(fh)
        self._info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": getpass.getuser(),
            "since": datetime.now().isoformat(timespec="seconds"),
        }
        try:
            _write(fh, self._info)
        except OSError as exc:
            # A full disk: nothing may stay behind (a lock file left here would be taken for a crash).
            with contextlib.suppress(OSError):
                fh.truncate(0)
            with contextlib.suppress(OSError):
                _unlock(fh)
            with contextlib.suppress(OSError):
                fh.close()  # flushes what could not be written: fails again
            with contextlib.suppress(OSError):
                self.path.unlink()
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFullError(
                    _(
                        "The disk holding {folder} is full; CustDesk cannot open the base {path}. "
                        "Free some space on it and try again."
                    ).format(folder=self.base_path.parent, path=self.base_path)
                ) from exc
            raise ReadOnlyBaseError(
                _("CustDesk cannot write beside the base {path}: {reason}").format(
                    path=self.base_path, reason=exc.strerror or exc
                )
            ) from exc
        self._fh = fh

    def note(self, **fields: object) -> None:
        """Add ``fields`` to what the lock file records (best effort: a full disk only loses the note)."""
        if self._fh is None:
            return
        self._info.update(fields)
        with contextlib.suppress(OSError):
            _write(self._fh, self._info)

    def _same_file(self, fh: IO[str]) -> bool:
        """Whether the locked handle is still the file at :attr:`path` (not one removed meanwhile)."""
        if sys.platform == "win32":  # pragma: no cover - Windows cannot remove an open file
            return True
        try:
            return os.fstat(fh.fileno()).st_ino == os.stat(self.path).st_ino
        except OSError:
            return False

    def _read_holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            info = {}
        if not info:
            return _("another program")
        return _("user {user} on {host}, process {pid}, since {since}").format(
            user=info.get("user", "?"),
            host=info.get("host", "?"),
            pid=info.get("pid", "?"),
            since=info.get("since", "?"),
        )

    def release(self) -> None:
        """Give the lock back and remove the lock file."""
        if self._fh is None:
            return
        try:
            self._fh.seek(0)
            self._fh.truncate()
            _unlock(self._fh)
        finally:
            self._fh.close()
            self._fh = None
        with contextlib.suppress(OSError):
            self.path.unlink()

    @property
    def crashed_before(self) -> bool:
        """Whether the previous holder had a working session open and never released the lock."""
        return bool(self.previous.get("session"))

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fh is not None


def _parse(fh: IO[str]) -> dict[str, object]:
    try:
        fh.seek(0)
        info = json.loads(fh.read() or "{}")
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def _write(fh: IO[str], info: dict[str, object]) -> None:
    fh.seek(0)
    fh.truncate()
    fh.write(json.dumps(info))
    fh.flush()


def crashed_session(base_path: Path) -> dict[str, object] | None:
    """What a CustDesk that ended without closing the base had written in its lock file (None: none).

    Looks without changing anything: the lock file is only read, and the lock tried and given back at
    once. A lock held by a running CustDesk is no crash.
    """
    path = lock_path(Path(base_path))
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        return None
    try:
        info = _parse(fh)
        if not info.get("session") or _held_elsewhere(fh):
            return None  # no session, or held: that CustDesk is running
        return info
    finally:
        fh.close()
