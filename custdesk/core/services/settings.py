"""Settings that belong to the firm's data, kept in the base (per-user UI state lives in QSettings).

Values are JSON. ``DEFAULTS`` lists every key with its default; the phone region and the currency are
taken from the system locale when a base is created, and stay settings.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import Setting
from custdesk.i18n import system_region

DEFAULTS: dict[str, Any] = {
    "firm_name": "",
    "phone_region": "US",
    "currency": "USD",
    # Call cycle (DOMAIN.md, our rule).
    "call_cycle_hot_days": 3,
    "call_cycle_warm_days": 14,
    "call_cycle_cold_days": 60,
    "min_contact_gap_days": 2,
    "call_budget_minutes": 10,
    "mailing_min_gap_days": 7,
    # The days a call campaign spreads its calls over (0 = Monday ... 6 = Sunday).
    "working_days": [0, 1, 2, 3, 4],
    # The firm's mail server (the password is in the OS keyring, never here; mail_transport).
    "smtp_host": "",
    "smtp_port": 587,
    "smtp_security": "starttls",
    "smtp_user": "",
    "smtp_sender": "",
    "prolongation_days_ahead": 30,
    # Required fields: a name (or organisation) plus at least one way to reach the client.
    "require_contact": True,
    # Backups.
    "backup_keep": 10,
    # Analysis.
    "abc_thresholds": [0.80, 0.95],
    "xyz_thresholds": [0.10, 0.25],
    "xyz_bucket": "month",
    "card_history_entries": 10,
    # What a printed card leaves out (keys of custdesk.io.cards.PRINT_PARTS); the firm chooses.
    "card_print_hidden": [],
}

REGION_CURRENCY = {
    "RU": "RUB",
    "FI": "EUR",
    "IR": "IRR",
    "US": "USD",
    "GB": "GBP",
    "DE": "EUR",
    "EE": "EUR",
    "KZ": "KZT",
    "BY": "BYN",
    "UA": "UAH",
    "SE": "SEK",
}


# Where the working week is not Monday to Friday (0 = Monday): Iran's shops work Saturday to Thursday.
REGION_WORKING_DAYS: dict[str, list[int]] = {"IR": [5, 6, 0, 1, 2, 3]}


def get(db: Database, key: str) -> Any:
    """The value of ``key`` (its default when it was never set)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    with db.session() as s:
        row = s.get(Setting, key)
        return json.loads(row.value) if row is not None else DEFAULTS[key]


def get_all(db: Database) -> dict[str, Any]:
    """Every setting, stored values over defaults."""
    values = dict(DEFAULTS)
    with db.session() as s:
        for row in s.scalars(select(Setting)):
            if row.key in DEFAULTS:
                values[row.key] = json.loads(row.value)
    return values


def set_values(db: Database, values: dict[str, Any], *, who: str | None = None) -> None:
    """Store several settings in one transaction, each change in the audit journal.

    Raises:
        AccessDenied: the user's role may not change firm settings (nothing is written).
    """
    from custdesk.core.services import access
    from custdesk.core.services.audit import record

    access.require(db, access.Permission.SETTINGS)
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    with db.session() as s:
        for key, value in values.items():
            row = s.get(Setting, key)
            old = row.value if row is not None else json.dumps(DEFAULTS[key])
            new = json.dumps(value, ensure_ascii=False)
            if old == new:
                continue
            if row is None:
                s.add(Setting(key=key, value=new))
            else:
                row.value = new
            record(s, "update", "setting", None, field=key, old=old, new=new, who=who)


def initialise(db: Database) -> None:
    """Write the settings a new base takes from the machine it was created on."""
    region = system_region(DEFAULTS["phone_region"])
    with db.session() as s:
        s.add(Setting(key="phone_region", value=json.dumps(region)))
        s.add(Setting(key="currency", value=json.dumps(REGION_CURRENCY.get(region, DEFAULTS["currency"]))))
        if region in REGION_WORKING_DAYS:
            s.add(Setting(key="working_days", value=json.dumps(REGION_WORKING_DAYS[region])))


def has_any(db: Database) -> bool:
    """Whether the base holds any setting (a server base another seat has just made has them already)."""
    with db.session() as s:
        return s.scalar(select(Setting.key).limit(1)) is not None
