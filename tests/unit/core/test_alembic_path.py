"""The migrations are found from a folder whose path holds "%" (a profile such as ``C:\\Users\\100%``).

Alembic keeps its options in a ConfigParser, which reads "%" as the start of an interpolation: an
unescaped "%" in the install path broke every base's opening.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from custdesk.core import db as core_db
from custdesk.core.db import head_revision, open_base
from custdesk.core.models import Client
from custdesk.paths import MIGRATIONS_DIR


@pytest.fixture
def migrations_under_percent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "100% Anna %(here)s %USERPROFILE%" / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(core_db, "MIGRATIONS_DIR", folder)
    return folder


def test_a_base_is_migrated_from_a_percent_path(migrations_under_percent: Path, tmp_path: Path) -> None:
    head = head_revision()
    assert head
    assert core_db.alembic_config().get_main_option("script_location") == str(migrations_under_percent)
    base = tmp_path / "base.sqlite"
    open_base(base).close()  # made and migrated to the head from the copied scripts
    con = sqlite3.connect(base)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        assert con.execute(f"SELECT count(*) FROM {Client.__tablename__}").fetchone() == (0,)
    finally:
        con.close()
