"""Importing a read table into the base: preview, validation, duplicates, one all-or-nothing transaction.

:func:`preview` shows the first rows as they will land (with their problems) and writes nothing;
:func:`run_import` imports every row in ONE transaction: a failure or a cancel (``progress`` raising)
leaves the base exactly as it was.

The rule: an import never drops a client silently. A row is a client when it has a name or an
organisation. A row with problems (no way to reach the client, a phone or e-mail that does not validate,
an impossible date) lands flagged ``needs review``, every value that could not be stored kept verbatim in
a "from the import" section of its notes. Only these rows are left out, each listed in the report: rows
with no name and no organisation, and rows that are the same client as one already taken (the same
external id; or, only when the file has no external ids, the same normalised phone or e-mail with the
same name). Two rows with different external ids are never the same client: the same name and city, or
a shared e-mail, make a possible duplicate: imported as it is, listed in the preview and the report, and
offered by the duplicate finder (the card's own check finds it and offers the merge); the card itself
is not changed, so that a base exported and imported again is identical. ``bad_rows="skip"`` and
``duplicates="update"|"create"`` remain choices; the defaults follow the rule. Phones are read for the
firm's country, or for the country the file's numbers fit far better (:mod:`custdesk.io.phone_regions`);
a per-row country column wins. Purchases and history find their client by external id, phone or e-mail;
rows without a client are reported as unmatched.

The report (:class:`ImportReport`) lists every row that did not land as it was, with its row number,
column and reason, and is kept as JSON in :func:`custdesk.paths.import_reports_dir` (see
:mod:`custdesk.io.import_reports`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from custdesk.core.db import Database
    from custdesk.io.importers.base import SourceTable
    from custdesk.io.mapping import ColumnMapping

KINDS = ("clients", "purchases", "history")
DUPLICATE_CHOICES = ("skip", "update", "create")
BAD_ROW_CHOICES = ("skip", "flag")
REVIEW_TAG = "needs review"

# Row statuses in a preview and in the report.
STATUS_NEW = "new"  # lands as a new client / purchase / history entry
STATUS_UPDATE = "update"  # updates an existing client (duplicates=update)
STATUS_DUPLICATE = "duplicate"  # skipped as a duplicate (duplicates=skip)
STATUS_BAD = "bad"  # skipped for its problems (bad_rows=skip)
STATUS_FLAGGED = "flagged"  # lands flagged for review (bad_rows=flag)
STATUS_UNMATCHED = "unmatched"  # purchase/history row whose client was not found

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """How an import treats its rows.

    Attributes:
        kind: what the rows are: ``clients``, ``purchases`` or ``history``.
        duplicates: a client that is already in the base (or earlier in the file): ``skip`` it,
            ``update`` the existing card with the file's non-empty values, or ``create`` it anyway.
        bad_rows: a row with a problem: ``skip`` it (it is in the report) or ``flag`` it (import what is
            usable, tag the client ``needs review`` and put the reasons in its notes). Purchases and
            history rows with a problem are always skipped: they have no card to flag.
        dry_run: do everything but write (the report says what would have happened).
        who: who is importing, for the journal (None: the current user).
        region: the country the file's phones are read for (ISO code; None: the firm's country, or
            the one the file's numbers fit far better, see :func:`custdesk.io.phone_regions.infer_region`).
            A per-row country column still wins.
    """

    kind: str = "clients"
    duplicates: str = "skip"
    bad_rows: str = "flag"
    dry_run: bool = False
    who: str | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if self.duplicates not in DUPLICATE_CHOICES:
            raise ValueError(f"duplicates must be one of {DUPLICATE_CHOICES}, not {self.duplicates!r}")
        if self.bad_rows not in BAD_ROW_CHOICES:
            raise ValueError(f"bad_rows must be one of {BAD_ROW_CHOICES}, not {self.bad_rows!r}")
        if self.region is not None and not (len(self.region) == 2 and self.region.isalpha()):
            raise ValueError(f"region must be a two-letter country code, not {self.region!r}")


@dataclass(frozen=True)
class RowIssue:
    """One problem of one row of the file.

    Attributes:
        row: the row number in the file (as the spreadsheet shows it; the card number for vCard).
        column: the file's column header the problem is in ("" for the row as a whole).
        field: the target field (``phone``, ``birthday``, ``amount``...; "" for the row as a whole).
        reason: what is wrong, translated.
        action: what was done with the row: ``skipped``, ``flagged``, ``unmatched``, ``duplicate``,
            ``updated``, ``created`` (the same client, created anyway), ``possible_duplicate`` (imported,
            listed for the duplicate finder) or ``dropped`` (the value was left out, the rest of the
            row landed).
        value: the cell's text as the file holds it, when the value could not be stored in its field
            (a flagged card keeps it verbatim in its notes).
    """

    row: int
    column: str
    field: str
    reason: str
    action: str
    value: str = ""


@dataclass(frozen=True)
class PreviewRow:
    """A row as it will land.

    Attributes:
        row: the row number in the file.
        status: one of the ``STATUS_*`` values.
        values: target field -> the value as it will be stored, as display text (phones in E.164,
            dates ISO, money with two decimals); fields the mapping does not fill are absent.
        issues: the row's problems.
        match: for a duplicate, the existing client's display name and number; for purchases/history,
            the client found ("" when none).
    """

    row: int
    status: str
    values: dict[str, str]
    issues: tuple[RowIssue, ...] = ()
    match: str = ""


@dataclass
class ImportPreview:
    """The first rows of an import as they will land, and what the whole file holds.

    Attributes:
        kind: the import's kind.
        fields: the target fields the mapping fills, in display order (the preview's columns).
        rows: the first rows (``limit`` of :func:`preview`).
        total_rows: how many data rows the table has.
        unmapped: the file's columns the mapping leaves out.
        problems: translated problems of the mapping as a whole (e.g. no name column for clients); an
            import with problems cannot run.
        counts: what the WHOLE file will give, counted before anything is written: ``new``,
            ``flagged``, ``possible_duplicates``, ``updated``, ``left_out`` (clients) or ``new``,
            ``left_out``, ``unmatched`` (purchases, history). Empty when the mapping has problems.
        region: the country the phones are read for in this import; ``firm_region`` the firm's.
        suggested_region: a country the file's phones fit far better than ``region`` ("" when none),
            with ``region_share`` (valid for the suggestion) and ``firm_share`` (valid for the firm's).
    """

    kind: str
    fields: list[str]
    rows: list[PreviewRow]
    total_rows: int
    unmapped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    region: str = ""
    firm_region: str = ""
    suggested_region: str = ""
    region_share: float = 0.0
    firm_share: float = 0.0


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    The counts add up: ``created + updated + skipped + flagged_skipped + unmatched == total_rows`` is not
    asserted, as a flagged row is also created or updated; ``flagged`` counts rows that landed flagged.

    Attributes:
        source: the file imported.
        sheet: the sheet or table read.
        kind: clients, purchases or history.
        options: the options, as a dict (``ImportOptions`` fields).
        mapping: the mapping used, as its JSON dict.
        started_at / finished_at: ISO timestamps.
        dry_run: nothing was written.
        cancelled: the user cancelled; nothing was written.
        total_rows: data rows in the table.
        created / updated / skipped / flagged / unmatched / duplicates: row counts; ``duplicates``
            counts rows found to be the same client as one already taken (skipped, updated or created
            anyway); ``possible_duplicates`` rows imported as possible duplicates (the same name and
            city, or a shared e-mail, of a client with another external id), listed for the duplicate
            finder.
        region: the country the phones were read for; ``region_reason`` why (translated; "" for the
            firm's own country).
        next_calls: how the new clients' next calls were set (translated; "" for other kinds).
        issues: every problem, row by row.
        created_ids: the ids of the clients (purchases, history entries) made (empty for a dry run).
        funnel_changes: how many clients' funnel markers the purchases/history moved.
        seconds: how long it took.
        path: where the report is kept ("" until saved).
        picked_reason: why this sheet or table was read (translated).
        header_row: the header row's number in the file (0: the format has none).
        journal_entry_id: the import's journal entry (``custdesk-cli undo`` takes the import back with it;
            0 for a dry run).
        own_fields: the columns that filled the firm's own fields: ``{"column", "name", "kind", "new"}``
            (``new``: the import made the field).
    """

    source: str
    sheet: str
    kind: str
    options: dict[str, Any]
    mapping: dict[str, Any]
    started_at: str
    finished_at: str = ""
    dry_run: bool = False
    cancelled: bool = False
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    flagged: int = 0
    unmatched: int = 0
    duplicates: int = 0
    possible_duplicates: int = 0
    region: str = ""
    region_reason: str = ""
    next_calls: str = ""
    issues: list[RowIssue] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    funnel_changes: int = 0
    seconds: float = 0.0
    path: str = ""
    picked_reason: str = ""
    header_row: int = 0
    journal_entry_id: int = 0
    own_fields: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (English keys; what ``custdesk-cli import --json`` prints)."""
        # asdict() of the whole report deep-copies every created id and issue one by one (tenths of a
        # second per 100,000 rows); the same data, copied by kind: plain values as they are, lists anew.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["options"] = copy.deepcopy(self.options)
        data["mapping"] = copy.deepcopy(self.mapping)
        data["created_ids"] = list(self.created_ids)
        data["own_fields"] = [dict(o) for o in self.own_fields]
        data["issues"] = [dict(vars(i)) for i in self.issues]  # a RowIssue's fields are plain values
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        """A report read back from :meth:`to_json` data."""
        values = dict(data)
        values["issues"] = [RowIssue(**i) for i in values.get("issues", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})

    def summary(self) -> str:
        """One translated sentence with the counts (for the wizard's last page and the CLI)."""
        from custdesk.io.import_reports import summary_text

        return summary_text(self)


def preview(
    db: Database, table: SourceTable, mapping: ColumnMapping, options: ImportOptions, limit: int = 20
) -> ImportPreview:
    """The first ``limit`` rows as they will land, with their problems; nothing is written.

    Duplicates are looked for in the base and among the previewed rows, and purchases/history find
    their clients, exactly as :func:`run_import` would.

    Args:
        db: the open base (only read).
        table: the table read by :func:`custdesk.io.importers.base.read_source`.
        mapping: which column fills which field (see :func:`custdesk.io.mapping.suggest_mapping`).
        options: the import's options (``kind``, ``duplicates``, ``bad_rows``).
        limit: how many rows to show.
    """
    from custdesk.io import import_run

    return import_run.preview(db, table, mapping, options, limit)


def run_import(
    db: Database,
    table: SourceTable,
    mapping: ColumnMapping,
    options: ImportOptions,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every row of ``table`` in one transaction and keep the report.

    All or nothing: if anything fails, or ``progress`` raises (the user cancelled), the transaction rolls
    back and the base is exactly as it was; the exception propagates (a cancel is not reported as done).
    A dry run does everything but commit. One ``import`` entry goes to the audit journal, plus a
    ``create`` entry per client made (naming the file and row, not a whole snapshot: the file is the
    snapshot) and an ``update`` entry per changed field of a client updated or marker moved.
    After a purchases import the clients' figures (purchase count, revenue, last purchase) are
    recomputed and the funnel rules applied; after a history import the last contact, next call and the
    funnel by outcome.

    Args:
        db: the open, writable base.
        table: the table read.
        mapping: which column fills which field.
        options: the import's options.
        progress: called with (rows done, rows in all) now and then; raising from it cancels.

    Returns:
        The report, already saved under :func:`custdesk.paths.import_reports_dir` (``report.path``)
        unless it is a dry run.

    Raises:
        CustDeskError: the mapping cannot import this kind (e.g. no name column for clients), or the base
            refused the write (locked, read-only): the base is unchanged.
    """
    from custdesk.io import import_run

    return import_run.run_import(db, table, mapping, options, progress)


def list_reports() -> list[Any]:
    """The kept import reports, newest first (see :func:`custdesk.io.import_reports.list_reports`)."""
    from custdesk.io.import_reports import list_reports as listed

    return list(listed())


def load_report(path: Any) -> ImportReport:
    """A kept report read back (see :func:`custdesk.io.import_reports.load_report`)."""
    from custdesk.io.import_reports import load_report as loaded

    return loaded(path)


__all__ = [
    "BAD_ROW_CHOICES",
    "DUPLICATE_CHOICES",
    "KINDS",
    "REVIEW_TAG",
    "ImportOptions",
    "ImportPreview",
    "ImportReport",
    "PreviewRow",
    "ProgressCallback",
    "RowIssue",
    "list_reports",
    "load_report",
    "preview",
    "run_import",
]
