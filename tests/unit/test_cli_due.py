"""``custdesk-cli due``: the four lists of a day as JSON (English keys) and as a readable table."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from custdesk.cli import EXIT_BAD_INPUT, EXIT_OK, main
from custdesk.core.db import open_base
from custdesk.core.models import Client, Phone

T = datetime(2025, 1, 1, 9, 0)


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    db = open_base(empty_base_file, auto_backup=False)
    try:
        with db.session() as s:

            def add(ext: str, name: str, **values: object) -> None:
                c = Client(external_id=ext, name=name, created_at=T, updated_at=T, **values)
                c.phones.append(Phone(number="+12025550100", is_primary=True))
                s.add(c)

            add("C-1", "Late Larry", next_call_on=date(2025, 2, 20))
            add("C-2", "Today Tina", next_call_on=date(2025, 3, 1), temperature="hot")
            add("C-3", "Birthday Bea", birthday=date(1990, 12, 30))
            add("C-4", "Acme", kind="organisation", organisation="Acme Ltd", contract_end=date(2025, 3, 31))
            add("C-5", "Gone Gil", next_call_on=date(2025, 2, 1), archived=True)
    finally:
        db.close()
    return empty_base_file


def test_due_json_has_every_list_with_ids(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", str(base), "--on", "2025-03-01", "--json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["on"] == "2025-03-01"
    assert data["counts"] == {"overdue": 1, "today": 1, "birthdays": 0, "prolongations": 1}
    late = data["overdue"][0]
    assert (late["id"], late["external_id"], late["name"], late["phone"]) == (
        1,
        "C-1",
        "Late Larry",
        "+12025550100",
    )
    assert (late["reason"], late["date"], late["days"], late["next_call"]) == (
        "overdue",
        "2025-02-20",
        -9,
        "2025-02-20",
    )
    assert [e["external_id"] for e in data["today"]] == ["C-2"]
    acme = data["prolongations"][0]
    assert (acme["external_id"], acme["organisation"], acme["display_name"], acme["date"], acme["days"]) == (
        "C-4",
        "Acme Ltd",
        "Acme Ltd",
        "2025-03-31",
        30,
    )


def test_due_birthdays_across_the_year_end(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", str(base), "--on", "2025-12-27", "--json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert [(e["external_id"], e["date"], e["days"]) for e in data["birthdays"]] == [("C-3", "2025-12-30", 3)]
    # Larry and Gil's calls: Larry overdue by months, archived Gil never listed.
    assert [e["external_id"] for e in data["overdue"]] == ["C-1", "C-2"]


def test_due_table_for_people(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", str(base), "--on", "2025-03-01"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Due on 3/1/25" in out
    assert "Overdue calls: 1" in out and "Calls today: 1" in out
    assert "Birthdays this week: 0" in out and "Contracts to renew: 1" in out
    larry = next(line for line in out.splitlines() if "Late Larry" in line)
    assert "C-1" in larry and "2/20/25, 9 days overdue" in larry
    assert "Gone Gil" not in out


def test_due_limit_and_bad_date(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", str(base), "--on", "2025-03-05", "--limit", "1"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Overdue calls: 2" in out and "… and 1 more" in out
    assert main(["due", "--db", str(base), "--on", "2025-13-01"]) == EXIT_BAD_INPUT
    assert "is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["due", "--db", str(base.parent / "missing.sqlite")]) == EXIT_BAD_INPUT
    assert not (base.parent / "missing.sqlite").exists()
