"""``custdesk-cli analyze``: every client as JSON (D included, money as strings), a summary, --store."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from custdesk.cli import EXIT_BAD_INPUT, EXIT_OK, main
from custdesk.core.db import open_base
from custdesk.core.models import Client, Purchase

T = datetime(2024, 1, 1, 9, 0)


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    db = open_base(empty_base_file, auto_backup=False)
    try:
        with db.session() as s:
            for n in range(1, 5):
                s.add(Client(external_id=f"C-{n}", name=f"Client {n}", created_at=T, updated_at=T))
            s.flush()
            for cid, day, amount in (
                (1, "2024-01-05", "600.00"),
                (1, "2024-02-05", "600.00"),
                (2, "2024-02-10", "250.50"),
                (3, "2024-03-31", "49.50"),
                (4, "2023-12-31", "1000.00"),
            ):
                s.add(
                    Purchase(
                        client_id=cid,
                        purchased_on=date.fromisoformat(day),
                        amount=Decimal(amount),
                        created_at=T,
                    )
                )
    finally:
        db.close()
    return empty_base_file


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_lists_every_client(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(base)
    args = ["analyze", "--db", str(base), "--from", "2024-01-01", "--to", "2024-03-31", "--json"]
    assert main(args) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert _digest(base) == before  # read-only without --store
    assert out["period"] == {"from": "2024-01-01", "to": "2024-03-31"}
    assert out["abc_thresholds"] == ["0.8", "0.95"] and out["bucket"] == "month"
    rows = {c["external_id"]: c for c in out["clients"]}
    assert set(rows) == {"C-1", "C-2", "C-3", "C-4"}
    assert set(rows["C-1"]) == {
        "id",
        "external_id",
        "abc",
        "xyz",
        "recency",
        "frequency",
        "monetary",
        "r",
        "f",
        "m",
        "segment",
    }
    # 1200 + 250.50 + 49.50 = 1500: S_prev 0 (A), 80 % (B), 96.7 % (C).
    assert [rows[k]["abc"] for k in ("C-1", "C-2", "C-3", "C-4")] == ["A", "B", "C", "D"]
    assert rows["C-1"]["monetary"] == "1200.00" and rows["C-1"]["frequency"] == 2
    assert rows["C-1"]["recency"] == 55 and rows["C-3"]["recency"] == 0
    assert rows["C-4"] == {
        "id": rows["C-4"]["id"],
        "external_id": "C-4",
        "abc": "D",
        "xyz": None,
        "recency": None,
        "frequency": 0,
        "monetary": "0.00",
        "r": None,
        "f": None,
        "m": None,
        "segment": None,
    }
    assert isinstance(rows["C-2"]["segment"], str)
    assert out["totals"]["abc"]["A"] == {"clients": 1, "revenue": "1200.00"}
    assert out["totals"]["abc"]["D"] == {"clients": 1, "revenue": "0.00"}
    assert sum(v["clients"] for v in out["totals"]["abc"].values()) == 4
    assert out["matrix"]["D"]["clients"] == 1 and out["stored_run"] is None


def test_summary_and_store(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "analyze",
        "--db",
        str(base),
        "--from",
        "2024-01-01",
        "--to",
        "2024-03-31",
        "--bucket",
        "quarter",
        "--xyz-thresholds",
        "0.2,0.5",
        "--store",
    ]
    assert main(args) == EXIT_OK
    text = capsys.readouterr().out
    assert "ABC by revenue, XYZ by quarter" in text and "XYZ 0.2 / 0.5" in text and "Stored" in text
    db = open_base(base, auto_backup=False)
    try:
        with db.session() as s:
            stored = {c.external_id: (c.abc_class, c.xyz_class) for c in s.query(Client)}
    finally:
        db.close()
    assert stored == {"C-1": ("A", "X"), "C-2": ("B", "X"), "C-3": ("C", "X"), "C-4": ("D", None)}


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--from", "2024-05-01", "--to", "2024-01-01"], "starts on 2024-05-01 after it ends"),
        (["--abc-thresholds", "0.95,0.8"], "ABC thresholds"),
        (["--from", "2024-13-01"], "not a date"),
    ],
)
def test_bad_input_is_refused(
    base: Path, capsys: pytest.CaptureFixture[str], extra: list[str], fragment: str
) -> None:
    before = _digest(base)
    assert main(["analyze", "--db", str(base), *extra]) == EXIT_BAD_INPUT
    assert fragment in capsys.readouterr().err
    assert _digest(base) == before
