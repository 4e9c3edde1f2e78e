"""Every path CustDesk uses, in one place.

The data folder comes from platformdirs; ``--data-dir`` (GUI and CLI) or the environment variable
``CUSTDESK_DATA_DIR`` override it. No other module builds a path from a literal.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

from custdesk import APP_NAME, ORG_NAME

_data_dir_override: Path | None = None

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
LOCALE_DIR = RESOURCES_DIR / "locale"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
DEFAULT_BASE_NAME = "custdesk.sqlite"


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Use ``path`` as the data folder for this process (None restores the default)."""
    global _data_dir_override
    _data_dir_override = Path(path).expanduser().resolve() if path else None


def data_dir() -> Path:
    """The folder for the default base, backups and logs (not created here)."""
    if _data_dir_override is not None:
        return _data_dir_override
    env = os.environ.get("CUSTDESK_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, ORG_NAME, roaming=False))


def default_base_path() -> Path:
    """The base opened when no ``--db`` is given."""
    return data_dir() / DEFAULT_BASE_NAME


def demo_base_path(language: str | None = None) -> Path:
    """Where the GUI keeps the demo base it offers on first run: one per interface language (the demo
    speaks the language it was made in), ``demo.sqlite`` for English."""
    from custdesk import i18n

    code = language or i18n.current_language()
    return data_dir() / ("demo.sqlite" if code == "en" else f"demo-{code}.sqlite")


def backups_dir(base_path: Path) -> Path:
    """The folder of automatic backups of one base.

    Backups of different bases never mix: the folder name carries the base's file name and a short hash
    of its full path.
    """
    resolved = str(Path(base_path).expanduser().resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:8]
    return data_dir() / "backups" / f"{Path(base_path).stem}-{digest}"


def lock_path(base_path: Path) -> Path:
    """The lock file that keeps a second CustDesk off a base."""
    p = Path(base_path)
    return p.with_name(p.name + ".lock")


def import_reports_dir() -> Path:
    """The folder where the reports of imports are kept (to reopen them later)."""
    return data_dir() / "import-reports"


def log_dir() -> Path:
    """The folder of the log file."""
    return data_dir() / "logs"


def log_file() -> Path:
    """The log file of the application."""
    return log_dir() / "custdesk.log"


def matplotlib_config_dir() -> Path:
    """matplotlib's configuration and font cache for the frozen bundle (kept between sessions)."""
    return data_dir() / "matplotlib"


# The firm's data must not be readable by the PC's other accounts: on POSIX, bases, backups, import
# reports and logs are created 0600 and CustDesk's folders 0700. On Windows they live in the user's own
# profile (platformdirs' local application data), whose access list already keeps other accounts out.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
_POSIX = os.name == "posix"


def private_dir(path: str | os.PathLike[str]) -> Path:
    """Create the folder ``path`` (and its parents) for CustDesk's own files, private to this account.

    On POSIX every folder created here, and every folder from the data folder down to ``path`` when
    ``path`` lies inside it, is made 0700; a folder of the user's own outside the data folder (the one
    holding a base they chose, say) keeps its mode.

    Raises:
        OSError: the folder cannot be created.
    """
    folder = Path(path)
    made: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        made.append(probe)
        probe = probe.parent
    folder.mkdir(parents=True, exist_ok=True)
    if _POSIX:
        data = data_dir()
        tighten = set(made)
        if folder == data or data in folder.parents:
            tighten.add(data)
            tighten.update(p for p in folder.parents if data in p.parents)
            tighten.add(folder)
        for p in tighten:
            try:
                if p.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
                    p.chmod(PRIVATE_DIR_MODE)
            except OSError:  # not ours to change (another account's folder): leave it
                pass
    return folder


def private_file(path: str | os.PathLike[str]) -> None:
    """Make the existing file ``path`` readable and writable by this account only (POSIX; no-op elsewhere)."""
    if _POSIX:
        os.chmod(path, PRIVATE_FILE_MODE)


def create_private_file(path: str | os.PathLike[str]) -> None:
    """Create the empty file ``path`` as 0600 (POSIX), before SQLite or a writer opens it.

    SQLite gives a base's ``-wal`` and ``-shm`` the mode of the base file, so a base created this way keeps
    its journal private too.

    Raises:
        FileExistsError: ``path`` exists already.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    private_file(path)  # the umask may have taken bits away; it never adds any, but be exact
