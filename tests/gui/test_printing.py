"""Printing to PDF, read back with pdftotext/pdfinfo: fields, pages, headers, directions, paper, menus."""

from __future__ import annotations

import gettext
import html
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.models import AuditEntry, Client
from custdesk.core.services import settings
from custdesk.io.cards import card_documents
from custdesk.io.print_lists import client_list_document
from custdesk.ui.main_window import MainWindow
from custdesk.ui.models.client_table import COLUMN_INDEX
from custdesk.ui.printing import JobHeader, PageRenderer, make_printer, print_to_pdf
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.unit.io._card_data import FIRM, RICH, add_history, plain_client, rich_client

pytestmark = pytest.mark.usefixtures("qapp")


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, NFKC-normalised (pdftotext gives Persian as presentation forms)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [unicodedata.normalize("NFKC", page) for page in out.split("\f")[:-1]]


def page_size(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return re.search(r"Page size:\s+(.*)", info).group(1)  # type: ignore[union-attr]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_card_prints_every_field(db: Database, tmp_path: Path) -> None:
    cid = rich_client(db, history=3)
    out = tmp_path / "card.pdf"
    pages = print_to_pdf(card_documents(db, [cid]), out, firm_name=FIRM)
    text = pdf_pages(out)
    assert len(text) == pages
    whole = flat(" ".join(text))
    for value in (
        RICH.organisation,
        RICH.name,
        RICH.tax_id,
        RICH.registration_no,
        RICH.bank_details,
        RICH.source,
        RICH.buying_particulars,
        RICH.preferred_products,
        RICH.usual_volume,
        RICH.deal_terms,
        RICH.payment_terms,
        RICH.delivery_terms,
        RICH.contract_no,
        RICH.competitor,
        RICH.competitor_advantage,
        'Call before 10 "sharp"',
        "Prefers e-mail",
        "mary@acme.example",
        "(202) 555-0123",
        "(202) 555-0199",
        "Main St. 12, Downtown, Springfield, Illinois, 62701, United States",
        "5/17/80",
        "7.5%",
        "$510.75",
        "$170.25",
        "Entry 002 <said> & agreed",
        "platinum",
        "VIP",
    ):
        assert value in whole, value
    # The running header: firm, title, print date, page X of Y.
    assert FIRM in text[0] and f"Page 1 of {pages}" in text[0]
    assert "Printed " in text[0]


def words_by_page(path: Path) -> list[list[tuple[str, float, float, float]]]:
    """Each page's words as (text, xMin, yMin, yMax) in points (pdftotext -bbox), NFKC-normalised."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        found = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page
        )
        pages.append(
            [
                (unicodedata.normalize("NFKC", html.unescape(w)), float(x), float(y0), float(y1))
                for x, y0, y1, w in found
            ]
        )
    return pages


def test_a_long_history_breaks_across_pages_cleanly(db: Database, tmp_path: Path) -> None:
    cid = plain_client(db, "Long History")
    add_history(db, cid, 200, words=12)
    settings.set_values(db, {"card_history_entries": 200})
    out = tmp_path / "long.pdf"
    renderer = PageRenderer(card_documents(db, [cid]), JobHeader("Firm", date.today()))
    pages = renderer.render(make_printer("A4", out))
    assert pages == renderer.page_count >= 5
    body = renderer.body_points
    top, bottom = body.top(), body.bottom()
    seen: list[str] = []
    mores = 0
    for number, words in enumerate(words_by_page(out), start=1):
        header = [w for w in words if w[3] <= top]
        # The running header: page X of Y, and the title saying whose card it is.
        anchor = next(w for w in header if w[0] == "Page" and w[1] > 300)  # at the line's end
        line = [w for w in header if abs(w[2] - anchor[2]) < 0.5 and w[1] >= anchor[1]]
        assert f"Page {number} of {pages}" in " ".join(w[0] for w in sorted(line, key=lambda w: w[1]))
        assert "Long History" in " ".join(w[0] for w in header)
        # What a reader sees: the words inside the page's body. None is cut by the body's edge.
        assert not [w for w in words if w[2] < top < w[3] or w[2] < bottom < w[3]]
        visible = [w for w in words if top <= w[2] and w[3] <= bottom]
        text = " ".join(w[0] for w in visible)
        if number > 1:
            assert "What happened" in text  # the table's header row repeats
        seen += re.findall(r"Entry (\d{3})", text)
        mores += text.count("more")
    # Every entry once, every word of every entry once: nothing lost or doubled at the page breaks.
    assert sorted(seen) == [f"{i:03d}" for i in range(200)]
    assert mores == sum(12 * (i % 3) for i in range(200))


def test_several_cards_in_one_file_one_per_page(db: Database, tmp_path: Path) -> None:
    names = ["Anna First", "Boris Second", "Carla Third"]
    ids = [plain_client(db, n) for n in names]
    out = tmp_path / "three.pdf"
    assert print_to_pdf(card_documents(db, ids), out) == 3
    text = pdf_pages(out)
    for number, (page, name) in enumerate(zip(text, names, strict=True), start=1):
        assert name in page and f"Page {number} of 3" in page
        assert all(other not in page for other in names if other != name)


def test_cyrillic_prints_with_its_glyphs(db: Database, tmp_path: Path) -> None:
    cid = plain_client(db, "Иван Петрович Сидоров", city="Москва", notes="Любит чай с лимоном")
    out = tmp_path / "ru.pdf"
    print_to_pdf(card_documents(db, [cid]), out, firm_name="ООО «Ромашка»")
    whole = flat(" ".join(pdf_pages(out)))
    for value in ("Иван Петрович Сидоров", "Москва", "Любит чай с лимоном", "ООО «Ромашка»"):
        assert value in whole
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" in fonts


def _words(path: Path) -> list[tuple[str, float]]:
    """Each word of the first page with its left edge (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
    return [(unicodedata.normalize("NFKC", w), float(x)) for x, w in found]


def test_a_persian_card_lays_out_right_to_left(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = plain_client(db, "علی رضایی", city="تهران", notes="مشتری خوب")
    i18n.set_language("fa")
    # The layout is under test, not the catalog: keep the labels English so they can be found.
    monkeypatch.setattr(i18n, "_translation", gettext.NullTranslations())
    try:
        docs = card_documents(db, [cid])
        out = tmp_path / "fa.pdf"
        print_to_pdf(docs, out, firm_name="فروشگاه")
    finally:
        i18n.set_language("en")
    whole = " ".join(pdf_pages(out))
    for value in ("رضایی", "علی", "تهران", "مشتری", "خوب", "فروشگاه"):
        assert unicodedata.normalize("NFKC", value) in whole, value
    # pdftotext -bbox gives Persian letter by letter: "خ" is only in "خوب", "ع" only in "علی".
    words = dict(_words(out))
    # The label column is on the right, its value on the left; the name starts at the right margin.
    assert words["Notes"] > words["خ"]
    assert words["Phones"] > words["(202)"]
    assert words["ع"] > 400  # of a 595-point-wide page


@pytest.mark.parametrize(("paper", "expected"), [("A4", "(A4)"), ("Letter", "(letter)")])
def test_page_sizes(db: Database, tmp_path: Path, paper: str, expected: str) -> None:
    cid = plain_client(db, "Paper Pat")
    out = tmp_path / f"{paper}.pdf"
    print_to_pdf(card_documents(db, [cid]), out, page_size=paper)
    assert expected in page_size(out)


def test_a_stopped_job_leaves_no_file(db: Database, tmp_path: Path) -> None:
    ids = [plain_client(db, f"Stop {i}") for i in range(4)]
    out = tmp_path / "stopped.pdf"
    pages = print_to_pdf(card_documents(db, ids), out, progress=lambda done, total: done < 5)
    assert pages < 4 and not out.exists()


def test_the_client_list_with_its_columns(db: Database, tmp_path: Path) -> None:
    from custdesk.core.services.client_list import ListQuery

    for n in ("Zoe <Z>", "Yuri", "Xena"):
        plain_client(db, n, city="Oulu")
    out = tmp_path / "list.pdf"
    print_to_pdf([client_list_document(db, ListQuery(), ["city", "name"])], out)
    text = flat(pdf_pages(out)[0])
    assert "No. City Name" in text
    assert text.index("Xena") < text.index("Yuri") < text.index("Zoe <Z>")
    assert "Phone" not in text


# --- from the main window -----------------------------------------------------------------------------


@pytest.fixture
def window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> Iterator[MainWindow]:
    settings.set_values(db, {"firm_name": FIRM})
    for name in ("Anna Alpha", "Boris Beta", "Carla Gamma"):
        plain_client(db, name, notes=f"notes of {name}")
    with db.session() as s:
        for client in s.scalars(select(Client)):
            client.next_call_on = date.today() - timedelta(days=2)
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "FI"})
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total == 3 and not w.model.loading, timeout=5000)
    yield w
    w.close()


def _menu_action(w: MainWindow, text: str) -> QAction:
    found = [a for a in w.file_menu.actions() if a.text().replace("&", "") == text]
    assert found, [a.text() for a in w.file_menu.actions()]
    return found[0]


def _save_from_preview(qtbot: QtBot, w: MainWindow, out: Path) -> int:
    """The preview's Save as PDF: choose the file in the dialog; returns the pages the preview shows."""
    qtbot.waitUntil(lambda: w.printing.preview_dialog is not None, timeout=10000)
    dialog = w.printing.preview_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() > 0, timeout=5000)
    shown = preview.pageCount()
    save = dialog.findChild(QAction, "savePdf")
    assert save is not None and save.text() == "Save as PDF…"
    save.trigger()
    files = w.printing.file_dialog
    assert isinstance(files, QFileDialog)
    files.selectFile(str(out))
    files.accept()
    qtbot.waitUntil(out.exists, timeout=10000)
    dialog.close()
    return shown


def _journal(qtbot: QtBot, w: MainWindow, db: Database) -> list[AuditEntry]:
    qtbot.waitUntil(lambda: w.runner.idle, timeout=5000)
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "print")))


def test_ctrl_p_previews_the_selected_cards(
    qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path
) -> None:
    act = _menu_action(window, "Print card…")
    assert act.shortcut().toString() == "Ctrl+P"
    window.table.selectRow(0)
    window.table.selectionModel().select(
        window.model.index(2, 0),
        window.table.selectionModel().SelectionFlag.Select | window.table.selectionModel().SelectionFlag.Rows,
    )
    act.trigger()
    out = tmp_path / "picked.pdf"
    assert _save_from_preview(qtbot, window, out) == 2
    text = pdf_pages(out)
    assert len(text) == 2
    assert "Anna Alpha" in text[0] and "Carla Gamma" in text[1]
    assert "Boris Beta" not in " ".join(text)
    assert FIRM in text[0] and "Page 2 of 2" in text[1]
    assert "(A4)" in page_size(out)  # Finland prints on A4
    (entry,) = _journal(qtbot, window, db)
    assert entry.field == "cards" and str(out) in (entry.new or "")


def test_page_size_choice_and_the_client_list_as_shown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.printing.page_menu_actions["Letter"].trigger()
    header = window.table.horizontalHeader()
    header.hideSection(COLUMN_INDEX["organisation"])
    header.moveSection(header.visualIndex(COLUMN_INDEX["city"]), 0)
    assert window.printing.shown_columns()[:3] == ["city", "name", "phone"]
    _menu_action(window, "Print the client list…").trigger()
    out = tmp_path / "list.pdf"
    _save_from_preview(qtbot, window, out)
    text = flat(pdf_pages(out)[0])
    assert "No. City Name Phone Funnel" in text
    assert "Organisation" not in text
    assert "Anna Alpha" in text and "3 clients" in text
    assert "(letter)" in page_size(out)


def test_todays_calls_sheet(qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path) -> None:
    _menu_action(window, "Print today's calls…").trigger()
    out = tmp_path / "today.pdf"
    _save_from_preview(qtbot, window, out)
    text = flat(" ".join(pdf_pages(out)))
    for value in (
        "Calls for",
        "Client",
        "Phones",
        "Why",
        "Notes",
        "Anna Alpha",
        "Boris Beta",
        "Overdue call",
    ):
        assert value in text
    assert "+358" in text or "(202) 555-0111" in text  # a US number printed for a Finnish firm
    (entry,) = _journal(qtbot, window, db)
    assert entry.field == "today"
