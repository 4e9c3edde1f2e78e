"""Storing the classes of a client analysis per client, and reading them back.

:func:`store_analysis` writes, in one transaction, a row of ``analysis_runs`` (the window and parameters)
and on every analysed client its ABC and XYZ class, RFM scores and segment with the run's id; clients the
run did not cover (merged cards) lose any older stored values, so nothing stale remains. The journal gets
one entry for the run (not one per client). The list, its filters and the printed card read them back
with :func:`stored_classes` / :func:`stored_classes_of` (or straight from the ``clients`` columns).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import Table, select, update

from custdesk.analysis.abc import ABC_CLASSES
from custdesk.analysis.clients import ClientAnalysis
from custdesk.analysis.parameters import threshold_text
from custdesk.analysis.period import Period
from custdesk.analysis.rfm import SEGMENTS
from custdesk.analysis.xyz import NO_CLASS, XYZ_CLASSES
from custdesk.core.db import Database
from custdesk.core.models import AnalysisRun, Client
from custdesk.core.services.audit import current_user, record

_CHUNK = 500


@dataclass(frozen=True)
class StoredRun:
    """A stored analysis: what its classes were computed for.

    Attributes:
        id: the run.
        period: the window (both days inclusive).
        criterion: ``"revenue"`` or ``"profit"``.
        bucket: the XYZ bucket size.
        abc_thresholds: e.g. ``"0.8,0.95"``; ``xyz_thresholds`` e.g. ``"0.1,0.25"``.
        clients: how many clients it classified.
        computed_at: when the analysis was computed; ``stored_by``: who stored it.
    """

    id: int
    period: Period
    criterion: str
    bucket: str
    abc_thresholds: str
    xyz_thresholds: str
    clients: int
    computed_at: datetime
    stored_by: str


@dataclass(frozen=True)
class StoredClasses:
    """The stored classes of one client and the run they come from (values None: no class)."""

    client_id: int
    abc: str
    xyz: str | None
    r: int | None
    f: int | None
    m: int | None
    segment: str | None
    run: StoredRun


def _run(row: AnalysisRun) -> StoredRun:
    return StoredRun(
        id=row.id,
        period=Period(row.period_from, row.period_to),
        criterion=row.criterion,
        bucket=row.bucket,
        abc_thresholds=row.abc_thresholds,
        xyz_thresholds=row.xyz_thresholds,
        clients=row.clients,
        computed_at=row.computed_at,
        stored_by=row.stored_by,
    )


def store_analysis(db: Database, analysis: ClientAnalysis, *, who: str | None = None) -> StoredRun:
    """Store the classes of every analysed client with the run's window and parameters (one transaction).

    Returns:
        The stored run.
    """
    p = analysis.parameters
    ids = analysis.client_ids.tolist()
    abc = [ABC_CLASSES[c] for c in analysis.abc.tolist()]
    xyz = [XYZ_CLASSES[c] if c != NO_CLASS else None for c in analysis.xyz.tolist()]
    segment = [SEGMENTS[c] if c >= 0 else None for c in analysis.segment.tolist()]
    scored = analysis.scan.bought.tolist()

    def score(values: np.ndarray[Any, Any]) -> list[int | None]:
        return [int(v) if b else None for v, b in zip(values.tolist(), scored, strict=True)]

    r, f, m = score(analysis.r), score(analysis.f), score(analysis.m)
    user = who if who is not None else current_user()
    with db.session() as s:
        run = AnalysisRun(
            period_from=p.period.start,
            period_to=p.period.end,
            criterion=p.criterion,
            bucket=p.bucket,
            abc_thresholds=",".join(threshold_text(t) for t in p.abc_thresholds),
            xyz_thresholds=",".join(threshold_text(t) for t in p.xyz_thresholds),
            clients=len(ids),
            computed_at=analysis.computed_at,
            stored_by=user,
        )
        s.add(run)
        s.flush()
        table = Client.__table__
        assert isinstance(table, Table)
        # Clients sharing the same classes are updated together: a few hundred statements, not 100,000.
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, *values in zip(ids, abc, xyz, r, f, m, segment, strict=True):
            groups.setdefault(tuple(values), []).append(i)
        for (a, x, rr, ff, mm, sg), members in groups.items():
            for start in range(0, len(members), _CHUNK):
                s.execute(
                    update(table)
                    .where(table.c.id.in_(members[start : start + _CHUNK]))
                    .values(
                        abc_class=a,
                        xyz_class=x,
                        rfm_r=rr,
                        rfm_f=ff,
                        rfm_m=mm,
                        rfm_segment=sg,
                        analysis_run_id=run.id,
                    )
                )
        s.execute(
            update(table)
            .where(table.c.analysis_run_id.is_not(None), table.c.analysis_run_id != run.id)
            .values(
                abc_class=None,
                xyz_class=None,
                rfm_r=None,
                rfm_f=None,
                rfm_m=None,
                rfm_segment=None,
                analysis_run_id=None,
            )
        )
        record(
            s,
            "update",
            "analysis",
            run.id,
            field="client classes",
            new=(
                f"{p.period.start.isoformat()}..{p.period.end.isoformat()} {p.criterion} {p.bucket} "
                f"abc {run.abc_thresholds} xyz {run.xyz_thresholds}: {len(ids)} clients"
            ),
            who=user,
        )
        return _run(run)


def latest_run(db: Database) -> StoredRun | None:
    """The last stored analysis (None when none was stored)."""
    with db.session() as s:
        row = s.scalars(select(AnalysisRun).order_by(AnalysisRun.id.desc()).limit(1)).one_or_none()
        return None if row is None else _run(row)


def stored_classes_of(db: Database, client_ids: Iterable[int]) -> dict[int, StoredClasses]:
    """The stored classes of these clients (clients never analysed are absent)."""
    wanted = list(dict.fromkeys(client_ids))
    result: dict[int, StoredClasses] = {}
    runs: dict[int, StoredRun] = {}
    c = Client
    with db.session() as s:
        for start in range(0, len(wanted), _CHUNK):
            rows = s.execute(
                select(
                    c.id,
                    c.abc_class,
                    c.xyz_class,
                    c.rfm_r,
                    c.rfm_f,
                    c.rfm_m,
                    c.rfm_segment,
                    c.analysis_run_id,
                ).where(c.id.in_(wanted[start : start + _CHUNK]), c.analysis_run_id.is_not(None))
            ).all()
            for cid, abc, xyz, r, f, m, seg, run_id in rows:
                if run_id is None or abc is None:
                    continue
                if run_id not in runs:
                    run_row = s.get(AnalysisRun, run_id)
                    if run_row is None:
                        continue
                    runs[run_id] = _run(run_row)
                result[cid] = StoredClasses(cid, abc, xyz, r, f, m, seg, runs[run_id])
    return result


def stored_classes(db: Database, client_id: int) -> StoredClasses | None:
    """The stored classes of one client (None when it was never analysed)."""
    return stored_classes_of(db, [client_id]).get(client_id)


def period_text(run: StoredRun) -> str:
    """The run's window as ISO dates, ``"2025-01-01..2025-12-31"`` (the GUI formats dates itself)."""
    start: date = run.period.start
    return f"{start.isoformat()}..{run.period.end.isoformat()}"


__all__ = [
    "StoredClasses",
    "StoredRun",
    "latest_run",
    "period_text",
    "store_analysis",
    "stored_classes",
    "stored_classes_of",
]
