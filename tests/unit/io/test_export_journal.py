"""An export of more than one card is journalled with what was taken: how many clients and which filter."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import AuditEntry
from custdesk.core.services.client_list import ListQuery
from custdesk.io.exporters import export_file
from tests.unit.io._export_data import make_base


def test_the_journal_says_how_many_and_which_filter(db: Database, tmp_path: Path) -> None:
    make_base(db)
    query = ListQuery(
        search="Kahvila", vip_only=False, temperatures=frozenset({"warm", "hot"}), city="Helsinki"
    )
    summary = export_file(db, tmp_path / "some.csv", "clients", query=query)
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    detail = json.loads(entry.new or "{}")
    assert detail["clients"] == summary.clients and detail["rows"] == summary.rows
    assert detail["filter"] == {"search": "Kahvila", "temperatures": ["hot", "warm"], "city": "Helsinki"}
    assert entry.chain_hash is not None  # sealed onto the journal's chain like any entry
