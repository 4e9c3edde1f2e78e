"""A printed heading is never left alone at the foot of a page: it moves to the next page with what
follows it (checked on the laid-out document and in the PDF a user gets, read back with pdftotext)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from custdesk.io.print_html import PrintDocument, block, document, esc, row_html, table
from custdesk.ui.printing import JobHeader, PageRenderer, keep_headings_with_next, make_printer


def _html(lines: int) -> str:
    """``lines`` paragraphs, then a "History" heading over a table, as a printed card has them."""
    body = "".join(block("p", esc(f"Line {i}"), rtl=False) for i in range(lines))
    rows = [f"<thead>{row_html(['When', 'What happened'], rtl=False, tag='th')}</thead>"]
    rows += [row_html([f"day {i}", f"Entry {i:03d}"], rtl=False) for i in range(6)]
    return document(body + block("h2", "History", rtl=False) + table(rows), rtl=False)


def _orphaned(doc: QTextDocument) -> bool:
    """Whether the heading's page lacks the first row of what follows it."""
    layout, height = doc.documentLayout(), doc.pageSize().height()
    b = doc.begin()
    while b.isValid() and not b.blockFormat().headingLevel():
        b = b.next()
    page = layout.blockBoundingRect(b).top() // height
    while b.isValid() and "Entry 000" not in b.text():
        b = b.next()
    return layout.blockBoundingRect(b).bottom() // height != page


def test_headings_move_to_the_page_of_what_follows(qapp: QApplication) -> None:
    before, after = [], []
    for lines in range(10, 60):
        doc = QTextDocument()
        doc.setHtml(_html(lines))
        doc.setPageSize(QSizeF(400, 600))
        before.append(_orphaned(doc))
        keep_headings_with_next(doc)
        after.append(_orphaned(doc))
    assert any(before), "some of these documents would leave the heading alone"
    assert not any(after)


def test_the_pdf_has_the_heading_on_the_page_of_its_table(qapp: QApplication, tmp_path: Path) -> None:
    checked = 0
    for lines in range(30, 90, 3):
        out = tmp_path / f"doc{lines}.pdf"
        renderer = PageRenderer([PrintDocument("Card", _html(lines), False)], JobHeader("Firm", date.today()))
        renderer.render(make_printer("A4", out))
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        pages = text.split("\f")[:-1]
        (page,) = [p for p in pages if "History" in p]
        assert "When" in page and "Entry 000" in page, lines
        checked += len(pages) > 1
    assert checked  # some of them did run over one page
