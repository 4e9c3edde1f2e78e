"""The ABC × XYZ matrix (DOMAIN.md, "ABC × XYZ"): 3×3 cells with counts and revenue, plus the D row.

AX holds the most valuable clients (steady big buyers); AY and BX regular mid volume; AZ and BZ big but
unpredictable; CZ rare small buyers. D clients have no XYZ class: they form one row of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from custdesk.analysis.clients import ClassTotal, ClientAnalysis

ROWS: tuple[str, ...] = ("A", "B", "C")
COLUMNS: tuple[str, ...] = ("X", "Y", "Z")


@dataclass(frozen=True)
class AbcXyzMatrix:
    """The matrix of one analysis.

    Attributes:
        cells: ``cells[abc][xyz]`` for abc in A, B, C and xyz in X, Y, Z (name ``"AX"`` etc.).
        d_row: the D clients (no purchase in the window; revenue 0).
        revenue: the revenue of the window (the sum of every cell).
    """

    cells: dict[str, dict[str, ClassTotal]]
    d_row: ClassTotal
    revenue: Decimal

    def cell(self, abc: str, xyz: str) -> ClassTotal:
        """One cell, e.g. ``cell("A", "X")``."""
        return self.cells[abc][xyz]


def abc_xyz_matrix(analysis: ClientAnalysis) -> AbcXyzMatrix:
    """The ABC × XYZ matrix of ``analysis``; ``analysis.client_ids_where(abc=, xyz=)`` opens a cell."""
    cells = {a: {x: analysis.total(abc=a, xyz=x) for x in COLUMNS} for a in ROWS}
    return AbcXyzMatrix(cells, analysis.total(abc="D"), analysis.revenue)


__all__ = ["COLUMNS", "ROWS", "AbcXyzMatrix", "abc_xyz_matrix"]
