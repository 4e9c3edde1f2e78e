"""Stored classes: per client with the run's window and parameters, read back, stale values cleared."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy import func, select

from custdesk.analysis.store import latest_run, period_text, store_analysis, stored_classes, stored_classes_of
from custdesk.core.db import Database
from custdesk.core.models import AuditEntry, Client
from tests.unit.analysis._sales import add_purchases, analyse, make_clients


def test_store_and_read_back(db: Database) -> None:
    ids = make_clients(db, 3)
    add_purchases(db, ids, [(0, "2024-01-10", "90.00"), (1, "2024-02-10", "10.00")])
    a = analyse(
        db,
        "2024-01-01",
        "2024-03-31",
        criterion="profit",
        bucket="quarter",
        abc_thresholds=(Fraction(7, 10), Fraction(9, 10)),
    )
    run = store_analysis(db, a, who="owner")
    assert (run.period.start, run.period.end, run.criterion, run.bucket) == (
        date(2024, 1, 1),
        date(2024, 3, 31),
        "profit",
        "quarter",
    )
    assert (run.abc_thresholds, run.xyz_thresholds, run.clients, run.stored_by) == (
        "0.7,0.9",
        "0.1,0.25",
        3,
        "owner",
    )
    assert latest_run(db) == run and period_text(run) == "2024-01-01..2024-03-31"
    first = stored_classes(db, ids[0])
    assert first is not None and first.run == run
    expected = a.client(ids[0])
    assert expected is not None
    assert (first.abc, first.xyz, first.r, first.f, first.m, first.segment) == (
        expected.abc,
        expected.xyz,
        expected.r,
        expected.f,
        expected.m,
        expected.segment,
    )
    never = stored_classes(db, ids[2])
    assert never is not None and (never.abc, never.xyz, never.r, never.segment) == ("D", None, None, None)
    with db.session() as s:
        journal = s.scalars(select(AuditEntry).where(AuditEntry.entity == "analysis")).all()
        assert [(j.entity_id, j.who) for j in journal] == [(run.id, "owner")]
        # The list filters by the class columns (indexed with archived).
        assert s.scalar(select(func.count()).where(Client.archived.is_(False), Client.abc_class == "D")) == 1


def test_a_new_run_replaces_the_old_and_new_clients_have_none(db: Database) -> None:
    ids = make_clients(db, 2)
    add_purchases(db, ids, [(0, "2024-01-10", "90.00")])
    store_analysis(db, analyse(db, "2024-01-01", "2024-12-31"))
    late = make_clients(db, 1)
    assert stored_classes(db, late[0]) is None
    # The second client is merged away before the next run: its stale classes go.
    with db.session() as s:
        s.get(Client, ids[1]).merged_into_id = ids[0]  # type: ignore[union-attr]
    second = store_analysis(db, analyse(db, "2025-01-01", "2025-12-31"))
    found = stored_classes_of(db, [*ids, *late])
    assert set(found) == {ids[0], late[0]}
    assert found[ids[0]].abc == "D" and found[ids[0]].run.id == second.id
