"""Printing goes into the audit journal (no Qt): who printed which cards or lists, and where to.

The base is the firm's asset; DOMAIN.md asks for a journal of who changed, exported *or printed* what.
One entry per print job: action ``print``, entity ``client`` (the client's number for a single card),
the field naming what was printed (``cards``, ``today``, ``client-list``) and the details as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from custdesk.core.db import Database
from custdesk.core.services.audit import record

WHAT = ("cards", "today", "client-list")


def journal_print(
    db: Database,
    what: str,
    *,
    client_ids: Sequence[int] = (),
    rows: int | None = None,
    pages: int,
    target: str,
    who: str | None = None,
) -> None:
    """Write one print job to the audit journal, in its own transaction.

    Args:
        db: the open base (writable).
        what: ``cards``, ``today`` or ``client-list``.
        client_ids: the clients whose cards were printed.
        rows: the number of rows of a printed list.
        pages: the pages printed.
        target: the PDF file or the printer's name.
        who: who printed (None: the current user).
    """
    if what not in WHAT:
        raise ValueError(f"unknown print job {what!r}; expected one of {WHAT}")
    detail: dict[str, object] = {"pages": pages, "target": target}
    if client_ids:
        detail["clients"] = list(client_ids)
    if rows is not None:
        detail["rows"] = rows
    single = client_ids[0] if len(client_ids) == 1 else None
    with db.session() as s:
        record(s, "print", "client", single, field=what, new=json.dumps(detail, ensure_ascii=False), who=who)


__all__ = ["WHAT", "journal_print"]
