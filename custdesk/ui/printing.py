"""Printing: client cards, the Today call list and the client list, on paper or as PDF.

The HTML comes from :mod:`custdesk.io.cards` and :mod:`custdesk.io.print_lists`, built on the base
worker; here it is laid out by ``QTextDocument`` (which must live in the GUI thread) and painted page by
page with a ``QPainter``, so that every page gets a running header: the firm's name, the document's
title, the print date and "Page X of Y" over the whole job. Each document starts on a new page (one card
per page); a long one is paginated by Qt's layout, which breaks tables between rows and lines, never
through them, and repeats a table's header row on each page. A heading is kept with what follows it
(:func:`keep_headings_with_next`): one that would end a page alone moves to the next page.

Painting runs on the GUI thread in steps with a modal progress dialog (``QProgressDialog.setValue``
keeps the window responsive and lets Cancel through between documents): laying the documents out
first, to know Y, then painting them.

The menu items live in :mod:`custdesk.ui.print_actions`; :func:`install` puts them in a window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter

from custdesk.core.errors import CustDeskError
from custdesk.i18n import _
from custdesk.io.cards import PrintDocument
from custdesk.ui.formatting import format_date, format_number

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow

PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "Letter": QPageSize.PageSizeId.Letter,
}
# Countries that use US Letter paper; everyone else uses A4.
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "PR", "SV"})
MARGIN_MM = 15.0
BODY_POINT_SIZE = 10.0
HEADER_POINT_SIZE = 8.0
# Fonts with Cyrillic and Arabic-script glyphs: DejaVu here and on most Linux machines, then Windows'.
FONT_FAMILIES = ["DejaVu Sans", "Segoe UI", "Tahoma", "Arial"]
# Laid-out documents are kept between the two passes up to this many; beyond, they are laid out again.
KEEP_LAID_OUT = 300

# progress(done, total) -> False to stop
RenderProgress = Callable[[int, int], bool]


def default_page_size(region: str) -> str:
    """The paper of the firm's country: ``Letter`` in North America and a few others, else ``A4``."""
    return "Letter" if region.upper() in LETTER_REGIONS else "A4"


def page_layout(page_size: str) -> QPageLayout:
    """A portrait page of ``page_size`` (``A4`` or ``Letter``) with the margins CustDesk prints with."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}; expected one of {sorted(PAGE_SIZES)}")
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(
        QPageSize(PAGE_SIZES[page_size]),
        QPageLayout.Orientation.Portrait,
        margins,
        QPageLayout.Unit.Millimeter,
    )


def make_printer(page_size: str = "A4", pdf_path: str | Path | None = None) -> QPrinter:
    """A high-resolution printer with CustDesk's page; with ``pdf_path`` it writes that PDF file."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf_path))
    printer.setPageLayout(page_layout(page_size))
    printer.setCreator("CustDesk")
    return printer


def body_font() -> QFont:
    """The font of printed text."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(BODY_POINT_SIZE)
    return font


@dataclass(frozen=True)
class JobHeader:
    """What the running header of every page says besides the document's title and the page number."""

    firm_name: str
    printed_on: date


class PageRenderer:
    """Lays out print documents on a printer's pages and paints them with running headers."""

    def __init__(self, documents: Sequence[PrintDocument], header: JobHeader) -> None:
        self.documents = list(documents)
        self.header = header
        self.page_count = 0
        # Where the body of each page is, in points from the page's top-left corner (after render()).
        self.body_points = QRectF()

    # --- geometry ------------------------------------------------------------------------------------

    def _header_font(self, bold: bool = False) -> QFont:
        font = body_font()
        font.setPointSizeF(HEADER_POINT_SIZE)
        font.setBold(bold)
        return font

    def _header_height(self, printer: QPrinter) -> float:
        line = QFontMetricsF(self._header_font(True), printer).height()
        return 2 * line + line * 0.9  # two lines, the rule and a gap before the body

    def _layout(self, doc: PrintDocument, printer: QPrinter, body: QSizeF) -> QTextDocument:
        text = QTextDocument()
        text.documentLayout().setPaintDevice(printer)
        text.setDefaultFont(body_font())
        if doc.rtl:
            option = QTextOption()
            option.setTextDirection(Qt.LayoutDirection.RightToLeft)
            text.setDefaultTextOption(option)
        text.setHtml(doc.html)
        text.setPageSize(body)
        keep_headings_with_next(text)
        return text

    # --- painting ------------------------------------------------------------------------------------

    def _draw_text(self, painter: QPainter, rect: QRectF, text: str, align: Qt.AlignmentFlag) -> None:
        # Each text in its own direction (an English firm name in a Persian header keeps its brackets).
        option = QTextOption(align | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        painter.drawText(rect, text, option)

    def _paint_header(
        self, painter: QPainter, page: QRectF, doc: PrintDocument, number: int, line_height: float
    ) -> None:
        """Firm and title at the start of the line, page number and print date at its end."""
        start = Qt.AlignmentFlag.AlignRight if doc.rtl else Qt.AlignmentFlag.AlignLeft
        end = Qt.AlignmentFlag.AlignLeft if doc.rtl else Qt.AlignmentFlag.AlignRight
        starts = [t for t in (self.header.firm_name.strip(), doc.title) if t]
        ends = [
            _("Page {page} of {pages}").format(
                page=format_number(number), pages=format_number(self.page_count)
            ),
            _("Printed {date}").format(date=format_date(self.header.printed_on)),
        ]
        room = page.width() * 0.68  # the start's share of the line; the end needs little
        for i in range(2):
            painter.setFont(self._header_font(bold=i == 0))
            row = QRectF(page.left(), page.top() + i * line_height, page.width(), line_height)
            if i < len(starts):
                left = row.right() - room if doc.rtl else row.left()
                shown = painter.fontMetrics().elidedText(starts[i], Qt.TextElideMode.ElideRight, int(room))
                self._draw_text(painter, QRectF(left, row.top(), room, line_height), shown, start)
            self._draw_text(painter, row, ends[i], end)
        painter.save()
        painter.setPen(QPen(Qt.GlobalColor.gray, 0))
        rule_y = page.top() + 2 * line_height + line_height * 0.3
        painter.drawLine(QPointF(page.left(), rule_y), QPointF(page.right(), rule_y))
        painter.restore()

    def render(self, printer: QPrinter, progress: RenderProgress | None = None) -> int:
        """Lay out and paint every document on ``printer``; returns the pages painted.

        ``progress(done, total)`` is called between documents; it returns False to stop (the pages
        painted so far stay painted; a PDF is left for the caller to discard).

        Raises:
            CustDeskError: the printer cannot be painted on (a PDF path that cannot be written).
        """
        steps = 2 * len(self.documents)
        paint_rect = printer.pageLayout().paintRectPixels(printer.resolution())
        page = QRectF(0, 0, paint_rect.width(), paint_rect.height())
        header_height = self._header_height(printer)
        body = QSizeF(page.width(), page.height() - header_height)
        to_points = 72.0 / printer.resolution()
        origin = printer.pageLayout().paintRect(QPageLayout.Unit.Point).topLeft()
        self.body_points = QRectF(
            origin.x(),
            origin.y() + header_height * to_points,
            body.width() * to_points,
            body.height() * to_points,
        )
        keep = len(self.documents) <= KEEP_LAID_OUT
        laid_out: list[QTextDocument | None] = []
        counts: list[int] = []
        for i, doc in enumerate(self.documents):
            if progress is not None and not progress(i, steps):
                return 0
            text = self._layout(doc, printer, body)
            counts.append(max(1, text.pageCount()))
            laid_out.append(text if keep else None)
        self.page_count = sum(counts)

        painter = QPainter()
        if not painter.begin(printer):
            raise CustDeskError(
                _("Could not print to {target}: check that the file can be written.").format(
                    target=printer.outputFileName() or printer.printerName()
                )
            )
        line_height = QFontMetricsF(self._header_font(True), printer).height()
        number = 0
        try:
            for i, doc in enumerate(self.documents):
                if progress is not None and not progress(len(self.documents) + i, steps):
                    break
                text = laid_out[i] or self._layout(doc, printer, body)
                laid_out[i] = None  # painted: free it
                for p in range(counts[i]):
                    if number:
                        printer.newPage()
                    number += 1
                    self._paint_header(painter, page, doc, number, line_height)
                    painter.save()
                    painter.translate(0, header_height - p * body.height())
                    # Qt's layout moves a line that would cross the page's edge to the next page (a long
                    # table cell continues there), so the page's clip shows whole lines only. Such a
                    # cell is drawn whole on both pages and clipped: its lines of the other page stay,
                    # invisible, in the PDF's text layer (as with QTextDocument.print_()).
                    text.drawContents(painter, QRectF(0, p * body.height(), body.width(), body.height()))
                    painter.restore()
        finally:
            painter.end()
        if progress is not None:
            progress(steps, steps)
        return number


KEEP_LINES = 2  # a heading stays on the page of at least this many lines of what follows it


def _follows_on_another_page(document: QTextDocument, heading: QTextBlock, page_height: float) -> bool:
    """Whether the first :data:`KEEP_LINES` lines after ``heading`` (up to the next heading) reach
    beyond the page the heading is on."""
    layout = document.documentLayout()
    page = int(layout.blockBoundingRect(heading).top() // page_height)
    tops: set[float] = set()
    block = heading.next()
    while block.isValid() and not block.blockFormat().headingLevel():
        rect = layout.blockBoundingRect(block)
        tops.add(round(rect.top()))
        if int(rect.bottom() // page_height) != page:
            return True
        if len(tops) >= KEEP_LINES:
            break
        block = block.next()
    return False


def keep_headings_with_next(document: QTextDocument) -> int:
    """Break the page before every heading that would be left at a page's foot without what follows.

    Works on a laid-out, paginated document (``setPageSize`` done); returns how many headings moved.
    Each move shifts what comes after, so the document is looked at again from the start.
    """
    page_height = document.pageSize().height()
    if page_height <= 0:
        return 0
    layout = document.documentLayout()
    moved = 0
    for _pass in range(document.blockCount()):
        block = document.begin()
        changed = False
        while block.isValid():
            fmt = block.blockFormat()
            before = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
            if fmt.headingLevel() and not (fmt.pageBreakPolicy() & before):
                top = layout.blockBoundingRect(block).top()
                first_on_page = top - (top // page_height) * page_height < 1.0
                if not first_on_page and _follows_on_another_page(document, block, page_height):
                    brk = QTextBlockFormat()
                    brk.setPageBreakPolicy(before)
                    QTextCursor(block).mergeBlockFormat(brk)
                    moved += 1
                    changed = True
                    break
            block = block.next()
        if not changed:
            break
    return moved


def print_to_pdf(
    documents: Sequence[PrintDocument],
    path: str | Path,
    *,
    firm_name: str = "",
    page_size: str = "A4",
    printed_on: date | None = None,
    progress: RenderProgress | None = None,
) -> int:
    """Write ``documents`` to the PDF file ``path``; returns the number of pages.

    Stopped by ``progress``, or failed, it leaves no file behind.
    """
    target = Path(path)
    printer = make_printer(page_size, target)
    renderer = PageRenderer(documents, JobHeader(firm_name, printed_on or date.today()))
    try:
        pages = renderer.render(printer, progress)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if pages < renderer.page_count:  # stopped
        target.unlink(missing_ok=True)
    return pages


def install(window: MainWindow) -> None:
    """Put the print items in the window's File menu (see :mod:`custdesk.ui.print_actions`)."""
    from custdesk.ui.print_actions import PrintActions

    window.printing = PrintActions(window)  # type: ignore[attr-defined]


__all__ = [
    "PAGE_SIZES",
    "JobHeader",
    "PageRenderer",
    "body_font",
    "default_page_size",
    "install",
    "keep_headings_with_next",
    "make_printer",
    "page_layout",
    "print_to_pdf",
]
