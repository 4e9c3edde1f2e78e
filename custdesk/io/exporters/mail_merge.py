"""Mail-merge and SMS list files: a mailing's letters, or the clients' phones with their text, for other
tools (a mail program's merge, the firm's SMS service).

``.xlsx`` (XlsxWriter; every cell a string, so no cell is a formula) or ``.csv`` (UTF-8 with a BOM, so
Excel reads Cyrillic and Persian; a text that a spreadsheet would run as a formula gets an apostrophe).
Phones are E.164 (``+79123456789``), validated when stored, and written as they are. Each export is
written into the journal: who exported which clients.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path

from custdesk.core.db import Database
from custdesk.core.services.audit import record
from custdesk.core.services.mailings import MailingPlan, SmsList
from custdesk.i18n import _
from custdesk.io.exporters.columns import neutralise

MAIL_MERGE_HEADERS = ("id", "name", "email", "subject", "body")
SMS_HEADERS = ("id", "name", "phone", "text")


def _write(
    path: Path, headers: Sequence[str], rows: Sequence[Sequence[str | int]], raw: frozenset[int]
) -> None:
    """Write ``rows`` under ``headers``; columns in ``raw`` are safe as they are (ids, E.164 phones)."""
    if path.suffix.lower() == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
        try:
            sheet = book.add_worksheet()
            for c, header in enumerate(headers):
                sheet.write_string(0, c, header)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if isinstance(value, int):
                        sheet.write_number(r, c, value)
                    else:
                        sheet.write_string(r, c, value)
            sheet.set_column(0, 0, 8)
            sheet.set_column(1, len(headers) - 1, 30)
        finally:
            book.close()
        return
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(
                [str(v) if c in raw or isinstance(v, int) else neutralise(str(v)) for c, v in enumerate(row)]
            )


def _check(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        raise ValueError(_("Choose a file ending in .xlsx or .csv."))
    return target


def _journal(db: Database, kind: str, fmt: str, ids: Sequence[int], who: str | None) -> None:
    with db.session() as s:
        record(s, "export", kind, None, field=fmt, new=json.dumps({"clients": list(ids)}), who=who)


def export_mail_merge(
    db: Database, plan: MailingPlan, path: str | os.PathLike[str], *, who: str | None = None
) -> Path:
    """Write the plan's letters (id, name, e-mail, subject, body) for a mail program's merge; journalled.

    Nothing is sent, so nothing enters the clients' history.

    Raises:
        ValueError: the file is neither .xlsx nor .csv.
        OSError: the file cannot be written.
    """
    target = _check(path)
    rows = [(r.client_id, r.name, r.address, r.subject, r.body) for r in plan.recipients]
    _write(target, MAIL_MERGE_HEADERS, rows, frozenset({0}))
    _journal(db, "mail_merge", target.suffix.lower().lstrip("."), [r.client_id for r in plan.recipients], who)
    return target


def export_sms_list(
    db: Database, sms: SmsList, path: str | os.PathLike[str], *, who: str | None = None
) -> Path:
    """Write the SMS list (id, name, phone in E.164, text) for the firm's SMS service; journalled.

    Raises:
        ValueError: the file is neither .xlsx nor .csv.
        OSError: the file cannot be written.
    """
    target = _check(path)
    rows = [(r.client_id, r.name, r.phone, r.text) for r in sms.rows]
    _write(target, SMS_HEADERS, rows, frozenset({0, 2}))
    _journal(db, "sms_list", target.suffix.lower().lstrip("."), [r.client_id for r in sms.rows], who)
    return target


__all__ = ["MAIL_MERGE_HEADERS", "SMS_HEADERS", "export_mail_merge", "export_sms_list"]
