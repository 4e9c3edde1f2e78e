"""Right-to-left text for the charts: what the bidi helpers wrap, that left-to-right languages are left
alone, that matplotlib (libraqm) orders the marked text as a Persian reader reads it and draws no boxes
for the marks, and that the analysis tab's status line reads right to left in Persian."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_compact_currency, format_currency, format_decimal
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from custdesk import i18n
from custdesk.analysis.chart_bidi import (
    FSI,
    LRI,
    PDI,
    RLM,
    bidi_layout,
    isolate_ltr,
    isolate_own,
    plain,
    right_to_left,
)
from custdesk.analysis.chart_style import Formats
from custdesk.core.db import Database
from custdesk.i18n import _
from tests.unit.analysis._sales import add_purchases, make_clients


def _persian_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


needs_raqm = pytest.mark.skipif(not bidi_layout(), reason="matplotlib without libraqm orders no text")


@needs_raqm
def test_values_are_isolated_line_by_line_only_right_to_left() -> None:
    assert isolate_ltr("۸۰٪", rtl=True) == f"{LRI}۸۰٪{PDI}"
    assert isolate_ltr("D\n۶۰٪", rtl=True) == f"{LRI}D{PDI}\n{LRI}۶۰٪{PDI}"  # matplotlib lays out each line
    assert isolate_own("Oulu", rtl=True) == f"{FSI}Oulu{PDI}"
    assert right_to_left("A: x\n\nB", rtl=True) == f"{RLM}A: x\n\n{RLM}B"
    assert right_to_left(f"{RLM}A", rtl=True) == f"{RLM}A"  # marked once, however often it passes
    assert isolate_ltr("", rtl=True) == "" and right_to_left("", rtl=True) == ""
    for helper in (isolate_ltr, isolate_own, right_to_left):
        assert helper("80% of $1,234.50\nQ1", rtl=False) == "80% of $1,234.50\nQ1"
    assert plain(right_to_left(isolate_ltr("A\nB", rtl=True), rtl=True)) == "A\nB"


@needs_raqm
def test_formats_isolate_values_in_persian_and_write_them_bare_in_english() -> None:
    english = Formats()
    assert not english.rtl
    assert english.amount(Decimal("1234.50")) == "$1,234.50" and english.percent(0.8) == "80%"
    assert english.count(1234) == "1,234" and english.say("{a} of {b}", a="1", b="2") == "1 of 2"
    assert english.start == "left" and english.tick_money(12300.0) == "$12.3K"
    i18n.set_language("fa")
    persian = Formats()
    assert persian.rtl and persian.start == "right"
    # What CLDR writes (through Babel, whose releases change it), in Persian digits: isolated whole.
    cldr = {"locale": "fa_IR", "numbering_system": "default"}
    assert persian.percent(0.8) == f"{LRI}{_persian_digits(_('{value}%').format(value='80'))}{PDI}"
    assert persian.count(1234) == f"{LRI}{_persian_digits(format_decimal(1234, **cldr))}{PDI}"
    assert persian.amount(Decimal("1234.50")) == (
        f"{LRI}{_persian_digits(format_currency(Decimal('1234.50'), 'USD', **cldr))}{PDI}"
    )
    # A compact tick is a number and a Persian word: isolated in its own direction, in Persian digits.
    compact = format_compact_currency(12300.0, "USD", fraction_digits=1, **cldr)
    assert "هزار" in compact
    assert persian.tick_money(12300.0) == f"{FSI}{_persian_digits(compact)}{PDI}"
    for shown in (persian.percent(0.8), persian.count(1234), persian.tick_money(12300.0)):
        assert not any(ch in "0123456789" for ch in shown)
    assert persian.say("{share} از {stage}", share=persian.percent(0.5), stage=persian.own("سفید")) == (
        f"{RLM}{LRI}۵۰٪{PDI} از {FSI}سفید{PDI}"
    )
    assert Formats(rtl=False).percent(0.8) == "۸۰٪"  # the direction can be chosen apart from the language


def _visual(text: str) -> str:
    """The characters of ``text`` as matplotlib places them, left to right (controls left out)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font, LoadFlags

    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    font.set_size(12, 72)
    items = sorted(font._layout(text, LoadFlags.NO_HINTING), key=lambda item: item.x)
    return plain("".join(item.char for item in items))


@needs_raqm
def test_matplotlib_lays_marked_text_out_right_to_left() -> None:
    title = "ABC × XYZ: ارزش"
    # Unmarked, the Latin start makes the line left to right: the colon ends up after "XYZ" on the left.
    assert _visual(title).startswith("ABC × XYZ:")
    # Marked, the line reads from the right: "ABC × XYZ" rightmost, the colon left of it, then the words.
    assert _visual(right_to_left(title, rtl=True)) == "شزرا :ABC × XYZ"  # left to right as drawn
    money, share = "\u200e$\xa0۷۷۴", "۸۰٪"  # as the Persian locale writes them
    fa = Formats(rtl=True)
    unmarked = f"درآمد {money} · {share}"
    marked = fa.say("درآمد {revenue} · {share}", revenue=fa.ltr(money), share=fa.ltr(share))
    # Drawn left to right; a Persian reader starts at the right: "درآمد", then the amount, then the share.
    assert _visual(marked).replace("\u200e", "") == "۸۰٪ · $\xa0۷۷۴ دمآرد"
    # Unmarked the share comes first and the amount last: the order the charts used to show.
    assert _visual(unmarked).replace("\u200e", "") == "$\xa0۷۷۴ · ۸۰٪ دمآرد"


@needs_raqm
def test_the_marks_draw_nothing() -> None:
    fig = Figure()
    FigureCanvasAgg(fig)
    bare = fig.text(0, 0, "ab")
    marked = fig.text(0, 0.5, f"{RLM}a{LRI}{FSI}{PDI}b{PDI}")
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    assert marked.get_window_extent(renderer).width == pytest.approx(bare.get_window_extent(renderer).width)


def test_the_status_line_of_the_analysis_tab_reads_right_to_left_in_persian() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    from custdesk.ui.analysis_tab import paragraphs_in_direction

    text = "محاسبه برای ۱۴۰۴/۹/۲.\nA: مشتریانی که ۸۰٪ نخست"
    assert paragraphs_in_direction(text) == text  # English interface: untouched

    def directions(shown: str) -> list[Qt.LayoutDirection]:
        doc = QTextDocument()
        doc.setPlainText(shown)
        block, found = doc.begin(), []
        while block.isValid():
            found.append(block.textDirection())
            block = block.next()
        return found

    rtl = Qt.LayoutDirection.RightToLeft
    assert directions(text)[1] != rtl  # the thresholds paragraph starts with "A:": Qt lays it out LTR
    i18n.set_language("fa")
    shown = paragraphs_in_direction(text)
    assert shown == f"{RLM}محاسبه برای ۱۴۰۴/۹/۲.\n{RLM}A: مشتریانی که ۸۰٪ نخست"
    assert directions(shown) == [rtl, rtl]


def test_the_analysis_tab_writes_its_status_and_notes_right_to_left_in_persian(
    qtbot: Any, db: Database
) -> None:
    from custdesk.ui.analysis_tab import AnalysisTab
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    ids = make_clients(db, 3)
    add_purchases(db, ids, [(0, "2024-01-10", "400.00"), (1, "2024-02-10", "150.00")])
    i18n.set_language("fa")
    runner = TaskRunner()
    try:
        tab = AnalysisTab(runner, db, ChangeBus(), today=date(2024, 3, 1))
        qtbot.addWidget(tab)
        with qtbot.waitSignal(tab.computed, timeout=10000):
            tab.show()  # the first show computes the last year
        lines = tab.status.text().split("\n")
        assert len(lines) == 2 and all(line.startswith(RLM) for line in lines)
        assert lines[1].startswith(f"{RLM}A:")  # the thresholds: "A:" first, at the right
        assert f"{LRI}۸۰٫۰٪{PDI}" in lines[1]  # a threshold kept whole inside the Persian sentence
        assert tab.pages.xyz_note.text().startswith(f"{RLM}XYZ")
    finally:
        qtbot.waitUntil(lambda: runner.idle, timeout=10000)
        runner.shutdown()
