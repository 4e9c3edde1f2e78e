"""The journal is a hash chain: ``check`` names the first broken link of a deleted, edited, reordered,
truncated or smuggled-in entry; every column is hashed, also one added later."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from custdesk.cli import main
from custdesk.core.check import check_base
from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients, journal_chain
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import suggest_mapping

# check_base reads the base file; a server base's check is still to come (issue 20).
pytestmark = pytest.mark.sqlite_only


def _entries(db: Database, n: int = 5) -> None:
    for i in range(n):
        clients.create_client(db, ClientInput(name=f"Client {i}", emails=(EmailInput(f"c{i}@example.com"),)))


def _chain(db: Database) -> list[tuple[int, int | None, str | None]]:
    with db.session() as s:
        return [
            (e.id, e.chain_seq, e.chain_hash) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def _tamper(path: Path, sql: str) -> None:
    con = sqlite3.connect(path)
    con.executescript(sql)
    con.commit()
    con.close()


def _chain_problems(path: Path) -> list[str]:
    return [p.message for p in check_base(path).problems if p.kind == "journal-chain"]


def test_every_entry_is_sealed_in_order_and_check_passes(db: Database) -> None:
    _entries(db)
    chain = _chain(db)
    assert [seq for _id, seq, _h in chain] == list(range(1, len(chain) + 1))
    assert all(h is not None and len(h) == 64 for _i, _s, h in chain)
    assert len({h for _i, _s, h in chain}) == len(chain)
    assert check_base(db.path).ok


def test_entries_of_an_import_are_sealed_too(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text(
        "name,email\n" + "".join(f"N{i},n{i}@example.com\n" for i in range(30)), encoding="utf-8"
    )
    table = read_source(source)
    run_import(db, table, suggest_mapping("clients", table), ImportOptions())
    assert all(seq is not None for _i, seq, _h in _chain(db))
    assert check_base(db.path).ok


@pytest.mark.parametrize(
    "sql,link,words",
    [
        ("DELETE FROM audit WHERE chain_seq = 3", 3, "missing (deleted)"),
        ("UPDATE audit SET who = 'the_owner' WHERE chain_seq = 2", 2, "edited or moved"),
        (
            "UPDATE audit SET chain_seq = -1 WHERE chain_seq = 2; "
            "UPDATE audit SET chain_seq = 2 WHERE chain_seq = 4; "
            "UPDATE audit SET chain_seq = 4 WHERE chain_seq = -1;",  # entries 2 and 4 swapped
            2,
            "edited or moved",
        ),
        ("UPDATE audit SET at = '2020-01-01 00:00:00.000000' WHERE chain_seq = 4", 4, "edited or moved"),
        ("DELETE FROM audit WHERE chain_seq >= 4", 4, "ends before its recorded end"),
        ("DELETE FROM audit", 1, "ends before its recorded end"),
    ],
)
def test_check_names_the_first_broken_link(db: Database, sql: str, link: int, words: str) -> None:
    _entries(db)
    db.close()
    _tamper(db.path, sql)
    problems = _chain_problems(db.path)
    assert len(problems) == 1 and words in problems[0]
    assert f"link {link}" in problems[0]


def test_an_entry_smuggled_in_is_reported(db: Database) -> None:
    _entries(db)
    db.close()
    _tamper(
        db.path,
        "INSERT INTO audit (at, who, action, entity, field) "
        "VALUES ('2026-01-01 00:00:00', 'x', 'create', 'client', '')",
    )
    problems = _chain_problems(db.path)
    assert len(problems) == 1 and "not written by CustDesk" in problems[0]


def test_a_column_added_later_is_hashed_too(db: Database) -> None:
    _entries(db, 3)
    db.close()
    # Another issue adds a nullable column: older entries (NULL there) keep their hashes...
    _tamper(db.path, "ALTER TABLE audit ADD COLUMN group_id INTEGER")
    assert _chain_problems(db.path) == []
    # ...and a value slipped into it afterwards breaks the link of that entry.
    _tamper(db.path, "UPDATE audit SET group_id = 7 WHERE chain_seq = 2")
    problems = _chain_problems(db.path)
    assert len(problems) == 1 and "link 2" in problems[0]


def test_cli_check_reports_the_broken_journal(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _entries(db)
    db.close()
    assert main(["check", "--db", str(db.path)]) == 0
    _tamper(db.path, "DELETE FROM audit WHERE chain_seq = 2")
    capsys.readouterr()
    assert main(["check", "--db", str(db.path)]) == 1
    assert "link 2" in capsys.readouterr().out


def test_verify_on_a_connection_agrees(db: Database) -> None:
    _entries(db)
    with db.engine.connect() as conn:
        assert journal_chain.verify(conn) is None
    _tamper(db.path, "UPDATE audit SET new = 'forged' WHERE chain_seq = 3")
    with db.engine.connect() as conn:
        broken = journal_chain.verify(conn)
    assert broken is not None and (broken.seq, broken.kind) == (3, "edited")


def test_a_fresh_process_seals_its_entries(tmp_path: Path) -> None:
    """In a new interpreter (as custdesk-cli runs), entries are sealed from the first commit on."""
    import os
    import subprocess
    import sys

    path = tmp_path / "demo.sqlite"
    env = {**os.environ, "CUSTDESK_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "custdesk.cli", "demo", "--db", str(path), "--clients", "20", "--seed", "1"]
    subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=300)
    con = sqlite3.connect(path)
    unsealed, total = con.execute("SELECT sum(chain_seq IS NULL), count(*) FROM audit").fetchone()
    con.close()
    assert total > 0 and unsealed == 0
    assert check_base(path).ok
