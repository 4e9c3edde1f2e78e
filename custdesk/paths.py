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
