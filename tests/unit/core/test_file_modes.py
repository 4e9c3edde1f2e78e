"""On POSIX the firm's files are private: bases, backups, import reports and logs 0600, their folders 0700.

Each test runs under the usual umask 022 (which would make 0644 files and 0755 folders), so a file created
without care shows up here.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from custdesk import app, cli, paths
from custdesk.core import backup, restore
from custdesk.core.db import Database, open_base
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import suggest_mapping

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="file modes are POSIX; Windows keeps the files in the profile"
)


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_base_its_journal_and_its_new_folder_are_private(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    path = tmp_path / "shop" / "base.sqlite"
    db = open_base(path, auto_backup=False)
    try:
        assert _mode(path) == 0o600
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and _mode(wal) == 0o600
        assert _mode(path.parent) == 0o700  # made for the base
        assert _mode(tmp_path) == 0o755  # the user's own folder keeps its mode
    finally:
        db.close()


def test_the_default_base_lives_in_a_private_data_folder(_private_data_dir: Path) -> None:
    data = paths.data_dir()
    data.chmod(0o755)
    db = open_base(paths.default_base_path(), auto_backup=False)
    db.close()
    assert _mode(data) == 0o700 and _mode(paths.default_base_path()) == 0o600


@pytest.mark.sqlite_only  # a backup is a copy of the base file (a server's: pg_dump)
def test_backups_and_their_folders_are_private(db: Database) -> None:
    made = backup.make_backup(db.path)
    assert _mode(made) == 0o600
    assert _mode(made.parent) == 0o700 and _mode(made.parent.parent) == 0o700  # backups/<base>, backups/
    assert _mode(paths.data_dir()) == 0o700
    auto = backup.auto_backup(db)
    assert auto is not None and _mode(Path(auto)) == 0o600


@pytest.mark.sqlite_only  # a backup is a copy of the base file (a server's: pg_dump)
def test_a_backup_to_a_chosen_file_is_private(db: Database, tmp_path: Path) -> None:
    made = backup.make_backup(db.path, tmp_path / "usb" / "copy.sqlite")
    assert _mode(made) == 0o600 and _mode(made.parent) == 0o700


def test_a_restore_keeps_the_replaced_base_privately(tmp_path: Path) -> None:
    base = tmp_path / "base.sqlite"
    db = open_base(base, auto_backup=False)
    made = backup.make_backup(db.path)
    db.close()
    safety = restore.restore(base, made)
    assert safety is not None and _mode(safety) == 0o600
    assert _mode(base) == 0o600
    # A damaged base is replaced by a copy of the backup: the copy is private too.
    base.write_bytes(base.read_bytes()[:4096] + b"\xff" * 4096)
    restore.restore(base, made)
    assert _mode(base) == 0o600


def test_import_reports_are_private(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("name,email\nAnna,anna@example.com\n", encoding="utf-8")
    table = read_source(source)
    run_import(db, table, suggest_mapping("clients", table), ImportOptions())
    reports = list(paths.import_reports_dir().glob("*.json"))
    assert len(reports) == 1
    assert _mode(reports[0]) == 0o600 and _mode(reports[0].parent) == 0o700


def test_the_log_is_private_also_after_a_rollover(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "LOG_MAX_BYTES", 200)
    log_path = app.setup_logging()
    try:
        assert log_path is not None
        for n in range(20):
            logging.getLogger("custdesk.test").info("line %d of a log that rolls over", n)
        rolled = log_path.with_name(log_path.name + ".1")
        assert rolled.exists()
        assert _mode(log_path) == 0o600 and _mode(rolled) == 0o600 and _mode(log_path.parent) == 0o700
    finally:
        root = logging.getLogger("custdesk")
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()


def test_the_consoles_error_log_is_private() -> None:
    written = cli._log_unexpected(RuntimeError("boom"))
    assert written is not None and "boom" in written.read_text(encoding="utf-8")
    assert _mode(written) == 0o600 and _mode(written.parent) == 0o700
