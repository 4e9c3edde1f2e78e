"""The demo base the first-run window offers follows the interface language: in Russian the first screen
of the list has Russian names, +7 phones and revenue in roubles; in Persian, Persian names and +98."""

from __future__ import annotations

import unicodedata

import phonenumbers
import pytest
from babel.numbers import get_currency_symbol
from pytestqt.qtbot import QtBot

from custdesk import i18n, paths
from custdesk.ui.main_window import MainWindow
from custdesk.ui.models.client_table import COLUMN_INDEX
from custdesk.ui.session import Session


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


@pytest.mark.parametrize(
    ("code", "script", "country", "calling", "currency"),
    [("ru", "CYRILLIC", "RU", 7, "RUB"), ("fa", "ARABIC", "IR", 98, "IRR")],
)
def test_demo_from_the_first_run_window_speaks_the_language(
    qtbot: QtBot, session: Session, code: str, script: str, country: str, calling: int, currency: str
) -> None:
    i18n.set_language(code)
    session.start(None)
    assert session.first_run is not None
    session.first_run.demo_button.click()
    qtbot.waitUntil(lambda: session.window is not None, timeout=60000)
    window = session.window
    assert isinstance(window, MainWindow)
    window.show_client_list()
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total > 0, timeout=10000)
    assert paths.demo_base_path(code).is_file() and paths.demo_base_path(code).name == f"demo-{code}.sqlite"

    def shown(column: str) -> list[str]:
        m = window.model
        return [str(m.data(m.index(r, COLUMN_INDEX[column])) or "") for r in range(25)]

    assert all(_scripts(name) == {script} for name in shown("name")), shown("name")
    phones = [p for p in shown("phone") if p]
    for phone in phones:  # shown as the firm's country writes them; they are that country's numbers
        parsed = phonenumbers.parse(phone.strip("\u2066\u2069\u200e"), country)
        assert phonenumbers.is_valid_number(parsed) and parsed.country_code == calling, phone
    symbol = get_currency_symbol(currency, locale=i18n.babel_locale())
    revenues = [r for r in shown("revenue") if r]
    assert revenues and all(symbol in r for r in revenues), revenues
