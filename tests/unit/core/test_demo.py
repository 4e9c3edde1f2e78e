"""The demo base: deterministic, valid, consistent with the rules, and all-or-nothing."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import case, func, select, text

from custdesk.core import rules
from custdesk.core.db import Database, open_base
from custdesk.core.demo import DemoStats, generate_demo
from custdesk.core.errors import CustDeskError
from custdesk.core.models import AuditEntry, Base, Client, Interaction, Phone, Purchase, SalesPlan
from custdesk.core.services import settings
from custdesk.core.services.history import CONTACT_KINDS
from custdesk.core.vocab import RED_MARKERS

TODAY = date(2025, 6, 15)
SEED = 5
CLIENTS = 300


def _open_copy(template: Path, folder: Path, name: str) -> Database:
    path = folder / name
    shutil.copyfile(template, path)
    return open_base(path, auto_backup=False)


@pytest.fixture(scope="module")
def demo(
    _migrated_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, DemoStats]]:
    """One demo base for the read-only checks of this module."""
    folder = tmp_path_factory.mktemp("demo")
    old = os.environ.get("CUSTDESK_DATA_DIR")
    os.environ["CUSTDESK_DATA_DIR"] = str(folder / "data")
    try:
        db = _open_copy(_migrated_template, folder, "demo.sqlite")
        stats = generate_demo(db, clients=CLIENTS, seed=SEED, today=TODAY, language="ru")
    finally:
        if old is None:
            os.environ.pop("CUSTDESK_DATA_DIR", None)
        else:
            os.environ["CUSTDESK_DATA_DIR"] = old
    try:
        yield db, stats
    finally:
        db.close()


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the ORM, as stored (the audit entry without its clock time, and so
    without the journal chain's hashes, which cover that time)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            clock = {"audit": ("at", "chain_hash"), "audit_chain": ("last_hash",)}.get(table.name, ())
            cols = [c.name for c in table.columns if c.name not in clock]
            sql = f"SELECT {', '.join(cols)} FROM {table.name} ORDER BY {', '.join(cols[:2])}"
            out[table.name] = [tuple(r) for r in conn.exec_driver_sql(sql)]
    return out


def _schema(db: Database) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [
            tuple(r) for r in conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        ]


def test_same_seed_same_base_other_seed_other_base(_migrated_template: Path, tmp_path: Path) -> None:
    dumps = []
    for name, seed in (("a.sqlite", 11), ("b.sqlite", 11), ("c.sqlite", 12)):
        db = _open_copy(_migrated_template, tmp_path, name)
        try:
            generate_demo(db, clients=120, seed=seed, today=TODAY)
            dumps.append(_dump(db))
        finally:
            db.close()
    assert dumps[0]["clients"]
    assert dumps[0] == dumps[1]
    assert dumps[0]["clients"] != dumps[2]["clients"]
    assert dumps[0]["purchases"] != dumps[2]["purchases"]


def test_stats_and_shape(demo: tuple[Database, DemoStats]) -> None:
    db, stats = demo
    with db.session() as s:
        assert s.scalar(select(func.count(Client.id))) == stats.clients == CLIENTS
        assert s.scalar(select(func.count(Purchase.id))) == stats.purchases
        assert s.scalar(select(func.count(Interaction.id))) == stats.interactions
        organisations = s.scalar(select(func.count(Client.id)).where(Client.kind == "organisation"))
        countries = dict(
            s.execute(select(Client.country, func.count(Client.id)).group_by(Client.country)).all()
        )
        orgs = s.scalars(select(Client).where(Client.kind == "organisation")).all()
        persons = s.scalars(select(Client).where(Client.kind == "person")).all()
        plans = s.scalars(select(SalesPlan).order_by(SalesPlan.month)).all()
        audit = s.scalars(select(AuditEntry)).all()
    assert organisations == stats.organisations
    assert 0.12 <= organisations / CLIENTS <= 0.28
    assert countries == {"RU": CLIENTS}  # a Russian demo is Russian throughout (see test_demo_languages)
    assert 6 <= stats.purchases / CLIENTS <= 16  # about ten purchases a client
    assert all(o.organisation and o.tax_id and o.registration_no and o.bank_details and o.name for o in orgs)
    assert all(p.name and not p.organisation for p in persons)
    assert all(c.region and c.city and c.street and c.building and c.postcode for c in orgs + persons)
    for c in orgs + persons:
        assert any("а" <= ch.lower() <= "я" for ch in c.name), c.name
        assert c.funnel_reason == rules.REASON_DEMO
    # A plan for every month of the three years and the next twelve, each a positive round figure.
    months = [p.month for p in plans]
    assert months[0] == date(2022, 6, 1) and months[-1] == date(2026, 6, 1) and len(months) == 49
    assert all(p.amount > 0 for p in plans)
    assert [(a.action, a.entity, a.field) for a in audit] == [("create", "base", "demo")]


def test_money_is_stored_as_integer_minor_units(demo: tuple[Database, DemoStats]) -> None:
    db, _stats = demo
    with db.engine.connect() as conn:
        kinds = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT typeof(amount) FROM purchases UNION SELECT typeof(revenue_total) FROM clients "
                "UNION SELECT typeof(amount) FROM sales_plans"
            )
        }
        profits = {r[0] for r in conn.exec_driver_sql("SELECT DISTINCT typeof(profit) FROM purchases")}
        returns = conn.exec_driver_sql("SELECT count(*) FROM purchases WHERE amount < 0").scalar()
    assert kinds == {"integer"}
    assert profits <= {"integer", "null"}
    assert returns is not None and returns >= 1


def test_phones_valid_for_their_country(demo: tuple[Database, DemoStats]) -> None:
    db, stats = demo
    with db.session() as s:
        rows = s.execute(
            select(Phone.client_id, Phone.number, Phone.is_primary, Client.country).join(Client)
        ).all()
        without = s.scalar(select(func.count(Client.id)).where(~Client.phones.any()))
    assert len(rows) == stats.phones and without == 0
    primaries: dict[int, int] = defaultdict(int)
    for client_id, number, primary, country in rows:
        parsed = phonenumbers.parse(number, None)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == country, number
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number
        primaries[client_id] += bool(primary)
    assert set(primaries.values()) == {1}


def test_one_time_buyers_are_30_to_50_percent(demo: tuple[Database, DemoStats]) -> None:
    db, stats = demo
    positive = func.count(case((Purchase.amount > 0, 1)))
    with db.session() as s:
        counts = s.execute(select(Purchase.client_id, positive).group_by(Purchase.client_id)).all()
    buyers = [n for _cid, n in counts if n > 0]
    share = sum(1 for n in buyers if n == 1) / len(buyers)
    assert 0.30 <= share <= 0.50
    assert stats.buyers == len(buyers) and stats.one_time_buyers == sum(1 for n in buyers if n == 1)
    assert any(n >= 20 for n in buyers)  # regulars


def test_denormalised_figures_equal_the_purchases_and_history(demo: tuple[Database, DemoStats]) -> None:
    db, _stats = demo
    positive = Purchase.amount > 0
    with db.session() as s:
        sums = {
            cid: (count, total, last)
            for cid, count, total, last in s.execute(
                select(
                    Purchase.client_id,
                    func.count(case((positive, 1))),
                    func.sum(Purchase.amount),
                    func.max(case((positive, Purchase.purchased_on))),
                ).group_by(Purchase.client_id)
            )
        }
        contacts = dict(
            s.execute(
                select(Interaction.client_id, func.max(Interaction.occurred_at))
                .where(Interaction.kind.in_(sorted(CONTACT_KINDS)))
                .group_by(Interaction.client_id)
            ).all()
        )
        clients = s.scalars(select(Client)).all()
    for c in clients:
        count, total, last = sums.get(c.id, (0, Decimal(0), None))
        assert c.purchase_count == count
        assert c.revenue_total == total
        assert c.last_purchase_on == (date.fromisoformat(last) if isinstance(last, str) else last)
        assert c.last_contact_at == contacts[c.id]  # read back as datetime: the stored text is SQLAlchemy's
        assert c.created_at <= c.last_contact_at <= c.updated_at


def test_funnel_markers_follow_the_rules(demo: tuple[Database, DemoStats]) -> None:
    """Replaying each client's purchases and outcomes through the rules gives its stored marker."""
    db, _stats = demo
    with db.session() as s:
        clients = {c.id: c for c in s.scalars(select(Client))}
        events: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
        for cid, day, amount in s.execute(select(Purchase.client_id, Purchase.purchased_on, Purchase.amount)):
            if amount > 0:
                # A purchase is recorded at the end of its day's business (after that day's contacts).
                events[cid].append((day.isoformat() + " 23:59", 1, ""))
        for cid, at, outcome in s.execute(
            select(Interaction.client_id, Interaction.occurred_at, Interaction.outcome)
        ):
            events[cid].append((at.isoformat(sep=" "), 0, outcome))
    seen: set[str] = set()
    for cid, client in clients.items():
        marker, count = "white", 0
        for _at, is_purchase, outcome in sorted(events[cid]):
            if is_purchase:
                count += 1
                change = rules.after_purchase(marker, count)
            else:
                change = rules.after_outcome(marker, count, outcome)
            if change is not None:
                marker = change[0]
        assert client.funnel == marker, (cid, client.funnel, marker)
        if client.funnel in RED_MARKERS:
            assert client.funnel == rules.red_marker_for(client.purchase_count)
        elif client.purchase_count:
            assert client.funnel == rules.marker_for_purchases(client.purchase_count)
        else:
            assert client.funnel in {"white", "green", "yellow", "gold-green"}
        seen.add(client.funnel)
    assert {"white", "gold", "platinum", "gold-red"} <= seen


def test_next_call_follows_the_call_cycle(demo: tuple[Database, DemoStats]) -> None:
    db, stats = demo
    conf = settings.get_all(db)
    with db.session() as s:
        clients = s.scalars(select(Client)).all()
    overdue = today = 0
    for c in clients:
        cycle = rules.call_cycle_days(c.temperature, c.call_cycle_days, conf)
        assert c.next_call_on == rules.next_call_on(c.last_contact_at, cycle, c.created_at.date())
        assert c.last_contact_at is not None and c.last_contact_at.date() <= TODAY
        overdue += c.next_call_on < TODAY
        today += c.next_call_on == TODAY
    # The Today view has some work, not a flood.
    assert 1 <= overdue + today <= CLIENTS * 0.1
    assert (overdue, today) == (stats.overdue_calls, stats.calls_today)


def test_derived_list_columns_are_right(demo: tuple[Database, DemoStats]) -> None:
    """The columns the client list sorts by (migration 0003) agree with the phones and birthdays."""
    db, _stats = demo
    with db.session() as s:
        primary = dict(s.execute(select(Phone.client_id, Phone.number).where(Phone.is_primary)).all())
        rows = s.execute(select(Client.id, Client.primary_phone, Client.birthday, Client.birthday_md)).all()
    for cid, phone, birthday, md in rows:
        assert phone == primary[cid]
        assert md == (birthday.month * 100 + birthday.day if birthday else None)


def test_search_index_is_rebuilt(demo: tuple[Database, DemoStats]) -> None:
    db, _stats = demo
    with db.engine.connect() as conn:
        indexed = conn.exec_driver_sql("SELECT count(*) FROM client_search").scalar()
        triggers = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").scalar()
        name = conn.exec_driver_sql("SELECT name FROM clients WHERE id = 7").scalar()
        word = str(name).split()[0]
        found = conn.execute(
            text("SELECT rowid FROM client_search WHERE client_search MATCH :q"), {"q": f'"{word}"'}
        ).all()
    assert indexed == CLIENTS
    assert triggers and triggers > 0
    assert (7,) in found


@pytest.mark.sqlite_only  # the demo generator writes SQLite files (a server: copy-base)
def test_refuses_a_base_that_holds_data(db: Database) -> None:
    generate_demo(db, clients=3, seed=SEED, today=TODAY)
    before = _dump(db)
    with pytest.raises(CustDeskError, match="already holds data"):
        generate_demo(db, clients=3, seed=SEED, today=TODAY)
    assert _dump(db) == before


@pytest.mark.sqlite_only  # the demo generator writes SQLite files (a server: copy-base)
def test_cancel_from_progress_leaves_the_base_empty(db: Database) -> None:
    schema = _schema(db)
    empty = _dump(db)
    calls: list[tuple[int, int]] = []

    class Cancelled(Exception):
        pass

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if done:  # after the first chunk went in
            raise Cancelled

    with pytest.raises(Cancelled):
        generate_demo(db, clients=CLIENTS, seed=SEED, today=TODAY, progress=progress)
    assert calls == [(0, CLIENTS), (CLIENTS, CLIENTS)]
    assert _dump(db) == empty
    assert _schema(db) == schema  # indexes and search triggers are back
    stats = generate_demo(db, clients=10, seed=SEED, today=TODAY)  # and the base still works
    assert stats.clients == 10
