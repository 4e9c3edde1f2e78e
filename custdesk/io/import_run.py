"""The body of :func:`custdesk.io.import_engine.preview` and :func:`~custdesk.io.import_engine.run_import`.

Kept apart from the engine's dataclasses so that each module stays readable; import the public functions
from :mod:`custdesk.io.import_engine`.
"""

from __future__ import annotations

import contextlib
import gc
from dataclasses import asdict
from typing import Any

from custdesk.core.db import Database
from custdesk.core.services import access
from custdesk.io.import_engine import (
    STATUS_FLAGGED,
    STATUS_NEW,
    STATUS_UNMATCHED,
    STATUS_UPDATE,
    ImportOptions,
    ImportPreview,
    ImportReport,
    PreviewRow,
    ProgressCallback,
)
from custdesk.io.importers.base import SourceTable
from custdesk.io.mapping import ColumnMapping


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that everything it wrote rolls back."""


def choose_region(
    table: SourceTable, mapping: ColumnMapping, options: ImportOptions, firm_region: str
) -> tuple[str, str, Any]:
    """The country the import reads phones for, why (translated; "" for the firm's own) and the guess.

    ``options.region`` when given; else the country the file's numbers fit far better than the firm's
    (:func:`custdesk.io.phone_regions.infer_region`); else the firm's.
    """
    from custdesk.core.validation import country_name
    from custdesk.i18n import _
    from custdesk.io.phone_regions import calling_code, infer_region

    firm = firm_region.upper()
    guess = infer_region(table, mapping, firm)
    if options.region:
        region = options.region.upper()
        if region == firm:
            return region, "", guess
        return (
            region,
            _("Phones were read as numbers of {country} (+{code}), as chosen.").format(
                country=country_name(region), code=calling_code(region)
            ),
            guess,
        )
    if guess is None:
        return firm, "", None
    return (
        guess.region,
        _(
            "Most phones of the file are not numbers of {firm} but of {country} (+{code}): "
            "they were read as numbers of {country}."
        ).format(
            firm=country_name(firm), country=country_name(guess.region), code=calling_code(guess.region)
        ),
        guess,
    )


def _context(
    db_session: Any, table: SourceTable, mapping: ColumnMapping, options: ImportOptions
) -> tuple[Any, dict[str, Any], str]:
    from custdesk.core.services._shared import firm_settings
    from custdesk.io.import_rows import RowContext

    conf = firm_settings(db_session)
    mapping = mapping.for_table(table) if set(mapping.columns) - set(table.headers) else mapping
    region, reason, _guess = choose_region(table, mapping, options, str(conf["phone_region"]))
    ctx = RowContext(
        table=table,
        mapping=mapping,
        region=region,
        require_contact=bool(conf["require_contact"]),
        flag=options.bad_rows == "flag",
    )
    if mapping.own_columns():
        from custdesk.io.import_own_fields import own_specs

        ctx.own_specs = own_specs(db_session, mapping)
    return ctx, conf, reason


def _check(mapping: ColumnMapping, options: ImportOptions) -> None:
    from custdesk.core.errors import CustDeskError
    from custdesk.i18n import _

    if mapping.kind != options.kind:
        raise CustDeskError(
            _("The mapping is for a {mapping} import, not for {kind}.").format(
                mapping=mapping.kind, kind=options.kind
            )
        )
    problems = mapping.problems()
    if problems:
        raise CustDeskError("\n".join(problems))


def _display(data: object) -> dict[str, str]:
    from custdesk.core.dto import ClientInput, InteractionInput, PurchaseInput

    if isinstance(data, ClientInput):
        values = {
            name: str(getattr(data, name))
            for name in (
                "external_id",
                "name",
                "organisation",
                "kind",
                "country",
                "region",
                "city",
                "district",
                "street",
                "building",
                "postcode",
                "birthday",
                "client_since",
                "tax_id",
                "source",
                "notes",
            )
            if getattr(data, name) not in (None, "")
        }
        if data.phones:
            values["phone"] = "; ".join(
                f"{p.number} x{p.extension}" if p.extension else p.number for p in data.phones
            )
        if data.emails:
            values["email"] = "; ".join(e.address for e in data.emails)
        if data.tags:
            values["tags"] = ", ".join(data.tags)
        return values
    if isinstance(data, PurchaseInput):
        values = {"date": data.purchased_on.isoformat(), "amount": str(data.amount)}
        if data.profit is not None:
            values["profit"] = str(data.profit)
        values |= {k: v for k, v in (("items", data.items), ("document_no", data.document_no)) if v}
        return values
    if isinstance(data, InteractionInput):
        when = data.occurred_at.isoformat(sep=" ", timespec="minutes") if data.occurred_at else ""
        values = {"date": when, "kind": data.kind, "outcome": data.outcome, "text": data.text}
        return {k: v for k, v in values.items() if v} | (
            {"next_step": data.next_step} if data.next_step else {}
        )
    return {}


def preview(
    db: Database, table: SourceTable, mapping: ColumnMapping, options: ImportOptions, limit: int = 20
) -> ImportPreview:
    """The body of :func:`custdesk.io.import_engine.preview`, which documents it.

    Every row of the table is planned (so the counts are the whole file's), only the first ``limit``
    are shown.
    """
    result = ImportPreview(
        kind=options.kind,
        fields=mapping.fields(),
        rows=[],
        total_rows=table.total_rows,
        unmapped=[h for h in table.headers if h not in mapping.columns],
        problems=mapping.problems(),
    )
    if mapping.kind != options.kind:
        result.problems.insert(0, f"{mapping.kind} != {options.kind}")
    if result.problems:
        return result
    rows = range(len(table.rows))
    with db.session() as s:
        ctx, conf, _reason = _context(s, table, mapping, options)
        result.region = ctx.region
        firm = result.firm_region = str(conf["phone_region"]).upper()
        guess = choose_region(table, ctx.mapping, ImportOptions(kind=options.kind), firm)[2]
        if guess is not None:
            result.suggested_region = guess.region
            result.region_share, result.firm_share = guess.share, guess.firm_share
        if options.kind == "clients":
            from custdesk.io.import_clients import plan_clients

            plan = plan_clients(s, ctx, options, rows, lambda d, t: None, len(rows))
            planned: list[Any] = plan.rows
        else:
            from custdesk.io.import_activity import plan_activity

            planned = plan_activity(s, ctx, options.kind, rows, lambda d, t: None, len(rows))
        s.rollback()
    counted = ImportReport(source="", sheet="", kind=options.kind, options={}, mapping={}, started_at="")
    _count(counted, planned)
    if options.kind == "clients":
        result.counts = {
            "new": counted.created - counted.flagged,
            "flagged": counted.flagged,
            "possible_duplicates": counted.possible_duplicates,
            "updated": counted.updated,
            "left_out": counted.skipped,
        }
    else:
        result.counts = {"new": counted.created, "left_out": counted.skipped, "unmatched": counted.unmatched}
    for p in planned[:limit]:
        result.rows.append(PreviewRow(p.row, p.status, _display(p.data), tuple(p.issues), p.match))
    return result


def run_import(
    db: Database,
    table: SourceTable,
    mapping: ColumnMapping,
    options: ImportOptions,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """The body of :func:`custdesk.io.import_engine.run_import`, which documents it."""
    access.require(db, access.Permission.IMPORT)  # before anything is planned or written
    # Planning makes a few objects per row and keeps them all: Python's cycle collector would walk
    # that growing heap again and again (seconds per 100,000 rows) and finds no cycles in it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_import(db, table, mapping, options, progress)
    finally:
        if collecting:
            gc.enable()


def _run_import(
    db: Database,
    table: SourceTable,
    mapping: ColumnMapping,
    options: ImportOptions,
    progress: ProgressCallback | None,
) -> ImportReport:
    import json
    import time
    from datetime import datetime

    from custdesk.core.services import row_images
    from custdesk.core.services.audit import current_user, operation, record
    from custdesk.io import import_reports

    _check(mapping, options)
    started = time.perf_counter()
    report = ImportReport(
        source=table.path,
        sheet=table.name,
        kind=options.kind,
        options=asdict(options),
        mapping=mapping.to_json(),
        started_at=datetime.now().isoformat(timespec="seconds"),
        dry_run=options.dry_run,
        total_rows=len(table.rows),
        picked_reason=table.picked_reason,
        header_row=table.header_row,
    )
    who = options.who if options.who is not None else current_user()
    n = len(table.rows)
    total = 2 * n
    tick = progress or (lambda done, all_: None)
    tick(0, total)
    try:
        with db.session() as s, contextlib.ExitStack() as stack:
            ctx, conf, report.region_reason = _context(s, table, mapping, options)
            report.region = ctx.region
            op = stack.enter_context(operation(s, "import"))
            entry = record(s, "import", "base", None, field=options.kind, who=who)
            s.flush()  # takes the write lock now: no other writer slips in between planning and writing
            report.journal_entry_id = entry.id
            if options.kind == "clients":
                from custdesk.io.import_clients import plan_clients, write_clients
                from custdesk.io.import_own_fields import make_fields, row_clients, write_values

                plan = plan_clients(s, ctx, options, range(n), tick, total)
                tick(n, total)
                _count(report, plan.rows)
                # What an undo puts back: the cards this import updates, with their phones, e-mails, tags.
                updated = [t for t in plan.updates if t > 0]
                before = row_images.snapshot(s, updated)
                landing = row_clients(plan)
                specs = make_fields(s, ctx.own_specs, who) if ctx.own_specs else {}
                for header in ctx.mapping.own_columns():
                    target = ctx.mapping.columns[header]
                    new = (ctx.own_specs[target].field_id or 0) < 0
                    spec = specs[target]
                    report.own_fields.append(
                        {"column": header, "name": spec.label, "kind": spec.kind, "new": new}
                    )
                write_clients(s, plan, conf, report, who, tick, n, total)
                if specs:
                    write_values(s, plan, landing, report.created_ids, specs, who, datetime.now())
                op.undo_rows = row_images.diff(before, row_images.snapshot(s, updated))
                op.created = {"clients": list(report.created_ids)}
                from custdesk.core.services.duplicate_scan import mark_possible

                mark_possible(  # the duplicate finder offers these first
                    s,
                    (
                        cid
                        for p, cid in zip(plan.creates, report.created_ids, strict=False)
                        if any(i.action == "possible_duplicate" for i in p.issues)
                    ),
                )
            else:
                from custdesk.io.import_activity import plan_activity, write_history, write_purchases

                rows = plan_activity(s, ctx, options.kind, range(n), tick, total)
                tick(n, total)
                _count(report, rows)
                touched = sorted({r.client_id for r in rows if r.status == STATUS_NEW and r.client_id})
                made = "purchases" if options.kind == "purchases" else "interactions"
                before = row_images.snapshot(s, touched, children=False)
                known = _child_ids(s, made, touched)
                if options.kind == "purchases":
                    write_purchases(s, rows, who, report, conf)
                else:
                    write_history(s, rows, who, conf, report)
                # The cards' figures, next calls and markers go back; the rows made are taken out.
                op.undo_rows = row_images.diff(before, row_images.snapshot(s, touched, children=False))
                op.created = {made: sorted(_child_ids(s, made, touched) - known)}
            op.claim_bulk_entries(s)
            tick(total, total)
            report.seconds = round(time.perf_counter() - started, 2)
            entry.new = json.dumps(import_reports.journal_summary(report), ensure_ascii=False)
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        report.created_ids = []
        report.journal_entry_id = 0
    report.finished_at = datetime.now().isoformat(timespec="seconds")
    report.seconds = round(time.perf_counter() - started, 2)
    if not options.dry_run:
        import_reports.save_report(report)
    return report


def _child_ids(session: Any, table: str, client_ids: list[int]) -> set[int]:
    """The ids of the purchases or history entries of ``client_ids`` (to tell which an import made)."""
    from sqlalchemy import select

    from custdesk.core.services.row_images import TABLES

    rows = TABLES[table]
    found: set[int] = set()
    for start in range(0, len(client_ids), 500):
        chunk = client_ids[start : start + 500]
        found.update(session.scalars(select(rows.c.id).where(rows.c.client_id.in_(chunk))))
    return found


def _count(report: ImportReport, rows: list[Any]) -> None:
    """Fill the report's counts and issues from the planned rows."""
    for p in rows:
        if p.status == STATUS_NEW and not p.issues:  # the usual row: one count, nothing to look through
            report.created += 1
            continue
        report.issues.extend(p.issues)
        if p.status in (STATUS_NEW, STATUS_FLAGGED):
            report.created += 1
            report.flagged += p.status == STATUS_FLAGGED
        elif p.status == STATUS_UPDATE:
            report.updated += 1
            report.flagged += any(i.action == "flagged" for i in p.issues)
        elif p.status == STATUS_UNMATCHED:
            report.unmatched += 1
        else:
            report.skipped += 1
        report.duplicates += any(
            i.action in ("duplicate", "updated", "created") and not i.field for i in p.issues
        )
        report.possible_duplicates += any(i.action == "possible_duplicate" for i in p.issues)
