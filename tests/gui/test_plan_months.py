"""The plan table names months as a calendar heading does, in every language: CLDR's stand-alone
(nominative) month, "декабрь 2025", never the genitive of a full date ("декабря"); the month under way
says its fulfilment is to date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from babel.dates import get_month_names
from pytestqt.qtbot import QtBot

from custdesk import i18n
from custdesk.analysis.plan import PlanMonth
from custdesk.ui.widgets.analysis_tables import PlanTable


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _percent(value: Decimal) -> str:
    return i18n.format_number(value.quantize(Decimal(1))) + " %"


@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_plan_table_months_stand_alone(qtbot: QtBot, code: str) -> None:
    i18n.set_language(code)
    table = PlanTable()
    qtbot.addWidget(table)
    months = [PlanMonth(date(2025, m, 1), None, Decimal(10), None, 30, 30) for m in (1, 5, 12)]
    table.set_months(months, lambda d: str(d), _percent)
    names = get_month_names("wide", context="stand-alone", locale=i18n.babel_locale())
    year = i18n.native_digits("2025")
    for row, month in enumerate((1, 5, 12)):
        item = table.item(row, 0)
        assert item is not None
        assert item.text() == i18n._("{month} {year}").format(month=names[month], year=year)
    if code in ("ru", "fi"):  # where the two forms differ, the genitive is not what is shown
        genitive = get_month_names("wide", context="format", locale=i18n.babel_locale())[12]
        assert genitive != names[12]
        assert genitive not in table.item(2, 0).text()  # type: ignore[union-attr]


def test_russian_december_is_nominative(qtbot: QtBot) -> None:
    i18n.set_language("ru")
    assert i18n.month_and_year(date(2025, 12, 1)) == "{} 2025".format(
        get_month_names("wide", context="stand-alone", locale="ru_RU")[12]
    )
    assert i18n.month_name(date(2025, 12, 1), short=True) == str(
        get_month_names("abbreviated", context="stand-alone", locale="ru_RU")[12]
    )


def test_the_month_under_way_reads_to_date(qtbot: QtBot) -> None:
    table = PlanTable()
    qtbot.addWidget(table)
    months = [
        PlanMonth(date(2026, 11, 1), Decimal(1000), Decimal(300), Decimal(30), 30, 30),
        PlanMonth(date(2026, 12, 1), Decimal(3100), Decimal(500), Decimal("16.13"), 31, 7),
        PlanMonth(date(2027, 1, 1), Decimal(1000), Decimal(0), Decimal(0), 31, 0),
    ]
    table.set_months(months, lambda d: str(d), _percent)
    assert table.item(0, 3).text() == "30 %"  # type: ignore[union-attr]
    # 500 against 3100 * 7 / 31 = 700: 71 % to date, not 16 % of the whole month
    assert table.item(1, 3).text() == "71 % to date"  # type: ignore[union-attr]
    assert "7 of 31 days" in table.item(1, 3).toolTip()  # type: ignore[union-attr]
    assert table.item(2, 2).text() == "" and table.item(2, 3).text() == ""  # type: ignore[union-attr]
