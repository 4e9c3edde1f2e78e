"""Backups: online copy beside an open base, rotation, the daily backup on open, verify and restore."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from custdesk import paths
from custdesk.core import backup, restore
from custdesk.core.backup import BackupError
from custdesk.core.db import Database, open_base
from custdesk.core.errors import BaseLockedError, CorruptBaseError, CustDeskError, NotABaseError
from custdesk.core.services import settings

pytestmark = pytest.mark.sqlite_only  # file copies and SQLite integrity checks (server: README)


def _firm(path: Path) -> str | None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    row = con.execute("SELECT value FROM settings WHERE key = 'firm_name'").fetchone()
    con.close()
    return None if row is None else str(row[0])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_online_backup_of_an_open_base_sees_committed_data(db: Database, tmp_path: Path) -> None:
    settings.set_values(db, {"firm_name": "Kahvila"})
    target = backup.make_backup(db.path, tmp_path / "copy.sqlite")
    assert _firm(target) == '"Kahvila"'
    restore.verify_backup(target)
    assert not target.with_name(target.name + "-wal").exists()
    with pytest.raises(BackupError, match="already exists"):
        backup.make_backup(db.path, target)
    with pytest.raises(BackupError, match="cannot overwrite the base"):
        backup.make_backup(db.path, db.path, overwrite=True)


def test_rotation_keeps_backup_keep(db: Database) -> None:
    settings.set_values(db, {"backup_keep": 3})
    start = datetime(2026, 1, 1, 9, 0)
    made = [backup.auto_backup(db, now=start + timedelta(days=i)) for i in range(5)]
    assert all(m is not None for m in made)
    autos = [b for b in backup.list_backups(db.path) if b.kind == "auto"]
    assert [b.path for b in autos] == [m for m in reversed(made[2:])]
    # Younger than a day: nothing new.
    assert backup.auto_backup(db, now=start + timedelta(days=4, hours=23)) is None


def test_auto_backup_on_open_when_the_last_is_older_than_a_day(empty_base_file: Path) -> None:
    day = datetime(2026, 3, 1, 8, 0)
    open_base(empty_base_file, now=day).close()
    open_base(empty_base_file, now=day + timedelta(hours=5)).close()
    assert len([b for b in backup.list_backups(empty_base_file) if b.kind == "auto"]) == 1
    open_base(empty_base_file, now=day + timedelta(days=1, minutes=1)).close()
    autos = [b for b in backup.list_backups(empty_base_file) if b.kind == "auto"]
    assert [b.made_at for b in autos] == [day + timedelta(days=1, minutes=1), day]


def test_restore_round_trip_keeps_the_replaced_base(db: Database) -> None:
    settings.set_values(db, {"firm_name": "Before"})
    saved = backup.make_backup(db.path)
    settings.set_values(db, {"firm_name": "After"})
    path = db.path
    with pytest.raises(BaseLockedError):
        restore.restore(path, saved)  # still open here
    db.close()
    safety = restore.restore(path, saved)
    assert _firm(path) == '"Before"'
    assert safety is not None and _firm(safety) == '"After"'
    assert safety.parent == paths.backups_dir(path)
    kinds = {b.kind for b in backup.list_backups(path)}
    assert {"manual", "before-restore"} <= kinds
    open_base(path, auto_backup=False).close()  # the restored base opens


def test_restore_over_a_damaged_base(empty_base_file: Path, tmp_path: Path) -> None:
    good = backup.make_backup(empty_base_file, tmp_path / "good.sqlite")
    with open(empty_base_file, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff" * 200)
    damaged = _digest(empty_base_file)
    safety = restore.restore(empty_base_file, good)
    assert safety is not None and _digest(safety) == damaged
    open_base(empty_base_file, auto_backup=False).close()


@pytest.mark.parametrize("bad", ["text", "damaged", "other-sqlite"])
def test_restore_refuses_a_bad_backup_and_leaves_the_base(
    empty_base_file: Path, tmp_path: Path, bad: str
) -> None:
    source = tmp_path / "backup.sqlite"
    if bad == "text":
        source.write_text("not a base")
    elif bad == "damaged":
        source.write_bytes(empty_base_file.read_bytes())
        con = sqlite3.connect(f"file:{source}?immutable=1", uri=True)
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'settings'").fetchone()[0]
        con.close()
        with open(source, "r+b") as fh:
            fh.seek((root - 1) * 4096)
            fh.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff" + bytes(range(200)))
    else:
        con = sqlite3.connect(source)
        con.execute("CREATE TABLE t(x)")
        con.commit()
        con.close()
    before = (_digest(empty_base_file), sorted(p.name for p in empty_base_file.parent.iterdir()))
    with pytest.raises(CustDeskError) as info:
        restore.restore(empty_base_file, source)
    assert isinstance(info.value, NotABaseError | CorruptBaseError)
    assert (_digest(empty_base_file), sorted(p.name for p in empty_base_file.parent.iterdir())) == before
    assert backup.list_backups(empty_base_file) == []


def test_restore_refuses_to_overwrite_a_file_that_is_not_sqlite(
    empty_base_file: Path, tmp_path: Path
) -> None:
    document = tmp_path / "letter.txt"
    document.write_text("Dear client")
    with pytest.raises(NotABaseError):
        restore.restore(document, empty_base_file)
    assert document.read_text() == "Dear client"
