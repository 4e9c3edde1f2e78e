"""The translation catalogs: complete, consistent with the code, compiled as gettext reads them, plural-right.

The catalogs are read with the same code as ``tools/i18n.py`` (extract / update / compile / check), so a
string added to the code without running ``python tools/i18n.py all`` and translating it fails here.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog

from custdesk import i18n
from custdesk.paths import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("ru", "fi", "fa")


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("custdesk_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """The strings of the code as they are now (Babel extraction, the same keywords as the tool)."""
    return tool.extract()


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {lang: tool.read_catalog(tool.po_path(lang)) for lang in TRANSLATED}


def test_the_catalogs_live_where_gettext_looks() -> None:
    assert tool.LOCALE_DIR == LOCALE_DIR
    for lang in TRANSLATED:
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").is_file()
    assert (LOCALE_DIR / f"{i18n.DOMAIN}.pot").is_file()


def test_the_template_is_up_to_date_with_the_code(extracted: Catalog) -> None:
    template = tool.read_catalog(tool.POT)
    in_code = tool.message_keys(extracted)
    in_template = tool.message_keys(template)
    assert len(in_code) > 500  # the extraction really found the application's strings
    missing = sorted(in_code - in_template, key=str)
    stale = sorted(in_template - in_code, key=str)
    assert not missing and not stale, (
        f"run `python tools/i18n.py all` and translate: new {missing[:5]}, gone {stale[:5]}"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(lang: str, catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs[lang]
    missing = tool.message_keys(tool.read_catalog(tool.POT)) - tool.message_keys(catalog)
    assert not missing, f"{lang}: not in the .po (run `python tools/i18n.py update`): {sorted(missing)[:5]}"
    problems = [(what, m.id) for m, what in tool.problems(catalog)]
    assert not problems, f"{lang}: {len(problems)} entries to fix, e.g. {problems[:5]}"


def test_the_check_finds_what_a_user_would_see_wrong() -> None:
    catalog = Catalog(locale="ru")
    catalog.add("Hello", "")
    catalog.add("Bye", "Пока", flags=["fuzzy"])
    catalog.add("{count} of {total}", "{count} из {всего}")
    catalog.add(("{n} day", "{n} days"), ("{n} день", "", "{n} дней"))
    catalog.add("Fine {name}", "Хорошо {name}")
    found = {m.id if isinstance(m.id, str) else m.id[0]: what for m, what in tool.problems(catalog)}
    assert found.keys() == {"Hello", "Bye", "{count} of {total}", "{n} day"}
    assert found["Bye"] == "fuzzy" and found["Hello"] == "untranslated"
    assert found["{count} of {total}"].startswith("placeholders")


def test_plural_forms_per_cldr(catalogs: dict[str, Catalog]) -> None:
    assert catalogs["ru"].num_plurals == 3
    assert catalogs["fi"].num_plurals == 2
    # Persian: CLDR has "one" (0 and 1) and "other".
    assert catalogs["fa"].num_plurals == 2
    assert catalogs["fa"].plural_expr.replace(" ", "") == "(n>1)"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_what_gettext_reads_is_the_po(lang: str, catalogs: dict[str, Catalog]) -> None:
    """The catalog in force (a built .mo, or the .po compiled in memory) says what the .po says."""
    mo = tool.po_path(lang).with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= tool.po_path(lang).stat().st_mtime:
        # gettext would read this .mo: it must be the compiled .po, byte for byte.
        assert mo.read_bytes() == tool.compile_bytes(catalogs[lang]), "run `python tools/i18n.py compile`"
    i18n.set_language(lang)
    checked = 0
    for m in catalogs[lang]:
        if not m.id or m.context:
            continue
        if isinstance(m.id, tuple | list):
            assert i18n.ngettext(m.id[0], m.id[1], 1) == m.string[0]
        else:
            assert i18n._(m.id) == m.string, m.id
        checked += 1
    assert checked > 500


def test_compiling_gives_a_catalog_gettext_reads(catalogs: dict[str, Catalog]) -> None:
    data = tool.compile_bytes(catalogs["fi"])
    translations = gettext.GNUTranslations(io.BytesIO(data))
    assert translations.gettext("Clients") == "Asiakkaat"
    assert translations.ngettext("{count} client", "{count} clients", 2) == "{count} asiakasta"


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1 клиент"), (2, "2 клиента"), (4, "4 клиента"), (5, "5 клиентов"), (11, "11 клиентов"),
     (12, "12 клиентов"), (21, "21 клиент"), (22, "22 клиента"), (25, "25 клиентов"), (101, "101 клиент")],
)  # fmt: skip
def test_russian_plural_forms(n: int, text: str) -> None:
    i18n.set_language("ru")
    assert i18n.ngettext("{count} client", "{count} clients", n).format(count=n) == text


def test_finnish_and_persian_plurals() -> None:
    i18n.set_language("fi")
    assert i18n.ngettext("{count} client", "{count} clients", 1).format(count=1) == "1 asiakas"
    assert i18n.ngettext("{count} client", "{count} clients", 7).format(count=7) == "7 asiakasta"
    i18n.set_language("fa")
    assert i18n.ngettext("{count} page", "{count} pages", 3).format(count=3) == "3 صفحه"


WORDS = {
    "ru": (
        "золотисто-зелёный",
        "платиново-красный",
        "спящие",
        "под угрозой",
        "горячий",
        "тёплый",
        "холодный",
    ),
    "fi": ("kullanvihreä", "platina-punainen", "horroksessa", "vaarassa", "kuuma", "lämmin", "kylmä"),
    "fa": ("سبز طلایی", "پلاتینی-قرمز", "خفته", "در معرض خطر", "داغ", "گرم", "سرد"),
}
KEYS = ("gold-green", "platinum-red", "hibernating", "at risk", "hot", "warm", "cold")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_practitioners_words(lang: str) -> None:
    from custdesk.core.vocab import TEMPERATURES, funnel_label, label

    words = dict(zip(KEYS, WORDS[lang], strict=True))
    i18n.set_language(lang)
    assert funnel_label("gold-green") == words["gold-green"]
    assert funnel_label("platinum-red") == words["platinum-red"]
    for key in ("hot", "warm", "cold"):
        assert label(TEMPERATURES, key) == words[key]
    assert i18n._("hibernating") == words["hibernating"]
    assert i18n._("at risk") == words["at risk"]
    # ABC and XYZ keep their letters.
    assert "ABC" in i18n._("ABC, XYZ and RFM analysis of every client for a window of dates")


def test_jalali_dates_without_qt() -> None:
    assert i18n.gregorian_to_jalali(date(2026, 3, 21)) == (1405, 1, 1)  # Nowruz
    assert i18n.gregorian_to_jalali(date(2024, 3, 20)) == (1403, 1, 1)
    assert i18n.gregorian_to_jalali(date(2025, 3, 20)) == (1403, 12, 30)  # 1403 is a leap year
    i18n.set_language("fa")
    assert i18n.uses_jalali()
    assert i18n.format_date(date(2026, 11, 22)) == "۱۴۰۵/۹/۱"
    i18n.set_jalali(False)
    try:
        # Gregorian, still in Persian digits, as Qt's formatting.format_date writes it.
        assert i18n.format_date(date(2026, 11, 22)) == "۲۰۲۶/۱۱/۲۲"
        i18n.set_language("ru")
        i18n.set_jalali(True)
        assert i18n.format_date(date(2026, 11, 22)) == "01.09.1405"
    finally:
        i18n.set_jalali(None)
    i18n.set_language("ru")
    assert i18n.format_date(date(2026, 11, 22)) == "22.11.2026"
