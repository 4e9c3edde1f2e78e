"""custdesk-cli as a real subprocess: every bad input gets a message, a non-zero exit, an untouched file.

Each bad-input test snapshots the folder (names and SHA-256 of every file) before and after the run and
asserts they are equal. Tests and CI run as root, and root ignores file modes; the read-only cases run
the CLI as ``nobody`` when that user can start this Python, else as root without the capabilities that
bypass file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), else they are skipped with the reason.
On Windows (no euid, no root) the read-only attribute binds every user, so the file case runs as it is;
a folder's read-only attribute binds nobody there, so the folder case is skipped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from custdesk.core.db import open_base

Snapshot = dict[str, str]


_SNAPSHOT = """
import hashlib, json, sys
from pathlib import Path
folder = Path(sys.argv[1])
print(json.dumps({
    str(p.relative_to(folder)): "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    for p in sorted(folder.rglob("*"))
}))
"""


def snapshot(folder: Path) -> Snapshot:
    """Every file under ``folder`` with its SHA-256 (folders marked as such).

    Read in a child process: opening and closing a base file here would drop the POSIX locks that
    SQLite connections of this process (a holder in a test) keep on it.
    """
    proc = subprocess.run(
        [sys.executable, "-I", "-c", _SNAPSHOT, str(folder)], capture_output=True, text=True, check=True
    )
    result: Snapshot = json.loads(proc.stdout)
    return result


def run_cli(*args: str, env: dict[str, str] | None = None, **kw: Any) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "custdesk.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        check=False,
        **kw,
    )


def assert_refused(proc: subprocess.CompletedProcess[str], *fragments: str, code: int = 2) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


# ---------------------------------------------------------------------------------------------------------
# Files that are not bases


def damage_first_page(path: Path) -> None:
    """Garble the schema page right after the 100-byte header: opening the base fails."""
    with open(path, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff" * 200)


def damage_table_page(path: Path, table: str) -> None:
    """Garble the root page of ``table``: the schema reads, the table does not."""
    con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    root, page_size = (
        con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0],
        con.execute("PRAGMA page_size").fetchone()[0],
    )
    con.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff" + os.urandom(64))


NOT_SQLITE: dict[str, bytes] = {
    "text": "Имя;Телефон\nИванов;+79123456789\n".encode(),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)),
    "garbage": bytes((i * 37 + 11) % 256 for i in range(5000)),
}
READ_COMMANDS = (["check"], ["clients"], ["backup"])
WRITE_COMMANDS = (["demo", "--clients", "3"], ["restore", "--from", "{backup}"])


def _commands(backup: Path) -> list[list[str]]:
    return [[a.replace("{backup}", str(backup)) for a in cmd] for cmd in (*READ_COMMANDS, *WRITE_COMMANDS)]


@pytest.fixture
def good_backup(empty_base_file: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return Path(shutil.copyfile(empty_base_file, folder / "good-backup.sqlite"))


def refused_in_process(
    capsys: pytest.CaptureFixture[str], argv: list[str], *fragments: str, code: int = 2
) -> None:
    """A run of ``main`` in this process: faster; the subprocess runs prove the real entry point."""
    from custdesk.cli import main

    rc = main(argv)
    out, err = capsys.readouterr()
    assert rc == code, (rc, out, err)
    for fragment in fragments:
        assert fragment in err, err


@pytest.mark.parametrize("kind", sorted(NOT_SQLITE))
def test_not_a_sqlite_file_is_refused_untouched(
    kind: str, tmp_path: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bases"
    folder.mkdir()
    path = folder / "clients.xlsx"
    path.write_bytes(NOT_SQLITE[kind])
    before = snapshot(folder)
    commands = _commands(good_backup)
    if kind == "text":
        proc = run_cli("demo", "--clients", "3", "--db", str(path))
        assert_refused(proc, str(path), "is not a CustDesk base: it is not a SQLite database file")
        assert snapshot(folder) == before
    for cmd in commands:
        refused_in_process(capsys, [*cmd, "--db", str(path)], str(path), "not a SQLite database file")
        assert snapshot(folder) == before, cmd


def test_damaged_base_is_refused_untouched(
    empty_base_file: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage_first_page(empty_base_file)
    folder = empty_base_file.parent
    before = snapshot(folder)
    proc = run_cli("clients", "--db", str(empty_base_file))
    assert_refused(proc, "is damaged", "Restore it from a backup")
    assert snapshot(folder) == before
    for cmd in _commands(good_backup):
        if cmd[0] in ("check", "restore"):
            continue  # check reports the damage (below); restore is meant to replace a damaged base
        refused_in_process(capsys, [*cmd, "--db", str(empty_base_file)], "is damaged", "Restore it")
        assert snapshot(folder) == before, cmd
    refused_in_process(capsys, ["check", "--db", str(empty_base_file)], code=1)
    assert snapshot(folder) == before


def test_check_reports_a_damaged_table(empty_base_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from custdesk.cli import main

    damage_table_page(empty_base_file, "purchases")
    before = snapshot(empty_base_file.parent)
    assert main(["check", "--json", "--db", str(empty_base_file)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"]
    assert {p["kind"] for p in report["problems"]} == {"integrity"}
    assert snapshot(empty_base_file.parent) == before


def test_newer_schema_is_refused_untouched(
    empty_base_file: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(empty_base_file)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    folder = empty_base_file.parent
    before = snapshot(folder)
    proc = run_cli("demo", "--db", str(empty_base_file))
    assert_refused(proc, "newer CustDesk", "9999_from_the_future")
    assert snapshot(folder) == before
    for cmd in _commands(good_backup):
        if cmd[0] == "restore":
            continue  # replacing a base with an older backup is what restore is for
        refused_in_process(capsys, [*cmd, "--db", str(empty_base_file)], "newer CustDesk", "9999_from_the")
        assert snapshot(folder) == before, cmd


def test_folder_as_base_is_refused(
    tmp_path: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    (folder / "inside.txt").write_text("keep me")
    before = snapshot(tmp_path)
    assert_refused(run_cli("check", "--db", str(folder)), "is a folder, not a CustDesk base")
    for cmd in [*_commands(good_backup), ["restore", "--list"]]:
        refused_in_process(capsys, [*cmd, "--db", str(folder)], "is a folder, not a CustDesk base")
    assert snapshot(tmp_path) == before


def test_missing_base_for_read_commands_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = tmp_path / "nowhere" / "base.sqlite"
    assert_refused(run_cli("clients", "--db", str(path), "--data-dir", str(data)), "There is no base at")
    for cmd in [*READ_COMMANDS, ["restore", "--list"]]:
        refused_in_process(capsys, [*cmd, "--db", str(path), "--data-dir", str(data)], "There is no base at")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.slow
def test_base_open_in_another_custdesk_is_refused(
    empty_base_file: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = open_base(empty_base_file, auto_backup=False)
    try:
        folder = empty_base_file.parent
        before = snapshot(folder)
        proc = run_cli("demo", "--clients", "2", "--db", str(empty_base_file))
        assert_refused(proc, "already open in another CustDesk", f"process {os.getpid()}")
        assert snapshot(folder) == before
        restore = ["restore", "--from", str(good_backup), "--db", str(empty_base_file)]
        refused_in_process(capsys, restore, "already open in")
        assert snapshot(folder) == before
        # Reading and backing up work beside the running CustDesk.
        proc = run_cli("backup", "--json", "--db", str(empty_base_file))
        assert proc.returncode == 0, proc.stderr
        assert Path(json.loads(proc.stdout)["backup"]).is_file()
    finally:
        holder.close()


@pytest.mark.slow
def test_base_locked_by_another_custdesk_process(empty_base_file: Path) -> None:
    """The holder is a separate process, as a running GUI would be."""
    code = (
        "import sys; from custdesk.core.db import open_base; "
        "db = open_base(sys.argv[1], auto_backup=False); print('open', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(empty_base_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = snapshot(empty_base_file.parent)
        proc = run_cli("demo", "--clients", "2", "--db", str(empty_base_file))
        assert_refused(proc, "already open in another CustDesk", f"process {holder.pid}")
        assert snapshot(empty_base_file.parent) == before
    finally:
        holder.communicate("", timeout=30)


_WRITER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
con.execute("INSERT INTO settings(key, value) VALUES ('firm_name', '\\"Other program\\"')")
print("writing", flush=True)
sys.stdin.read()
con.execute("ROLLBACK")
"""


@pytest.mark.slow
def test_base_write_locked_by_another_program(
    empty_base_file: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another program (a raw SQLite connection in another process) is in the middle of a write."""
    other = subprocess.Popen(
        [sys.executable, "-I", "-c", _WRITER, str(empty_base_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "writing"
        folder = empty_base_file.parent
        before = snapshot(folder)
        proc = run_cli("demo", "--clients", "3", "--busy-timeout", "100", "--db", str(empty_base_file))
        assert_refused(proc, "locked by another program")
        assert snapshot(folder) == before
        restore = [
            "restore",
            "--from",
            str(good_backup),
            "--busy-timeout",
            "100",
            "--db",
            str(empty_base_file),
        ]
        refused_in_process(capsys, restore, "locked by another program")
        assert snapshot(folder) == before
        # A reader is not blocked by a writer in WAL mode.
        from custdesk.cli import main

        assert main(["check", "--busy-timeout", "100", "--db", str(empty_base_file)]) == 0
    finally:
        other.communicate("", timeout=30)


# ---------------------------------------------------------------------------------------------------------
# Read-only file and folder (root ignores file modes: see the module docstring)


def _drop_dac_capabilities() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    pr_capbset_drop = 24
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@cache
def _restricted_runner() -> tuple[dict[str, Any] | None, str]:
    """How to run a child that file modes bind: (subprocess arguments, or None with the reason)."""
    if sys.platform == "win32":
        # No euid and no root: the read-only attribute chmod sets binds administrators too.
        return {}, "Windows: the read-only attribute binds every user"
    if os.geteuid() != 0:
        return {}, "not root: chmod works"
    probe = [sys.executable, "-c", "import custdesk.cli"]
    try:
        if subprocess.run(probe, user="nobody", capture_output=True, timeout=60).returncode == 0:
            return {"user": "nobody"}, "as nobody"
    except (OSError, subprocess.SubprocessError):
        pass
    with tempfile.NamedTemporaryFile() as fh:
        os.chmod(fh.name, 0o444)
        check = [sys.executable, "-c", "import os, sys; sys.exit(os.access(sys.argv[1], os.W_OK))", fh.name]
        try:
            proc = subprocess.run(check, preexec_fn=_drop_dac_capabilities, capture_output=True, timeout=60)
            if proc.returncode == 0:
                return {"preexec_fn": _drop_dac_capabilities}, "as root without CAP_DAC_OVERRIDE"
        except (OSError, subprocess.SubprocessError):
            pass
    return None, "root cannot be made to obey file modes here (nobody cannot run Python; capabilities fixed)"


@pytest.fixture
def open_folder(empty_base_file: Path) -> Iterator[Path]:
    """A world-readable folder outside pytest's private temp tree, holding ``base.sqlite``."""
    folder = Path(tempfile.mkdtemp(prefix="custdesk-ro-"))
    folder.chmod(0o777)
    shutil.copyfile(empty_base_file, folder / "base.sqlite")
    (folder / "base.sqlite").chmod(0o666)
    (folder / "data").mkdir(mode=0o777)
    (folder / "data").chmod(0o777)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _restricted() -> dict[str, Any]:
    how, reason = _restricted_runner()
    if how is None:
        pytest.skip(reason)
    return how


@pytest.mark.slow
def test_read_only_file_is_refused_untouched(open_folder: Path) -> None:
    how = _restricted()
    base = open_folder / "base.sqlite"
    backup = open_folder / "data" / "good.sqlite"
    shutil.copyfile(base, backup)
    backup.chmod(0o644)
    base.chmod(0o444)
    env = {"CUSTDESK_DATA_DIR": str(open_folder / "data"), "HOME": str(open_folder / "data")}
    before = snapshot(open_folder)
    for cmd in (["demo", "--clients", "2"], ["restore", "--from", str(backup)]):
        proc = run_cli(*cmd, "--db", str(base), env=env, **how)
        assert_refused(proc, "is read-only")
        assert snapshot(open_folder) == before, cmd


@pytest.mark.slow
@pytest.mark.skipif(
    sys.platform == "win32", reason="Windows ignores a folder's read-only attribute (only ACLs bind there)"
)
def test_read_only_folder_is_refused_untouched(open_folder: Path) -> None:
    how = _restricted()
    base = open_folder / "base.sqlite"
    env = {"CUSTDESK_DATA_DIR": str(open_folder / "data"), "HOME": str(open_folder / "data")}
    open_folder.chmod(0o555)
    try:
        before = snapshot(open_folder)
        proc = run_cli("demo", "--clients", "2", "--db", str(base), env=env, **how)
        assert_refused(proc, "is read-only", str(open_folder))
        assert snapshot(open_folder) == before
        # Reading from a read-only folder works and creates nothing there.
        proc = run_cli("clients", "--json", "--db", str(base), env=env, **how)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == []
        assert snapshot(open_folder) == before
    finally:
        open_folder.chmod(0o777)


# ---------------------------------------------------------------------------------------------------------
# The frame


def test_help_of_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    from custdesk.cli import COMMANDS, main

    assert {"demo", "clients", "check", "backup", "restore"} <= set(COMMANDS)
    proc = run_cli("--help")
    assert proc.returncode == 0
    for name in COMMANDS:
        assert name in proc.stdout
        assert main([name, "--help"]) == 0
        out = capsys.readouterr().out
        assert "--db" in out and "usage: custdesk-cli " + name in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    from custdesk.cli import main

    assert main(["no-such-command"]) == 2
    assert main(["clients", "--limit", "0"]) == 2
    assert main(["restore"]) == 2  # --from or --list is required
    assert main([]) == 2


def test_check_backup_restore_round_trip(empty_base_file: Path, tmp_path: Path) -> None:
    """In-process ``main`` for speed: check clean, back up, change, restore, list."""
    from custdesk.cli import main

    db = str(empty_base_file)
    assert main(["check", "--db", db]) == 0
    target = tmp_path / "copy.sqlite"
    assert main(["backup", "--db", db, "--to", str(target)]) == 0
    assert main(["backup", "--db", db, "--to", str(target)]) == 2  # never overwrites a file
    con = sqlite3.connect(empty_base_file)
    con.execute("INSERT INTO settings(key, value) VALUES ('firm_name', '\"Changed\"')")
    con.commit()
    con.close()
    assert main(["restore", "--db", db, "--from", str(target)]) == 0
    con = sqlite3.connect(empty_base_file)
    assert con.execute("SELECT count(*) FROM settings WHERE key = 'firm_name'").fetchone()[0] == 0
    con.close()


def test_restore_list_json(empty_base_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from custdesk.cli import main

    db = str(empty_base_file)
    assert main(["backup", "--db", db]) == 0
    capsys.readouterr()
    assert main(["restore", "--list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["kind"] for b in listed] == ["manual"]
    assert set(listed[0]) == {"path", "kind", "made_at", "size", "sequence", "problem"}
    assert listed[0]["sequence"] == 1 and listed[0]["problem"] is None


@pytest.mark.slow
def test_demo_then_clients_then_check(tmp_path: Path) -> None:
    base = tmp_path / "demo.sqlite"
    proc = run_cli("demo", "--db", str(base), "--clients", "30", "--seed", "7", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["clients"] == 30
    from custdesk.cli import CLIENT_JSON_KEYS, main

    proc = run_cli("clients", "--db", str(base), "--limit", "5", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == 5 and all(tuple(r) == (*CLIENT_JSON_KEYS, "custom") for r in rows)
    assert main(["check", "--db", str(base)]) == 0
    assert main(["demo", "--db", str(base), "--clients", "3"]) == 2  # never over an existing base
