"""Crash trials: kill -9 at a random moment of an import, of edits, of a backup and of a restore.

After each kill the base must pass ``check`` (SQLite's integrity and links, and the application's rules,
such as the figures kept on each client), an import must be all or nothing, every edit acknowledged
(printed only after its commit returned) must be there, and the next operation must work.

Four trials (one of each) run in the normal suite. The long run is opt-in and marked ``slow``:

    CUSTDESK_TORTURE_TRIALS=120 python3 -m pytest -q -m slow tests/torture/test_crash_trials.py

runs 120 more (30 of each kind), each with its own random seed (printed when one fails). With
``CUSTDESK_TORTURE_LOG=FILE`` each trial appends what it saw (mode, seed, whether the kill landed before
the operation ended, rows imported, commits acknowledged) to FILE as a JSON line.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from custdesk.core import backup, restore
from custdesk.core.check import check_base
from custdesk.core.db import open_base
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import settings
from custdesk.core.services.clients import create_client

CHILD = Path(__file__).with_name("_child.py")
MODES = ("import", "edits", "backup", "restore")
IMPORT_ROWS = 1000
SLOW_TRIALS = int(os.environ.get("CUSTDESK_TORTURE_TRIALS", "0") or 0)


@dataclass
class Bench:
    """The bases and files every trial starts from (copied per trial), and how long each operation runs."""

    folder: Path
    base: Path  # a demo base
    other: Path  # a backup of it with a different firm name and one more client
    csv: Path
    durations: dict[str, float]


def _env(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CUSTDESK_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def _start(mode: str, base: Path, arg: str, data: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), mode, str(base), arg],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(data),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "READY", line + proc.stderr.read() if proc.stderr else line
    return proc


def _firm(path: Path) -> str:
    with open_base(path, readonly=True) as db:
        return str(settings.get(db, "firm_name"))


def _count(path: Path, where: str = "1") -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM clients WHERE {where}").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="session")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    from custdesk.core.demo import generate_demo

    folder = tmp_path_factory.mktemp("torture")
    data = folder / "data"
    old = os.environ.get("CUSTDESK_DATA_DIR")
    os.environ["CUSTDESK_DATA_DIR"] = str(data)
    try:
        base = folder / "demo.sqlite"
        with open_base(base, auto_backup=False) as db:
            generate_demo(db, clients=800, seed=7)
            settings.set_values(db, {"firm_name": "Before"})
        other = folder / "other.sqlite"
        shutil.copyfile(base, other)
        with open_base(other, auto_backup=False) as db:
            settings.set_values(db, {"firm_name": "After"})
            create_client(
                db,
                ClientInput(
                    name="Only in the backup", external_id="RESTORED-1", phones=(PhoneInput("+358401110001"),)
                ),
            )
        backup.make_backup(other, folder / "other-backup.sqlite")
        other = folder / "other-backup.sqlite"
    finally:
        if old is None:
            os.environ.pop("CUSTDESK_DATA_DIR", None)
        else:
            os.environ["CUSTDESK_DATA_DIR"] = old
    csv = folder / "clients.csv"
    lines = ["External ID,Name,Phone,City,E-mail"]
    lines += [
        f"IMP-{i},Client {i:05d},+35850{i:07d},{('Tampere', 'Oulu', 'Turku')[i % 3]},c{i}@example.fi"
        for i in range(IMPORT_ROWS)
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bench = Bench(folder, base, other, csv, {})
    # How long each operation lasts here, uninterrupted (the kills land inside that span); each run
    # also shows the operation works at all.
    for mode in MODES:
        trial = folder / f"calibrate-{mode}"
        trial.mkdir()
        base_copy, arg = _prepare(bench, mode, trial)
        t0 = time.perf_counter()
        proc = _start(mode, base_copy, arg, trial / "data")
        if mode == "edits":
            time.sleep(1.0)
            proc.kill()
        out, err = proc.communicate(timeout=120)
        bench.durations[mode] = time.perf_counter() - t0
        assert proc.returncode in (0, -signal.SIGKILL), (mode, out, err)
    return bench


def _prepare(bench: Bench, mode: str, trial: Path) -> tuple[Path, str]:
    base = trial / "base.sqlite"
    shutil.copyfile(bench.base, base)
    if mode == "import":
        return base, str(bench.csv)
    if mode == "edits":
        return base, "E"
    if mode == "backup":
        return base, str(trial / "out" / "copy.sqlite")
    return base, str(bench.other)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _healthy(base: Path) -> None:
    report = check_base(base)
    assert report.ok, ["corrupt base", *[p.message for p in report.problems[:5]]]


def _next_operation_works(base: Path, data: Path) -> None:
    old = os.environ.get("CUSTDESK_DATA_DIR")
    os.environ["CUSTDESK_DATA_DIR"] = str(data)
    try:
        with open_base(base) as db:
            assert not db.warnings, db.warnings
            create_client(
                db,
                ClientInput(
                    name="After the crash", external_id="NEXT-1", phones=(PhoneInput("+358401110002"),)
                ),
            )
    finally:
        if old is None:
            os.environ.pop("CUSTDESK_DATA_DIR", None)
        else:
            os.environ["CUSTDESK_DATA_DIR"] = old
    _healthy(base)
    assert _count(base, "external_id = 'NEXT-1'") == 1


def run_trial(bench: Bench, mode: str, seed: int, trial: Path) -> dict[str, object]:
    """One kill -9 trial; returns what was seen (and fails on any broken promise)."""
    rng = random.Random(seed)
    data = trial / "data"
    base, arg = _prepare(bench, mode, trial)
    before = _count(base)
    base_digest = _digest(base)
    proc = _start(mode, base, arg, data)
    time.sleep(rng.uniform(0, bench.durations[mode] * 1.1))
    proc.kill()
    out, _err = proc.communicate(timeout=60)
    killed = proc.returncode == -signal.SIGKILL
    acked = [line.split()[1] for line in out.splitlines() if line.startswith("ACK ")]
    acked_purchases = [line.split()[1] for line in out.splitlines() if line.startswith("ACKP ")]

    _healthy(base)
    seen: dict[str, object] = {"mode": mode, "seed": seed, "killed": killed}
    if mode == "import":
        imported = _count(base, "external_id LIKE 'IMP-%'")
        assert imported in (0, IMPORT_ROWS), f"partial import: {imported} of {IMPORT_ROWS} rows"
        seen["imported"] = imported
    elif mode == "edits":
        con = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
        present = {r[0] for r in con.execute("SELECT external_id FROM clients WHERE external_id LIKE 'E-%'")}
        with_purchase = {
            r[0]
            for r in con.execute(
                "SELECT c.external_id FROM clients c JOIN purchases p ON p.client_id = c.id "
                "WHERE c.external_id LIKE 'E-%'"
            )
        }
        con.close()
        lost = [e for e in acked if e not in present] + [e for e in acked_purchases if e not in with_purchase]
        assert not lost, f"lost acknowledged commits: {lost}"
        seen["acknowledged"] = len(acked) + len(acked_purchases)
    elif mode == "backup":
        target = Path(arg)
        assert _digest(base) == base_digest, "the backup changed the base"
        if target.exists():
            restore.verify_backup(target)  # whole, or not there at all
            target.unlink()
        # The next run cleans what the killed one left, and makes a whole backup.
        code = subprocess.run(
            [sys.executable, "-m", "custdesk.cli", "backup", "--db", str(base), "--to", arg],
            env=_env(data),
            capture_output=True,
            text=True,
        )
        assert code.returncode == 0, code.stderr
        restore.verify_backup(target)
        assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite"], "leftovers"
    else:
        firm = _firm(base)
        restored = _count(base, "external_id = 'RESTORED-1'")
        assert (firm, restored, _count(base)) in (("Before", 0, before), ("After", 1, before + 1)), (
            f"half restored: firm {firm}, {_count(base)} clients"
        )
        seen["restored"] = firm == "After"
        # The next restore finishes the job.
        code = subprocess.run(
            [sys.executable, "-m", "custdesk.cli", "restore", "--db", str(base), "--from", arg],
            env=_env(data),
            capture_output=True,
            text=True,
        )
        assert code.returncode == 0, code.stderr
        assert _firm(base) == "After"
        assert sorted(p.name for p in Path(arg).parent.iterdir() if p.name.startswith("other-backup")) == [
            "other-backup.sqlite"
        ], "a file left beside the backup"
    _next_operation_works(base, data)
    log = os.environ.get("CUSTDESK_TORTURE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(seen) + "\n")
    return seen


@pytest.mark.parametrize("mode", MODES)
def test_kill_during(bench: Bench, mode: str, tmp_path: Path) -> None:
    run_trial(bench, mode, seed=MODES.index(mode) + 1, trial=tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(not SLOW_TRIALS, reason="the long crash run is opt-in: CUSTDESK_TORTURE_TRIALS=N")
@pytest.mark.parametrize("index", range(SLOW_TRIALS))
def test_kill_during_many(bench: Bench, index: int, tmp_path: Path) -> None:
    mode = MODES[index % len(MODES)]
    run_trial(bench, mode, seed=1000 + index, trial=tmp_path)
