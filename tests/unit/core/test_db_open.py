"""open_base on good and bad files, in process: the refusals, the lock, the upgrade copy, the pragmas.

The CLI tests (tests/unit/test_cli.py) run the same cases through a real ``custdesk-cli`` process.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from custdesk import paths
from custdesk.core import backup, restore
from custdesk.core.db import alembic_config, head_revision, make_engine, open_base
from custdesk.core.errors import (
    BaseLockedError,
    BaseOpenError,
    CorruptBaseError,
    NewerSchemaError,
    NotABaseError,
)


def state(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.mark.parametrize(
    "content",
    [b"name,phone\nAnna,+358401234567\n", b"\x89PNG\r\n\x1a\n" + bytes(200), bytes(range(256)) * 8],
    ids=["text", "png", "garbage"],
)
def test_not_sqlite_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "base.sqlite"
    path.write_bytes(content)
    before = state(tmp_path)
    with pytest.raises(NotABaseError, match="not a SQLite database file"):
        open_base(path)
    with pytest.raises(NotABaseError):
        open_base(path, readonly=True)
    assert state(tmp_path) == before


def test_other_programs_sqlite_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE stock(item TEXT)")
    con.commit()
    con.close()
    before = state(tmp_path)
    with pytest.raises(NotABaseError, match="another program"):
        open_base(path)
    assert state(tmp_path) == before


def test_damaged_first_page_refused_untouched(empty_base_file: Path) -> None:
    with open(empty_base_file, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff" * 200)
    before = state(empty_base_file.parent)
    with pytest.raises(CorruptBaseError, match="is damaged"):
        open_base(empty_base_file)
    with pytest.raises(CorruptBaseError):
        open_base(empty_base_file, readonly=True)
    assert state(empty_base_file.parent) == before


def test_newer_schema_refused_untouched(empty_base_file: Path) -> None:
    con = sqlite3.connect(empty_base_file)
    con.execute("UPDATE alembic_version SET version_num = 'ffff'")
    con.commit()
    con.close()
    before = state(empty_base_file.parent)
    with pytest.raises(NewerSchemaError, match="newer CustDesk"):
        open_base(empty_base_file)
    assert state(empty_base_file.parent) == before


def test_folder_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NotABaseError, match="is a folder"):
        open_base(tmp_path)
    missing = tmp_path / "sub" / "none.sqlite"
    with pytest.raises(BaseOpenError, match="There is no base"):
        open_base(missing, readonly=True)
    with pytest.raises(BaseOpenError, match="There is no base"):
        open_base(missing, create=False)
    assert list(tmp_path.iterdir()) == []


def test_second_open_in_process_is_refused(empty_base_file: Path) -> None:
    db = open_base(empty_base_file, auto_backup=False)
    try:
        with pytest.raises(BaseLockedError, match="already open"):
            open_base(empty_base_file, auto_backup=False)
        # A read-only look beside it is allowed.
        open_base(empty_base_file, readonly=True).close()
    finally:
        db.close()
    open_base(empty_base_file, auto_backup=False).close()  # free again once closed
    assert not paths.lock_path(empty_base_file).exists()


def test_write_lock_of_another_program_is_refused_quickly(empty_base_file: Path, tmp_path: Path) -> None:
    # The holder is a process of its own: see snapshot() in tests/unit/test_cli.py for why.
    import subprocess
    import sys

    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('BEGIN EXCLUSIVE'); c.execute(\"INSERT INTO settings VALUES ('x', '1')\"); "
        "print('w', flush=True); sys.stdin.read()"
    )
    other = subprocess.Popen(
        [sys.executable, "-I", "-c", code, str(empty_base_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == b"w"
        with pytest.raises(BaseLockedError, match="locked by another program"):
            open_base(empty_base_file, busy_timeout_ms=100)
    finally:
        other.communicate(b"", timeout=30)


@pytest.mark.sqlite_only  # SQLite's pragmas
def test_pragmas(db: object) -> None:
    from custdesk.core.db import Database

    assert isinstance(db, Database)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_readonly_open_creates_nothing(empty_base_file: Path) -> None:
    before = state(empty_base_file.parent)
    db = open_base(empty_base_file, readonly=True)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM clients").scalar() == 0
    db.close()
    assert state(empty_base_file.parent) == before


def test_copy_before_upgrade_is_made_for_an_older_base(empty_base_file: Path) -> None:
    """A base at the previous revision is copied, then upgraded to head."""
    engine = make_engine(empty_base_file)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "-1")
        old = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert old is not None and old != head_revision()
    old_bytes = hashlib.sha256(empty_base_file.read_bytes()).hexdigest()

    db = open_base(empty_base_file)
    try:
        assert db.upgraded_from == old
    finally:
        db.close()
    copies = [b for b in backup.list_backups(empty_base_file) if b.kind == "before-upgrade"]
    assert len(copies) == 1 and old in copies[0].path.name
    con = sqlite3.connect(f"file:{copies[0].path}?mode=ro", uri=True)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old
    con.close()
    assert hashlib.sha256(empty_base_file.read_bytes()).hexdigest() != old_bytes


def test_copy_before_upgrade_directly(empty_base_file: Path) -> None:
    made = backup.copy_before_upgrade(empty_base_file, "0001")
    assert made.name.startswith("before-upgrade-0001-") and made.parent == paths.backups_dir(empty_base_file)
    restore.verify_backup(made)
