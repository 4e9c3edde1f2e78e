"""Bad bases through every command: a clear message, the right exit code, no traceback, the folder left
byte for byte as it was. Full disks on a small tmpfs (root only; skipped with the reason elsewhere).

Other bad bases are kept by ``tests/unit/test_cli.py`` (not SQLite, damaged, newer schema, a folder,
read-only file and folder, locked by another CustDesk or by a program writing to it) and
``tests/unit/core/test_backup_safety.py`` (a rollback-mode base another program writes: busy, not damaged).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from custdesk import paths
from custdesk.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS, EXIT_UNEXPECTED, main
from custdesk.core.check import check_base
from custdesk.core.db import open_base
from tests.unit.core.test_check import _fill


def _state(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err.strip()


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(21)
    for offset in rng.sample(range(100, len(data)), 64):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers(name) VALUES ('Anna')")
    con.commit()
    con.close()


def _other_application(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1234")
    con.close()


def _newer(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    con.commit()
    con.close()


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 16)


BAD = {
    "not SQLite": (_not_sqlite, "not a SQLite database file"),
    "truncated": (_truncate, "damaged"),
    "flipped bytes": (_flip, "damaged"),
    "foreign": (_foreign, "another program"),
    "another application's SQLite": (_other_application, "another program"),
    "newer schema": (_newer, "newer CustDesk"),
}


@pytest.mark.parametrize("bad", sorted(BAD))
def test_bad_base_through_every_command(
    bad: str, empty_base_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage, words = BAD[bad]
    with open_base(empty_base_file, auto_backup=False) as db:
        _fill(db)
    good = tmp_path / "good" / "backup.sqlite"
    good.parent.mkdir()
    shutil.copyfile(empty_base_file, good)
    csv = tmp_path / "good" / "clients.csv"
    csv.write_text("Name,Phone\nAnna,+358401234567\n", encoding="utf-8")
    damage(empty_base_file)
    folder = empty_base_file.parent
    before = _state(folder)
    db = str(empty_base_file)
    for argv in (
        ["clients", "--db", db],
        ["backup", "--db", db],
        ["import", str(csv), "--db", db],
        ["demo", "--clients", "2", "--db", db],
    ):
        code, err = _run(capsys, *argv)
        if bad == "flipped bytes" and argv[0] == "clients" and code == EXIT_OK:
            continue  # the flips missed every page the list reads: nothing wrong with answering
        assert code == EXIT_BAD_INPUT, (argv, err)
        assert words in err and len(err.splitlines()) <= 3, (argv, err)
        assert _state(folder) == before, argv
    code, err = _run(capsys, "check", "--db", db)
    assert code in (EXIT_PROBLEMS, EXIT_BAD_INPUT), err
    assert _state(folder) == before
    # A damaged base can be restored over; one of another program or a newer CustDesk is kept.
    code, err = _run(capsys, "restore", "--from", str(good), "--db", db)
    if bad in ("truncated", "flipped bytes"):
        assert code == EXIT_OK, err
        assert check_base(empty_base_file).ok
    else:
        assert code == EXIT_BAD_INPUT and _state(folder) == before, err


def test_a_truncated_backup_is_called_the_backup(
    empty_base_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "elsewhere" / "backup.sqlite"
    source.parent.mkdir()
    shutil.copyfile(empty_base_file, source)
    _truncate(source)
    code, err = _run(capsys, "restore", "--from", str(source), "--db", str(empty_base_file))
    assert code == EXIT_BAD_INPUT
    assert err.startswith(f"The backup {source} is damaged") and "the base" not in err.split(":")[0]


def test_an_unexpected_error_is_one_line_the_log_and_exit_3(
    empty_base_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from custdesk.core import check

    def boom(*_args: object, **_kw: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(check, "check_base", boom)
    code, err = _run(capsys, "check", "--db", str(empty_base_file))
    assert code == EXIT_UNEXPECTED
    assert len(err.splitlines()) == 1 and "KeyError" in err and str(paths.log_file()) in err
    logged = paths.log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "raise KeyError" in logged


# ---------------------------------------------------------------------------------------------------------
# The write-ahead log deleted after a crash

_CRASH = """
import sys
from custdesk.core.db import open_base
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services.clients import create_client
db = open_base(sys.argv[1], auto_backup=False)
for i in range(12):
    create_client(db, ClientInput(name=f"Made {i}", phones=(PhoneInput(f"+3584011100{i:02d}"),)))
print("ACK", flush=True)
sys.stdin.read()
"""


def _crash_after_acknowledged_creates(base: Path) -> subprocess.Popen[str]:
    """A CustDesk process that commits creates on ``base``, says so, and is killed with -9 (ended)."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(
        [sys.executable, "-c", _CRASH, str(base)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ACK"
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    return child


def test_a_wal_deleted_after_a_crash_is_noticed(
    empty_base_file: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    child = _crash_after_acknowledged_creates(empty_base_file)
    wal = empty_base_file.with_name(empty_base_file.name + "-wal")
    assert wal.stat().st_size > 0
    # The user "cleans up" the files beside the base: the 12 acknowledged creates are gone with them.
    wal.unlink()
    empty_base_file.with_name(empty_base_file.name + "-shm").unlink()
    code, _err = _run(capsys, "check", "--db", str(empty_base_file))
    report = check_base(empty_base_file)
    assert code == EXIT_PROBLEMS and [p.kind for p in report.problems] == ["journal-missing"]
    assert "write-ahead log" in report.problems[0].message and str(child.pid) in report.problems[0].message
    with open_base(empty_base_file, auto_backup=False) as db:
        assert len(db.warnings) == 1 and "may be lost" in db.warnings[0]
    # Said once: the next open (after a clean close) has nothing to warn about.
    with open_base(empty_base_file, auto_backup=False) as db:
        assert db.warnings == []
    assert check_base(empty_base_file).ok


def test_a_crash_with_its_wal_in_place_recovers_silently(empty_base_file: Path) -> None:
    _crash_after_acknowledged_creates(empty_base_file)
    assert check_base(empty_base_file).ok
    with open_base(empty_base_file, auto_backup=False) as db:
        assert db.warnings == []
    con = sqlite3.connect(empty_base_file)
    assert con.execute("SELECT count(*) FROM clients").fetchone()[0] == 12
    con.close()


# ---------------------------------------------------------------------------------------------------------
# Full disks


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 3 MB tmpfs (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    folder = Path(tempfile.mkdtemp(prefix="custdesk-full-"))
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield folder
    finally:
        for _ in range(5):
            if subprocess.run(["umount", str(folder)], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)
        folder.rmdir()


def _fill_disk(folder: Path, leave: int) -> None:
    """Fill the disk under ``folder`` up to ``leave`` free bytes."""
    free = shutil.disk_usage(folder).free - leave
    with open(folder / "filler.bin", "wb") as fh:
        while free > 0:
            chunk = min(free, 1 << 20)
            try:
                fh.write(b"\0" * chunk)
                fh.flush()
            except OSError:
                break
            free -= chunk


def test_full_disk_during_an_import_commit(
    small_disk: Path, empty_base_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = small_disk / "base.sqlite"
    shutil.copyfile(empty_base_file, base)
    csv = tmp_path / "many.csv"
    rows = [f"IMP-{i},Client {i:05d} {'x' * 60},+35850{i:07d},c{i}@example.fi" for i in range(6000)]
    csv.write_text("External ID,Name,Phone,E-mail\n" + "\n".join(rows) + "\n", encoding="utf-8")
    _fill_disk(small_disk, leave=600_000)
    before = _state(small_disk)
    code, err = _run(capsys, "import", str(csv), "--db", str(base))
    assert code == EXIT_BAD_INPUT, err
    assert "is full" in err and len(err.splitlines()) <= 2, err
    assert _state(small_disk) == before  # no -wal, no -shm, no .lock, the base as it was
    (small_disk / "filler.bin").unlink()
    assert check_base(base).ok


def test_full_disk_at_open_leaves_no_lock(
    small_disk: Path, empty_base_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = small_disk / "base.sqlite"
    shutil.copyfile(empty_base_file, base)
    _fill_disk(small_disk, leave=0)
    before = _state(small_disk)
    for argv in (["demo", "--clients", "2"], ["import", str(base), "--kind", "clients"]):
        code, err = _run(capsys, *argv, "--db", str(base))
        assert code == EXIT_BAD_INPUT, (argv, err)
        assert _state(small_disk) == before, argv
        assert not paths.lock_path(base).exists()
    code, err = _run(capsys, "check", "--db", str(base))  # reading needs no room
    assert code == EXIT_OK, err


def test_full_disk_during_a_backup(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "big.sqlite"
    with open_base(base, auto_backup=False) as db:
        from custdesk.core.demo import generate_demo

        generate_demo(db, clients=1200, seed=3)
    assert base.stat().st_size > 3_000_000  # more than the 3 MB disk holds
    target = small_disk / "copy.sqlite"
    before = _state(small_disk)
    code, err = _run(capsys, "backup", "--db", str(base), "--to", str(target))
    assert code == EXIT_BAD_INPUT and "is full" in err, err
    assert _state(small_disk) == before  # no copy.sqlite.partial left
