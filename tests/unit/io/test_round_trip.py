"""Export, then import into an EMPTY base with the importer: the same clients, purchases and history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from custdesk.core.db import Database, open_base
from custdesk.core.dto import CARD_FIELDS
from custdesk.core.models import Client, Interaction, Purchase
from custdesk.core.services import settings
from custdesk.core.services.clients import get_client
from custdesk.io.exporters import export_file
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers.base import read_source
from custdesk.io.mapping import suggest_mapping
from tests.unit.io._export_data import make_base

# What a client is, for the round trip: every card field, the external id, the funnel marker and tags;
# phones and e-mails in order with their kinds.
CLIENT_FIELDS = ("external_id", *CARD_FIELDS, "funnel", "tags")


def _clients(db: Database) -> dict[str, dict[str, Any]]:
    with db.session() as s:
        ids = s.scalars(select(Client.id)).all()
    out = {}
    for client_id in ids:
        card = get_client(db, client_id)
        values = {f: getattr(card, f) for f in CLIENT_FIELDS}
        values["phones"] = [(p.number, p.kind, p.is_primary, p.extension) for p in card.phones]
        values["emails"] = [(e.address, e.kind, e.is_primary) for e in card.emails]
        values["figures"] = (card.purchase_count, card.revenue_total, card.last_purchase_on)
        values["since"] = card.since  # the target keeps when each client came, not the import's day
        out[card.external_id] = values
    return out


def _activity(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with db.session() as s:
        bought = s.execute(
            select(Client.external_id, Purchase.purchased_on, Purchase.amount, Purchase.profit,
                   Purchase.items, Purchase.document_no).join(Client, Client.id == Purchase.client_id)
        ).all()  # fmt: skip
        talked = s.execute(
            select(Client.external_id, Interaction.occurred_at, Interaction.kind, Interaction.outcome,
                   Interaction.text, Interaction.next_step, Interaction.duration_seconds)
            .join(Client, Client.id == Interaction.client_id)
        ).all()  # fmt: skip
    return sorted(map(tuple, bought)), sorted(map(tuple, talked))


def _round_trip(db: Database, target: Database, folder: Path, ext: str) -> None:
    make_base(db)
    for kind in ("clients", "purchases", "history"):
        export_file(db, folder / f"{kind}.{ext}", kind)
    settings.set_values(target, {"phone_region": "US"})
    for kind in ("clients", "purchases", "history"):
        table = read_source(folder / f"{kind}.{ext}", kind=kind)
        report = run_import(target, table, suggest_mapping(kind, table), ImportOptions(kind=kind))
        assert report.issues == [], report.issues


@pytest.fixture
def second_base(empty_base_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "second" / "empty.sqlite"
    path.parent.mkdir()
    path.write_bytes(empty_base_file.read_bytes())
    return path


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_export_then_import_gives_the_same_base(
    db: Database, second_base: Path, tmp_path: Path, ext: str
) -> None:
    with open_base(second_base, auto_backup=False) as target:
        _round_trip(db, target, tmp_path, ext)
        before, after = _clients(db), _clients(target)
        assert after == before
        assert _activity(target) == _activity(db)
    # The fields beyond the first columns really were there to carry (not default on both sides).
    ivan, anna, john = before["C-001"], before["C-003"], before["C-004"]
    assert (ivan["vip"], ivan["temperature"], ivan["call_cycle_days"]) == (True, "hot", 10)
    assert (ivan["discount_percent"], ivan["contract_end"]) == (Decimal("7.50"), date(2025, 6, 30))
    assert ivan["contract_no"] == "Д-17/2024" and ivan["competitor"] == "Кофейня №1"
    assert ivan["deal_terms"] == "-5% при самовывозе"  # formula-like text, neutralised and restored
    assert anna["registration_no"] == "FI12345678" and anna["bank_details"].endswith("\nNordea")
    assert [p[1] for p in anna["phones"]] == ["mobile", "fax"]
    assert [e[1] for e in anna["emails"]] == ["work", "other"]
    assert john["funnel"] == "yellow" and ivan["funnel"] != "white"


def test_vcard_carries_the_contact_fields(db: Database, second_base: Path, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "c.vcf", "clients")
    with open_base(second_base, auto_backup=False) as target:
        settings.set_values(target, {"phone_region": "US"})
        table = read_source(tmp_path / "c.vcf")
        report = run_import(target, table, suggest_mapping("clients", table), ImportOptions(kind="clients"))
        assert report.issues == []
        before, after = _clients(db), _clients(target)
    contact = ("name", "organisation", "phones", "emails", "birthday", "notes", "city", "region", "postcode")

    def plain(card: dict[str, Any]) -> dict[str, Any]:  # vCard carries numbers and addresses, not kinds
        values = {f: card[f] for f in contact}
        values["phones"] = [(p[0], p[2]) for p in card["phones"]]
        values["emails"] = [(e[0], e[2]) for e in card["emails"]]
        return values

    for external_id, card in before.items():
        assert plain(after[external_id]) == plain(card), external_id


def test_a_list_longer_than_a_sheet_comes_back_whole(
    db: Database, second_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel's sheet ends at 1,048,576 rows: the export continues on "Purchases (2)"…, and the import
    reads them all. Here a sheet holds one row, so every list spans several sheets."""
    from functools import partial

    from openpyxl import load_workbook

    from custdesk.io.exporters import xlsx

    monkeypatch.setattr(xlsx, "write_xlsx", partial(xlsx.write_xlsx, rows_per_sheet=1))
    with open_base(second_base, auto_backup=False) as target:
        _round_trip(db, target, tmp_path, "xlsx")
        assert len(load_workbook(tmp_path / "purchases.xlsx", read_only=True).sheetnames) > 2
        assert _clients(target) == _clients(db)
        assert _activity(target) == _activity(db)
