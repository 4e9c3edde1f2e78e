"""``custdesk-cli analyze``: ABC, XYZ and RFM of every client for a window, as JSON or a summary.

JSON (``--json``): ``{"period", "criterion", "bucket", "abc_thresholds", "xyz_thresholds", "clients":
[...], "totals": {"abc", "xyz", "segment"}, "matrix", "stored_run"}``. Each client (every client of the
base except cards merged into another, D clients included) has ``id, external_id, abc, xyz, recency,
frequency, monetary, r, f, m, segment``; ``null`` where the client has no class (no purchase in the
window). Money (``monetary``, ``revenue``) is a JSON *string* in currency units with two decimals, e.g.
``"1234.50"``: exact, never a float. ``segment`` is the English name from DOMAIN.md (``"at risk"``).

Nothing is written unless ``--store`` (the base is opened read-only otherwise).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from custdesk import i18n
from custdesk.cli import EXIT_OK, _add_json, _base_path, _busy_timeout, _open_readonly, _print_json, command
from custdesk.i18n import N_, _, ngettext


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a date in the form YYYY-MM-DD").format(value=text)
        ) from None


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--from",
        dest="start",
        type=_day,
        metavar="YYYY-MM-DD",
        help=_("the first day of the window (default: a year before --to)"),
    )
    p.add_argument(
        "--to",
        dest="end",
        type=_day,
        metavar="YYYY-MM-DD",
        help=_("the last day of the window, inclusive; also the RFM as-of date (default: today)"),
    )
    p.add_argument(
        "--criterion",
        choices=("revenue", "profit"),
        default="revenue",
        help=_("ABC by revenue or by profit (default: revenue)"),
    )
    p.add_argument(
        "--bucket",
        choices=("month", "quarter", "year"),
        help=_("XYZ buckets (default: the base's setting, usually month)"),
    )
    p.add_argument(
        "--abc-thresholds",
        metavar="A,B",
        help=_("ABC shares, e.g. 0.80,0.95 (default: the base's setting)"),
    )
    p.add_argument(
        "--xyz-thresholds",
        metavar="X,Y",
        help=_("XYZ coefficients of variation, e.g. 0.10,0.25 (default: the base's setting)"),
    )
    p.add_argument(
        "--store",
        action="store_true",
        help=_("store each client's classes with the window and parameters in the base"),
    )
    _add_json(p)


def _money(value: Any) -> str:
    return f"{value:.2f}"


@command("analyze", N_("ABC, XYZ and RFM analysis of every client for a window of dates"), _arguments)
def _analyze(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from custdesk.analysis.clients import analyze_clients
    from custdesk.analysis.matrix import COLUMNS, ROWS, abc_xyz_matrix
    from custdesk.analysis.parameters import (
        BUCKET_LABELS,
        CRITERION_LABELS,
        AnalysisParameters,
        parse_thresholds,
        threshold_text,
    )
    from custdesk.analysis.period import Period, check_bucket_size
    from custdesk.analysis.rfm import SEGMENT_LABELS
    from custdesk.analysis.store import store_analysis
    from custdesk.core.db import open_base
    from custdesk.core.models import Client
    from custdesk.core.services import settings

    end = args.end or date.today()
    start = args.start or Period.last_years(1, end).start
    period = Period.custom(start, end)
    if args.store:
        db = open_base(_base_path(args), create=False, busy_timeout_ms=_busy_timeout(args))
    else:
        db = _open_readonly(args)
    with db:
        firm = settings.get_all(db)
        params = AnalysisParameters(
            period=period,
            criterion=args.criterion,
            bucket=check_bucket_size(args.bucket or str(firm["xyz_bucket"])),
            abc_thresholds=parse_thresholds(args.abc_thresholds or firm["abc_thresholds"], "abc"),
            xyz_thresholds=parse_thresholds(args.xyz_thresholds or firm["xyz_thresholds"], "xyz"),
        )
        analysis = analyze_clients(db, params, with_profit=True)
        with db.session() as s:
            external = {cid: ext for cid, ext in s.execute(select(Client.id, Client.external_id))}
        run = store_analysis(db, analysis) if args.store else None
    totals = analysis.totals()
    matrix = abc_xyz_matrix(analysis)
    if args.json:
        _print_json(
            {
                "period": {"from": period.start, "to": period.end},
                "criterion": params.criterion,
                "bucket": params.bucket,
                "abc_thresholds": [threshold_text(t) for t in params.abc_thresholds],
                "xyz_thresholds": [threshold_text(t) for t in params.xyz_thresholds],
                "clients": [
                    {
                        "id": c.client_id,
                        "external_id": external.get(c.client_id),
                        "abc": c.abc,
                        "xyz": c.xyz,
                        "recency": c.recency,
                        "frequency": c.frequency,
                        "monetary": _money(c.monetary),
                        "r": c.r,
                        "f": c.f,
                        "m": c.m,
                        "segment": c.segment,
                    }
                    for c in analysis.clients()
                ],
                "totals": {
                    kind: {t.name: {"clients": t.clients, "revenue": _money(t.revenue)} for t in rows}
                    for kind, rows in totals.items()
                },
                "matrix": {
                    **{
                        a + x: {
                            "clients": matrix.cell(a, x).clients,
                            "revenue": _money(matrix.cell(a, x).revenue),
                        }
                        for a in ROWS
                        for x in COLUMNS
                    },
                    "D": {"clients": matrix.d_row.clients, "revenue": _money(matrix.d_row.revenue)},
                },
                "stored_run": run.id if run else None,
            }
        )
        return EXIT_OK
    currency = str(firm.get("currency", "USD"))
    print(
        _("Analysis of {start} – {end}: ABC by {criterion}, XYZ by {bucket}.").format(
            start=i18n.format_date(period.start),
            end=i18n.format_date(period.end),
            criterion=_(CRITERION_LABELS[params.criterion]),
            bucket=_(BUCKET_LABELS[params.bucket]),
        )
    )
    print(
        _("Thresholds: ABC {abc}; XYZ {xyz} (cv, inclusive).").format(
            abc=" / ".join(threshold_text(t) for t in params.abc_thresholds),
            xyz=" / ".join(threshold_text(t) for t in params.xyz_thresholds),
        )
    )
    buyers = analysis.buyers
    print(
        ngettext(
            "{count} client bought in the window, revenue {revenue}.",
            "{count} clients bought in the window, revenue {revenue}.",
            buyers,
        ).format(count=i18n.format_number(buyers), revenue=i18n.format_money(analysis.revenue, currency))
    )
    titles = {"abc": _("ABC"), "xyz": _("XYZ"), "segment": _("RFM segments")}
    for kind, rows in totals.items():
        print()
        print(titles[kind])
        names = {t.name: _(SEGMENT_LABELS[t.name]) if kind == "segment" else t.name for t in rows}
        width = max(len(n) for n in names.values())
        for t in rows:
            print(
                _("  {name}: {clients} clients, {revenue}").format(
                    name=names[t.name].ljust(width),
                    clients=i18n.format_number(t.clients).rjust(8),
                    revenue=i18n.format_money(t.revenue, currency),
                )
            )
    print()
    print(_("ABC × XYZ (clients)"))
    print("      " + "".join(x.rjust(9) for x in COLUMNS))
    for a in ROWS:
        print(f"  {a}   " + "".join(i18n.format_number(matrix.cell(a, x).clients).rjust(9) for x in COLUMNS))
    print(_("  D   {clients} clients without a purchase in the window").format(clients=matrix.d_row.clients))
    if run is not None:
        print()
        print(_("Stored for every client (run {run}).").format(run=run.id))
    return EXIT_OK
