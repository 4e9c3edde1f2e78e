"""Save an import report where the user wants it: .csv (one line per problem) or .json (the whole report).

The CSV has the columns ``row, column, field, reason, action`` (UTF-8 with a byte-order mark, so Excel
shows every language right; reasons that look like formulas are neutralised); the JSON is the report as
:meth:`ImportReport.to_json` gives it, which CustDesk can open again.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from custdesk.i18n import _
from custdesk.io.exporters.columns import neutralise

if TYPE_CHECKING:
    from custdesk.io.import_engine import ImportReport

REPORT_HEADERS = ("row", "column", "field", "reason", "action")


def write_report(report: ImportReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` to ``path``: JSON for a .json name, else CSV; returns the path.

    Raises:
        ExportError: the file cannot be written (the message names it).
    """
    from custdesk.io.exporters import ExportError

    target = Path(path)
    try:
        if target.suffix.lower() == ".json":
            text = json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str)
            target.write_text(text, encoding="utf-8")
            return target
        with target.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(REPORT_HEADERS)
            for issue in report.issues:
                writer.writerow(
                    [issue.row, neutralise(issue.column), issue.field, neutralise(issue.reason), issue.action]
                )
    except OSError as exc:
        raise ExportError(
            _("CustDesk cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)
        ) from exc
    return target


__all__ = ["REPORT_HEADERS", "write_report"]
