"""Client analysis without Qt: ABC, XYZ, RFM, the ABC × XYZ matrix, Pareto, dynamics, plan, growth.

Every definition follows DOMAIN.md ("Analysis") to the letter; each module's docstring quotes the rule it
implements and names our own rules where DOMAIN.md is silent. Results are frozen dataclasses (no ORM
objects); money is ``Decimal`` (integer cents inside); shares and the XYZ cv are floats (ratios).

The usual path::

    from custdesk.analysis import AnalysisParameters, Period, analyze_clients, abc_xyz_matrix
    params = AnalysisParameters(Period.last_years(3, date.today()), criterion="revenue", bucket="month")
    analysis = analyze_clients(db, params, progress)     # ABC + XYZ + RFM of every client, one scan
    analysis.totals()["abc"]                             # count, revenue, profit per class
    abc_xyz_matrix(analysis).cell("A", "X")              # a cell; analysis.client_ids_where(abc="A", xyz="X")
    store_analysis(db, analysis)                         # classes onto the clients, with the run

Modules: period (windows, buckets), parameters, scan (the one data path), abc, xyz, rfm, clients (the
combined result), matrix, pareto, dynamics, plan, growth, distributions, store. charts.py (matplotlib) is
the GUI's.
"""

from __future__ import annotations

from custdesk.analysis.clients import ClassTotal, ClientAnalysis, ClientClasses, analyze_clients
from custdesk.analysis.matrix import AbcXyzMatrix, abc_xyz_matrix
from custdesk.analysis.parameters import AnalysisParameters, parse_thresholds
from custdesk.analysis.period import Bucket, Period, buckets
from custdesk.analysis.store import StoredClasses, StoredRun, latest_run, store_analysis, stored_classes

__all__ = [
    "AbcXyzMatrix",
    "AnalysisParameters",
    "Bucket",
    "ClassTotal",
    "ClientAnalysis",
    "ClientClasses",
    "Period",
    "StoredClasses",
    "StoredRun",
    "abc_xyz_matrix",
    "analyze_clients",
    "buckets",
    "latest_run",
    "parse_thresholds",
    "store_analysis",
    "stored_classes",
]
