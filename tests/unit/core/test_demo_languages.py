"""The demo follows the interface language and the firm's country: a Russian demo is Russian (Cyrillic
names, Russian cities, +7 phones, roubles), a Finnish one Finnish, a Persian one Iranian (Persian names,
Iranian cities, +98 phones, rials), an English one American; each the same for the same seed."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path

import phonenumbers
import pytest
from babel.numbers import get_territory_currencies
from sqlalchemy import select

from custdesk.core import demo_data
from custdesk.core.db import Database, open_base
from custdesk.core.demo import demo_locale, generate_demo
from custdesk.core.models import Client, Email, Interaction, Phone, Purchase
from custdesk.core.services import settings

TODAY = date(2025, 6, 15)
N = 60
SCRIPT = {"ru": "CYRILLIC", "fi": "LATIN", "fa": "ARABIC", "en": "LATIN"}
COUNTRY = {"ru": "RU", "fi": "FI", "fa": "IR", "en": "US"}


def _letters_of(text: str) -> set[str]:
    """The scripts of a text's letters ("CYRILLIC", "LATIN", "ARABIC")."""
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


def _demo(template: Path, folder: Path, name: str, **kw: object) -> Database:
    path = folder / name
    shutil.copyfile(template, path)
    db = open_base(path, auto_backup=False)
    generate_demo(db, clients=N, seed=3, today=TODAY, **kw)  # type: ignore[arg-type]
    return db


@pytest.mark.parametrize("language", ["ru", "fi", "fa", "en"])
def test_demo_speaks_the_language_and_lives_in_its_country(
    _migrated_template: Path, tmp_path: Path, language: str
) -> None:
    db = _demo(_migrated_template, tmp_path, "demo.sqlite", language=language)
    try:
        country = COUNTRY[language]
        firm = settings.get_all(db)
        assert firm["phone_region"] == country
        assert firm["currency"] == get_territory_currencies(country, start_date=TODAY)[0]  # RUB, EUR, IRR…
        with db.session() as s:
            clients = s.scalars(select(Client)).all()
            phones = s.scalars(select(Phone.number)).all()
            texts = s.scalars(select(Interaction.text)).all()
            items = s.scalars(select(Purchase.items)).all()
            emails = s.scalars(select(Email.address)).all()
        assert len(clients) == N
        cities = {c.name for r in demo_data.REGIONS[language] for c in r.cities}
        for c in clients:
            assert _letters_of(c.name) == {SCRIPT[language]}, c.name
            assert c.country == country and c.city in cities, (c.name, c.city)
            if c.organisation:
                assert SCRIPT[language] in _letters_of(c.organisation), c.organisation
        for number in phones:
            parsed = phonenumbers.parse(number, None)
            assert phonenumbers.is_valid_number(parsed), number
            assert phonenumbers.region_code_for_number(parsed) == country, number
        for text in [*texts[:50], *items[:50]]:
            assert SCRIPT[language] in _letters_of(text), text
        assert all(e.isascii() and "@" in e for e in emails)  # addresses in Latin letters, in every language
        if language == "fa":  # Persian letters, not Faker's Arabic yeh and kaf
            assert not any(ch in c.name for c in clients for ch in "يك")
    finally:
        db.close()


def test_same_seed_same_demo_per_language(_migrated_template: Path, tmp_path: Path) -> None:
    a = _demo(_migrated_template, tmp_path, "a.sqlite", language="fa")
    b = _demo(_migrated_template, tmp_path, "b.sqlite", language="fa")
    c = _demo(_migrated_template, tmp_path, "c.sqlite", language="fi")
    try:
        rows = []
        for db in (a, b, c):
            with db.session() as s:
                rows.append(s.execute(select(Client.name, Client.city, Client.revenue_total)).all())
        assert rows[0] == rows[1] and rows[0] != rows[2]
    finally:
        for db in (a, b, c):
            db.close()


def test_english_takes_the_firms_country() -> None:
    assert demo_locale("en", "FI") == ("fi", "en")  # Finnish clients, history written in English
    assert demo_locale("en", "IR") == ("fa", "en")
    assert demo_locale("en", "DE") == ("en", "en")
    assert demo_locale("ru", "US") == ("ru", "ru")  # a Russian interface: a Russian demo, never half American
    assert demo_locale("fa", None) == ("fa", "fa")
