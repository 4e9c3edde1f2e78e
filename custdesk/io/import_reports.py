"""Keeping import reports: saved as JSON in the data folder, listed and reopened later.

Each report is one file ``import-<when>-<kind>.json`` under :func:`custdesk.paths.import_reports_dir`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from custdesk import paths
from custdesk.core.errors import CustDeskError
from custdesk.i18n import _, ngettext

if TYPE_CHECKING:
    from custdesk.io.import_engine import ImportReport


@dataclass(frozen=True)
class ReportEntry:
    """A kept report, as the list of reports shows it."""

    path: Path
    finished_at: str
    source: str
    kind: str
    created: int
    updated: int
    skipped: int
    flagged: int
    unmatched: int


def save_report(report: ImportReport) -> Path:
    """Write ``report`` to the reports folder (``report.path`` is set) and return the file."""
    folder = paths.import_reports_dir()
    paths.private_dir(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"import-{stamp}-{report.kind}.json"
    report.path = str(path)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    paths.create_private_file(tmp)  # a report lists clients' data: POSIX 0600
    tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def load_report(path: str | os.PathLike[str]) -> ImportReport:
    """A kept report read back.

    Raises:
        CustDeskError: the file cannot be read or is not an import report.
    """
    from custdesk.io.import_engine import ImportReport

    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        report = ImportReport.from_json(data)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise CustDeskError(_("{path} is not a readable import report.").format(path=p)) from exc
    report.path = str(p)
    return report


def list_reports() -> list[ReportEntry]:
    """The kept reports, newest first (unreadable files are left out)."""
    folder = paths.import_reports_dir()
    if not folder.is_dir():
        return []
    entries = []
    for path in sorted(folder.glob("import-*.json"), reverse=True):
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            entries.append(
                ReportEntry(
                    path=path,
                    finished_at=str(data.get("finished_at", "")),
                    source=str(data.get("source", "")),
                    kind=str(data.get("kind", "")),
                    **{
                        k: int(data.get(k, 0))
                        for k in ("created", "updated", "skipped", "flagged", "unmatched")
                    },
                )
            )
        except (OSError, ValueError, TypeError):
            continue
    return entries


def journal_summary(report: ImportReport) -> dict[str, Any]:
    """What the journal's ``import`` entry keeps: the file, the options and the counts."""
    keys = (
        "source",
        "sheet",
        "kind",
        "total_rows",
        "created",
        "updated",
        "skipped",
        "flagged",
        "unmatched",
        "duplicates",
        "possible_duplicates",
        "region",
        "funnel_changes",
        "dry_run",
    )
    data = {k: getattr(report, k) for k in keys}
    data["options"] = {k: v for k, v in report.options.items() if k != "who"}
    return data


def summary_text(report: ImportReport) -> str:
    """The report's counts in one translated sentence per count (for the wizard and the CLI)."""
    lines = [
        ngettext("{n} row created.", "{n} rows created.", report.created).format(n=report.created),
        ngettext(
            "{n} row updated an existing client.", "{n} rows updated existing clients.", report.updated
        ).format(n=report.updated),
        ngettext("{n} row skipped.", "{n} rows skipped.", report.skipped).format(n=report.skipped),
    ]
    if report.flagged:
        lines.append(
            ngettext(
                "{n} row imported flagged for review.",
                "{n} rows imported flagged for review.",
                report.flagged,
            ).format(n=report.flagged)
        )
    if report.possible_duplicates:
        lines.append(
            ngettext(
                "{n} row imported as a possible duplicate of another client: its card offers the merge.",
                "{n} rows imported as possible duplicates of other clients: their cards offer the merge.",
                report.possible_duplicates,
            ).format(n=report.possible_duplicates)
        )
    if report.unmatched:
        lines.append(
            ngettext("{n} row found no client.", "{n} rows found no client.", report.unmatched).format(
                n=report.unmatched
            )
        )
    if report.region_reason:
        lines.append(report.region_reason)
    if report.next_calls:
        lines.append(report.next_calls)
    if report.dry_run:
        lines.append(_("This was a trial run: nothing was written to the base."))
    return "\n".join(lines)


__all__ = ["ReportEntry", "journal_summary", "list_reports", "load_report", "save_report", "summary_text"]
