"""The edges issue 21 closed: backups ordered by when they were made, garbage marked, a new base backed
up at once, restore running check's rules, leftovers cleaned, busy told from damaged, durable commits."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from custdesk import paths
from custdesk.core import backup, restore
from custdesk.core.backup import BackupError
from custdesk.core.check import check_base
from custdesk.core.db import Database, open_base
from custdesk.core.errors import BaseLockedError, CorruptBaseError, CustDeskError
from custdesk.core.services import client_list, settings
from tests.unit.core.test_check import _fill

pytestmark = pytest.mark.sqlite_only  # file copies and SQLite integrity checks (server: README)


def _autos(base: Path) -> list[backup.BackupInfo]:
    return [b for b in backup.list_backups(base) if b.kind == "auto"]


def test_a_future_dated_backup_does_not_stop_the_daily_backups(db: Database) -> None:
    settings.set_values(db, {"backup_keep": 3})
    wrong_clock = datetime(2099, 12, 31, 23, 0)
    future = backup.auto_backup(db, now=wrong_clock)
    assert future is not None and future.name.startswith("auto-20991231-")
    # The clock is right again: a day later a backup is made, and it is the latest one.
    today = datetime(2026, 12, 7, 9, 0)
    assert backup.auto_backup_due(db.path, now=today)
    made = [backup.auto_backup(db, now=today + timedelta(days=i)) for i in range(4)]
    assert all(m is not None for m in made)
    autos = _autos(db.path)
    assert autos[0].path == made[-1]
    assert backup.last_auto_backup(db.path) == autos[0]
    assert not backup.auto_backup_due(db.path, now=today + timedelta(days=3, hours=2))
    # The rotation keeps the days made last, so the wrong clock's file goes out in its turn.
    assert [b.path for b in autos] == list(reversed(made[1:]))
    assert not future.exists()


def test_backups_are_ordered_by_when_they_were_made(db: Database) -> None:
    first = backup.make_backup(db.path, now=datetime(2099, 1, 1))
    second = backup.make_backup(db.path, now=datetime(2026, 1, 1))
    listed = backup.list_backups(db.path)
    assert [b.path for b in listed] == [second, first]
    assert [b.seq for b in listed] == [2, 1]


def test_garbage_in_the_backup_folder_is_marked_and_never_counts(db: Database) -> None:
    folder = paths.backups_dir(db.path)
    folder.mkdir(parents=True)
    garbage = folder / f"auto-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
    garbage.write_bytes(bytes(range(256)) * 28)  # 7 KB of noise
    good = backup.make_backup(db.path, kind="auto", now=datetime.now() - timedelta(days=3))
    truncated = folder / "manual-20260101-000000.sqlite"
    truncated.write_bytes(good.read_bytes()[: 4096 * 3 + 100])
    listed = {b.path: b for b in backup.list_backups(db.path)}
    assert listed[garbage].problem == "not a base file (not SQLite)"
    assert listed[truncated].problem is not None and "truncated" in listed[truncated].problem
    assert listed[good].sound
    # The noise is not "the last automatic backup": a backup is due, and the noise is left alone.
    assert backup.last_auto_backup(db.path) == listed[good]
    assert backup.auto_backup(db) is not None
    assert garbage.exists()
    with pytest.raises(CorruptBaseError, match=r"^The backup .* is damaged: truncated"):
        restore.verify_backup(truncated)


def test_a_new_base_is_backed_up_on_its_first_open(tmp_path: Path) -> None:
    base = tmp_path / "new.sqlite"
    open_base(base).close()
    [auto] = _autos(base)
    assert auto.sound
    check_base(auto.path)


def test_restore_runs_the_application_rules_on_the_backup(db: Database, tmp_path: Path) -> None:
    _fill(db)
    bad = tmp_path / "bad-totals.sqlite"
    backup.make_backup(db.path, bad)
    con = sqlite3.connect(bad)
    con.execute("UPDATE clients SET revenue_total = 1, purchase_count = 7")
    con.commit()
    con.close()
    assert [p.kind for p in check_base(bad).problems] == ["client-figures"]
    path = db.path
    db.close()
    before = path.read_bytes()
    with pytest.raises(BackupError) as info:
        restore.restore(path, bad)
    message = str(info.value)
    assert "does not pass the checks (1 problem)" in message and "purchases 7" in message
    assert path.read_bytes() == before


def test_restore_leaves_nothing_beside_the_backup_it_read(empty_base_file: Path, tmp_path: Path) -> None:
    # A copy of a WAL-mode base made by hand: a mode=ro connection would leave a -shm beside it.
    hand = tmp_path / "copies" / "by-hand.sqlite"
    hand.parent.mkdir()
    shutil.copyfile(empty_base_file, hand)
    assert hand.read_bytes()[18] == 2
    restore.restore(empty_base_file, hand)
    assert sorted(p.name for p in hand.parent.iterdir()) == ["by-hand.sqlite"]


def test_a_killed_backup_to_leaves_nothing_the_next_run_keeps(empty_base_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "copy.sqlite"
    target.parent.mkdir()
    # What kill -9 during `backup --to` leaves: the half copy and its rollback journal.
    (target.parent / "copy.sqlite.partial").write_bytes(b"SQLite format 3\x00" + bytes(4080))
    (target.parent / "copy.sqlite.partial-journal").write_bytes(bytes(range(256)) * 8)
    backup.make_backup(empty_base_file, target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite"]
    restore.verify_backup(target)


def test_the_backup_of_a_damaged_base_says_so_in_one_sentence(empty_base_file: Path) -> None:
    con = sqlite3.connect(f"file:{empty_base_file}?immutable=1", uri=True)
    roots = [r[0] for r in con.execute("SELECT rootpage FROM sqlite_master WHERE rootpage > 1")]
    con.close()
    with open(empty_base_file, "r+b") as fh:
        for root in roots:
            fh.seek((root - 1) * 4096)
            fh.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff" + bytes(range(200)))
    with pytest.raises(CustDeskError) as info:
        backup.make_backup(empty_base_file)
    message = str(info.value)
    assert "\n" not in message and "is damaged" in message and "No backup was made" in message
    assert "custdesk-cli check" in message and "restore --list" in message
    assert backup.list_backups(empty_base_file) == []


def test_commits_are_durable(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_rollback_mode_base_another_program_writes_is_busy_not_damaged(
    empty_base_file: Path, db: Database
) -> None:
    _fill(db)
    db.close()
    con = sqlite3.connect(empty_base_file)
    con.execute("PRAGMA journal_mode = DELETE")  # as a backup copied into place by hand
    con.close()
    assert empty_base_file.read_bytes()[18] == 1
    writer = sqlite3.connect(empty_base_file, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE clients SET notes = 'being written'")
    try:
        with pytest.raises(BaseLockedError, match="another program"):
            check_base(empty_base_file, busy_timeout_ms=100)
        # Refused at open or at the first read, never read through the writer's half-written pages.
        with (
            pytest.raises(BaseLockedError),
            open_base(empty_base_file, readonly=True, busy_timeout_ms=100) as r,
        ):
            client_list.list_clients(r)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert check_base(empty_base_file).ok
    assert sorted(p.name for p in empty_base_file.parent.iterdir()) == [empty_base_file.name]


def test_a_backup_beside_writes_is_one_moment_of_the_base(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.gui._data import add_clients

    add_clients(db, 3000)
    monkeypatch.setattr(backup, "STEP_PAGES", 16)  # many steps of the copy
    written: list[int] = []

    def progress(done: int, total: int) -> None:
        if not written and done < total:  # a commit by the base worker in the middle of the copy
            written.extend(add_clients(db, 5, prefix="During"))

    target = backup.make_backup(db.path, progress=progress)
    assert written
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    assert con.execute("SELECT count(*) FROM clients").fetchone()[0] == 3000  # the moment it began
    con.close()
    assert backup.integrity_problems(target) == []  # (the helper's clients carry made-up figures)
