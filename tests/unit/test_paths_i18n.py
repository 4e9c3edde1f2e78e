"""Paths come from one place and honour overrides; the language follows the system or the choice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from custdesk import i18n, paths


def test_data_dir_override_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTDESK_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == (tmp_path / "env").resolve()
    paths.set_data_dir(tmp_path / "flag")
    try:
        assert paths.default_base_path() == (tmp_path / "flag").resolve() / "custdesk.sqlite"
    finally:
        paths.set_data_dir(None)


def test_backups_of_different_bases_do_not_mix(tmp_path: Path) -> None:
    a = paths.backups_dir(tmp_path / "one" / "shop.sqlite")
    b = paths.backups_dir(tmp_path / "two" / "shop.sqlite")
    assert a != b
    assert a.name.startswith("shop-") and b.name.startswith("shop-")
    assert a.parent == paths.data_dir() / "backups"


@pytest.mark.parametrize(
    ("env", "language", "region"),
    [
        ("ru_RU.UTF-8", "ru", "RU"),
        ("fi_FI.UTF-8", "fi", "FI"),
        ("fa_IR.UTF-8", "fa", "IR"),
        ("de_DE.UTF-8", "en", "DE"),
        ("en_US.UTF-8", "en", "US"),
    ],
)
def test_system_language_and_region(
    monkeypatch: pytest.MonkeyPatch, env: str, language: str, region: str
) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_TELEPHONE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", env)
    assert i18n.system_language() == language
    assert i18n.system_region() == region


def test_set_language_and_direction() -> None:
    assert i18n.set_language("fa") == "fa"
    assert i18n.is_rtl()
    assert i18n.set_language("xx") == "en"
    assert not i18n.is_rtl()
    assert i18n._("client") == "client"  # English source strings pass through


def test_locale_formats_follow_language() -> None:
    from babel.dates import format_date
    from babel.numbers import format_currency, format_decimal

    i18n.set_language("ru")
    assert i18n.format_date(date(2026, 3, 7)) == format_date(date(2026, 3, 7), "short", locale="ru_RU")
    shown = i18n.format_number(Decimal("1234567.5"))
    assert shown == format_decimal(Decimal("1234567.5"), locale="ru_RU") and shown.endswith(",5")
    i18n.set_language("en")
    assert i18n.format_money(Decimal("1234.5"), "USD") == format_currency(
        Decimal("1234.5"), "USD", locale="en_US"
    )
    assert i18n.format_date(None) == ""
