"""Is a base on a network share? SQLite's WAL journal needs shared memory that a network does not give.

SQLite's own documentation ("WAL does not work over a network filesystem", and file locking is broken on
many network filesystems) is why a base on ``\\\\server\\share`` or on a mapped network drive is refused,
with a clear message, instead of being opened and later damaged. Windows only: a UNC path
(``\\\\server\\share\\…``, also in its ``\\\\?\\UNC\\…`` form), or a drive letter whose
``GetDriveTypeW`` is ``DRIVE_REMOTE``. The drive-type call is injectable, so the decision is tested on
every platform; on Linux and macOS this module refuses nothing (a network mount looks like any folder).

No Qt here: this is called from :mod:`custdesk.core.db` before the base is touched.
"""

from __future__ import annotations

import contextlib
import ntpath
import os
import sys
from collections.abc import Callable

from custdesk.core.errors import BaseOpenError
from custdesk.i18n import _

DRIVE_REMOTE = 4  # winbase.h: GetDriveTypeW's value for a network (mapped) drive

DriveType = Callable[[str], int]


class NetworkBaseError(BaseOpenError):
    """The base is on a network share, where SQLite cannot keep it safe; nothing was touched."""


def is_unc_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a network location by UNC: ``\\\\server\\share\\…`` or ``//server/share/…``.

    Platform-neutral (a pure function of the text). The extended forms ``\\\\?\\UNC\\server\\…`` and
    ``\\\\.\\UNC\\…`` are network paths too; ``\\\\?\\C:\\…`` and other device paths are not.
    """
    text = os.fspath(path).replace("/", "\\")
    if not text.startswith("\\\\"):
        return False
    if text[2:4] in ("?\\", ".\\"):  # \\?\… and \\.\…: a device or long path; network only as UNC\…
        return text[4:8].upper() == "UNC\\"
    return len(text) > 2 and text[2] != "\\"


def _windows_drive_type(root: str) -> int:
    """``GetDriveTypeW(root)`` (kernel32): ``DRIVE_REMOTE`` for a mapped network drive."""
    if sys.platform != "win32":
        raise OSError("GetDriveTypeW exists on Windows only")
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    get_drive_type = kernel32.GetDriveTypeW
    get_drive_type.argtypes = [ctypes.c_wchar_p]
    get_drive_type.restype = ctypes.c_uint
    return int(get_drive_type(root))


def network_location(
    path: str | os.PathLike[str],
    *,
    platform: str | None = None,
    drive_type: DriveType | None = None,
) -> str | None:
    """Where on the network ``path`` is ("\\\\server\\share", or the mapped drive "Z:"), or None if local.

    Args:
        path: the base file (it need not exist yet).
        platform: ``sys.platform`` (read at each call); only ``"win32"`` has network paths to find.
        drive_type: ``GetDriveTypeW`` (the Win32 call by default); a test passes its own.
    """
    real = sys.platform
    platform = real if platform is None else platform
    if platform != "win32":
        return None
    get_type = drive_type if drive_type is not None else _windows_drive_type
    candidates = [ntpath.abspath(os.fspath(path))]
    if platform == real:
        # A mapped drive, a junction or a symbolic link can lead to a share: the final path tells.
        with contextlib.suppress(OSError):
            candidates.append(os.path.realpath(os.fspath(path)))
    for candidate in candidates:
        if is_unc_path(candidate):
            text = candidate.replace("/", "\\")
            if text[2:4] in ("?\\", ".\\"):
                text = "\\\\" + text[8:]  # \\?\UNC\server\share → \\server\share
            drive, _rest = ntpath.splitdrive(text)
            return drive or text
        drive, _rest = ntpath.splitdrive(candidate)
        if len(drive) == 2 and drive[1] == ":" and get_type(drive + "\\") == DRIVE_REMOTE:
            return drive.upper()
    return None


def refuse_network_base(
    path: str | os.PathLike[str],
    *,
    platform: str | None = None,
    drive_type: DriveType | None = None,
) -> None:
    """Raise :class:`NetworkBaseError` when the base ``path`` is on a network share (see the module).

    Call it before the base file is opened, created, locked or backed up: it only reads the path.
    """
    where = network_location(path, platform=platform, drive_type=drive_type)
    if where is None:
        return
    raise NetworkBaseError(
        _(
            "The base {path} is on a network share ({where}). CustDesk does not open a base there: "
            "SQLite cannot keep it safe over a network, and it could be damaged. Copy the base to a "
            "folder on this PC and open it there. Sharing one base between several PCs needs a shop "
            "server, not a shared folder."
        ).format(path=os.fspath(path), where=where)
    )
