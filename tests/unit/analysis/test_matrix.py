"""The ABC × XYZ matrix: counts and revenue per cell and the D row; the cells open their clients."""

from __future__ import annotations

from decimal import Decimal

from custdesk.analysis.matrix import COLUMNS, ROWS, abc_xyz_matrix
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, analyse, make_clients


def test_cells_counts_revenue_and_d_row(db: Database) -> None:
    ids = make_clients(db, 5)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-01-10", "400.00"),
            (0, "2024-02-10", "400.00"),  # 800, steady: AX
            (1, "2024-01-10", "150.00"),  # 150, one month of two: cv 1 -> Z; S_prev 800/1000 = 80 %: B
            (2, "2024-02-10", "50.00"),  # 50: S_prev 950/1000 = 95 %: C, Z
            (3, "2023-12-31", "70.00"),  # outside: D
        ],
    )
    a = analyse(db, "2024-01-01", "2024-02-29")
    m = abc_xyz_matrix(a)
    assert m.cell("A", "X").clients == 1 and m.cell("A", "X").revenue == Decimal("800.00")
    assert m.cell("B", "Z").clients == 1 and m.cell("B", "Z").revenue == Decimal("150.00")
    assert m.cell("C", "Z").clients == 1 and m.cell("C", "Z").revenue == Decimal("50.00")
    assert m.d_row.clients == 2 and m.d_row.revenue == Decimal("0.00")
    assert sum(m.cell(r, c).clients for r in ROWS for c in COLUMNS) + m.d_row.clients == 5
    assert sum((m.cell(r, c).revenue for r in ROWS for c in COLUMNS), Decimal(0)) == m.revenue
    assert a.client_ids_where(abc="A", xyz="X") == [ids[0]]
    assert a.client_ids_where(abc="D") == [ids[3], ids[4]]


def test_merged_cards_are_not_clients_of_the_analysis(db: Database) -> None:
    ids = make_clients(db, 2)
    merged = make_clients(db, 1, merged_into_id=ids[0], archived=True)
    a = analyse(db, "2024-01-01", "2024-12-31")
    assert a.client(merged[0]) is None
    assert abc_xyz_matrix(a).d_row.clients == 2
