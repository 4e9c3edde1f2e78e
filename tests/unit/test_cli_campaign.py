"""``custdesk-cli campaign``: scheduled over working days within the limit, refusals exit 2, progress."""

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
            for n in range(5):
                c = Client(
                    external_id=f"C-{n}",
                    name=f"Client {n}",
                    created_at=T,
                    updated_at=T,
                    rfm_segment="at risk",
                )
                c.phones.append(Phone(number=f"+1202555010{n}", is_primary=True))
                s.add(c)
    finally:
        db.close()
    return empty_base_file


def test_a_segment_campaign_is_spread_and_then_followed(
    base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["campaign", "--db", str(base), "--name", "Spring", "--days", "3", "--per-day", "2"]
    args += [
        "--segment",
        "at risk",
        "--start",
        "2025-03-07",
        "--note",
        "offer the spring collection",
        "--json",
    ]
    assert main(args) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["days"] == {"2025-03-07": 2, "2025-03-10": 2, "2025-03-11": 1}
    assert len(data["calls"]) == 5 and data["left_out"] == []
    assert main(["campaign", "--db", str(base), "--name", "Spring", "--progress", "--json"]) == EXIT_OK
    progress = json.loads(capsys.readouterr().out)
    assert (progress["clients"], progress["called"], progress["reached"], progress["bought"]) == (5, 0, 0, 0)
    db = open_base(base, readonly=True)
    try:
        with db.session() as s:
            days = sorted(c.next_call_on for c in s.query(Client))
    finally:
        db.close()
    assert days == [date(2025, 3, 7)] * 2 + [date(2025, 3, 10)] * 2 + [date(2025, 3, 11)]


def test_too_many_clients_is_refused_and_nothing_changes(
    base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = base.read_bytes()
    args = [
        "campaign",
        "--db",
        str(base),
        "--name",
        "Spring",
        "--days",
        "2",
        "--per-day",
        "2",
        "--ids",
        "1,2,3,4,5",
    ]
    assert main(args) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "more clients (5) than calls that fit" in err and "Traceback" not in err
    assert base.read_bytes() == before
    assert main(["campaign", "--db", str(base), "--name", "Spring", "--days", "2"]) == EXIT_BAD_INPUT
    assert main(["campaign", "--db", str(base), "--name", "Nope", "--progress"]) == EXIT_BAD_INPUT
